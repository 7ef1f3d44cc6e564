/**
 * The ClickHouse side of the pipeline: migrations at start, one idempotent insert per table per
 * partition batch, and the reads the pipeline needs to rebuild its state after a restart.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { Readable } from 'node:stream'
import type { BatchRange, FactsSink, FingerprintHistory, ReplayStart, SeenEventKey, StoredFingerprint } from '../../domain/ports.js'
import type { BatchOutput } from '../../domain/facts.js'
import { AbuseRadarError, RejectedRowsError } from '../../domain/errors.js'
import { insertToken } from '../../exactly-once/batch-token.js'
import { classifyFailure, storeError } from './errors.js'
import { MIGRATIONS, configuredViews, type SchemaOptions } from './migrations.js'
import { RowEncodingError, columnsOf, encodeLines } from './tab-separated.js'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { InsertObserver } from '../../domain/observers.js'

const FACT_TABLES = [
  ['message_facts', 'messages'],
  ['moderation_facts', 'moderation'],
  ['report_facts', 'reports'],
  ['dead_letters', 'deadLetters'],
] as const satisfies readonly (readonly [string, keyof BatchOutput])[]

/**
 * Most distinct UTC days of event time in one insert. The views under the facts tables write into
 * tables partitioned by event day (message_fingerprints) or month, and ClickHouse refuses a block
 * that touches more than max_partitions_per_insert_block partitions (default 100, error 252).
 *
 * A batch is an offset range, not a time range: a backfill or a replay of old data can span every
 * day the time window admits (privacy.aggregate_ttl_days, 400 by default). Raising the limit for
 * our inserts would need a setting a server profile may forbid, and would make one insert create
 * hundreds of parts; cutting the insert keeps each within the server's default whatever it spans.
 * The cut depends only on the rows' event times, which a replay of the batch reproduces, so the
 * parts' tokens are the same on every attempt; a batch within this many days (every live one) is
 * one insert under the batch's own token, as before.
 */
export const MAX_EVENT_DAYS_PER_INSERT = 100
const DAY_MS = 86_400_000

/** The rows cut into parts of at most MAX_EVENT_DAYS_PER_INSERT event days, each with its token suffix (none when uncut). */
export function splitByEventDay<Row extends { ts: number }>(rows: readonly Row[]): { rows: readonly Row[]; tokenSuffix: string }[] {
  const byDay = new Map<number, Row[]>()
  for (const row of rows) {
    const day = Math.floor(row.ts / DAY_MS)
    const list = byDay.get(day)
    if (list) list.push(row)
    else byDay.set(day, [row])
  }
  if (byDay.size <= MAX_EVENT_DAYS_PER_INSERT) return [{ rows, tokenSuffix: '' }]
  const days = [...byDay.keys()].sort((a, b) => a - b)
  const parts: { rows: Row[]; tokenSuffix: string }[] = []
  for (let start = 0; start < days.length; start += MAX_EVENT_DAYS_PER_INSERT) {
    const group = days.slice(start, start + MAX_EVENT_DAYS_PER_INSERT)
    parts.push({ rows: group.flatMap((day) => byDay.get(day) ?? []), tokenSuffix: `:days-${group[0]}-${group[group.length - 1]}` })
  }
  return parts
}

/**
 * Rows encoded per ROWS_PER_CHUNK with a turn of the event loop between chunks: a flush of 20,000
 * rows took about 200 ms of encoding in one piece, a stall for every timer, fetch and health check.
 * A message row costs about 33 µs to encode (the benchmark's stages table), so 1,000 rows were a
 * 33 ms piece in the same turn as an analysis slice; 250 rows took the event-loop p99 at 300,000
 * messages from 45.5-49.5 ms to 42.7-43.9 ms, throughput unchanged (bench/README, session 20).
 */
const ROWS_PER_CHUNK = 250

async function* encodedChunks(rows: readonly object[], timeColumns: ReadonlySet<string>): AsyncGenerator<string> {
  const columns = columnsOf(rows)
  for (let from = 0; from < rows.length; from += ROWS_PER_CHUNK) {
    if (from > 0) await nextTurn()
    yield encodeLines(rows, from, Math.min(rows.length, from + ROWS_PER_CHUNK), columns, timeColumns)
  }
}

/**
 * The settings of an insert without a token of its own: ClickHouse's default, written out. The
 * embedded engine applies a query's settings as SET statements that last for its one session, so an
 * insert that sent none ran under the token of the last batch written. A second insert into the same
 * table under that stale token was dropped as a duplicate, without an error: in file replays every
 * checkpoint mark after the first (the mark followed the commit, with no batch written between).
 */
const CONTENT_DEDUPLICATION = { insert_deduplication_token: '', insert_deduplicate: 1 } as const

/**
 * The condition that keeps the message_fingerprints rows outside the batches a replay writes again:
 * per replayed partition, the rows of its topic at or past its offset go. Rows stored before
 * migration 15 have no topic and always stay.
 */
function keptRows(replayed: readonly ReplayStart[]): { condition: string; params: Record<string, string | number> } {
  if (replayed.length === 0) return { condition: '1', params: {} }
  const params: Record<string, string | number> = {}
  const replayedRows = replayed.map((start, i) => {
    params[`replayTopic${i}`] = start.topic
    params[`replayPartition${i}`] = start.partition
    params[`replayOffset${i}`] = start.offset
    return `(source_topic = {replayTopic${i}:String} AND source_partition = {replayPartition${i}:UInt32} AND source_offset >= {replayOffset${i}:UInt64})`
  })
  return { condition: `NOT (${replayedRows.join(' OR ')})`, params }
}

export class ClickHouseStore implements FactsSink, FingerprintHistory {
  private readonly timeColumnsByTable = new Map<string, Promise<ReadonlySet<string>>>()

  constructor(
    private readonly client: ClickHouseClient,
    private readonly schema: SchemaOptions,
    private readonly observer: InsertObserver = { onInsert: () => {} },
  ) {}

  get database(): string {
    return this.schema.database
  }

  /** Applies the migrations not yet recorded in schema_migrations, in order. Returns the versions applied. */
  async migrate(): Promise<number[]> {
    const db = this.schema.database
    await this.command(`CREATE DATABASE IF NOT EXISTS ${db}`)
    await this.command(
      `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version UInt32, name String, applied_at DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY version COMMENT 'migrations applied by the processor'`,
    )
    const applied = new Set(
      (await this.select<{ version: number }>(`SELECT version FROM ${db}.schema_migrations`)).map((r) => Number(r.version)),
    )
    const done: number[] = []
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue
      for (const statement of migration.statements(this.schema)) await this.command(statement)
      await this.insertRows('schema_migrations', [{ version: migration.version, name: migration.name }], null)
      done.push(migration.version)
    }
    for (const statement of configuredViews(this.schema)) await this.command(statement)
    return done
  }

  async writeBatch(range: BatchRange, output: BatchOutput): Promise<void> {
    for (const [table, key] of FACT_TABLES) {
      const rows = output[key]
      // In cluster mode dead letters go straight to this shard's replicated table: a Distributed
      // table forwards asynchronously, and its deduplication would not hold.
      const target = table === 'dead_letters' && this.schema.cluster ? 'dead_letters_local' : table
      if (rows.length === 0) continue
      // Dead letters are partitioned by processing time: a batch's are within a day or two.
      const parts = key === 'deadLetters' ? [{ rows, tokenSuffix: '' }] : splitByEventDay(rows as readonly { ts: number }[])
      for (const part of parts) {
        try {
          await this.insertRows(target, part.rows, insertToken(range, target) + part.tokenSuffix)
        } catch (error) {
          if (classifyFailure(error).kind === 'content') throw new RejectedRowsError((error as Error).message, key, { cause: error })
          throw error
        }
      }
    }
  }

  /**
   * Which rows of a facts list ClickHouse refuses for their content: found by bisection, inserting
   * into a Null-engine copy of the table (nothing is stored and no view runs), so the refused rows
   * can become dead letters and the rest be written.
   */
  async findRejectedRows(output: keyof BatchOutput, rows: readonly object[]): Promise<number[]> {
    const table = FACT_TABLES.find(([, key]) => key === output)?.[0]
    if (!table) return []
    const probe = `probe_${table}`
    await this.command(`CREATE TABLE IF NOT EXISTS ${this.schema.database}.${probe} AS ${this.schema.database}.${table} ENGINE = Null`)
    const rejected: number[] = []
    const check = async (from: number, to: number): Promise<void> => {
      try {
        await this.insertRows(probe, rows.slice(from, to), null)
        return
      } catch (error) {
        if (classifyFailure(error).kind !== 'content') throw error
      }
      if (to - from === 1) {
        rejected.push(from)
        return
      }
      const middle = (from + to) >>> 1
      await check(from, middle)
      await check(middle, to)
    }
    if (rows.length > 0) await check(0, rows.length)
    return rejected
  }

  async loadSeenEventKeys(sinceMs: number): Promise<SeenEventKey[]> {
    const rows = await this.select<{
      event_key: string
      source_topic: string
      source_partition: number
      source_offset: string
      seen_ms: string
    }>(
      `SELECT event_key, source_topic, source_partition, source_offset, toUnixTimestamp(seen_at) * 1000 AS seen_ms
       FROM ${this.schema.database}.seen_events WHERE seen_at >= toDateTime({since:UInt64})
       ORDER BY seen_at, source_topic, source_partition, source_offset`,
      { since: Math.floor(sinceMs / 1000) },
    )
    return rows.map((r) => ({
      key: Number(r.event_key),
      topic: r.source_topic,
      partition: Number(r.source_partition),
      offset: Number(r.source_offset),
      seenAtMs: Number(r.seen_ms),
    }))
  }

  /** Campaign merges (a ReplacingMergeTree by merged_at: writing one again is harmless). */
  async writeCampaignAliases(merges: readonly { alias: string; canonical: string; mergedAtMs: number }[]): Promise<void> {
    const rows = merges.map((m) => ({ alias_id: m.alias, canonical_id: m.canonical, merged_at: m.mergedAtMs }))
    if (rows.length > 0) await this.insertRows(this.schema.cluster ? 'campaign_aliases_local' : 'campaign_aliases', rows, null)
  }

  /** Latest states of chat pairs (a ReplacingMergeTree by updated_at: writing a state again is harmless). */
  async writeSimilarity(rows: readonly object[]): Promise<void> {
    if (rows.length > 0) await this.insertRows(this.schema.cluster ? 'chat_similarity_local' : 'chat_similarity', rows, null)
  }

  /** The latest version of each message fingerprinted within `windowMs` of event time before the newest one, newest first. */
  async loadRecentFingerprints(windowMs: number, limit: number, replayed: readonly ReplayStart[]): Promise<StoredFingerprint[]> {
    const kept = keptRows(replayed)
    const rows = await this.select<{
      chat_id: string
      message_id: string
      campaign_id: string
      exact_hash: string
      signature: string
      sender: string
      ts_ms: string
    }>(
      `SELECT f.chat_id AS chat_id, f.message_id AS message_id, if(a.canonical_id = '', f.campaign_id, a.canonical_id) AS campaign_id,
              f.exact_hash AS exact_hash, f.signature AS signature, f.sender AS sender, f.ts_ms AS ts_ms
       FROM (
         SELECT chat_id, message_id, argMax(campaign_id, ts) AS campaign_id, argMax(exact_hash, ts) AS exact_hash,
                argMax(signature, ts) AS signature, argMax(sender, ts) AS sender, toUnixTimestamp64Milli(max(ts)) AS ts_ms,
                argMax(type, ts) AS latest_type
         FROM ${this.schema.database}.message_fingerprints
         WHERE ts >= (SELECT max(ts) FROM ${this.schema.database}.message_fingerprints WHERE ${kept.condition}) - toIntervalMillisecond({window:UInt64})
           AND ${kept.condition}
         GROUP BY chat_id, message_id
         HAVING campaign_id != '' AND latest_type != 'deleted'
         ORDER BY ts_ms DESC LIMIT {limit:UInt64}
       ) AS f
       LEFT JOIN (SELECT alias_id, argMax(canonical_id, merged_at) AS canonical_id FROM ${this.schema.database}.campaign_aliases GROUP BY alias_id) AS a
         ON f.campaign_id = a.alias_id
       ORDER BY ts_ms DESC`,
      { window: Math.floor(windowMs), limit, ...kept.params },
    )
    return rows.map((r) => ({
      chatId: r.chat_id,
      messageId: r.message_id,
      campaignId: r.campaign_id,
      exactHash: r.exact_hash,
      signature: r.signature,
      sender: r.sender,
      tsMs: Number(r.ts_ms),
    }))
  }

  async ping(): Promise<boolean> {
    try {
      const result = await this.client.ping()
      return result.success
    } catch {
      return false
    }
  }

  async select<T>(query: string, params?: Record<string, unknown>): Promise<T[]> {
    try {
      const result = await this.client.query({
        query,
        format: 'JSONEachRow',
        ...(params ? { query_params: params } : {}),
        clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
      })
      return await result.json<T>()
    } catch (error) {
      throw storeError(error, 'query')
    }
  }

  async command(query: string): Promise<void> {
    try {
      await this.client.command({ query })
    } catch (error) {
      throw storeError(error, `command ${query.slice(0, 80)}`)
    }
  }

  /** An INSERT statement (INSERT ... SELECT, or one with its rows inline), deduplicated by its content only (CONTENT_DEDUPLICATION). */
  async insertStatement(query: string): Promise<void> {
    try {
      await this.client.command({ query, clickhouse_settings: CONTENT_DEDUPLICATION })
    } catch (error) {
      throw storeError(error, `insert ${query.slice(0, 80)}`)
    }
  }

  /** The DateTime and DateTime64 columns of a table (Nullable ones too), read once per table from system.columns. */
  private timeColumns(table: string): Promise<ReadonlySet<string>> {
    let columns = this.timeColumnsByTable.get(table)
    if (!columns) {
      columns = this.select<{ name: string }>(
        `SELECT name FROM system.columns WHERE database = {database:String} AND table = {table:String} AND type LIKE '%DateTime%'`,
        { database: this.schema.database, table },
      ).then((rows) => new Set(rows.map((r) => r.name)))
      // A failed read is not kept: the next insert asks again.
      void columns.catch(() => this.timeColumnsByTable.delete(table))
      this.timeColumnsByTable.set(table, columns)
    }
    return columns
  }

  private async insertRows(table: string, rows: readonly object[], token: string | null): Promise<void> {
    const started = performance.now()
    try {
      const timeColumns = await this.timeColumns(table)
      await this.client.insert({
        table: `${this.schema.database}.${table}`,
        columns: columnsOf(rows),
        values: Readable.from(encodedChunks(rows, timeColumns), { objectMode: false }),
        format: 'TabSeparated',
        clickhouse_settings: {
          ...(token ? { insert_deduplication_token: token, insert_deduplicate: 1 } : CONTENT_DEDUPLICATION),
          deduplicate_blocks_in_dependent_materialized_views: 1,
          // One block per insert, whatever its size, so a retried insert splits the same way.
          max_insert_block_size: '1000000000',
          min_insert_block_size_rows: '0',
          min_insert_block_size_bytes: '0',
          date_time_input_format: 'best_effort',
        },
      })
      this.observer.onInsert(table, rows.length, (performance.now() - started) / 1000, true)
    } catch (error) {
      this.observer.onInsert(table, rows.length, (performance.now() - started) / 1000, false)
      // Encoding runs inside the insert's stream; a row it cannot write is a defect, not a server to wait for.
      if (error instanceof RowEncodingError)
        throw new AbuseRadarError('AR_INTERNAL', `insert into ${table}: ${error.message}`, { cause: error })
      throw storeError(error, `insert into ${table}`)
    }
  }

  /**
   * The posts chat similarity rebuilds its content evidence from after a restart (channels/restore.ts):
   * the latest version of each message fingerprinted within `windowMs` of event time before the
   * newest stored one, with its chat's type (from message_stats_1m) and its campaign (aliases
   * resolved), at most `limit`, the newest kept; the rows of batches a replay writes again left out.
   */
  async loadRecentChatPosts(
    windowMs: number,
    limit: number,
    replayed: readonly ReplayStart[],
  ): Promise<
    { chatId: string; chatType: string; tsMs: number; exactHash: string; campaignId: string; headKey: string; tailKey: string }[]
  > {
    const db = this.schema.database
    const kept = keptRows(replayed)
    const rows = await this.select<{
      chat_id: string
      chat_type: string
      ts_ms: string
      exact_hash: string
      campaign_id: string
      head_key: string
      tail_key: string
    }>(
      `WITH (SELECT max(ts) FROM ${db}.message_fingerprints WHERE ${kept.condition}) - toIntervalMillisecond({window:UInt64}) AS since
       SELECT f.chat_id AS chat_id, t.chat_type AS chat_type, f.ts_ms AS ts_ms, f.exact_hash AS exact_hash,
              if(a.canonical_id = '', f.campaign_id, a.canonical_id) AS campaign_id, f.head_key AS head_key, f.tail_key AS tail_key
       FROM (
         SELECT chat_id, message_id, argMax(exact_hash, ts) AS exact_hash, argMax(campaign_id, ts) AS campaign_id,
                argMax(head_key, ts) AS head_key, argMax(tail_key, ts) AS tail_key, toUnixTimestamp64Milli(max(ts)) AS ts_ms
         FROM ${db}.message_fingerprints
         WHERE ts >= since AND type != 'deleted' AND ${kept.condition}
         GROUP BY chat_id, message_id
         ORDER BY ts_ms DESC LIMIT {limit:UInt64}
       ) AS f
       INNER JOIN (
         SELECT chat_id, any(chat_type) AS chat_type FROM ${db}.message_stats_1m
         WHERE minute >= toStartOfMinute(since) GROUP BY chat_id
       ) AS t ON f.chat_id = t.chat_id
       LEFT JOIN (SELECT alias_id, argMax(canonical_id, merged_at) AS canonical_id FROM ${db}.campaign_aliases GROUP BY alias_id) AS a
         ON f.campaign_id = a.alias_id
       ORDER BY ts_ms`,
      { window: Math.floor(windowMs), limit, ...kept.params },
    )
    return rows.map((r) => ({
      chatId: r.chat_id,
      chatType: r.chat_type,
      tsMs: Number(r.ts_ms),
      exactHash: r.exact_hash,
      campaignId: r.campaign_id,
      headKey: r.head_key,
      tailKey: r.tail_key,
    }))
  }
}
