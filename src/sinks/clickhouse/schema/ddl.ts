/**
 * The building blocks of the schema migrations: how a table, its engine and its deduplication window
 * are rendered for single-node or cluster mode. Each migration module composes these.
 */
export interface SchemaOptions {
  database: string
  /** Empty: single node. Otherwise tables are Replicated* ON CLUSTER with Distributed tables in front. */
  cluster: string
  rowTtlDays: number
  aggregateTtlDays: number
  dedupHorizonHours: number
  deduplicationWindow: number
  /** campaigns.min_messages: the size from which a group of near-duplicates is a campaign in campaigns_latest */
  minCampaignMessages: number
  /** campaigns.scale_out is merge: the views that feed the campaign merge run (schema/campaign-merge.ts) */
  campaignMerge: boolean
}

export interface Migration {
  version: number
  name: string
  statements: (o: SchemaOptions) => string[]
}

export const onCluster = (o: SchemaOptions) => (o.cluster ? ` ON CLUSTER ${o.cluster}` : '')

/** The engine clause: replicated in cluster mode, with the deduplication window set either way. */
export function engine(
  o: SchemaOptions,
  kind: 'MergeTree' | 'AggregatingMergeTree' | 'ReplacingMergeTree',
  table: string,
  versionColumn?: string,
): string {
  const args = versionColumn ? [versionColumn] : []
  if (o.cluster) {
    return `Replicated${kind}(${[`'/clickhouse/tables/{shard}/${o.database}/${table}'`, `'{replica}'`, ...args].join(', ')})`
  }
  return args.length > 0 ? `${kind}(${args.join(', ')})` : kind
}

export function dedupSettings(o: SchemaOptions): string {
  return o.cluster
    ? `SETTINGS replicated_deduplication_window = ${o.deduplicationWindow}`
    : `SETTINGS non_replicated_deduplication_window = ${o.deduplicationWindow}`
}

/** In cluster mode, data lives in `<table>_local` and `<table>` is a Distributed table over it. */
export const localName = (o: SchemaOptions, table: string) => (o.cluster ? `${table}_local` : table)

/** The tables a column or comment change applies to: the data table, and in cluster mode the Distributed one too. */
export const bothNames = (o: SchemaOptions, table: string): string[] => (o.cluster ? [localName(o, table), table] : [table])

export function table(o: SchemaOptions, name: string, comment: string, body: string): string[] {
  const local = localName(o, name)
  const statements = [`CREATE TABLE IF NOT EXISTS ${o.database}.${local}${onCluster(o)}\n${body}\nCOMMENT ${quote(comment)}`]
  if (o.cluster) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${o.database}.${name}${onCluster(o)} AS ${o.database}.${local}\nENGINE = Distributed(${o.cluster}, ${o.database}, ${local}, rand())\nCOMMENT ${quote(comment)}`,
    )
  }
  return statements
}

export const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** What a moderation action was, why and where: the dimensions of moderation_stats_1m and moderation_actions. */
export const MODERATION_DIMENSIONS = `action LowCardinality(String) COMMENT 'message_removed | chat_banned | chat_restricted | user_banned | user_restricted | action_reverted | no_violation',
    category LowCardinality(String) COMMENT 'spam | scam | csam | terrorism | violence | illegal_goods | doxxing | copyright | impersonation | other',
    source LowCardinality(String) COMMENT 'automated | proactive_review | user_report | trusted_flagger | authority',
    country LowCardinality(String) COMMENT 'ISO 3166-1 alpha-2, empty when unknown'`

/** The columns every facts table starts with: where the event came from and when it happened. */
export const SOURCE_COLUMNS = `
    source_topic LowCardinality(String) COMMENT 'Kafka topic (or file) the event was read from',
    source_partition UInt32 COMMENT 'partition of source_topic',
    source_offset UInt64 COMMENT 'offset within the partition',
    event_id String COMMENT 'event id from the producer; redeliveries share it',
    event_key UInt64 COMMENT '64-bit hash of event_id, what the duplicate filter keeps',
    ts DateTime64(3, 'UTC') COMMENT 'event time (UTC)'`

/** ALTER statements that set column comments (`name 'comment'`) on a table, and in cluster mode on its Distributed copy too. */
export function commentColumns(o: SchemaOptions, table: string, columns: string[]): string[] {
  const alter = (name: string) => `ALTER TABLE ${o.database}.${name}${onCluster(o)} ${columns.map((c) => `COMMENT COLUMN ${c}`).join(', ')}`
  // In cluster mode DESCRIBE on the Distributed table shows its own copy of the comments.
  return bothNames(o, table).map(alter)
}
