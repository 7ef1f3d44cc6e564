/**
 * The configuration contract. `config/default.yaml` holds every key with its default; this schema
 * validates the merged result (file + environment) and gives the `Config` type. Unknown keys are
 * rejected everywhere (`additionalProperties: false`) so a typo fails at start instead of being ignored.
 */
import { Type, type Static } from '@sinclair/typebox'

const Strict = { additionalProperties: false } as const
const PositiveInt = Type.Integer({ minimum: 1 })
const NonNegativeInt = Type.Integer({ minimum: 0 })
const Name = Type.String({ minLength: 1 })

export const ConfigSchema = Type.Object(
  {
    kafka: Type.Object(
      {
        brokers: Type.Array(Type.String({ pattern: '^[^\\s:]+:\\d+$' }), { minItems: 1 }),
        client_id: Name,
        group_id: Name,
        topics: Type.Object({ messages: Name, moderation: Name, reports: Name, campaign_exchange: Name }, Strict),
        from_beginning: Type.Boolean(),
        ssl: Type.Boolean(),
        sasl: Type.Object(
          {
            mechanism: Type.Union([
              Type.Literal('none'),
              Type.Literal('plain'),
              Type.Literal('scram-sha-256'),
              Type.Literal('scram-sha-512'),
            ]),
            username: Type.String(),
          },
          Strict,
        ),
        session_timeout_ms: Type.Integer({ minimum: 6000 }),
        rebalance_timeout_ms: Type.Integer({ minimum: 6000 }),
        heartbeat_interval_ms: Type.Integer({ minimum: 100 }),
        max_bytes_per_partition: PositiveInt,
        max_bytes: PositiveInt,
        max_wait_ms: Type.Integer({ minimum: 10, maximum: 30000 }),
        partitions_consumed_concurrently: PositiveInt,
        metadata_max_age_ms: Type.Integer({ minimum: 1000 }),
        lag_poll_interval_ms: Type.Integer({ minimum: 100 }),
      },
      Strict,
    ),
    clickhouse: Type.Object(
      {
        url: Type.String(),
        database: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
        username: Name,
        data_dir: Name,
        request_timeout_ms: PositiveInt,
        cluster: Type.String({ pattern: '^([A-Za-z_][A-Za-z0-9_]*)?$' }),
        deduplication_window: Type.Integer({ minimum: 100 }),
        insert_retry: Type.Object({ initial_backoff_ms: PositiveInt, max_backoff_ms: PositiveInt }, Strict),
      },
      Strict,
    ),
    pipeline: Type.Object(
      {
        flush_interval_ms: Type.Integer({ minimum: 10 }),
        flush_min_records: PositiveInt,
        flush_max_interval_ms: Type.Integer({ minimum: 10 }),
        flush_max_records: PositiveInt,
        max_buffered_records: PositiveInt,
        max_record_bytes: Type.Integer({ minimum: 1024 }),
        dedup_horizon_hours: Type.Number({ exclusiveMinimum: 0 }),
        dead_letter_prefix_bytes: Type.Integer({ minimum: 0, maximum: 65536 }),
        max_future_skew_seconds: NonNegativeInt,
        shutdown_grace_ms: Type.Integer({ minimum: 100 }),
        unready_after_failing_seconds: Type.Integer({ minimum: 1 }),
        heap_growing_percent: Type.Integer({ minimum: 5, maximum: 400 }),
        fingerprint_workers: Type.Integer({ minimum: 0, maximum: 64 }),
      },
      Strict,
    ),
    privacy: Type.Object({ sample_min_chats: PositiveInt, row_ttl_days: PositiveInt, aggregate_ttl_days: PositiveInt }, Strict),
    campaigns: Type.Object(
      {
        window_hours: Type.Number({ exclusiveMinimum: 0 }),
        max_entries: PositiveInt,
        min_messages: Type.Integer({ minimum: 2 }),
        scale_out: Type.Union([Type.Literal('merge'), Type.Literal('exchange')]),
        merge_interval_seconds: PositiveInt,
        merge_min_similarity: Type.Number({ minimum: 0.25, maximum: 1 }),
        exchange_lookback_seconds: NonNegativeInt,
      },
      Strict,
    ),
    scoring: Type.Object(
      {
        rules_file: Name,
        /** a moderation decision on a flagged message counts for the rule's outcome until this long after the message's latest version */
        outcome_window_hours: Type.Integer({ minimum: 1, maximum: 24 * 366 }),
      },
      Strict,
    ),
    channels: Type.Object(
      {
        window_hours: Type.Number({ exclusiveMinimum: 0 }),
        max_chats: PositiveInt,
        protected_names_file: Name,
        write_interval_ms: Type.Integer({ minimum: 100 }),
      },
      Strict,
    ),
    reports: Type.Object({ urgent_target_minutes: PositiveInt }, Strict),
    observability: Type.Object(
      {
        http_host: Name,
        http_port: Type.Integer({ minimum: 0, maximum: 65535 }),
        log_level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
        progress_interval_ms: NonNegativeInt,
      },
      Strict,
    ),
  },
  Strict,
)

export type Settings = Static<typeof ConfigSchema>

/** Secrets are read from the environment only and never printed. */
export interface Secrets {
  pseudonymKey: string | null
  clickhousePassword: string | null
  kafkaSaslPassword: string | null
}

export const SECRET_ENV = {
  pseudonymKey: 'ABUSE_RADAR_PSEUDONYM_KEY',
  clickhousePassword: 'CLICKHOUSE_PASSWORD',
  kafkaSaslPassword: 'KAFKA_SASL_PASSWORD',
} as const satisfies Record<keyof Secrets, string>

export interface Config {
  settings: Settings
  secrets: Secrets
  /** Where each overridden key came from, for `config print`. */
  sources: Record<string, string>
}
