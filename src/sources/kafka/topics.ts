/**
 * The check a Kafka consumer makes before it opens anything: every input topic exists. Consuming a
 * missing one would fail later with "This server does not host this topic-partition", which names
 * none; and a processor that stops here has created nothing (no database, no exchange topic).
 */
import { createKafkaClient, type KafkaClientOptions } from './client.js'
import { ConfigError, InfrastructureError } from '../../domain/errors.js'

/** Fails with every topic of `topics` the brokers do not have, named; with a retryable error when they cannot be asked. */
export async function checkInputTopics(options: KafkaClientOptions, topics: readonly string[]): Promise<void> {
  let done = false
  // kafkajs keeps logging while it disconnects; once answered, those lines are no news
  const admin = createKafkaClient(options, () => !done).admin()
  let existing: Set<string>
  try {
    await admin.connect()
    existing = new Set(await admin.listTopics())
  } catch (error) {
    throw new InfrastructureError(`kafka: listing topics: ${(error as Error).message}`, 'kafka', true, { cause: error })
  } finally {
    done = true
    await admin.disconnect().catch(() => {})
  }
  const missing = topics.filter((topic) => !existing.has(topic))
  if (missing.length === 0) return
  throw new ConfigError(
    missing.map(
      (topic) =>
        `kafka.topics: input topic "${topic}" does not exist on ${options.brokers.join(',')}; ` +
        'the processor creates no input topic: create it, or fix the name',
    ),
  )
}
