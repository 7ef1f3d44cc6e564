import { Command, Option } from 'commander'
import { formatRows, type OutputFormat } from '../format.js'
import { addCommonOptions, configFromOptions, type CommonOptions } from '../options.js'
import { openStore } from '../runtime.js'

export function sqlCommand(): Command {
  return addCommonOptions(
    new Command('sql')
      .description('run a query against the configured ClickHouse (the embedded database by default) and print the result')
      .argument('<query>', 'SQL; the default database is the configured one (abuse)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .addHelpText(
        'after',
        '\nExamples:\n  abuse-radar sql "SELECT sum(created) FROM message_stats_1m"\n  abuse-radar sql "SHOW TABLES" --format csv',
      ),
  ).action(async (query: string, options: CommonOptions & { format: OutputFormat }) => {
    const config = configFromOptions(options)
    const { store, close } = await openStore(config, undefined, { useDatabase: true })
    try {
      const rows = await store.select<Record<string, unknown>>(query.trim().replace(/;\s*$/, ''))
      process.stdout.write(formatRows(rows, options.format))
    } finally {
      await close()
    }
  })
}
