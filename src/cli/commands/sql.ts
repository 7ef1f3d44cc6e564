/**
 * `abuse-radar sql`: one statement against the configured ClickHouse, read-only unless `--write`.
 *
 * Read-only is enforced by ClickHouse itself, not by reading the SQL here: every statement of the
 * session runs with `readonly = 1`, which refuses writes, DDL, setting changes, temporary tables and
 * the table functions that reach files, URLs or other servers. Two things the embedded engine (chdb,
 * a `clickhouse local`) still allows under readonly are refused before the statement runs, found
 * with ClickHouse's own parser: the function `file()`, which reads any local file (the pseudonym key,
 * /etc/passwd), and INTO OUTFILE, which writes one (a server confines the first to its user_files
 * directory and refuses the second over HTTP).
 */
import { Command, Option } from 'commander'
import { AbuseRadarError } from '../../domain/errors.js'
import { clickHouseErrorCode, isStatementRejection, READONLY_ERROR_CODE } from '../../sinks/clickhouse/client.js'
import type { ClickHouseStore } from '../../sinks/clickhouse/store.js'
import { formatRows, type OutputFormat } from '../format.js'
import { addCommonOptions, configFromOptions, type CommonOptions } from '../options.js'
import { openStore } from '../runtime.js'

interface SqlOptions extends CommonOptions {
  format: OutputFormat
  write?: boolean
}

export function sqlCommand(): Command {
  return addCommonOptions(
    new Command('sql')
      .description(
        'run one statement against the configured ClickHouse (the embedded database by default) and print the result; read-only unless --write',
      )
      .argument('<query>', 'SQL; the default database is the configured one (abuse)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .addOption(
        new Option(
          '--write',
          'allow statements that change data or schema (INSERT, ALTER, DROP, TRUNCATE...), with the full rights of the configured ClickHouse user',
        ),
      )
      .addHelpText(
        'after',
        '\nRead-only by default: ClickHouse runs the statement with readonly = 1, so writes, DDL, SETTINGS and table functions that\n' +
          'reach files, URLs or other servers are refused (exit 2), and so are file() and INTO OUTFILE. The data directory\n' +
          '(--data-dir) must hold a database already: sql never creates one.\n' +
          '\nExamples:\n  abuse-radar sql "SELECT sum(created) FROM message_stats_1m"\n  abuse-radar sql "SHOW TABLES" --format csv\n' +
          '  abuse-radar sql --write "OPTIMIZE TABLE campaigns FINAL"',
      ),
  ).action(async (query: string, options: SqlOptions) => {
    const config = configFromOptions(options)
    const readOnly = options.write !== true
    const { store, close } = await openStore(config, undefined, { useDatabase: true, createIfMissing: false, readOnly })
    try {
      const statement = query.trim().replace(/;\s*$/, '')
      const shape = await statementShape(store, statement)
      const refused = readOnly ? localFileAccess(shape) : null
      if (refused) throw new AbuseRadarError('AR_USAGE', `sql: ${refused} is refused: sql never reads or writes local files`)
      if (returnsRows(shape)) process.stdout.write(formatRows(await store.select<Record<string, unknown>>(statement), options.format))
      else await store.command(statement)
    } catch (error) {
      throw asUsageError(error)
    } finally {
      await close()
    }
  })
}

/** A ClickHouse error that blames the statement is the user's to fix (exit 2); anything else keeps its code. */
export function asUsageError(error: unknown): unknown {
  if (!isStatementRejection(error)) return error
  const hint = clickHouseErrorCode(error) === READONLY_ERROR_CODE ? ' (sql is read-only; add --write to change data)' : ''
  return new AbuseRadarError('AR_USAGE', `sql: ${(error as Error).message.trimEnd()}${hint}`, { cause: error })
}

/**
 * The statement as ClickHouse reads it: formatQuery accepts exactly one statement (a second one,
 * which the embedded engine would otherwise run too, is a syntax error) and prints it in canonical
 * form, without comments and with one way to quote; normalizeQuery then replaces every literal by
 * `?`. So a string such as 'file(' cannot match below, and a quoted `file` cannot hide.
 */
async function statementShape(store: ClickHouseStore, statement: string): Promise<string> {
  const [parsed] = await store.select<{ shape: string }>('SELECT normalizeQuery(formatQuery({statement:String})) AS shape', { statement })
  return parsed?.shape ?? ''
}

/** Statements that answer with rows; the others (INSERT, ALTER, DROP...) run as commands, whose text must not get a FORMAT appended. */
export function returnsRows(shape: string): boolean {
  return /^\s*(\(|SELECT\b|WITH\b|SHOW\b|DESCRIBE\b|DESC\b|EXPLAIN\b|EXISTS\b)/i.test(shape)
}

/** What a statement in normalized form (literals replaced by `?`) does with local files: calls `file` (the function, the table function or the engine) or writes INTO OUTFILE; null when neither. */
export function localFileAccess(shape: string): string | null {
  if (/(?<![\w`])file\(/i.test(shape)) return 'the function file()'
  if (/\bINTO OUTFILE\b/i.test(shape)) return 'INTO OUTFILE'
  return null
}
