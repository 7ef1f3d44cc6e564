/**
 * The one place that creates a @clickhouse/client: over HTTP(S) to a server when a URL is configured,
 * otherwise in-process through chdb's Connection (an optional dependency, loaded only then). Every
 * layer above sees the same ClickHouseClient API and the same SQL.
 */
import { createClient, ClickHouseError, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { ConfigError, InfrastructureError } from '../../domain/errors.js'
import { deprioritizeEngineThreads } from './engine-priority.js'
import { dropOrphanDeduplicationRecords, type OrphanRecord } from './orphan-dedup-records.js'

export interface ClickHouseTarget {
  url: string
  /** Default database for unqualified table names (created if missing); null: none. */
  database: string | null
  username: string
  password: string | null
  dataDir: string
  requestTimeoutMs: number
  applicationName: string
  /** false: refuse a missing embedded data directory or database instead of creating it (commands that only read). Default true. */
  createIfMissing?: boolean
  /** Every statement runs with ClickHouse's `readonly = 1`: no writes, no DDL, no setting changes, no table functions that reach files, URLs or other servers. */
  readOnly?: boolean
}

/**
 * The settings of a read-only client. The embedded engine applies settings as SET statements, in
 * order, and keeps them for the session: the ones the store's queries send (ClickHouseStore.select)
 * come first, with the values they send, so that repeating them later changes nothing, and
 * `readonly` comes last, after which no setting can change.
 */
/**
 * The client's own logger is off: it prints failures with their stack to stderr, and every failure
 * reaches us as a thrown error anyway, which the caller logs or prints as one line.
 */
const CLIENT_LOG = { level: ClickHouseLogLevel.OFF }

const READ_ONLY_SETTINGS: ClickHouseSettings = {
  date_time_input_format: 'best_effort',
  output_format_json_quote_64bit_integers: 1,
  readonly: '1',
}

export type ClickHouseMode = 'server' | 'embedded'

const settingsOf = (target: ClickHouseTarget): ClickHouseSettings =>
  target.readOnly ? READ_ONLY_SETTINGS : { date_time_input_format: 'best_effort' }

/** A client of the server at `target.url`, bound to `database` when given. */
function serverClient(target: ClickHouseTarget, database?: string): ClickHouseClient {
  return createClient({
    ...withoutUrlCredentials(target),
    request_timeout: target.requestTimeoutMs,
    application: target.applicationName,
    compression: { request: true, response: true },
    clickhouse_settings: settingsOf(target),
    log: CLIENT_LOG,
    ...(database ? { database } : {}),
  })
}

/** The embedded engine's module (loading it starts no engine: that happens with the first connection). */
async function loadEmbeddedEngine(): Promise<{ createChdbConnection(options: { path: string }): unknown }> {
  try {
    // A variable specifier keeps the optional package out of the type check and the production build.
    const specifier = 'chdb/connection'
    return (await import(specifier)) as { createChdbConnection(options: { path: string }): unknown }
  } catch (error) {
    throw new InfrastructureError(
      'no clickhouse.url is configured and the embedded engine (npm package chdb) is not installed; set CLICKHOUSE_URL or `npm install chdb`',
      'clickhouse',
      false,
      { cause: error, code: 'AR_CLICKHOUSE_ENGINE_MISSING' },
    )
  }
}

/**
 * What opening `target` would fail on first, found without creating anything or starting the
 * embedded engine: a server that does not answer its ping, or an embedded engine not installed.
 * `run` asks before it checks its Kafka topics and opens the store: a start that fails there has
 * then created nothing, and the embedded engine's teardown at exit, which can hang a process that
 * started it moments before (docs/limits.md), is never reached.
 */
export async function probeClickHouse(target: ClickHouseTarget): Promise<void> {
  if (!target.url) {
    await loadEmbeddedEngine()
    return
  }
  const client = serverClient(target)
  try {
    const answer = await client.ping()
    if (!answer.success) throw toInfrastructureError(answer.error, 'ping')
  } finally {
    await client.close()
  }
}

export interface OpenedClickHouse {
  client: ClickHouseClient
  mode: ClickHouseMode
  location: string
  /** Embedded engine, opened by a writer (createIfMissing): insert tokens a crash left without their part, dropped before it started (./orphan-dedup-records.ts). */
  orphanTokens: OrphanRecord[]
}

export async function openClickHouse(target: ClickHouseTarget): Promise<OpenedClickHouse> {
  const create = target.createIfMissing ?? true
  if (target.url) {
    if (!target.database) return { client: serverClient(target), mode: 'server', location: redactUrl(target.url), orphanTokens: [] }
    if (create) {
      // The HTTP interface takes the default database per request: create it first, then bind to it.
      const bootstrap = serverClient(target)
      await bootstrap
        .command({ query: `CREATE DATABASE IF NOT EXISTS ${target.database}` })
        .catch((error: unknown) => {
          throw toInfrastructureError(error, 'create database')
        })
        .finally(() => bootstrap.close())
    }
    return { client: serverClient(target, target.database), mode: 'server', location: redactUrl(target.url), orphanTokens: [] }
  }
  const location = path.resolve(target.dataDir, 'clickhouse')
  if (create) mkdirSync(location, { recursive: true })
  else if (!existsSync(location))
    // A mistyped path must not become a new, empty database that every query then reads as "no data".
    throw new ConfigError([
      `clickhouse.data_dir: ${path.resolve(target.dataDir)} holds no embedded database (no ${location}); only \`run\` and \`demo\` create one`,
    ])
  const chdb = await loadEmbeddedEngine()
  // A writer (a start that may create the database) is the data directory's one process (the engine
  // allows no other), so it may repair the engine's files before the engine reads them, and logs
  // what it dropped. A reader (report, dsa, sql, a backtest's production store) inserts nothing, so
  // a token without its part cannot drop anything of its: it leaves the files to the next writer.
  const orphanTokens = target.readOnly || !create ? [] : dropOrphanDeduplicationRecords(location)
  // chdb implements @clickhouse/client-common's Connection; the two packages resolve that type separately.
  const connection = chdb.createChdbConnection({ path: location }) as NonNullable<Parameters<typeof createClient>[0]>['connection']
  const client = createClient({ connection, clickhouse_settings: settingsOf(target), log: CLIENT_LOG })
  deprioritizeEngineThreads()
  if (target.database) {
    try {
      if (create) await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${target.database}` })
      // The embedded engine keeps one session per process, so USE holds for the following queries.
      await client.command({ query: `USE ${target.database}` })
    } catch (error) {
      await client.close()
      throw toInfrastructureError(error, `database ${target.database}`)
    }
  }
  return { client, mode: 'embedded', location, orphanTokens }
}

/**
 * Credentials written into the URL (`http://user:pw@host`) move to the client's options, where they
 * take precedence as they would in the URL: the client prints a warning line for each one it finds
 * in the URL, on every start.
 */
function withoutUrlCredentials(target: ClickHouseTarget): { url: string; username: string; password: string } {
  const fallback = { url: target.url, username: target.username, password: target.password ?? '' }
  let parsed: URL
  try {
    parsed = new URL(target.url)
  } catch {
    return fallback
  }
  const username = decodeURIComponent(parsed.username) || fallback.username
  const password = decodeURIComponent(parsed.password) || fallback.password
  parsed.username = ''
  parsed.password = ''
  return { url: parsed.toString(), username, password }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = 'redacted'
    return parsed.toString()
  } catch {
    return '(unparseable url)'
  }
}

/** Error codes that blame the statement itself: wrong SQL, unknown names, or not allowed in readonly mode. */
const STATEMENT_ERROR_CODES = new Set([
  '16', // NO_SUCH_COLUMN_IN_TABLE
  '36', // BAD_ARGUMENTS
  '42', // NUMBER_OF_ARGUMENTS_DOESNT_MATCH
  '43', // ILLEGAL_TYPE_OF_ARGUMENT
  '44', // ILLEGAL_COLUMN
  '46', // UNKNOWN_FUNCTION
  '47', // UNKNOWN_IDENTIFIER
  '53', // TYPE_MISMATCH
  '60', // UNKNOWN_TABLE
  '62', // SYNTAX_ERROR
  '81', // UNKNOWN_DATABASE
  '115', // UNKNOWN_SETTING
  '164', // READONLY
  '184', // ILLEGAL_AGGREGATION
  '215', // NOT_AN_AGGREGATE
  '352', // AMBIGUOUS_COLUMN_NAME
  '564', // INTO_OUTFILE_NOT_ALLOWED
])

/** ClickHouse's code for a statement refused in readonly mode. */
export const READONLY_ERROR_CODE = '164'

/** Error codes that a retry cannot fix: the statement or the credentials are wrong (see also DATA_REJECTION_CODES). */
const NON_RETRYABLE_CODES = new Set([
  ...STATEMENT_ERROR_CODES,
  '497', // ACCESS_DENIED
  '516', // AUTHENTICATION_FAILED
])

/**
 * Error codes that blame the inserted data itself (a value that cannot be parsed or stored), as
 * opposed to the statement or the server: the rows are to be set aside, not retried.
 */
const DATA_REJECTION_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '131', // TOO_LARGE_STRING_SIZE
  '349', // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
])

/** ClickHouse's numeric error code of `error` or of one of its causes; null when ClickHouse did not answer with one. */
export function clickHouseErrorCode(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && /^\d+$/.test(e.code)) return e.code
    e = e.cause as typeof e
  }
  return null
}

/** True when ClickHouse refused an insert for the content of its rows. */
export function isDataRejection(error: unknown): boolean {
  const code = clickHouseErrorCode(error)
  return code !== null && DATA_REJECTION_CODES.has(code)
}

/** True when ClickHouse refused a statement for what it says (see STATEMENT_ERROR_CODES), not for the server's state or the credentials. */
export function isStatementRejection(error: unknown): boolean {
  const code = clickHouseErrorCode(error)
  return code !== null && STATEMENT_ERROR_CODES.has(code)
}

/** Classifies anything the client threw as a typed infrastructure error. */
export function toInfrastructureError(error: unknown, what: string): InfrastructureError {
  if (error instanceof InfrastructureError) return error
  // By shape, not by class: the embedded engine brings its own copy of ClickHouseError.
  const code = error instanceof ClickHouseError ? error.code : (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^\d+$/.test(code)) {
    const message = error instanceof Error ? error.message : String(error)
    return new InfrastructureError(
      `${what}: ClickHouse error ${code}: ${firstLine(message)}`,
      'clickhouse',
      !NON_RETRYABLE_CODES.has(code) && !DATA_REJECTION_CODES.has(code),
      {
        cause: error,
      },
    )
  }
  const message = error instanceof Error ? error.message : String(error)
  // Network errors, timeouts and anything unknown are worth retrying: backoff bounds the cost.
  return new InfrastructureError(`${what}: ${firstLine(message)}`, 'clickhouse', true, { cause: error })
}

const firstLine = (s: string) => (s.split('\n')[0] ?? '').slice(0, 500)
