/** `report dsa` and `report dsa-figures`: the DSA statements of reasons and the Article 15/24 figures (docs/dsa.md). */
import { Command } from 'commander'
import { loadDsaMapping } from '../../config/dsa.js'
import { writeDsaStatements } from '../../reports/dsa/index.js'
import { defaultReportDate, parseReportDate } from '../../reports/index.js'
import { addCommonOptions, configFromOptions, type CommonOptions } from '../options.js'
import { openStore } from '../runtime.js'

interface DsaOptions extends CommonOptions {
  date?: string
  out: string
  mapping?: string
}

export function dsaCommand(): Command {
  return addCommonOptions(
    new Command('dsa')
      .description(
        "write the day's statements of reasons for the DSA Transparency Database (one per restricting moderation action, schema v2) as JSON Lines",
      )
      .option('-d, --date <YYYY-MM-DD>', 'the UTC day (default: yesterday, UTC)')
      .option('-o, --out <dir>', 'directory for statements-DATE.jsonl', '.')
      .option('--mapping <file>', 'the DSA mapping file (default: config/dsa.yaml)')
      .addHelpText('after', '\nExample:\n  abuse-radar report dsa --date 2026-11-27 --out reports/'),
  ).action(async (options: DsaOptions) => {
    const date = options.date ?? defaultReportDate()
    parseReportDate(date)
    // Every input is checked before ClickHouse is opened (docs/errors.md).
    const mapping = loadDsaMapping(options.mapping)
    const config = configFromOptions(options)
    const { store, close } = await openStore(config, undefined, { useDatabase: true, createIfMissing: false })
    try {
      const written = await writeDsaStatements(store, mapping, date, options.out)
      process.stdout.write(
        `${JSON.stringify({ date, file: written.file, statements: written.statements.length, by_category: written.byCategory })}\n`,
      )
    } finally {
      await close()
    }
  })
}
