// Topics on a harness broker, created the way the tests need them: ready when this resolves.
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { sleep } from './processes.js'

export interface CreateTopicsOptions {
  /** Give up after this long waiting for leaders. Default 30000. */
  timeoutMs?: number
  /** Extra topic configs, e.g. { 'retention.ms': '60000' }. */
  configs?: Record<string, string>
}

/**
 * Creates topics (replication factor 1) and waits until every partition has a leader.
 * Topics that already exist are left as they are (their partitions still get waited for).
 */
export async function createTopics(brokers: string[], topics: string[], partitions = 6, options: CreateTopicsOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const configEntries = Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value }))
  const kafka = new Kafka({ clientId: 'kafka-harness-admin', brokers, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, configEntries })),
      waitForLeaders: true,
      timeout: timeoutMs,
    })
    const deadline = Date.now() + timeoutMs
    while (!(await everyPartitionLed(admin, topics))) {
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leader for every partition after ${timeoutMs} ms`)
      await sleep(100)
    }
  } finally {
    await admin.disconnect()
  }
}

async function everyPartitionLed(admin: Admin, topics: string[]): Promise<boolean> {
  try {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics })
    return metadata.length === topics.length && metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
  } catch {
    // UNKNOWN_TOPIC_OR_PARTITION or LEADER_NOT_AVAILABLE while the metadata propagates
    return false
  }
}
