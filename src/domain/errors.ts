/**
 * The three families of failure (see README "Errors"):
 * - bad data: a dead letter with one of these reason codes, never an exception;
 * - infrastructure: an InfrastructureError, retryable or not, that causes backpressure and retry;
 * - fatal: anything else ends the process with a message and a non-zero exit code.
 */
export const DEAD_LETTER_REASONS = [
  'too_large', // the record is larger than pipeline.max_record_bytes
  'invalid_utf8', // the bytes are not valid UTF-8
  'not_json', // not parseable as JSON
  'not_object', // valid JSON but not an object
  'missing_schema', // an object without a string `schema` field
  'unknown_schema', // a `schema` this version does not know
  'missing_field', // a required field is absent
  'wrong_type', // a field has the wrong type or an unknown enum value
  'invalid_ts', // `ts` (or sender.created_ts) is not a time
  'empty_record', // a record with no value (tombstone)
  'rejected_by_store', // valid here, but ClickHouse refused its row (the payload is the row, as JSON)
] as const
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number]

export interface DeadLetter {
  reason: DeadLetterReason
  /** Which field and what was wrong, for humans; never carries message text. */
  detail: string
}

/** A failure of something we depend on (Kafka, ClickHouse), as opposed to bad data. */
export class InfrastructureError extends Error {
  constructor(
    message: string,
    readonly component: 'kafka' | 'clickhouse' | 'http',
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'InfrastructureError'
  }
}

/**
 * ClickHouse refused the rows of one facts table for their content (a value it cannot parse or
 * store), not for its availability: retrying the same rows cannot succeed. The processor sets the
 * offending rows aside as dead letters and writes the rest (see Processor).
 */
export class RejectedRowsError extends InfrastructureError {
  constructor(
    message: string,
    /** the BatchOutput list whose rows were refused */
    readonly output: 'messages' | 'moderation' | 'reports' | 'deadLetters',
    options?: { cause?: unknown },
  ) {
    super(message, 'clickhouse', false, options)
    this.name = 'RejectedRowsError'
  }
}
