/**
 * The processor's duplicate filter (recent-keys.ts) kept up to date with what the sink remembers
 * (`seen_events`), and the highest offset the sink holds per partition, which tells a partition's
 * loading that the group's offsets went back.
 */
import type { FactsSink, Logger } from '../domain/ports.js'
import type { Generation } from '../exactly-once/generation.js'
import { PositionCodec, RecentKeys } from './recent-keys.js'

/** What the filter says of a record: new, a copy of an event accepted elsewhere, or one the sink holds from this very record. */
export type Admission = 'new' | 'duplicate' | 'alreadyWritten'

type Retrying = <T>(what: string, operation: () => Promise<T>) => Promise<T>

const partitionId = (topic: string, partition: number) => `${topic}\u0000${partition}`

export class DuplicateFilter {
  private readonly seen: RecentKeys
  private readonly positions = new PositionCodec()
  private loading: { generation: Generation; done: Promise<void> } | null = null
  private loadedAtMs: number | null = null
  private readonly highestWritten = new Map<string, number>()

  constructor(
    private readonly horizonMs: number,
    private readonly sink: Pick<FactsSink, 'loadSeenEventKeys'>,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    this.seen = new RecentKeys(horizonMs)
  }

  /**
   * Brings the filter up to date with the sink, once per generation and before any partition of it
   * is processed: all partitions' keys, since a copy of an event may sit on any partition. After the
   * first load, only what was written since (with a margin) is read.
   */
  load(generation: Generation, retrying: Retrying): Promise<void> {
    if (this.loading?.generation === generation) return this.loading.done
    const now = this.now()
    const since = this.loadedAtMs === null ? now - this.horizonMs : this.loadedAtMs - 60_000
    const done = retrying('load seen events', () => this.sink.loadSeenEventKeys(since)).then((keys) => {
      for (const { key, topic, partition, offset, seenAtMs } of keys) {
        this.seen.restore(key, this.positions.encode(topic, partition, offset), seenAtMs)
        const id = partitionId(topic, partition)
        if (offset > (this.highestWritten.get(id) ?? -1)) this.highestWritten.set(id, offset)
      }
      this.loadedAtMs = now
      this.logger.info({ seenEvents: keys.length, sinceMs: since }, 'duplicate filter loaded')
    })
    this.loading = { generation, done }
    return done
  }

  /**
   * Admits the event `key` read at a position. `replayingInflight`: the record is in the range left in
   * flight, which is written again exactly as before; read again outside it although the sink holds
   * it from this very record, the offsets went back (recent-keys.ts).
   */
  admit(key: number, topic: string, partition: number, offset: number, receivedAtMs: number, replayingInflight: boolean): Admission {
    const position = this.positions.encode(topic, partition, offset)
    if (!this.seen.add(key, position, receivedAtMs)) return 'duplicate'
    if (!replayingInflight && this.seen.writtenAt(key, position)) return 'alreadyWritten'
    return 'new'
  }

  /** The highest offset of the partition the sink reported as written, or null. */
  highestWrittenOf(topic: string, partition: number): number | null {
    return this.highestWritten.get(partitionId(topic, partition)) ?? null
  }
}
