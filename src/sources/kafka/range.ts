/**
 * Reads the records of the input topics between two times, once, for a backtest: the offsets of
 * `fromMs` and `toMs` per partition come from the brokers' time index, and a consumer of its own
 * group reads each partition from the first to the last offset of the range. It commits nothing
 * (the group never holds an offset, so it disturbs no other group, and a rerun starts over), and
 * stops once every partition reached the end of its range.
 */
import type { Consumer, EachBatchPayload } from 'kafkajs'
import { InfrastructureError } from '../../domain/errors.js'
import type { SourceRecord } from '../../domain/ports.js'
import { createKafkaClient, restartUnlessStopping, type KafkaClientOptions } from './client.js'

export interface RangeOptions extends KafkaClientOptions {
  topics: string[]
  /** a group of this read alone: it never commits */
  groupId: string
  fromMs: number
  toMs: number
}

export interface PartitionRange {
  topic: string
  partition: number
  /** first offset to read */
  start: number
  /** first offset not yet handed out: where a rejoined consumer resumes */
  next: number
  /** first offset past the range */
  end: number
}

/** The offsets of [fromMs, toMs) per partition: empty ranges are left out. */
export function rangesOf(
  topic: string,
  starts: readonly { partition: number; offset: string }[],
  ends: readonly { partition: number; offset: string }[],
): PartitionRange[] {
  const endOf = new Map(ends.map((e) => [e.partition, Number(e.offset)]))
  return starts
    .map((s) => {
      const start = Number(s.offset)
      return { topic, partition: s.partition, start, next: start, end: endOf.get(s.partition) ?? start }
    })
    .filter((r) => r.end > r.start)
}

/** Where each assigned partition whose range is unfinished resumes: the first offset not handed out. */
export function resumeSeeks(
  assignment: Readonly<Record<string, readonly number[]>>,
  remaining: ReadonlyMap<string, Pick<PartitionRange, 'next'>>,
): { topic: string; partition: number; offset: string }[] {
  return Object.entries(assignment).flatMap(([topic, partitions]) =>
    partitions.flatMap((partition) => {
      const range = remaining.get(`${topic}:${partition}`)
      return range ? [{ topic, partition, offset: String(range.next) }] : []
    }),
  )
}

/** The records of the range, partition by partition in offset order (partitions interleaved as fetched). */
export async function* readTimeRange(options: RangeOptions): AsyncGenerator<SourceRecord> {
  const kafka = createKafkaClient(options)
  const admin = kafka.admin()
  let ranges: PartitionRange[] = []
  try {
    await admin.connect()
    for (const topic of options.topics) {
      const [starts, ends] = await Promise.all([
        admin.fetchTopicOffsetsByTimestamp(topic, options.fromMs),
        admin.fetchTopicOffsetsByTimestamp(topic, options.toMs),
      ])
      ranges = ranges.concat(rangesOf(topic, starts, ends))
    }
  } catch (error) {
    throw new InfrastructureError(`kafka: ${(error as Error).message}`, 'kafka', true, { cause: error })
  } finally {
    await admin.disconnect()
  }
  if (ranges.length === 0) return
  const remaining = new Map(ranges.map((r) => [`${r.topic}:${r.partition}`, r]))
  let stopping = false
  const consumer = kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    retry: { restartOnFailure: restartUnlessStopping(() => stopping) },
  })
  // One batch at a time: the reader's pace is the processor's (bounded memory).
  const queue: { records: SourceRecord[]; done: () => void }[] = []
  let wake: (() => void) | null = null
  // widened: set in a callback, which narrowing from the initializer cannot see
  let failure = null as Error | null
  const notify = () => {
    wake?.()
    wake = null
  }
  // A retriable crash (a coordinator still loading, say) restarts the consumer with a new group
  // session: only a crash it gives up on ends the read.
  consumer.on(consumer.events.CRASH, (event) => {
    if (event.payload.restart) return
    failure = new InfrastructureError(`kafka: ${event.payload.error.message}`, 'kafka', true, { cause: event.payload.error })
    notify()
  })
  // The group never commits, so every join (the first, or one after a restart or rebalance) would
  // start from the beginning: seek each assigned partition to where this read stands. A seek is
  // only possible once the group exists, which the join event guarantees.
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    for (const seek of resumeSeeks(event.payload.memberAssignment, remaining)) consumer.seek(seek)
  })
  try {
    await consumer.connect()
    await consumer.subscribe({ topics: options.topics, fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload
        const range = remaining.get(`${batch.topic}:${batch.partition}`)
        if (!range || !payload.isRunning() || payload.isStale()) return
        const records = batch.messages
          .filter((m) => Number(m.offset) >= range.next && Number(m.offset) < range.end)
          .map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: Number(m.offset),
            value: m.value,
            timestampMs: Number(m.timestamp),
          }))
        const last = Number(batch.lastOffset())
        range.next = Math.max(range.next, last + 1)
        if (last >= range.end - 1) {
          remaining.delete(`${batch.topic}:${batch.partition}`)
          consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }])
        }
        await new Promise<void>((done) => {
          queue.push({ records, done })
          notify()
        })
      },
    })
    for (;;) {
      const next = queue.shift()
      if (next) {
        yield* next.records
        next.done()
        continue
      }
      if (failure) throw failure
      if (remaining.size === 0) return
      await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    stopping = true
    for (const waiting of queue.splice(0)) waiting.done()
    await stopConsumer(consumer)
  }
}

async function stopConsumer(consumer: Consumer): Promise<void> {
  try {
    await consumer.disconnect()
  } catch {
    // already gone: nothing was committed, so nothing is lost
  }
}
