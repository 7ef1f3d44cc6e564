/**
 * The checkpoint of file replays (`run --input FILE`), kept in the same ClickHouse database as what
 * they write: the same protocol as Kafka's committed offsets and in-flight metadata
 * (docs/exactly-once.md), so a replay stopped by SIGTERM or SIGKILL and run again continues exactly
 * where the last one stopped. Keyed by the file's source topic, which carries its content hash.
 *
 * Each mark and commit appends a row; the latest state is the row with the highest `position`, a
 * number that only grows along the protocol (mark of [first, last] = 2·first + 1, commit of it =
 * 2·(last + 1)), so no clock decides which row is current.
 */
import type { BatchRange, Checkpointer, PartitionCheckpoint, ReplayStart } from '../../domain/ports.js'
import type { ClickHouseStore } from './store.js'

export const FILE_CHECKPOINTS_TABLE = 'file_checkpoints'

interface CheckpointRow {
  source: string
  partition: number
  next_offset: number
  /** -1: no batch in flight */
  inflight_last: number
  position: number
}

export class FileCheckpoints implements Checkpointer {
  /** `clustered`: clickhouse.cluster is set, so the table is `file_checkpoints_local` behind a Distributed one. */
  constructor(
    private readonly store: ClickHouseStore,
    private readonly clustered: boolean,
  ) {}

  async load(topic: string, partition: number): Promise<PartitionCheckpoint> {
    return (await this.checkpoints(topic)).get(partition) ?? { nextOffset: -1, inflightLastOffset: null }
  }

  async replayStarts(topic: string): Promise<ReplayStart[]> {
    return [...(await this.checkpoints(topic))].map(([partition, checkpoint]) => ({ topic, partition, offset: checkpoint.nextOffset }))
  }

  /** The latest checkpoint of each partition of `topic` that has one. */
  private async checkpoints(topic: string): Promise<Map<number, PartitionCheckpoint>> {
    const rows = await this.store.select<{ partition: number; next_offset: string; inflight_last: string }>(
      `SELECT partition, argMax(next_offset, position) AS next_offset, argMax(inflight_last, position) AS inflight_last
       FROM ${this.store.database}.${FILE_CHECKPOINTS_TABLE} WHERE source = {source:String}
       GROUP BY partition`,
      { source: topic },
    )
    return new Map(
      rows.map((row) => {
        const inflightLast = Number(row.inflight_last)
        return [Number(row.partition), { nextOffset: Number(row.next_offset), inflightLastOffset: inflightLast >= 0 ? inflightLast : null }]
      }),
    )
  }

  markInflight(ranges: BatchRange[]): Promise<void> {
    return this.append(
      ranges.map((r) => ({
        source: r.topic,
        partition: r.partition,
        next_offset: r.firstOffset,
        inflight_last: r.lastOffset,
        position: 2 * r.firstOffset + 1,
      })),
    )
  }

  commit(ranges: BatchRange[]): Promise<void> {
    return this.append(
      ranges.map((r) => ({
        source: r.topic,
        partition: r.partition,
        next_offset: r.lastOffset + 1,
        inflight_last: -1,
        position: 2 * (r.lastOffset + 1),
      })),
    )
  }

  /**
   * One INSERT ... SELECT through the store's command: the source names a file (any bytes), so it
   * travels hex-encoded rather than quoted. In cluster mode the row goes to this shard's table, read
   * back at once (a Distributed table forwards asynchronously).
   */
  private async append(rows: CheckpointRow[]): Promise<void> {
    if (rows.length === 0) return
    const table = this.clustered ? `${FILE_CHECKPOINTS_TABLE}_local` : FILE_CHECKPOINTS_TABLE
    const selects = rows.map(
      (r) =>
        `SELECT unhex('${Buffer.from(r.source).toString('hex')}'), ${r.partition}, ${r.next_offset}, ${r.inflight_last}, ${r.position}, now64(3)`,
    )
    await this.store.insertStatement(
      `INSERT INTO ${this.store.database}.${table} (source, partition, next_offset, inflight_last, position, updated_at) ${selects.join(' UNION ALL ')}`,
    )
  }
}
