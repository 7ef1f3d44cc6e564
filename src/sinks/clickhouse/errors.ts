/**
 * What a ClickHouse failure of the store means for the pipeline, by the server's error code
 * (ClickHouse's src/Common/ErrorCodes.cpp) and, where one code covers two causes, its message:
 *
 * - unavailable: the server, the network or the server's load; the same statement can pass later,
 *   so it is retried with backoff. Only these codes (and failures without a ClickHouse code:
 *   connection refused, reset, timed out) are retried: anything else repeats forever.
 * - shape: the statement is refused for how the insert is cut (too many partitions in one block);
 *   the store cuts inserts so this does not happen (see ClickHouseStore.writeBatch), and a retry of
 *   the same insert is refused again.
 * - content: a value of a row cannot be parsed or stored; the rows are set aside as dead letters.
 * - refused: the statement, the schema, the credentials or the engine; retrying cannot fix it.
 */
import { InfrastructureError } from '../../domain/errors.js'
import { clickHouseErrorCode, isDataRejection } from './client.js'

export type FailureKind = 'unavailable' | 'shape' | 'content' | 'refused'

/** Codes of a server that is away, overloaded or short of a resource for now. */
const TRANSIENT_CODES = new Set([
  '3', // UNEXPECTED_END_OF_FILE (connection cut mid-answer)
  '32', // ATTEMPT_TO_READ_AFTER_EOF
  '159', // TIMEOUT_EXCEEDED
  '173', // CANNOT_ALLOCATE_MEMORY
  '198', // DNS_ERROR
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '203', // NO_FREE_CONNECTION
  '209', // SOCKET_TIMEOUT
  '210', // NETWORK_ERROR
  '225', // NO_ZOOKEEPER
  '236', // ABORTED
  '241', // MEMORY_LIMIT_EXCEEDED
  '242', // TABLE_IS_READ_ONLY (a replica lost its Keeper session)
  '243', // NOT_ENOUGH_SPACE (passes when merges or TTLs free the disk)
  '252', // TOO_MANY_PARTS: merges behind inserts (but see the partitions case below)
  '279', // ALL_CONNECTION_TRIES_FAILED
  '285', // TOO_FEW_LIVE_REPLICAS
  '286', // UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE
  '319', // UNKNOWN_STATUS_OF_INSERT
  '394', // QUERY_WAS_CANCELLED (server shutting down)
  '425', // SYSTEM_ERROR
  '439', // CANNOT_SCHEDULE_TASK
  '999', // KEEPER_EXCEPTION
  '1000', // POCO_EXCEPTION (network layer)
])

/** Code 252 is also "Too many partitions for single INSERT block": the insert's shape, not the server's load. */
const TOO_MANY_PARTITIONS = /too many partitions for single insert block/i

/**
 * Code 48 (NOT_IMPLEMENTED). The one way the store meets it: the embedded engine (clickhouse-local
 * in this process) reads a standard input that is not a terminal as more data for every INSERT,
 * and refuses inline rows plus that data ("async inserts with both inlined and external data").
 * Every insert is refused the same way until the process runs without piped input.
 */
const NOT_IMPLEMENTED = '48'
const STDIN_HINT = ' (the embedded engine reads a piped standard input as insert data: start the process with stdin from /dev/null)'

export function classifyFailure(error: unknown): { kind: FailureKind; code: string | null } {
  const code = clickHouseErrorCode(error)
  if (code === null) return { kind: 'unavailable', code }
  if (isDataRejection(error)) return { kind: 'content', code }
  if (code === '252' && TOO_MANY_PARTITIONS.test(messageOf(error))) return { kind: 'shape', code }
  return { kind: TRANSIENT_CODES.has(code) ? 'unavailable' : 'refused', code }
}

/** The store's typed error for a failed statement: retryable only when the server is unavailable. */
export function storeError(error: unknown, what: string): InfrastructureError {
  if (error instanceof InfrastructureError) return error
  const { kind, code } = classifyFailure(error)
  const first = (messageOf(error).split('\n')[0] ?? '').slice(0, 500)
  const hint = code === NOT_IMPLEMENTED ? STDIN_HINT : ''
  const message = code === null ? `${what}: ${first}` : `${what}: ClickHouse error ${code}: ${first}${hint}`
  return new InfrastructureError(message, 'clickhouse', kind === 'unavailable', { cause: error })
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))
