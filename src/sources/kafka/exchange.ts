/**
 * The campaign exchange (docs/scale-out.md): every instance of a consumer group publishes what it
 * fingerprinted to one topic and reads what the others published, so each instance's campaign index
 * sees the whole stream. Each instance reads every partition of the topic, through a consumer group
 * of its own (kafkajs consumes only through groups), from `lookbackMs` before its start: older
 * entries are in ClickHouse, which the index is rebuilt from at start. Nothing is committed; the
 * topic is a feed, not a source of facts: losing an entry costs at most a campaign found twice,
 * which the next shared entry of that campaign merges again.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { InfrastructureError } from '../../domain/errors.js'
import { SharedEntry, type SharedBatchV1 } from '../../domain/exchange.js'
import { createKafkaClient, ownedConsumerRetry, type KafkaClientOptions } from './client.js'
import { resumeSeeks } from './range.js'
import { errorTypes } from './source.js'
import type { ExchangeObserver } from '../../domain/observers.js'

export interface CampaignExchangeOptions extends KafkaClientOptions {
  topic: string
  /** The processors' group id: this instance's exchange group is derived from it. */
  groupId: string
  /** Partitions and retention when the topic has to be created. */
  partitions: number
  retentionMs: number
  /** How far back before the start this instance reads (entries not yet in ClickHouse). */
  lookbackMs: number
}

const checkEntry = TypeCompiler.Compile(SharedEntry)
/** Entries per record: about 1 KB each, well under the broker's default 1 MB message limit. */
const ENTRIES_PER_RECORD = 500

export class CampaignExchange {
  /** This instance's name in the records it publishes (it skips its own). */
  readonly origin = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`
  private readonly originBytes = Buffer.from(this.origin)
  private readonly kafka: Kafka
  private readonly producer: Producer
  private readonly consumer: Consumer
  private sending: Promise<void> = Promise.resolve()
  private stopping = false

  constructor(
    private readonly options: CampaignExchangeOptions,
    private readonly observer: ExchangeObserver,
  ) {
    this.kafka = createKafkaClient(options, () => !this.stopping)
    // Named, not defaulted: kafkajs warns on every start when no partitioner is given.
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner })
    this.consumer = this.kafka.consumer({
      groupId: `${options.groupId}.exchange.${this.origin}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      retry: ownedConsumerRetry(() => this.stopping),
    })
  }

  /** Creates the topic if missing, then delivers the other instances' entries to `onEntry` as they come. */
  async start(onEntry: (entry: SharedEntry) => void): Promise<void> {
    const startedMs = Date.now()
    const admin = this.kafka.admin()
    try {
      await admin.connect()
      if (!(await admin.listTopics()).includes(this.options.topic)) {
        await admin
          .createTopics({
            topics: [
              {
                topic: this.options.topic,
                numPartitions: this.options.partitions,
                configEntries: [{ name: 'retention.ms', value: String(this.options.retentionMs) }],
              },
            ],
            // kafkajs' own wait retries only LEADER_NOT_AVAILABLE, and a KRaft broker first answers
            // UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created: waited for below instead.
            waitForLeaders: false,
          })
          .catch((error: Error) => {
            // another instance created it in the meantime
            if (!/already exists/i.test(error.message)) throw error
          })
        await whileNotServedYet(() => admin.fetchTopicOffsets(this.options.topic))
      }
      // Where each partition is read from: first the lookback's offsets, then past what was delivered.
      // Nothing is committed, so every join (the first, or one after kafkajs restarts a crashed
      // consumer, when a coordinator was still loading, say) would start at the end: each join seeks
      // to these instead. A seek needs the group kafkajs creates for the join, hence the event.
      const next = new Map<string, { next: number }>()
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(
        this.options.topic,
        startedMs - this.options.lookbackMs,
      )) {
        next.set(`${this.options.topic}:${partition}`, { next: Number(offset) })
      }
      this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
        for (const seek of resumeSeeks(event.payload.memberAssignment, next)) this.consumer.seek(seek)
      })
      await this.producer.connect()
      await this.consumer.connect()
      // The consumer reads metadata of its own, which can lag behind what the admin client was answered.
      await whileNotServedYet(() => this.consumer.subscribe({ topics: [this.options.topic], fromBeginning: false }))
      await this.consumer.run({
        autoCommit: false,
        eachBatch: async (payload) => {
          const { batch } = payload
          const position = next.get(`${batch.topic}:${batch.partition}`)
          let fetched = 0
          for (const message of batch.messages) fetched += message.value?.length ?? 0
          this.observer.exchangedBytes('fetched', fetched)
          for (const message of batch.messages) {
            // a crashed session's batch stops here: the next join resumes from `position`
            if (!payload.isRunning() || payload.isStale()) return
            if (position) position.next = Math.max(position.next, Number(message.offset) + 1)
            if (publishedBy(message.headers?.[ORIGIN_HEADER], this.originBytes)) continue
            this.receive(message.value, onEntry)
            // up to 500 entries per record: let the processing loop run between records
            await new Promise<void>((resolve) => setImmediate(resolve))
          }
        },
      })
    } catch (error) {
      throw new InfrastructureError(`kafka (campaign exchange): ${(error as Error).message}`, 'kafka', true, { cause: error })
    } finally {
      await admin.disconnect().catch(() => {})
    }
  }

  /** Publishes entries in the background, in order; a failed send is logged and counted, not retried (see the module comment). */
  publish(entries: readonly SharedEntry[]): void {
    if (entries.length === 0) return
    const messages: { value: Buffer; headers: Record<string, string> }[] = []
    let bytes = 0
    for (let i = 0; i < entries.length; i += ENTRIES_PER_RECORD) {
      const batch: SharedBatchV1 = { v: 1, origin: this.origin, entries: entries.slice(i, i + ENTRIES_PER_RECORD) }
      // Encoded here, once: kafkajs would encode a string value itself, and its size is counted too.
      const value = Buffer.from(JSON.stringify(batch))
      bytes += value.length
      messages.push({ value, headers: { [ORIGIN_HEADER]: this.origin } })
    }
    this.sending = this.sending
      .then(() => this.producer.send({ topic: this.options.topic, messages }))
      .then(
        () => {
          this.observer.exchanged('published', entries.length)
          this.observer.exchangedBytes('published', bytes)
        },
        (error: Error) =>
          this.options.logger.warn(
            { err: error.message, entries: entries.length },
            'campaign exchange: publishing failed; other instances may found these campaigns again',
          ),
      )
  }

  async stop(): Promise<void> {
    this.stopping = true
    await this.sending
    await this.consumer.disconnect().catch(() => {})
    await this.producer.disconnect().catch(() => {})
  }

  private receive(value: Buffer | null, onEntry: (entry: SharedEntry) => void): void {
    let batch: unknown
    try {
      batch = JSON.parse(value?.toString('utf8') ?? 'null')
    } catch {
      batch = null
    }
    if (!isBatch(batch)) {
      this.observer.exchanged('rejected', 1)
      this.options.logger.warn({ topic: this.options.topic }, 'campaign exchange: a record that is not a v1 batch; skipped')
      return
    }
    if (batch.origin === this.origin) return
    let accepted = 0
    for (const entry of batch.entries) {
      if (!checkEntry.Check(entry)) continue
      onEntry(entry)
      accepted++
    }
    this.observer.exchanged('received', accepted)
    if (accepted < batch.entries.length) {
      this.observer.exchanged('rejected', batch.entries.length - accepted)
      this.options.logger.warn(
        { origin: batch.origin, rejected: batch.entries.length - accepted },
        'campaign exchange: entries that do not match the schema; skipped',
      )
    }
  }
}

/**
 * The record header naming the publishing instance, the same as the batch's `origin`: an instance
 * recognises its own records by it and skips them unparsed. With one instance every record is its
 * own, and parsing them only to drop them cost about as much as the publishing.
 */
export const ORIGIN_HEADER = 'origin'

/** Whether a record's origin header names this instance; a record without one is parsed and its batch's origin checked. */
export function publishedBy(header: Buffer | string | (Buffer | string)[] | undefined, origin: Buffer): boolean {
  if (header === undefined || Array.isArray(header)) return false
  return typeof header === 'string' ? origin.equals(Buffer.from(header)) : origin.equals(header)
}

/** How long a topic just created may take until every partition's leader serves it. */
const NEW_TOPIC_READY_MS = 60_000
/** Errors of a topic that exists but whose partitions are not served yet (KRaft propagates new topics asynchronously). */
const NOT_SERVED_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION'])

/**
 * Runs an operation on a topic just created until its partitions are served. Right after
 * createTopics a broker can still answer "This server does not host this topic-partition", and
 * neither the admin's offsets request nor the consumer's subscribe retries that: on a loaded
 * machine (or a broker whose first topic this is) the start failed that way, naming the exchange.
 */
async function whileNotServedYet<T>(operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + NEW_TOPIC_READY_MS
  for (let delayMs = 100; ; delayMs = Math.min(2_000, delayMs * 2)) {
    try {
      return await operation()
    } catch (error) {
      // kafkajs wraps the protocol error once its own retries are spent
      if (!errorTypes(error).some((type) => NOT_SERVED_YET.has(type)) || Date.now() + delayMs > deadline) throw error
      await new Promise<void>((resolve) => setTimeout(resolve, delayMs))
    }
  }
}

function isBatch(value: unknown): value is { v: 1; origin: string; entries: unknown[] } {
  if (typeof value !== 'object' || value === null) return false
  const batch = value as Record<string, unknown>
  return batch.v === 1 && typeof batch.origin === 'string' && Array.isArray(batch.entries)
}
