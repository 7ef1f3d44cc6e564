/**
 * Writes records to Kafka (the generator's `--kafka` mode and the benchmark): creates the topics if
 * missing, then produces in batches, keyed by chat id. The only other module that imports kafkajs.
 */
import { Kafka, logLevel, CompressionTypes, Partitioners } from 'kafkajs'
import { InfrastructureError } from '../../domain/errors.js'

export interface ProducedRecord {
  topic: string
  key: string | null
  value: Buffer
}

export interface KafkaWriterOptions {
  brokers: string[]
  clientId: string
  /** Partitions for topics that do not exist yet. */
  partitions: number
}

export class KafkaWriter {
  private readonly kafka: Kafka
  private readonly producer
  private readonly known = new Set<string>()

  constructor(private readonly options: KafkaWriterOptions) {
    this.kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.ERROR })
    // Named, not defaulted: kafkajs warns on every start when no partitioner is given.
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner })
  }

  async connect(topics: string[]): Promise<void> {
    const admin = this.kafka.admin()
    try {
      await admin.connect()
      const existing = new Set(await admin.listTopics())
      const missing = topics.filter((t) => !existing.has(t))
      if (missing.length > 0) {
        await admin.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions, replicationFactor: 1 })),
          waitForLeaders: true,
        })
      }
      for (const t of topics) this.known.add(t)
      await this.producer.connect()
    } catch (error) {
      throw new InfrastructureError(`kafka: ${(error as Error).message}`, 'kafka', true, { cause: error })
    } finally {
      await admin.disconnect().catch(() => {})
    }
  }

  async send(records: readonly ProducedRecord[]): Promise<void> {
    const byTopic = new Map<string, { key: string | null; value: Buffer }[]>()
    for (const r of records) {
      let list = byTopic.get(r.topic)
      if (!list) byTopic.set(r.topic, (list = []))
      list.push({ key: r.key, value: r.value })
    }
    await this.producer.sendBatch({
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    })
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => {})
  }
}
