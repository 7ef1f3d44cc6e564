/**
 * Versioned schema migrations, applied by the processor at start (`schema_migrations` records which
 * ran). Each migration is a list of statements rendered for the configured database, TTLs and mode
 * (single node or cluster); a migration never changes once released: changes come as new versions.
 *
 * Layout: the processor inserts into three Null-engine "facts" tables (one row per accepted event)
 * and `dead_letters`. Materialized views derive every aggregate from the facts inside ClickHouse, so
 * one insert per partition batch, under one deduplication token, carries everything the batch
 * changes (see docs/exactly-once.md).
 */
import {
  SOURCE_COLUMNS,
  MODERATION_DIMENSIONS,
  commentColumns,
  dedupSettings,
  engine,
  localName,
  onCluster,
  quote,
  table,
  type Migration,
  type SchemaOptions,
} from './schema/ddl.js'
import { m10 } from './schema/moderation-actions.js'
import { m11 } from './schema/rule-outcomes.js'
import { m12 } from './schema/dsa-submissions.js'
import { m13, m14, mergeViews } from './schema/campaign-merge.js'
import { FINGERPRINTED_OR_DELETED, fingerprintsView, m15, m20 } from './schema/message-fingerprints.js'
import { TOP_LINK_DOMAINS, m16, m17, m18, m21, m22, m23 } from './schema/merge-memory.js'
import { m19 } from './schema/retention.js'

export type { Migration, SchemaOptions } from './schema/ddl.js'

const m1: Migration = {
  version: 1,
  name: 'facts, message and moderation aggregates, dead letters, seen events',
  statements: (o) => {
    const db = o.database
    const rowTtl = `TTL toDateTime(ts) + INTERVAL ${o.rowTtlDays} DAY`
    const aggTtl = `TTL minute + INTERVAL ${o.aggregateTtlDays} DAY`
    return [
      `CREATE DATABASE IF NOT EXISTS ${db}${onCluster(o)}`,
      // --- facts (Null engine: rows exist only on their way into the views below) ---
      `CREATE TABLE IF NOT EXISTS ${db}.message_facts${onCluster(o)} (${SOURCE_COLUMNS},
    type Enum8('created' = 1, 'edited' = 2, 'deleted' = 3),
    chat_id String, chat_type LowCardinality(String), chat_title String, chat_username String,
    country LowCardinality(String), lang LowCardinality(String),
    message_id String, sender String,
    spam UInt8, in_campaign UInt8, with_links UInt8, forwarded UInt8, fingerprinted UInt8,
    exact_hash String, signature String, campaign_id String,
    campaign_messages UInt32, campaign_first_seen DateTime64(3, 'UTC'), campaign_chats Array(String), campaign_senders Array(String),
    campaign_countries Array(String),
    campaign_signature Nullable(String), campaign_sample Nullable(String),
    spam_score Float32, reasons Array(LowCardinality(String)), shadow_reasons Array(LowCardinality(String)),
    obfuscation Map(LowCardinality(String), UInt16), link_domains Array(String)
) ENGINE = Null COMMENT 'processor input to the message views; holds no data'`,
      `CREATE TABLE IF NOT EXISTS ${db}.moderation_facts${onCluster(o)} (${SOURCE_COLUMNS},
    action LowCardinality(String), category LowCardinality(String), source LowCardinality(String),
    country LowCardinality(String), chat_id String, message_id String, user String, report_id String
) ENGINE = Null COMMENT 'processor input to the moderation views; holds no data'`,
      `CREATE TABLE IF NOT EXISTS ${db}.report_facts${onCluster(o)} (${SOURCE_COLUMNS},
    report_id String, reporter LowCardinality(String), reporter_org String, priority LowCardinality(String),
    category LowCardinality(String), country LowCardinality(String), chat_id String
) ENGINE = Null COMMENT 'processor input to the report views; holds no data'`,
      // --- message_stats_1m ---
      ...table(
        o,
        'message_stats_1m',
        'Messages per minute x chat x chat_type x country x lang. Read counts with sum(), senders with uniqMerge(senders), GROUP BY the dimensions you need.',
        `(
    minute DateTime('UTC') COMMENT 'start of the minute (event time, UTC)',
    chat_id String COMMENT 'chat id as in the input (string)',
    chat_type LowCardinality(String) COMMENT 'channel | group | supergroup | private | bot',
    country LowCardinality(String) COMMENT 'ISO 3166-1 alpha-2, empty when unknown',
    lang LowCardinality(String) COMMENT 'BCP 47 tag from the platform, empty when unknown',
    created SimpleAggregateFunction(sum, UInt64) COMMENT 'messages created; read with sum(created)',
    edited SimpleAggregateFunction(sum, UInt64) COMMENT 'edits; sum(edited)',
    deleted SimpleAggregateFunction(sum, UInt64) COMMENT 'deletes; sum(deleted)',
    spam SimpleAggregateFunction(sum, UInt64) COMMENT 'created or edited messages scored as spam (rules not in shadow mode); sum(spam)',
    in_campaign SimpleAggregateFunction(sum, UInt64) COMMENT 'created messages that belong to a near-duplicate campaign; sum(in_campaign)',
    with_links SimpleAggregateFunction(sum, UInt64) COMMENT 'created messages with at least one link (entities, buttons or text); sum(with_links)',
    forwarded SimpleAggregateFunction(sum, UInt64) COMMENT 'created messages that are forwards; sum(forwarded)',
    senders AggregateFunction(uniq, String) COMMENT 'distinct pseudonymous senders; read with uniqMerge(senders)'
) ENGINE = ${engine(o, 'AggregatingMergeTree', 'message_stats_1m')}
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, chat_type, country, lang, chat_id)
${aggTtl}
${dedupSettings(o)}`,
      ),
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.message_stats_1m_mv${onCluster(o)} TO ${db}.${localName(o, 'message_stats_1m')} AS
SELECT toStartOfMinute(ts) AS minute, chat_id, chat_type, country, lang,
    countIf(type = 'created') AS created, countIf(type = 'edited') AS edited, countIf(type = 'deleted') AS deleted,
    sum(spam) AS spam, sumIf(in_campaign, type = 'created') AS in_campaign,
    sumIf(with_links, type = 'created') AS with_links, sumIf(forwarded, type = 'created') AS forwarded,
    uniqStateIf(sender, type != 'deleted') AS senders
FROM ${db}.message_facts
GROUP BY minute, chat_id, chat_type, country, lang`,
      // --- moderation_stats_1m ---
      ...table(
        o,
        'moderation_stats_1m',
        'Moderation actions per minute x action x category x source x country. Read with sum(actions).',
        `(
    minute DateTime('UTC') COMMENT 'start of the minute (event time, UTC)',
    ${MODERATION_DIMENSIONS},
    actions SimpleAggregateFunction(sum, UInt64) COMMENT 'actions taken; sum(actions)'
) ENGINE = ${engine(o, 'AggregatingMergeTree', 'moderation_stats_1m')}
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, action, category, source, country)
${aggTtl}
${dedupSettings(o)}`,
      ),
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.moderation_stats_1m_mv${onCluster(o)} TO ${db}.${localName(o, 'moderation_stats_1m')} AS
SELECT toStartOfMinute(ts) AS minute, action, category, source, country, count() AS actions
FROM ${db}.moderation_facts
GROUP BY minute, action, category, source, country`,
      // --- dead_letters ---
      ...table(
        o,
        'dead_letters',
        'One row per rejected input record, with its reason code. Per-record: TTL applies.',
        `(
    topic LowCardinality(String) COMMENT 'Kafka topic (or file) of the record',
    partition UInt32 COMMENT 'partition of the record',
    offset UInt64 COMMENT 'offset of the record',
    received_at DateTime64(3, 'UTC') COMMENT 'processing time when it was rejected',
    reason LowCardinality(String) COMMENT 'reason code: too_large | invalid_utf8 | not_json | not_object | missing_schema | unknown_schema | missing_field | wrong_type | invalid_ts | empty_record',
    detail String COMMENT 'which field and what was wrong (never message text)',
    payload_prefix String COMMENT 'first bytes of the payload (bounded, see pipeline.dead_letter_prefix_bytes), invalid UTF-8 replaced',
    payload_sha256 String COMMENT 'SHA-256 of the whole payload, hex',
    payload_bytes UInt32 COMMENT 'size of the whole payload'
) ENGINE = ${engine(o, 'MergeTree', 'dead_letters')}
PARTITION BY toYYYYMMDD(received_at)
ORDER BY (topic, partition, offset)
TTL toDateTime(received_at) + INTERVAL ${o.rowTtlDays} DAY
${dedupSettings(o)}`,
      ),
      // --- seen events: what the duplicate filter is rebuilt from after a restart or rebalance ---
      ...table(
        o,
        'seen_events',
        'Internal: event ids accepted per partition, kept for pipeline.dedup_horizon_hours so redelivered events are recognised after a restart.',
        `(
    source_topic LowCardinality(String),
    source_partition UInt32,
    source_offset UInt64,
    event_key UInt64,
    seen_at DateTime('UTC') DEFAULT now()
) ENGINE = ${engine(o, 'MergeTree', 'seen_events')}
PARTITION BY toStartOfHour(seen_at)
ORDER BY (source_topic, source_partition, source_offset)
TTL seen_at + INTERVAL ${Math.ceil(o.dedupHorizonHours)} HOUR
${dedupSettings(o)}`,
      ),
      ...['message_facts', 'moderation_facts', 'report_facts'].map(
        (
          facts,
        ) => `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.seen_events_from_${facts}${onCluster(o)} TO ${db}.${localName(o, 'seen_events')} AS
SELECT source_topic, source_partition, source_offset, event_key, now() AS seen_at FROM ${db}.${facts}`,
      ),
      // --- message_fingerprints ---
      ...table(
        o,
        'message_fingerprints',
        'One row per fingerprinted message (public chats; never text). A message edited later has one row per version: take the latest by ts.',
        `(
    ts DateTime64(3, 'UTC') COMMENT 'event time of the version',
    type Enum8('created' = 1, 'edited' = 2, 'deleted' = 3) COMMENT 'which event produced the row',
    chat_id String COMMENT 'chat id',
    message_id String COMMENT 'message id within the chat',
    sender String COMMENT 'pseudonymous sender (keyed hash)',
    exact_hash String COMMENT '64-bit hash of the normalized text, hex',
    signature String COMMENT 'near-duplicate signature, hex (see README "Fingerprints")',
    campaign_id String COMMENT 'near-duplicate campaign (campaigns.campaign_id); empty if none',
    spam_score Float32 COMMENT 'spam score in [0, 1]',
    reasons Array(LowCardinality(String)) COMMENT 'spam rules that fired and count',
    shadow_reasons Array(LowCardinality(String)) COMMENT 'shadow-mode rules that fired (recorded, not counted)',
    obfuscation Map(LowCardinality(String), UInt16) COMMENT 'obfuscations the normalizer undid, count per kind',
    link_domains Array(String) COMMENT 'registrable domains linked',
    source_partition UInt32 COMMENT 'Kafka partition (restart bookkeeping)',
    source_offset UInt64 COMMENT 'Kafka offset (restart bookkeeping)'
) ENGINE = ${engine(o, 'MergeTree', 'message_fingerprints')}
PARTITION BY toYYYYMMDD(ts)
ORDER BY (chat_id, message_id, ts)
${rowTtl}
${dedupSettings(o)}`,
      ),
      fingerprintsView(o, 'fingerprinted = 1'),
    ]
  },
}

const m2: Migration = {
  version: 2,
  name: 'campaigns and campaign_stats_1m',
  statements: (o) => {
    const db = o.database
    return [
      ...table(
        o,
        'campaigns',
        'One row per near-duplicate campaign (latest state, possibly several partial rows until merged): GROUP BY campaign_id with min(first_seen), max(last_seen), sum(messages), uniqMerge(chats), uniqMerge(senders), groupUniqArrayArray(countries), topKMerge(10)(top_link_domains), max(spam_score), any(sample_text), any(signature). campaigns_latest does this for you.',
        `(
    campaign_id String COMMENT 'stable campaign id: c + the exact hash of the founding message',
    first_seen SimpleAggregateFunction(min, DateTime64(3, 'UTC')) COMMENT 'event time of the first message; min(first_seen)',
    last_seen SimpleAggregateFunction(max, DateTime64(3, 'UTC')) COMMENT 'event time of the latest message; max(last_seen)',
    messages SimpleAggregateFunction(sum, UInt64) COMMENT 'messages in the campaign (posted; deletes are not subtracted); sum(messages)',
    chats AggregateFunction(uniq, String) COMMENT 'distinct chats; uniqMerge(chats)',
    senders AggregateFunction(uniq, String) COMMENT 'distinct pseudonymous senders; uniqMerge(senders)',
    countries SimpleAggregateFunction(groupUniqArrayArray, Array(String)) COMMENT 'countries seen; groupUniqArrayArray(countries)',
    top_link_domains AggregateFunction(topKArray(10), Array(String)) COMMENT 'most linked registrable domains; topKArrayMerge(10)(top_link_domains)',
    spam_score SimpleAggregateFunction(max, Float32) COMMENT 'highest spam score of a member; max(spam_score)',
    sample_text SimpleAggregateFunction(any, Nullable(String)) COMMENT 'a member text, only once seen in privacy.sample_min_chats public chats, private data masked; any(sample_text), NULL otherwise',
    signature SimpleAggregateFunction(any, Nullable(String)) COMMENT 'near-duplicate signature of the founding message, hex (README "Fingerprints"); any(signature)'
) ENGINE = ${engine(o, 'AggregatingMergeTree', 'campaigns')}
ORDER BY campaign_id
${dedupSettings(o)}`,
      ),
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaigns_mv${onCluster(o)} TO ${db}.${localName(o, 'campaigns')} AS
SELECT campaign_id, min(campaign_first_seen) AS first_seen, max(ts) AS last_seen, sum(campaign_messages) AS messages,
    uniqArrayState(campaign_chats) AS chats, uniqArrayState(campaign_senders) AS senders,
    groupUniqArrayArray(campaign_countries) AS countries, topKArrayState(10)(link_domains) AS top_link_domains,
    max(spam_score) AS spam_score, any(campaign_sample) AS sample_text, any(campaign_signature) AS signature
FROM ${db}.message_facts WHERE campaign_messages > 0
GROUP BY campaign_id`,
      `CREATE VIEW IF NOT EXISTS ${db}.campaigns_latest${onCluster(o)} AS
SELECT campaign_id, min(first_seen) AS first_seen, max(last_seen) AS last_seen, sum(messages) AS messages,
    uniqMerge(chats) AS chats, uniqMerge(senders) AS senders, groupUniqArrayArray(countries) AS countries,
    topKArrayMerge(10)(top_link_domains) AS top_link_domains, max(spam_score) AS spam_score,
    any(sample_text) AS sample_text, any(signature) AS signature
FROM ${db}.campaigns GROUP BY campaign_id`,
      ...table(
        o,
        'campaign_stats_1m',
        'Campaign spread per minute: sum(messages), uniqMerge(chats), uniqMerge(senders) by minute and campaign_id.',
        `(
    minute DateTime('UTC') COMMENT 'start of the minute (event time, UTC)',
    campaign_id String COMMENT 'campaigns.campaign_id',
    messages SimpleAggregateFunction(sum, UInt64) COMMENT 'messages; sum(messages)',
    chats AggregateFunction(uniq, String) COMMENT 'distinct chats; uniqMerge(chats)',
    senders AggregateFunction(uniq, String) COMMENT 'distinct pseudonymous senders; uniqMerge(senders)'
) ENGINE = ${engine(o, 'AggregatingMergeTree', 'campaign_stats_1m')}
PARTITION BY toYYYYMM(minute)
ORDER BY (campaign_id, minute)
TTL minute + INTERVAL ${o.aggregateTtlDays} DAY
${dedupSettings(o)}`,
      ),
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaign_stats_1m_mv${onCluster(o)} TO ${db}.${localName(o, 'campaign_stats_1m')} AS
SELECT toStartOfMinute(ts) AS minute, campaign_id, sum(campaign_messages) AS messages,
    uniqArrayState(campaign_chats) AS chats, uniqArrayState(campaign_senders) AS senders
FROM ${db}.message_facts WHERE campaign_messages > 0
GROUP BY minute, campaign_id`,
    ]
  },
}

const m3: Migration = {
  version: 3,
  name: 'report answers',
  statements: (o) => {
    const db = o.database
    const nullDate = `CAST(NULL AS Nullable(DateTime64(3, 'UTC')))`
    return [
      ...table(
        o,
        'report_answers_state',
        'Reports and their first answer, merged from the reports and moderation topics in any order. Read report_answers instead.',
        `(
    report_id String,
    received_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    answered_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    reporter SimpleAggregateFunction(any, Nullable(String)),
    reporter_org SimpleAggregateFunction(any, Nullable(String)),
    priority SimpleAggregateFunction(any, Nullable(String)),
    category SimpleAggregateFunction(any, Nullable(String)),
    country SimpleAggregateFunction(any, Nullable(String)),
    chat_id SimpleAggregateFunction(any, Nullable(String)),
    outcome AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    answer_source AggregateFunction(argMin, String, DateTime64(3, 'UTC'))
) ENGINE = ${engine(o, 'AggregatingMergeTree', 'report_answers_state')}
ORDER BY report_id
TTL toDateTime(coalesce(received_at, answered_at, toDateTime64(0, 3, 'UTC'))) + INTERVAL ${o.aggregateTtlDays} DAY
${dedupSettings(o)}`,
      ),
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.report_answers_from_reports${onCluster(o)} TO ${db}.${localName(o, 'report_answers_state')} AS
SELECT report_id, min(toNullable(ts)) AS received_at, ${nullDate} AS answered_at, any(toNullable(reporter)) AS reporter,
    any(if(reporter_org = '', NULL, toNullable(reporter_org))) AS reporter_org, any(toNullable(priority)) AS priority,
    any(toNullable(category)) AS category, any(if(country = '', NULL, toNullable(country))) AS country,
    any(toNullable(chat_id)) AS chat_id,
    argMinStateIf('', ts, 0) AS outcome, argMinStateIf('', ts, 0) AS answer_source
FROM ${db}.report_facts GROUP BY report_id`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.report_answers_from_moderation${onCluster(o)} TO ${db}.${localName(o, 'report_answers_state')} AS
SELECT report_id, ${nullDate} AS received_at, min(toNullable(ts)) AS answered_at,
    CAST(NULL AS Nullable(String)) AS reporter, CAST(NULL AS Nullable(String)) AS reporter_org, CAST(NULL AS Nullable(String)) AS priority,
    CAST(NULL AS Nullable(String)) AS category, CAST(NULL AS Nullable(String)) AS country, CAST(NULL AS Nullable(String)) AS chat_id,
    argMinState(toString(action), ts) AS outcome, argMinState(toString(source), ts) AS answer_source
FROM ${db}.moderation_facts WHERE report_id != '' GROUP BY report_id`,
      `CREATE VIEW IF NOT EXISTS ${db}.report_answers${onCluster(o)} AS
SELECT report_id, received_at, answered_at,
    if(received_at IS NULL OR answered_at IS NULL, NULL, greatest(0, dateDiff('millisecond', received_at, answered_at)) / 1000) AS seconds_to_answer,
    reporter, reporter_org, priority, category, country, chat_id,
    if(answered_at IS NULL, NULL, outcome) AS outcome, if(answered_at IS NULL, NULL, answer_source) AS answer_source
FROM (
    SELECT report_id, min(received_at) AS received_at, min(answered_at) AS answered_at, any(reporter) AS reporter,
        any(reporter_org) AS reporter_org, any(priority) AS priority, any(category) AS category, any(country) AS country,
        any(chat_id) AS chat_id, argMinMerge(outcome) AS outcome, argMinMerge(answer_source) AS answer_source
    FROM ${db}.report_answers_state GROUP BY report_id
)`,
    ]
  },
}

const m4: Migration = {
  version: 4,
  name: 'chat similarity',
  statements: (o) => [
    ...table(
      o,
      'chat_similarity',
      'Pairs of chats that are clones (kind content) or look-alikes (kind name) or both; latest state per (chat_a, chat_b, kind): read with FINAL or argMax(..., updated_at).',
      `(
    chat_a String COMMENT 'the smaller chat id of the pair (chat_a < chat_b)',
    chat_b String COMMENT 'the larger chat id of the pair',
    kind LowCardinality(String) COMMENT 'content (clone: reposts the other chat), name (look-alike title or @handle), both',
    score Float32 COMMENT 'similarity in [0, 1]: content containment, or name confusability',
    shared_items UInt32 COMMENT 'exact hashes and campaigns both chats posted in the window',
    shared_campaigns UInt32 COMMENT 'campaigns both chats posted in the window',
    original_chat String COMMENT 'the chat that posted the shared items first more often (the original); empty for names',
    a_first UInt32 COMMENT 'shared items chat_a posted first',
    b_first UInt32 COMMENT 'shared items chat_b posted first',
    name_a String COMMENT 'title or @handle of chat_a that matched (kind name)',
    name_b String COMMENT 'title or @handle of chat_b that matched (kind name), or the protected name',
    first_seen DateTime64(3, 'UTC') COMMENT 'event time the pair was first seen together',
    last_seen DateTime64(3, 'UTC') COMMENT 'event time the pair was last seen together',
    updated_at DateTime64(3, 'UTC') COMMENT 'version: the latest row per pair and kind wins'
) ENGINE = ${engine(o, 'ReplacingMergeTree', 'chat_similarity', 'updated_at')}
ORDER BY (chat_a, chat_b, kind)
TTL toDateTime(last_seen) + INTERVAL ${o.aggregateTtlDays} DAY
${dedupSettings(o)}`,
    ),
  ],
}

const m5: Migration = {
  version: 5,
  name: 'campaign aliases',
  statements: (o) => [
    ...table(
      o,
      'campaign_aliases',
      'Campaign ids found to name the same campaign as another (founded on two instances at once, merged under the smaller id; README "Scale-out"). Latest state per alias_id: argMax(canonical_id, merged_at). campaigns_latest resolves them.',
      `(
    alias_id String COMMENT 'a campaign id that was merged into another (rows written under it stay as they are)',
    canonical_id String COMMENT 'the campaign id it resolves to',
    merged_at DateTime64(3, 'UTC') COMMENT 'processing time of the merge; version: the latest row per alias wins'
) ENGINE = ${engine(o, 'ReplacingMergeTree', 'campaign_aliases', 'merged_at')}
ORDER BY alias_id
TTL toDateTime(merged_at) + INTERVAL ${o.aggregateTtlDays} DAY
${dedupSettings(o)}`,
    ),
  ],
}

const m6: Migration = {
  version: 6,
  name: 'deletes of public messages in message_fingerprints',
  // A restart rebuilds the campaign index from message_fingerprints; without the deletes, deleted
  // messages came back into it until they left the window.
  statements: (o) => [
    `DROP VIEW IF EXISTS ${o.database}.message_fingerprints_mv${onCluster(o)}`,
    fingerprintsView(o, FINGERPRINTED_OR_DELETED),
    `ALTER TABLE ${o.database}.${localName(o, 'message_fingerprints')}${onCluster(o)} MODIFY COMMENT ${quote(
      'One row per fingerprinted message version (public chats; never text), and one per deletion of a public message (type deleted, no hash). Take the latest row per (chat_id, message_id) by ts.',
    )}`,
  ],
}

const m7: Migration = {
  version: 7,
  name: 'dead letters keep no content: redacted payload_prefix, detail without input, new time reasons',
  // Until now payload_prefix held the record's first bytes, so a broken private-chat message left
  // its text and raw sender id in this table; the column now holds a redacted shape (src/facts/redact.ts).
  statements: (o) => {
    const columns = [
      `reason ${quote('reason code: too_large | invalid_utf8 | not_json | not_object | missing_schema | unknown_schema | missing_field | wrong_type | invalid_ts | empty_record | rejected_by_store | ts_in_future | ts_too_old')}`,
      `detail ${quote('which field and what was wrong; never quotes the record (no text, no ids)')}`,
      `payload_prefix ${quote(
        'the record redacted, at most pipeline.dead_letter_prefix_bytes: field names of the contract, brackets, enum values and event times; ' +
          'every other value replaced by a placeholder of its length, sender and user id values removed; bytes that are not JSON described ' +
          'by size and character classes. Never text or ids: read the record itself from Kafka (topic, partition, offset) within the topic retention',
      )}`,
      `payload_sha256 ${quote('SHA-256 of the whole payload, hex: tells whether a record read from Kafka is the one rejected')}`,
    ]
    return commentColumns(o, 'dead_letters', columns)
  },
}

const m8: Migration = {
  version: 8,
  name: 'file replay checkpoints',
  // File replays kept no position: a replay stopped by a signal and run again cut other batches
  // (other tokens) over the rows already written, and counted them twice.
  statements: (o) => [
    ...table(
      o,
      'file_checkpoints',
      'Where each replayed file (run --input) stands: the next line to process and the batch in flight, as Kafka keeps committed offsets and their metadata (docs/exactly-once.md). Latest state per (source, partition): argMax by position.',
      `(
    source String COMMENT 'the file replayed: file:<name>:<hash of its content>, the source_topic of its rows',
    partition UInt32 COMMENT 'always 0: a file is one partition',
    next_offset UInt64 COMMENT 'the next line to process (0-based); every line before it is written',
    inflight_last Int64 COMMENT 'last line of the batch being written from next_offset (a rerun cuts its first batch exactly there); -1 when none',
    position UInt64 COMMENT 'version, growing along the protocol: 2 * next_offset, plus 1 while a batch is in flight',
    updated_at DateTime64(3, 'UTC') COMMENT 'processing time of the mark or commit'
) ENGINE = ${engine(o, 'ReplacingMergeTree', 'file_checkpoints', 'position')}
ORDER BY (source, partition)
TTL toDateTime(updated_at) + INTERVAL ${o.aggregateTtlDays} DAY
${dedupSettings(o)}`,
    ),
  ],
}

const PRIVATE_CHAT_ID_COMMENT =
  "chat id as in the input for groups, supergroups, channels and bots; a private chat has a person's id (in Telegram the other " +
  "user's), so it is stored as the keyed pseudonym that person's sender id gets (where no chat type is known, an id of the user form, " +
  "an unsigned integer, is taken for a private chat's)"

const m9: Migration = {
  version: 9,
  name: 'private chat ids are stored as pseudonyms',
  // A private chat's id is a user's id; until now message_stats_1m and the report answers kept it raw.
  statements: (o) => [
    ...commentColumns(o, 'message_stats_1m', [`chat_id ${quote(PRIVATE_CHAT_ID_COMMENT)}`]),
    ...commentColumns(o, 'report_answers_state', [`chat_id ${quote(PRIVATE_CHAT_ID_COMMENT)}`]),
  ],
}

export const MIGRATIONS: readonly Migration[] = [
  m1,
  m2,
  m3,
  m4,
  m5,
  m6,
  m7,
  m8,
  m9,
  m10,
  m11,
  m12,
  m13,
  m14,
  m15,
  m16,
  m17,
  m18,
  m19,
  m20,
  m21,
  m22,
  m23,
]

/**
 * Views that follow the configuration rather than a schema version, replaced at every start.
 *
 * campaigns_latest: one row per campaign, its partial rows merged, rows written under an alias
 * counted under the id it resolves to, and only groups of at least campaigns.min_messages members
 * (every member is counted in `campaigns` from the first one on, so a campaign's count does not
 * depend on which instance saw which copy; groups of one are what most messages are, and they are
 * not campaigns).
 *
 * campaign_representatives_mv, campaign_representative_bands_mv: only when campaigns.scale_out is merge.
 */
export function configuredViews(o: SchemaOptions): string[] {
  const db = o.database
  return [
    `CREATE OR REPLACE VIEW ${db}.campaigns_latest${onCluster(o)} AS
SELECT resolved_id AS campaign_id, min(first_seen) AS first_seen, max(last_seen) AS last_seen, sum(messages) AS messages,
    uniqMerge(chats) AS chats, uniqMerge(senders) AS senders, groupUniqArrayArray(countries) AS countries,
    ${TOP_LINK_DOMAINS} AS top_link_domains, max(spam_score) AS spam_score,
    any(sample_text) AS sample_text, any(signature) AS signature
FROM (
    -- ifNull/assumeNotNull: a reader may set join_use_nulls = 1 (the transparency report does)
    SELECT c.*, if(ifNull(a.canonical_id, '') = '', c.campaign_id, assumeNotNull(a.canonical_id)) AS resolved_id
    FROM ${db}.campaigns AS c
    LEFT JOIN (SELECT alias_id, argMax(canonical_id, merged_at) AS canonical_id FROM ${db}.campaign_aliases GROUP BY alias_id) AS a
        ON c.campaign_id = a.alias_id
)
GROUP BY resolved_id
HAVING messages >= ${Math.floor(o.minCampaignMessages)}`,
    ...mergeViews(o),
  ]
}
