// Phase 0: the topics and the generated stream the other phases consume.
import { generateRecords, type GeneratedRecord } from '../../src/generator/index.js'
import { KafkaWriter } from '../../src/sources/kafka/producer.js'
import { createTopics } from '../../test/support/kafka-broker.js'
import { log } from './log.js'

export const PARTITIONS = 6
/** Records per send, and sends in flight: enough to keep the broker busy without holding the stream in memory. */
const BATCH = 4000
const SENDS_IN_FLIGHT = 4

export interface Topics {
  messages: string
  moderation: string
  reports: string
}

export interface Produced {
  records: number
  bytes: number
  messageEvents: number
  byKind: Record<string, number>
  seconds: number
}

/** Three new topics of PARTITIONS partitions each, named after this run. */
export async function createBenchTopics(brokers: string[], suffix: string): Promise<Topics> {
  const topics: Topics = { messages: `bench-msg-${suffix}`, moderation: `bench-mod-${suffix}`, reports: `bench-rep-${suffix}` }
  await createTopics(brokers, Object.values(topics), PARTITIONS)
  return topics
}

const FOLLOW_UP_TAIL_MS = 5 * 86_400_000

/**
 * Event time: 50 messages per second (the generator's default rate), ending FOLLOW_UP_TAIL_MS ago, so
 * that the follow-ups the generator flushes after the last message (moderation, reports, edits due
 * up to about four days later) are in the past too: dated in the future they would be ts_in_future
 * dead letters, and the counts check would miss them.
 */
export function defaultStartMs(messages: number): number {
  return Date.now() - FOLLOW_UP_TAIL_MS - Math.ceil((messages / 50) * 1000)
}

/**
 * `messages` message events (seed 1) with their moderation, report, duplicate and malformed records,
 * keyed by chat id (the generator's 1 % keyless records aside, unless `keyless` is 0). `startMs`: the
 * first event time (default: see below); two calls with the same one produce the same records.
 */
export async function produceBulk(
  brokers: string[],
  topics: Topics,
  messages: number,
  { startMs = defaultStartMs(messages), keyless }: { startMs?: number; keyless?: number } = {},
): Promise<Produced> {
  const writer = new KafkaWriter({ brokers, clientId: 'bench-producer', partitions: PARTITIONS })
  await writer.connect(Object.values(topics))
  const started = performance.now()
  const produced: Produced = { records: 0, bytes: 0, messageEvents: 0, byKind: {}, seconds: 0 }
  const inFlight = new Set<Promise<void>>()
  const send = async (batch: GeneratedRecord[]) => {
    const tracked = writer.send(batch).finally(() => inFlight.delete(tracked))
    inFlight.add(tracked)
    if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight)
  }
  const batch: GeneratedRecord[] = []
  let lastReport = performance.now()
  try {
    for (const record of generateRecords({
      seed: 1,
      messages,
      startMs,
      topics,
      ...(keyless === undefined ? {} : { nullKeyShare: keyless }),
    })) {
      batch.push(record)
      count(produced, record)
      if (batch.length >= BATCH) await send(batch.splice(0))
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now()
        log(`  produced ${produced.records.toLocaleString('en')} records`)
      }
    }
    if (batch.length > 0) await send(batch)
    await Promise.all(inFlight)
  } finally {
    await writer.close()
  }
  return { ...produced, messageEvents: produced.byKind.message ?? 0, seconds: (performance.now() - started) / 1000 }
}

function count(produced: Produced, record: GeneratedRecord): void {
  produced.records++
  produced.bytes += record.value.length
  produced.byKind[record.kind] = (produced.byKind[record.kind] ?? 0) + 1
}

/** A stable partition per key (chat id), round robin without one: the keyed producer contract. */
export function partitionOf(key: string | null, counter: number): number {
  if (key === null) return counter % PARTITIONS
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return (h >>> 0) % PARTITIONS
}
