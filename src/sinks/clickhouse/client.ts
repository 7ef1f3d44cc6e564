/**
 * The one place that creates a @clickhouse/client: over HTTP(S) to a server when a URL is configured,
 * otherwise in-process through chdb's Connection (an optional dependency, loaded only then). Every
 * layer above sees the same ClickHouseClient API and the same SQL.
 */
import { createClient, ClickHouseError, type ClickHouseClient } from '@clickhouse/client'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { InfrastructureError } from '../../domain/errors.js'

export interface ClickHouseTarget {
  url: string
  /** Default database for unqualified table names (created if missing); null: none. */
  database: string | null
  username: string
  password: string | null
  dataDir: string
  requestTimeoutMs: number
  applicationName: string
}

export type ClickHouseMode = 'server' | 'embedded'

export async function openClickHouse(
  target: ClickHouseTarget,
): Promise<{ client: ClickHouseClient; mode: ClickHouseMode; location: string }> {
  if (target.url) {
    const serverClient = (database?: string) =>
      createClient({
        url: target.url,
        username: target.username,
        password: target.password ?? '',
        request_timeout: target.requestTimeoutMs,
        application: target.applicationName,
        compression: { request: true, response: true },
        clickhouse_settings: { date_time_input_format: 'best_effort' },
        ...(database ? { database } : {}),
      })
    if (!target.database) return { client: serverClient(), mode: 'server', location: redactUrl(target.url) }
    // The HTTP interface takes the default database per request: create it first, then bind to it.
    const bootstrap = serverClient()
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${target.database}` }).finally(() => bootstrap.close())
    return { client: serverClient(target.database), mode: 'server', location: redactUrl(target.url) }
  }
  const location = path.resolve(target.dataDir, 'clickhouse')
  mkdirSync(location, { recursive: true })
  let chdb: { createChdbConnection(options: { path: string }): unknown }
  try {
    // A variable specifier keeps the optional package out of the type check and the production build.
    const specifier = 'chdb/connection'
    chdb = (await import(specifier)) as typeof chdb
  } catch (error) {
    throw new InfrastructureError(
      'no clickhouse.url is configured and the embedded engine (npm package chdb) is not installed; set CLICKHOUSE_URL or `npm install chdb`',
      'clickhouse',
      false,
      { cause: error, code: 'AR_CLICKHOUSE_ENGINE_MISSING' },
    )
  }
  // chdb implements @clickhouse/client-common's Connection; the two packages resolve that type separately.
  const connection = chdb.createChdbConnection({ path: location }) as NonNullable<Parameters<typeof createClient>[0]>['connection']
  const client = createClient({ connection, clickhouse_settings: { date_time_input_format: 'best_effort' } })
  if (target.database) {
    // The embedded engine keeps one session per process, so USE holds for the following queries.
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${target.database}` })
    await client.command({ query: `USE ${target.database}` })
  }
  return { client, mode: 'embedded', location }
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

/** Error codes that a retry cannot fix: the statement is wrong (see also DATA_REJECTION_CODES). */
const NON_RETRYABLE_CODES = new Set([
  '36', // BAD_ARGUMENTS
  '43', // ILLEGAL_TYPE_OF_ARGUMENT
  '44', // ILLEGAL_COLUMN
  '47', // UNKNOWN_IDENTIFIER
  '53', // TYPE_MISMATCH
  '60', // UNKNOWN_TABLE
  '62', // SYNTAX_ERROR
  '81', // UNKNOWN_DATABASE
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

/** True when ClickHouse refused an insert for the content of its rows. */
export function isDataRejection(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && DATA_REJECTION_CODES.has(e.code)) return true
    e = e.cause as typeof e
  }
  return false
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
