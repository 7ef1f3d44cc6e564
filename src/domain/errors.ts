/**
 * Every failure abuse-radar reports, in four families (see docs/errors.md):
 * - bad data: a dead letter with one of DEAD_LETTER_REASONS, never an exception;
 * - input: a file or option the operator gave is invalid; the process exits 2 before it opens anything;
 * - infrastructure: something we depend on (Kafka, ClickHouse) failed: retried when `retryable`;
 * - fatal / programming: the process ends with exit code 1.
 * Each thrown error carries one code of ERROR_CODES: the closed list operators, alerts and tests key on.
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
  'ts_in_future', // `ts` is later than processing time + pipeline.max_future_skew_seconds (or than a DateTime can hold)
  'ts_too_old', // `ts` is older than privacy.aggregate_ttl_days before processing time: its aggregates would be deleted at once
] as const
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number]

export interface DeadLetter {
  reason: DeadLetterReason
  /** Which field and what was wrong, for humans; never carries message text. */
  detail: string
}

export type ErrorFamily = 'input' | 'infrastructure' | 'fatal' | 'programming'

export interface ErrorCodeSpec {
  family: ErrorFamily
  /** what went wrong, for the operator */
  description: string
  /** true: the same operation may succeed later (the pipeline retries it with backoff) */
  retryable: boolean
  /** the process's exit code when this error ends it: 2 for invalid input, 1 for failures at run time */
  exitCode: 1 | 2
  /** what the operator does about it */
  action: string
}

/**
 * The closed list of error codes. A code is never reused for another meaning nor removed
 * (test/fixtures/error-codes.txt holds every code ever issued); docs/errors.md is generated from it.
 */
export const ERROR_CODES = {
  AR_USAGE: {
    family: 'input',
    description: 'the command line is wrong: a missing, conflicting or malformed option or argument',
    retryable: false,
    exitCode: 2,
    action: 'fix the command line; `abuse-radar COMMAND --help` lists the options',
  },
  AR_CONFIG_INVALID: {
    family: 'input',
    description:
      'the configuration (config files, ABUSE_RADAR__ variables, command-line overrides, secrets) is invalid; every problem is listed',
    retryable: false,
    exitCode: 2,
    action: 'fix each listed key; `abuse-radar config print` shows the effective configuration and where each value came from',
  },
  AR_RULES_INVALID: {
    family: 'input',
    description: 'the spam rules file (scoring.rules_file, config/rules.yaml) cannot be read or is invalid; every problem is listed',
    retryable: false,
    exitCode: 2,
    action: 'fix the listed places in the rules file (or point scoring.rules_file at a valid one)',
  },
  AR_PROTECTED_NAMES_INVALID: {
    family: 'input',
    description: 'the protected-names file (channels.protected_names_file) cannot be read or is invalid; every problem is listed',
    retryable: false,
    exitCode: 2,
    action: 'fix the listed entries of the protected-names file',
  },
  AR_INPUT_NOT_FOUND: {
    family: 'input',
    description: 'a data file named on the command line (run --input, eval --data / --channels) does not exist or cannot be read',
    retryable: false,
    exitCode: 2,
    action: 'check the path and its permissions',
  },
  AR_INPUT_INVALID: {
    family: 'input',
    description: 'a data file named on the command line is malformed (eval data: a line that is not a JSON object, a missing label)',
    retryable: false,
    exitCode: 2,
    action: 'fix the file at the line named in the message',
  },
  AR_CLICKHOUSE_UNAVAILABLE: {
    family: 'infrastructure',
    description: 'ClickHouse could not be reached or was overloaded (network error, timeout, too many parts or queries)',
    retryable: true,
    exitCode: 1,
    action:
      'none while it is retried (consumption pauses, nothing is lost); if it lasts, check the server, the network and abuse_sink_retries_total',
  },
  AR_CLICKHOUSE_REFUSED: {
    family: 'infrastructure',
    description: 'ClickHouse refused a statement for a reason retrying cannot fix (authentication, a wrong schema, a missing table)',
    retryable: false,
    exitCode: 1,
    action: 'read the ClickHouse error in the message: check credentials, grants and the schema (migrations), then restart',
  },
  AR_CLICKHOUSE_ROWS_REJECTED: {
    family: 'infrastructure',
    description:
      'ClickHouse refused some rows of a batch for their content; those rows become dead letters (rejected_by_store), the rest is written',
    retryable: false,
    exitCode: 1,
    action: 'none: handled inside the pipeline; inspect dead_letters with reason rejected_by_store',
  },
  AR_CLICKHOUSE_ENGINE_MISSING: {
    family: 'fatal',
    description: 'no clickhouse.url is configured and the embedded engine (the optional npm package chdb) is not installed',
    retryable: false,
    exitCode: 1,
    action: 'set CLICKHOUSE_URL (or --clickhouse-url) to a server, or `npm install chdb`',
  },
  AR_KAFKA_UNAVAILABLE: {
    family: 'infrastructure',
    description: 'Kafka could not be reached, or an operation on it (fetch, commit, produce) failed in a way worth retrying',
    retryable: true,
    exitCode: 1,
    action: 'none while it is retried; if it lasts, check the brokers, the network and the consumer group',
  },
  AR_KAFKA_REFUSED: {
    family: 'infrastructure',
    description: 'Kafka refused the client for a reason retrying cannot fix (authentication, authorization, its configuration)',
    retryable: false,
    exitCode: 1,
    action: 'check kafka.* settings, KAFKA_SASL_PASSWORD and the ACLs of the user, then restart',
  },
  AR_OWNERSHIP_LOST: {
    family: 'infrastructure',
    description:
      'this instance no longer owns the partitions of a batch (a rebalance happened during the write); its offsets are not committed',
    retryable: false,
    exitCode: 1,
    action: "none: the partitions' new owner consumes those records again and the idempotent writes absorb the repeat",
  },
  AR_COMMIT_REFUSED: {
    family: 'infrastructure',
    description: 'Kafka refused the offset commit because the group moved on (unknown member, stale generation, rebalance in progress)',
    retryable: false,
    exitCode: 1,
    action: 'none: the records are consumed again after the rebalance; frequent ones call for longer session or rebalance timeouts',
  },
  AR_DSA_API_UNAVAILABLE: {
    family: 'infrastructure',
    description:
      'the DSA Transparency Database could not be reached or asked to wait (network error, timeout, HTTP 429 or 5xx) on every try of a submission',
    retryable: true,
    exitCode: 1,
    action: 'run `report dsa --submit` again later: statements already accepted are recorded (dsa_submissions) and not sent twice',
  },
  AR_DSA_API_REFUSED: {
    family: 'infrastructure',
    description:
      'the DSA Transparency Database refused a submission for a reason retrying cannot fix (HTTP 401/403 or another 4xx, or statements it found invalid)',
    retryable: false,
    exitCode: 1,
    action:
      'check ABUSE_RADAR_DSA_TOKEN and submission.endpoint of the DSA mapping; for refused statements, the message lists their puids and the fields the database named',
  },
  AR_INTERNAL: {
    family: 'programming',
    description: 'an internal invariant does not hold: a defect in abuse-radar, not in its input or its environment',
    retryable: false,
    exitCode: 1,
    action: 'report it with the message and the log; restarting resumes from the last commit',
  },
} as const satisfies Record<string, ErrorCodeSpec>

export type ErrorCode = keyof typeof ERROR_CODES

/** The table of docs/errors.md, generated from the catalogue (test/unit/domain/errors.test.ts keeps the two equal). */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, spec]) =>
      `| \`${code}\` | ${spec.family} | ${spec.description} | ${spec.retryable ? 'yes' : 'no'} | ${spec.exitCode} | ${spec.action} |`,
  )
  return ['| code | family | meaning | retryable | exit code | what the operator does |', '|---|---|---|---|---|---|', ...rows].join('\n')
}

/** The base of every error abuse-radar throws on purpose: its code says what the caller and the operator do. */
export class AbuseRadarError extends Error {
  readonly retryable: boolean

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AbuseRadarError'
    this.retryable = ERROR_CODES[code].retryable
  }
}

/** The exit code of a process ended by `error`: the catalogue's for a coded error, 1 for anything else. */
export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof AbuseRadarError ? ERROR_CODES[error.code].exitCode : 1
}

/** An input the operator gave is invalid; the message lists every problem, not only the first. */
export class InvalidInputError extends AbuseRadarError {
  constructor(
    code: ErrorCode,
    what: string,
    readonly problems: readonly string[],
  ) {
    super(code, `${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'InvalidInputError'
  }
}

export class ConfigError extends InvalidInputError {
  constructor(problems: readonly string[]) {
    super('AR_CONFIG_INVALID', 'invalid configuration', problems)
    this.name = 'ConfigError'
  }
}

export class RulesError extends InvalidInputError {
  constructor(
    readonly source: string,
    problems: readonly string[],
  ) {
    super('AR_RULES_INVALID', `invalid spam rules ${source}`, problems)
    this.name = 'RulesError'
  }
}

export class ProtectedNamesError extends InvalidInputError {
  constructor(
    readonly source: string,
    problems: readonly string[],
  ) {
    super('AR_PROTECTED_NAMES_INVALID', `invalid protected names ${source}`, problems)
    this.name = 'ProtectedNamesError'
  }
}

type InfrastructureCode =
  | 'AR_CLICKHOUSE_UNAVAILABLE'
  | 'AR_CLICKHOUSE_REFUSED'
  | 'AR_CLICKHOUSE_ROWS_REJECTED'
  | 'AR_CLICKHOUSE_ENGINE_MISSING'
  | 'AR_KAFKA_UNAVAILABLE'
  | 'AR_KAFKA_REFUSED'

const INFRASTRUCTURE_CODES: Record<'kafka' | 'clickhouse', { retryable: InfrastructureCode; refused: InfrastructureCode }> = {
  clickhouse: { retryable: 'AR_CLICKHOUSE_UNAVAILABLE', refused: 'AR_CLICKHOUSE_REFUSED' },
  kafka: { retryable: 'AR_KAFKA_UNAVAILABLE', refused: 'AR_KAFKA_REFUSED' },
}

/**
 * A failure of something we depend on (Kafka, ClickHouse), as opposed to bad data. Its code follows
 * from the component and whether a retry can help, unless the thrower names a more precise one.
 */
export class InfrastructureError extends AbuseRadarError {
  constructor(
    message: string,
    readonly component: 'kafka' | 'clickhouse',
    retryable: boolean,
    options?: { cause?: unknown; code?: InfrastructureCode },
  ) {
    const codes = INFRASTRUCTURE_CODES[component]
    super(options?.code ?? (retryable ? codes.retryable : codes.refused), message, options)
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
    super(message, 'clickhouse', false, { ...options, code: 'AR_CLICKHOUSE_ROWS_REJECTED' })
    this.name = 'RejectedRowsError'
  }
}

/** `text` with the credentials of every URL in it masked (`http://user:pw@host` → `http://***@host`): messages never carry secrets. */
export function redactUrlCredentials(text: string): string {
  // greedy up to the last @ before the path: a password may itself contain an unencoded @
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/]*@/gi, '$1***@')
}
