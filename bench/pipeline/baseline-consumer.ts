// The baselines' consumer, run as its own process by ./baselines.ts: a bare kafkajs consumer group
// with the processor's consumer settings (config/default.yaml) whose eachBatch does one of two kinds
// of work per batch, then prints { records, seconds } from the first batch to the last record.
//  - 'c0': counts the batch's records and nothing else (the Kafka client's own ceiling).
//  - 'floor': the irreducible work per record, on this one thread: UTF-8 decoding and JSON.parse,
//    then, for a record with a text, NFKC normalization with case folding and a 64-bit hash of it.
import { Kafka, logLevel } from 'kafkajs'
import { loadConfig } from '../../src/config/load.js'
import { murmur3Utf16Pair, PAIR } from '../../src/fingerprint/hash.js'
import { jobOf, reportAndExit } from './child-job.js'

export type BaselineWork = 'c0' | 'floor'

export interface BaselineJob {
  work: BaselineWork
  brokers: string[]
  topics: string[]
  group: string
  /** Records to consume before stopping. */
  expected: number
}

export interface BaselineResult {
  records: number
  seconds: number
  /** XOR of the floor's hashes: the result of its work is used, so no part of it can be skipped. */
  checksum: number
}

/**
 * The hash is MurmurHash3 x86_32 in two lanes over the string's UTF-16 units (the loop the
 * fingerprint stage uses for its exact hash): 64 bits, no allocation and no UTF-8 re-encoding. On the
 * development machine it takes 0.3 µs for a 90-character text, against 1.3 µs for node:crypto's
 * fastest call (`crypto.hash('sha1', text)`) and 2.2 µs for `createHash('md5')`, which encode the
 * string to UTF-8 and cross into C++ on every call; a duplicate key needs no cryptographic strength.
 */
function floorHash(record: Buffer | null): number {
  if (!record) return 0
  let event: unknown
  try {
    event = JSON.parse(record.toString('utf8'))
  } catch {
    return 0 // a malformed record: parsing it was the work
  }
  const text = (event as { text?: unknown } | null)?.text
  if (typeof text !== 'string') return 0
  murmur3Utf16Pair(text.normalize('NFKC').toLowerCase(), 0x9747b28c, 0x5bd1e995)
  return (PAIR[0] as number) ^ (PAIR[1] as number)
}

async function consumeAll({ work, brokers, topics, group, expected }: BaselineJob): Promise<BaselineResult> {
  const { kafka: settings } = loadConfig({ env: {} }).settings
  const kafka = new Kafka({ clientId: `bench-${work}`, brokers, logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({
    groupId: group,
    sessionTimeout: settings.session_timeout_ms,
    rebalanceTimeout: settings.rebalance_timeout_ms,
    heartbeatInterval: settings.heartbeat_interval_ms,
    maxBytesPerPartition: settings.max_bytes_per_partition,
    maxBytes: settings.max_bytes,
    maxWaitTimeInMs: settings.max_wait_ms,
    allowAutoTopicCreation: false,
  })
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning: true })
  let records = 0
  let checksum = 0
  let first = 0
  const last = await new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: settings.partitions_consumed_concurrently,
      eachBatch: ({ batch }) => {
        if (first === 0) first = performance.now()
        if (work === 'floor') for (const message of batch.messages) checksum ^= floorHash(message.value)
        records += batch.messages.length
        if (records >= expected) resolve(performance.now())
        return Promise.resolve()
      },
    })
  })
  await consumer.disconnect()
  return { records, seconds: (last - first) / 1000, checksum: checksum >>> 0 }
}

reportAndExit(await consumeAll(jobOf<BaselineJob>()))
