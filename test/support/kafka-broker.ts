// Test/benchmark helpers around the real Kafka broker harness in scripts/kafka/broker.mjs.
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafkaJars, freePort, kafkaVersion, startBroker } from '../../scripts/kafka/broker.mjs';

export type { KafkaBroker, RestartOptions, StartBrokerOptions } from '../../scripts/kafka/broker.mjs';
export { ensureKafkaJars, freePort, kafkaVersion, startBroker };

export interface CreateTopicsOptions {
  /** Give up after this long waiting for leaders. Default 30000. */
  timeoutMs?: number;
  /** Extra topic configs, e.g. { 'retention.ms': '60000' }. */
  configs?: Record<string, string>;
}

/**
 * Creates topics (replication factor 1) and waits until every partition has a leader.
 * Topics that already exist are left as they are (their partitions still get waited for).
 */
export async function createTopics(
  brokers: string[],
  topics: string[],
  partitions = 6,
  options: CreateTopicsOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const configEntries = Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value }));
  const kafka = new Kafka({ clientId: 'kafka-harness-admin', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: 1,
        configEntries,
      })),
      waitForLeaders: true,
      timeout: timeoutMs,
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let ready = false;
      try {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics });
        ready =
          meta.length === topics.length &&
          meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      } catch {
        ready = false; // UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE while metadata propagates
      }
      if (ready) return;
      if (Date.now() > deadline) {
        throw new Error(`topics ${topics.join(', ')} have no leader for every partition after ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
