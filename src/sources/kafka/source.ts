/**
 * The Kafka source: a kafkajs consumer group feeding the processor batch-wise, and the checkpointer
 * that keeps each partition's committed offset, plus the "in flight" range of a batch being written,
 * in the group's offset commits (commit metadata).
 */
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs'
import { createKafkaClient, type KafkaClientOptions } from './client.js'
import { InfrastructureError } from '../../domain/errors.js'
import type { BatchRange, PartitionCheckpoint, SourceRecord } from '../../domain/ports.js'
import { OwnershipLostError, type Checkpointer } from '../../pipeline/processor.js'

export interface KafkaSourceOptions extends KafkaClientOptions {
  groupId: string
  topics: string[]
  fromBeginning: boolean
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  heartbeatIntervalMs: number
  maxBytesPerPartition: number
  maxBytes: number
  maxWaitTimeMs: number
  partitionsConsumedConcurrently: number
}

export interface RecordHandler {
  /** May ask the source to read the partition again from an earlier offset. */
  accept(topic: string, partition: number, records: readonly SourceRecord[]): Promise<{ seekTo: number } | null>
  resetAssignments(): void
}

/** Errors after which the member is no longer in the generation that owned the partitions. */
const OWNERSHIP_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'])
const METADATA_VERSION = 1

export class KafkaSource implements Checkpointer {
  private readonly kafka: Kafka
  private readonly consumer: Consumer
  private readonly admin: Admin
  private joined = false
  private pausedTopics = false
  private rebalanceListener: (() => void) | null = null

  constructor(private readonly options: KafkaSourceOptions) {
    this.kafka = createKafkaClient(options)
    this.consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxBytes: options.maxBytes,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    })
    this.admin = this.kafka.admin()
  }

  get ready(): boolean {
    return this.joined
  }

  /** Called on every group join (a rebalance), before the new generation's batches arrive. */
  onRebalance(listener: () => void): void {
    this.rebalanceListener = listener
  }

  async start(handler: RecordHandler): Promise<void> {
    const { GROUP_JOIN, CRASH, DISCONNECT, STOP } = this.consumer.events
    this.consumer.on(GROUP_JOIN, (event) => {
      this.joined = true
      handler.resetAssignments()
      this.rebalanceListener?.()
      this.options.logger.info({ assignment: event.payload.memberAssignment, generation: event.payload.groupId }, 'joined consumer group')
    })
    this.consumer.on(CRASH, (event) => {
      this.joined = false
      this.options.logger.error({ err: event.payload.error?.message, restart: event.payload.restart }, 'consumer crashed')
    })
    this.consumer.on(DISCONNECT, () => {
      this.joined = false
    })
    this.consumer.on(STOP, () => {
      this.joined = false
    })
    try {
      await this.admin.connect()
      await this.consumer.connect()
      await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning })
    } catch (error) {
      throw new InfrastructureError(`kafka: ${(error as Error).message}`, 'kafka', true, { cause: error })
    }
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }: EachBatchPayload) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return
        const records: SourceRecord[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: Number(m.offset),
          value: m.value,
          timestampMs: Number(m.timestamp),
        }))
        const answer = await handler.accept(batch.topic, batch.partition, records)
        if (answer) this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(answer.seekTo) })
        await heartbeat()
      },
    })
  }

  pause(): void {
    if (this.pausedTopics) return
    this.pausedTopics = true
    this.consumer.pause(this.options.topics.map((topic) => ({ topic })))
  }

  resume(): void {
    if (!this.pausedTopics) return
    this.pausedTopics = false
    this.consumer.resume(this.options.topics.map((topic) => ({ topic })))
  }

  async load(topic: string, partition: number): Promise<PartitionCheckpoint> {
    try {
      const offsets = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] })
      const entry = offsets.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition)
      if (!entry) return { nextOffset: -1, inflightLastOffset: null }
      return { nextOffset: Number(entry.offset), inflightLastOffset: parseInflight(entry.metadata) }
    } catch (error) {
      throw new InfrastructureError(`kafka: fetching committed offsets: ${(error as Error).message}`, 'kafka', true, { cause: error })
    }
  }

  markInflight(ranges: BatchRange[]): Promise<void> {
    return this.commitRanges(
      ranges.map((r) => ({ topic: r.topic, partition: r.partition, offset: String(r.firstOffset), metadata: JSON.stringify({ v: METADATA_VERSION, inflight_last: r.lastOffset }) })),
    )
  }

  commit(ranges: BatchRange[]): Promise<void> {
    return this.commitRanges(ranges.map((r) => ({ topic: r.topic, partition: r.partition, offset: String(r.lastOffset + 1), metadata: null })))
  }

  private async commitRanges(offsets: { topic: string; partition: number; offset: string; metadata: string | null }[]): Promise<void> {
    try {
      await this.consumer.commitOffsets(offsets as Parameters<Consumer['commitOffsets']>[0])
    } catch (error) {
      const type = errorTypes(error).find((t) => OWNERSHIP_ERRORS.has(t))
      if (type) throw new OwnershipLostError(`commit refused: ${type}`)
      throw new InfrastructureError(`kafka: commit: ${(error as Error).message}`, 'kafka', true, { cause: error })
    }
  }

  /** High watermarks per partition of the subscribed topics, for lag metrics. */
  async highWatermarks(): Promise<{ topic: string; partition: number; high: number }[]> {
    const result: { topic: string; partition: number; high: number }[] = []
    for (const topic of this.options.topics) {
      const offsets = await this.admin.fetchTopicOffsets(topic)
      for (const p of offsets) result.push({ topic, partition: p.partition, high: Number(p.high) })
    }
    return result
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => {})
    await this.admin.disconnect().catch(() => {})
  }
}

/**
 * The Kafka error codes of an error and of the errors it wraps: kafkajs reports a refused commit
 * as the protocol error itself, or wrapped (`originalError` after its retries, `cause` when not
 * retriable), and a generation that ended must be recognised in every form.
 */
export function errorTypes(error: unknown): string[] {
  const types: string[] = []
  for (let e = error as { type?: unknown; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.type === 'string') types.push(e.type)
    e = (e.originalError ?? e.cause) as typeof e
  }
  return types
}

/** The in-flight range recorded by markInflight, or null (plain commit, or metadata of another writer). */
export function parseInflight(metadata: string | null | undefined): number | null {
  if (!metadata) return null
  try {
    const parsed = JSON.parse(metadata) as { v?: unknown; inflight_last?: unknown }
    return parsed.v === METADATA_VERSION && typeof parsed.inflight_last === 'number' ? parsed.inflight_last : null
  } catch {
    return null
  }
}
