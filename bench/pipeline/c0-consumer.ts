// The C0 consumer, run as its own process by ./c0.ts: a bare kafkajs consumer group with the processor's
// consumer settings (config/default.yaml) whose eachBatch only counts. It prints one JSON line,
// { records, seconds } from the first batch to the last record, and exits.
import { Kafka, logLevel } from 'kafkajs'
import { loadConfig } from '../../src/config/load.js'

export interface C0Job {
  brokers: string[]
  topics: string[]
  group: string
  /** Records to consume before stopping. */
  expected: number
}

export interface C0Result {
  records: number
  seconds: number
}

async function consumeAll({ brokers, topics, group, expected }: C0Job): Promise<C0Result> {
  const { kafka: settings } = loadConfig({ env: {} }).settings
  const kafka = new Kafka({ clientId: 'bench-c0', brokers, logLevel: logLevel.NOTHING })
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
  let first = 0
  const last = await new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: settings.partitions_consumed_concurrently,
      eachBatch: ({ batch }) => {
        if (first === 0) first = performance.now()
        records += batch.messages.length
        if (records >= expected) resolve(performance.now())
        return Promise.resolve()
      },
    })
  })
  await consumer.disconnect()
  return { records, seconds: (last - first) / 1000 }
}

const result = await consumeAll(JSON.parse(process.env.BENCH_C0 ?? '{}') as C0Job)
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(0)
