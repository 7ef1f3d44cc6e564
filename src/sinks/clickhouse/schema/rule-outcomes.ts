import { dedupSettings, engine, onCluster, table, type Migration, type SchemaOptions } from './ddl.js'

/**
 * The columns of message_fingerprints, in its order, but source_topic (migration 15, what a restart
 * alone needs): a backtest's shadow copy has these (plus run_id), and is filled with exactly these
 * columns from the backtest's scratch database.
 */
export const FINGERPRINT_COLUMNS = [
  'ts',
  'type',
  'chat_id',
  'message_id',
  'sender',
  'exact_hash',
  'signature',
  'campaign_id',
  'spam_score',
  'reasons',
  'shadow_reasons',
  'obfuscation',
  'link_domains',
  'source_partition',
  'source_offset',
] as const

/**
 * Rules you can trust (docs/rules.md): which rules file was in force when (rule_versions, written at
 * every start that sees a new content), and the shadow tables of backtests (never the production
 * tables). Rule outcomes themselves are derived at query time from message_fingerprints and
 * moderation_actions (ruleOutcomeViews), so the facts' single insert and its token are unchanged.
 */
export const m11: Migration = {
  version: 11,
  name: 'rule versions, backtest shadow fingerprints and runs',
  statements: (o) => [
    ...table(
      o,
      'rule_versions',
      'One row each time a processor starts with a rules file whose content differs from the latest recorded one. rule_outcomes carries the version in force when a message was analysed.',
      `(
    version String COMMENT 'content hash of the rules file (SHA-256, first 16 hex digits)',
    previous String COMMENT 'the version recorded before this one; empty for the first',
    recorded_at DateTime64(3, 'UTC') COMMENT 'processing time of the start that recorded it',
    rules_file String COMMENT 'the rules file as configured (scoring.rules_file)',
    changes Array(String) COMMENT 'what differs from previous, one line per changed key, e.g. rules.shortener.weight: 0.3 -> 0.7',
    content String COMMENT 'the rules file as it was (configuration only: no user data)'
) ENGINE = ${engine(o, 'MergeTree', 'rule_versions')}
ORDER BY recorded_at
${dedupSettings(o)}`,
    ),
    ...table(
      o,
      'backtest_message_fingerprints',
      'Shadow copy of message_fingerprints written by `abuse-radar backtest`: the candidate configuration over past traffic, one run per run_id (backtest_runs). Compare with message_fingerprints on (chat_id, message_id, ts, type). Per-record: TTL applies.',
      `(
    run_id String COMMENT 'the backtest run (backtest_runs.run_id)',
    ts DateTime64(3, 'UTC') COMMENT 'event time of the version',
    type Enum8('created' = 1, 'edited' = 2, 'deleted' = 3) COMMENT 'which event produced the row',
    chat_id String COMMENT 'chat id',
    message_id String COMMENT 'message id within the chat',
    sender String COMMENT 'pseudonymous sender (keyed hash)',
    exact_hash String COMMENT '64-bit hash of the normalized text, hex',
    signature String COMMENT 'near-duplicate signature, hex',
    campaign_id String COMMENT 'near-duplicate campaign under the candidate; empty if none',
    spam_score Float32 COMMENT 'spam score in [0, 1] under the candidate',
    reasons Array(LowCardinality(String)) COMMENT 'enforcing rules of the candidate that fired',
    shadow_reasons Array(LowCardinality(String)) COMMENT 'shadow rules of the candidate that fired',
    obfuscation Map(LowCardinality(String), UInt16) COMMENT 'obfuscations the normalizer undid, count per kind',
    link_domains Array(String) COMMENT 'registrable domains linked',
    source_partition UInt32 COMMENT 'partition of the replayed record',
    source_offset UInt64 COMMENT 'offset (line) of the replayed record'
) ENGINE = ${engine(o, 'MergeTree', 'backtest_message_fingerprints')}
PARTITION BY toYYYYMM(ts)
ORDER BY (run_id, chat_id, message_id, ts)
TTL toDateTime(ts) + INTERVAL ${o.rowTtlDays} DAY
${dedupSettings(o)}`,
    ),
    ...table(
      o,
      'backtest_runs',
      'One row per finished backtest: what it replayed, the rules versions compared, and its diff as printed by `abuse-radar backtest --json`.',
      `(
    run_id String COMMENT 'the run (backtest_message_fingerprints.run_id)',
    started_at DateTime64(3, 'UTC') COMMENT 'processing time the run started',
    finished_at DateTime64(3, 'UTC') COMMENT 'processing time the diff was computed',
    input String COMMENT 'the replayed file, as named on the command line',
    baseline_rules_version String COMMENT 'content hash of the production rules file',
    candidate_rules_version String COMMENT 'content hash of the candidate rules file',
    diff String COMMENT 'the diff object, JSON'
) ENGINE = ${engine(o, 'MergeTree', 'backtest_runs')}
ORDER BY (started_at, run_id)
${dedupSettings(o)}`,
    ),
  ],
}

/**
 * One row per (message, rule that fired on its latest analysed version, mode) with the moderation
 * decision that followed: decisions on the same (chat_id, message_id) from the message's first
 * analysed version until `windowSeconds` after its latest. `reverted`: removed, then reverted after
 * the last removal; `removed`: removed and not reverted since; `no_violation`: reviewed without action;
 * `unreviewed`: none of these. `rule_version` is the rules version recorded last at or before the
 * latest version's event time (the first recorded version for traffic older than every record).
 * `sinceMs`: only messages with a version at or after it (a report of a recent period reads only those).
 */
export function ruleOutcomesSelect(o: SchemaOptions, windowSeconds: number, sinceMs: number | null = null): string {
  const db = o.database
  // Only messages with a version since then (the partitions by day prune the lookup); each keeps all its versions.
  const recent =
    sinceMs === null
      ? ''
      : `\n            AND (chat_id, message_id) IN (SELECT chat_id, message_id FROM ${db}.message_fingerprints WHERE ts >= fromUnixTimestamp64Milli(${Math.floor(sinceMs)}))`
  return `WITH (SELECT arraySort(v -> v.1, groupArray((recorded_at, version))) FROM ${db}.rule_versions) AS versions
SELECT toDate(last_ts) AS day, fired.1 AS rule, fired.2 AS mode,
    ifNull(nullIf(arrayLast(v -> v.1 <= last_ts, versions).2, ''), versions[1].2) AS rule_version,
    multiIf(removed_at > 0 AND reverted_at >= removed_at, 'reverted', removed_at > 0, 'removed', reviewed, 'no_violation', 'unreviewed') AS outcome,
    chat_id, message_id, last_ts
FROM (
    SELECT m.chat_id AS chat_id, m.message_id AS message_id, any(m.first_ts) AS first_ts, any(m.last_ts) AS last_ts,
        any(m.enforced) AS enforced, any(m.shadowed) AS shadowed,
        toUnixTimestamp64Milli(maxIf(a.ts, a.action = 'message_removed' AND a.ts >= m.first_ts AND a.ts <= m.last_ts + toIntervalSecond(${windowSeconds}))) AS removed_at,
        toUnixTimestamp64Milli(maxIf(a.ts, a.action = 'action_reverted' AND a.ts >= m.first_ts AND a.ts <= m.last_ts + toIntervalSecond(${windowSeconds}))) AS reverted_at,
        countIf(a.action = 'no_violation' AND a.ts >= m.first_ts AND a.ts <= m.last_ts + toIntervalSecond(${windowSeconds})) > 0 AS reviewed
    FROM (
        SELECT chat_id, message_id, min(ts) AS first_ts, max(ts) AS last_ts,
            argMax(reasons, ts) AS enforced, argMax(shadow_reasons, ts) AS shadowed
        FROM ${db}.message_fingerprints
        WHERE type != 'deleted'${recent}
        GROUP BY chat_id, message_id
        HAVING notEmpty(enforced) OR notEmpty(shadowed)
    ) AS m
    LEFT JOIN (
        SELECT chat_id, message_id, action, ts FROM ${db}.moderation_actions
        WHERE action IN ('message_removed', 'action_reverted', 'no_violation') AND message_id != ''
    ) AS a ON a.chat_id = m.chat_id AND a.message_id = m.message_id
    GROUP BY m.chat_id, m.message_id
)
ARRAY JOIN arrayConcat(arrayMap(r -> (toString(r), 'enforce'), enforced), arrayMap(r -> (toString(r), 'shadow'), shadowed)) AS fired
SETTINGS join_use_nulls = 0`
}

/**
 * The views that follow scoring.outcome_window_hours, replaced at every start: rule_outcomes (one row
 * per flagged message, rule and mode) and rule_outcomes_daily (the figures of `report rules` per day).
 */
export function ruleOutcomeViews(o: SchemaOptions, windowSeconds: number): string[] {
  const db = o.database
  return [
    `CREATE OR REPLACE VIEW ${db}.rule_outcomes${onCluster(o)} AS\n${ruleOutcomesSelect(o, windowSeconds)}`,
    `CREATE OR REPLACE VIEW ${db}.rule_outcomes_daily${onCluster(o)} AS
SELECT day, rule, mode, rule_version, count() AS flagged, countIf(outcome = 'removed') AS removed, countIf(outcome = 'reverted') AS reverted,
    countIf(outcome = 'no_violation') AS no_violation, countIf(outcome = 'unreviewed') AS unreviewed,
    if(removed + reverted + no_violation = 0, NULL, removed / (removed + reverted + no_violation)) AS precision
FROM ${db}.rule_outcomes
GROUP BY day, rule, mode, rule_version`,
  ]
}

/** Copies a backtest's fingerprints from its scratch database into the shadow table of `o.database`, under its run id. */
export function copyToShadowStatement(o: SchemaOptions, scratchDatabase: string, runId: string): string {
  if (!/^[a-z0-9_]+$/.test(runId)) throw new Error(`not a run id: ${runId}`)
  const columns = FINGERPRINT_COLUMNS.join(', ')
  return `INSERT INTO ${o.database}.backtest_message_fingerprints (run_id, ${columns})
SELECT '${runId}', ${columns} FROM ${scratchDatabase}.message_fingerprints`
}
