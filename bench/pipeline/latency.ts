// Phase 3: produce → queryable latency at a fixed rate. A live stream is produced while the processor
// runs; each record's send time is kept with its (topic, partition, offset), and every 100 ms the
// group's committed offsets are read: a record's latency is the first poll at which the committed
// offset passed it, minus its send time. The processor commits a range only after ClickHouse
// confirmed its inserts, so from that moment the record's minute is queryable.
import { CompressionTypes, Kafka, logLevel, type Admin, type Producer, type RecordMetadata } from 'kafkajs'
import { generateRecords, type GeneratedRecord } from '../../src/generator/index.js'
import { sleep } from '../../test/support/harness.js'
import type { MeasuredProcessor } from './measured-processor.js'
import { sum, windowOf, type Window } from './metrics.js'
import { percentile } from './numbers.js'
import { partitionOf, type Topics } from './stream.js'

const POLL_INTERVAL_MS = 100
const TICK_MS = 20
const DRAIN_TIMEOUT_MS = 120_000

export interface LatencyResult {
  targetRate: number
  achievedRate: number
  records: number
  messageEvents: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  /** Mean round trip of one committed-offsets poll (part of every latency). */
  pollMs: number
  window: Window
}

/** Offsets [first, last] of one partition, sent at `sentAt`. */
interface Segment {
  first: number
  last: number
  sentAt: number
}

export async function measureLatency(
  processor: MeasuredProcessor,
  brokers: string[],
  topics: Topics,
  rate: number,
  seconds: number,
  alreadyWritten: number,
): Promise<LatencyResult> {
  const kafka = new Kafka({ clientId: 'bench-live', brokers, logLevel: logLevel.ERROR })
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  const admin = kafka.admin()
  await producer.connect()
  await admin.connect()
  try {
    const poller = new CommittedOffsetPoller(admin, processor.env.ABUSE_RADAR__KAFKA__GROUP_ID as string, Object.values(topics))
    const before = await processor.metrics()
    await processor.loop()
    const started = performance.now()
    const live = await produceLive(producer, poller, topics, rate, seconds)
    const after = await waitWritten(processor, alreadyWritten + live.records)
    const loop = await processor.loop()
    const windowSeconds = (performance.now() - started) / 1000
    const latencies = await poller.drain()
    return summarise(rate, live, latencies, poller.meanPollMs, windowOf(before, after, windowSeconds, live.records, loop))
  } finally {
    await producer.disconnect()
    await admin.disconnect()
  }
}

function summarise(rate: number, live: LiveStream, latencies: number[], pollMs: number, window: Window): LatencyResult {
  const sorted = Float64Array.from(latencies).sort()
  return {
    targetRate: rate,
    achievedRate: live.records / live.seconds,
    records: live.records,
    messageEvents: live.messageEvents,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
    pollMs,
    window,
  }
}

/** Until the processor has written `total` records since it started. */
async function waitWritten(processor: MeasuredProcessor, total: number) {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS
  let samples = await processor.metrics()
  while (sum(samples, 'abuse_records_written_total') < total) {
    if (performance.now() > deadline) {
      throw new Error(`latency phase: ${sum(samples, 'abuse_records_written_total')} of ${total} records written after 2 minutes`)
    }
    await sleep(250)
    samples = await processor.metrics()
  }
  return samples
}

interface LiveStream {
  records: number
  messageEvents: number
  seconds: number
}

/** Produces a live stream (seed 2, event time = now) at `rate` records per second for `seconds`. */
async function produceLive(
  producer: Producer,
  poller: CommittedOffsetPoller,
  topics: Topics,
  rate: number,
  seconds: number,
): Promise<LiveStream> {
  // Event time follows the wall clock: the generator's message rate is set so its records arrive at `rate`.
  const generator = generateRecords({
    seed: 2,
    messages: Math.ceil(rate * seconds * 1.2),
    startMs: Date.now(),
    ratePerSecond: rate / 1.06,
    topics,
  })
  const started = performance.now()
  const stream: LiveStream = { records: 0, messageEvents: 0, seconds: 0 }
  const sends: Promise<void>[] = []
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) - stream.records
    if (due > 0) {
      const records = takeRecords(generator, due)
      stream.messageEvents += records.filter((r) => r.kind === 'message').length
      const sentAt = performance.now()
      const partitioned = records.map((r, i) => ({ ...r, partition: partitionOf(r.key, stream.records + i) }))
      stream.records += due
      sends.push(sendExplicit(producer, partitioned).then((metadata) => poller.track(metadata, partitioned, sentAt)))
    }
    await sleep(TICK_MS)
  }
  await Promise.all(sends)
  return { ...stream, seconds: (performance.now() - started) / 1000 }
}

function takeRecords(generator: Generator<GeneratedRecord>, count: number): GeneratedRecord[] {
  const records: GeneratedRecord[] = []
  for (let i = 0; i < count; i++) {
    const next = generator.next()
    if (next.done) break
    records.push(next.value)
  }
  return records
}

/** One batch with explicit partitions, so each record's offset follows from the produce response. */
function sendExplicit(producer: Producer, records: (GeneratedRecord & { partition: number })[]): Promise<RecordMetadata[]> {
  const byTopic = new Map<string, { key: string | null; value: Buffer; partition: number }[]>()
  for (const { topic, key, value, partition } of records) {
    const list = byTopic.get(topic) ?? []
    list.push({ key, value, partition })
    byTopic.set(topic, list)
  }
  return producer.sendBatch({
    compression: CompressionTypes.None,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  })
}

/** Reads the group's committed offsets every 100 ms; a record below one is written (and queryable). */
class CommittedOffsetPoller {
  private readonly pending = new Map<string, Segment[]>()
  private readonly latencies: number[] = []
  private polling = true
  private drainDeadline = Number.POSITIVE_INFINITY
  private polls = 0
  private pollMsTotal = 0
  private readonly loop: Promise<void>

  constructor(
    private readonly admin: Admin,
    private readonly group: string,
    private readonly topics: string[],
  ) {
    this.loop = this.run()
  }

  get meanPollMs(): number {
    return this.pollMsTotal / Math.max(1, this.polls)
  }

  /** Remembers the offsets a send got, with its send time. */
  track(metadata: RecordMetadata[], records: { topic: string; partition: number }[], sentAt: number): void {
    for (const m of metadata) {
      const id = `${m.topicName}:${m.partition}`
      const sent = records.filter((r) => r.topic === m.topicName && r.partition === m.partition).length
      const base = Number(m.baseOffset)
      const queue = this.pending.get(id) ?? []
      this.pending.set(id, queue)
      // Responses can resolve out of order: keep each queue sorted by offset.
      let at = queue.length
      while (at > 0 && (queue[at - 1] as Segment).first > base) at--
      queue.splice(at, 0, { first: base, last: base + sent - 1, sentAt })
    }
  }

  /** Polls until every tracked record is committed (30 s at most), then returns every latency. */
  async drain(): Promise<number[]> {
    this.drainDeadline = performance.now() + 30_000
    this.polling = false
    await this.loop
    return this.latencies
  }

  private async run(): Promise<void> {
    while (this.polling || [...this.pending.values()].some((queue) => queue.length > 0)) {
      const started = performance.now()
      const committed = await this.admin.fetchOffsets({ groupId: this.group, topics: this.topics })
      const seenAt = performance.now()
      this.polls++
      this.pollMsTotal += seenAt - started
      for (const { topic, partitions } of committed) {
        for (const { partition, offset } of partitions) this.passed(`${topic}:${partition}`, Number(offset), seenAt)
      }
      if (!this.polling && performance.now() > this.drainDeadline)
        throw new Error('latency phase: committed offsets did not reach every produced record')
      await sleep(Math.max(0, POLL_INTERVAL_MS - (performance.now() - seenAt)))
    }
  }

  /** Records of a partition below its committed offset `next` were seen committed at `seenAt`. */
  private passed(id: string, next: number, seenAt: number): void {
    const queue = this.pending.get(id)
    if (!queue || next < 0) return
    while (queue.length > 0) {
      const segment = queue[0] as Segment
      if (segment.first >= next) break
      const upTo = Math.min(segment.last, next - 1)
      for (let offset = segment.first; offset <= upTo; offset++) this.latencies.push(seenAt - segment.sentAt)
      if (upTo === segment.last) queue.shift()
      else segment.first = upTo + 1
    }
  }
}
