/** `report dsa` (and `--submit`): the DSA statements of reasons of one day; `report dsa-figures`: the Article 15/24 figures of a period (docs/dsa.md). */
import { Command } from 'commander'
import { DSA_TOKEN_ENV, loadDsaMapping } from '../../config/dsa.js'
import { AbuseRadarError, ConfigError } from '../../domain/errors.js'
import { writeDsaFigures, writeDsaStatements } from '../../reports/dsa/index.js'
import { SubmissionLedger } from '../../reports/dsa/ledger.js'
import { submitStatements, type SubmissionSummary } from '../../reports/dsa/submit.js'
import { defaultReportDate, parseReportDate } from '../../reports/index.js'
import { DsaApiClient } from '../../sinks/dsa-api/client.js'
import { addCommonOptions, configFromOptions, type CommonOptions } from '../options.js'
import { openStore } from '../runtime.js'

interface DsaOptions extends CommonOptions {
  date?: string
  out: string
  mapping?: string
  submit?: boolean
}

export function dsaCommand(): Command {
  return addCommonOptions(
    new Command('dsa')
      .description(
        "write the day's statements of reasons for the DSA Transparency Database (one per restricting moderation action, schema v2) as JSON Lines; --submit sends them",
      )
      .option('-d, --date <YYYY-MM-DD>', 'the UTC day (default: yesterday, UTC)')
      .option('-o, --out <dir>', 'directory for statements-DATE.jsonl', '.')
      .option('--mapping <file>', 'the DSA mapping file (default: config/dsa.yaml)')
      .option('--submit', `also send the statements not yet accepted to submission.endpoint, with the token in ${DSA_TOKEN_ENV}`)
      .addHelpText(
        'after',
        '\nExamples:\n  abuse-radar report dsa --date 2026-11-27 --out reports/\n  abuse-radar report dsa --date 2026-11-27 --out reports/ --submit',
      ),
  ).action(async (options: DsaOptions) => {
    const date = options.date ?? defaultReportDate()
    parseReportDate(date)
    // Every input is checked before ClickHouse is opened (docs/errors.md).
    const mapping = loadDsaMapping(options.mapping)
    const token = process.env[DSA_TOKEN_ENV] ?? ''
    if (options.submit && token.trim() === '')
      throw new ConfigError([`${DSA_TOKEN_ENV}: required with --submit (the API token of the DSA Transparency Database)`])
    const config = configFromOptions(options)
    const { store, close } = await openStore(config, undefined, { useDatabase: true, createIfMissing: false })
    try {
      const written = await writeDsaStatements(store, mapping, date, options.out)
      const result: Record<string, unknown> = {
        date,
        file: written.file,
        statements: written.statements.length,
        by_category: written.byCategory,
      }
      let refused: SubmissionSummary['refused'] = []
      if (options.submit) {
        await store.migrate() // dsa_submissions (migration 12) in a data directory older than it
        const ledger = new SubmissionLedger(store, config.settings.clickhouse.cluster ? 'dsa_submissions_local' : 'dsa_submissions')
        const s = mapping.submission
        const client = new DsaApiClient({ endpoint: s.endpoint, token, timeoutMs: s.timeout_ms })
        const summary = await submitStatements(written.statements, client, ledger, {
          batchSize: s.batch_size,
          maxAttempts: s.max_attempts,
          initialBackoffMs: s.initial_backoff_ms,
          maxBackoffMs: s.max_backoff_ms,
        })
        refused = summary.refused
        result['submission'] = { ...summary, refused: refused.length }
      }
      process.stdout.write(`${JSON.stringify(result)}\n`)
      if (refused.length > 0)
        throw new AbuseRadarError(
          'AR_DSA_API_REFUSED',
          `the DSA Transparency Database refused ${refused.length} statement(s):\n${refused.map((r) => `  - ${r.puid}: ${JSON.stringify(r.errors)}`).join('\n')}`,
        )
    } finally {
      await close()
    }
  })
}

interface FiguresOptions extends CommonOptions {
  from: string
  to: string
  out: string
  mapping?: string
}

export function dsaFiguresCommand(): Command {
  return addCommonOptions(
    new Command('dsa-figures')
      .description(
        'write the figures of a DSA transparency report (Articles 15 and 24: notices, actions by ground, category and type, automated means, median time to act, reverted decisions) over whole UTC days as JSON and CSV',
      )
      .requiredOption('--from <YYYY-MM-DD>', 'first UTC day of the period')
      .requiredOption('--to <YYYY-MM-DD>', 'last UTC day of the period (included)')
      .option('-o, --out <dir>', 'directory for dsa-figures-FROM-TO.json and .csv', '.')
      .option('--mapping <file>', 'the DSA mapping file (default: config/dsa.yaml): the ground of each category')
      .addHelpText('after', '\nExample:\n  abuse-radar report dsa-figures --from 2026-07-01 --to 2026-12-31 --out reports/'),
  ).action(async (options: FiguresOptions) => {
    if (parseReportDate(options.to) < parseReportDate(options.from))
      throw new AbuseRadarError('AR_USAGE', `--to ${options.to} is before --from ${options.from}`)
    const mapping = loadDsaMapping(options.mapping)
    const config = configFromOptions(options)
    const { store, close } = await openStore(config, undefined, { useDatabase: true, createIfMissing: false })
    try {
      const written = await writeDsaFigures(store, mapping, options.from, options.to, options.out)
      const f = written.figures
      process.stdout.write(
        `${JSON.stringify({ from: options.from, to: options.to, json: written.json, csv: written.csv, notices: f.notices.total, actions: f.actions.total, reverted: f.reverted.total })}\n`,
      )
    } finally {
      await close()
    }
  })
}
