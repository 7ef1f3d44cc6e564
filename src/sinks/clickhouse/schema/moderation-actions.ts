import { MODERATION_DIMENSIONS, SOURCE_COLUMNS, dedupSettings, engine, localName, onCluster, table, type Migration } from './ddl.js'

/**
 * One row per moderation event, kept for the row TTL. The per-minute aggregates answer "how many";
 * statements of reasons (one per restricting action), a rule's measured precision (the decision that
 * followed a flagged message) and time to act need the single action: which message, which report,
 * when. Filled by a view from moderation_facts, so the batch's one insert and its token still carry it.
 */
export const m10: Migration = {
  version: 10,
  name: 'moderation actions, one row per event',
  statements: (o) => [
    ...table(
      o,
      'moderation_actions',
      'One row per moderation event (never text; target user and private chat ids pseudonymous). Join on (chat_id, message_id) with message_fingerprints to see what the pipeline knew of the message acted on. Per-record: TTL applies.',
      `(${SOURCE_COLUMNS.replace(/^\n/, '')},
    ${MODERATION_DIMENSIONS},
    chat_id String COMMENT 'chat acted on (a private chat as its pseudonym)',
    message_id String COMMENT 'message acted on; empty for chat and user actions',
    user String COMMENT 'pseudonymous target user; empty when none',
    report_id String COMMENT 'the report that led to it; empty when none'
) ENGINE = ${engine(o, 'MergeTree', 'moderation_actions')}
PARTITION BY toYYYYMM(ts)
ORDER BY (chat_id, message_id, ts, event_id)
TTL toDateTime(ts) + INTERVAL ${o.rowTtlDays} DAY
${dedupSettings(o)}`,
    ),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${o.database}.moderation_actions_mv${onCluster(o)} TO ${o.database}.${localName(o, 'moderation_actions')} AS
SELECT source_topic, source_partition, source_offset, event_id, event_key, ts, action, category, source, country, chat_id, message_id, user, report_id
FROM ${o.database}.moderation_facts`,
  ],
}
