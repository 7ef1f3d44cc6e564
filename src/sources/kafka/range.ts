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
import { createKafkaClient, type KafkaClientOptions } from './client.js'

export interface RangeOptions extends KafkaClientOptions {
  topics: string[]
  /** a group of this read alone: it never commits */
  groupId: string
  fromMs: number
  toMs: number
}

interface PartitionRange {
  topic: string
  partition: number
  /** first offset to read */
  start: number
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
    .map((s) => ({ topic, partition: s.partition, start: Number(s.offset), end: endOf.get(s.partition) ?? Number(s.offset) }))
    .filter((r) => r.end > r.start)
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
  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false })
  // One batch at a time: the reader's pace is the processor's (bounded memory).
  const queue: { records: SourceRecord[]; done: () => void }[] = []
  let wake: (() => void) | null = null
  // widened: set in a callback, which narrowing from the initializer cannot see
  let failure = null as Error | null
  const notify = () => {
    wake?.()
    wake = null
  }
  consumer.on(consumer.events.CRASH, (event) => {
    failure = new InfrastructureError(`kafka: ${event.payload.error.message}`, 'kafka', true, { cause: event.payload.error })
    notify()
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
          .filter((m) => Number(m.offset) >= range.start && Number(m.offset) < range.end)
          .map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: Number(m.offset),
            value: m.value,
            timestampMs: Number(m.timestamp),
          }))
        const last = Number(batch.lastOffset())
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
    for (const r of ranges) consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.start) })
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
