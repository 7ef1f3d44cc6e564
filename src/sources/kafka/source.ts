/**
 * The Kafka source: a kafkajs consumer group feeding the processor batch-wise, and the checkpointer
 * that keeps each partition's committed offset, plus the "in flight" range of a batch being written,
 * in the group's offset commits (commit metadata, encoded by src/exactly-once/inflight-metadata.ts).
 *
 * Commits go through the group session that delivered the records (see `commitRanges`), never
 * through `consumer.commitOffsets`: in kafkajs 2.2.4 that call resolves without sending anything
 * while the consumer restarts after a crash (`Runner.commitOffsets` returns when the runner is not
 * running, also from inside its retry loop), and it retries a failed commit with whatever generation
 * the consumer holds at the time, so a commit of one generation can land in the next. Either breaks
 * the exactly-once design: a batch written under an in-flight mark that never reached Kafka is cut
 * differently by the next owner and counted twice.
 */
import type { Admin, Consumer, ConsumerGroupJoinEvent, EachBatchPayload, Kafka } from 'kafkajs'
import { createKafkaClient, ownedConsumerRetry, type KafkaClientOptions } from './client.js'
import { partitionLags, type PartitionLag } from './lag.js'
import { markedRoundRobin, markerOf, membershipProblem } from './membership.js'
import { ConfigError, InfrastructureError } from '../../domain/errors.js'
import type { BatchRange, Checkpointer, PartitionCheckpoint, ReplayStart, SourceRecord } from '../../domain/ports.js'
import { OwnershipLostError } from '../../exactly-once/errors.js'
import { checkpointFromCommit, inflightCommit, writtenCommit, type OffsetCommit } from '../../exactly-once/inflight-metadata.js'

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
  /** How old the topics' metadata may get: new partitions are noticed within this long. */
  metadataMaxAgeMs: number
  /** The store this instance writes to, announced to the group (membership.ts). */
  storeMarker: string
}

export interface RecordHandler {
  /** May ask the source to read the partition again from an earlier offset. */
  accept(topic: string, partition: number, records: readonly SourceRecord[]): Promise<{ seekTo: number } | null>
  resetAssignments(): void
}

/** Errors after which the member is no longer in the generation that owned the partitions. */
const OWNERSHIP_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'])

/** What KafkaSource needs of a kafkajs client (a test passes a model of it). */
export type KafkaClient = Pick<Kafka, 'consumer' | 'admin'>

/** One commit attempt through the consumer group session that delivered the records. */
type SessionCommit = EachBatchPayload['commitOffsetsIfNecessary']

/** How long reading the group's committed offsets waits through retriable errors before it fails. */
const COMMITTED_OFFSETS_PATIENCE_MS = 60_000

export class KafkaSource implements Checkpointer {
  private readonly kafka: KafkaClient
  private readonly consumer: Consumer
  private readonly admin: Admin
  /**
   * `idle` until consumer.run (nothing to pause yet); then `in-group` from each group join until a
   * crash, a disconnect or the stop leaves it `out-of-group` (kafkajs rebuilds the group after a
   * crash it restarts from, and the next join applies the pauses again).
   */
  private state: 'idle' | 'out-of-group' | 'in-group' = 'idle'
  /** the partitions of each topic the group gave this member at its last join (none while out of the group) */
  private assignment: Readonly<Record<string, readonly number[]>> = {}
  private pausedTopics = false
  /** Partitions paused alone (their writes fail), by topic; applied under the topic-wide pause's state. */
  private readonly pausedPartitions = new Map<string, Set<number>>()
  private rebalanceListener: (() => void) | null = null
  /** The commit function of the group session that delivered the latest batch (see commitRanges). */
  private session: SessionCommit | null = null
  private adminConnected: Promise<void> | null = null
  private stopping = false
  /** The latest join's membership check: why this member must not consume, or null; batches wait for it. */
  private membership: Promise<string | null> = Promise.resolve(null)
  private readonly refusalListeners: ((error: ConfigError) => void)[] = []
  /** Settled by the first join's membership check. */
  private readonly firstAdmission: Promise<void>
  private settleFirstAdmission: (problem: string | null) => void = () => {}

  constructor(
    private readonly options: KafkaSourceOptions,
    client?: KafkaClient,
  ) {
    this.kafka = client ?? createKafkaClient(options, () => !this.stopping)
    this.consumer = this.kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [markedRoundRobin(options.storeMarker)],
      metadataMaxAge: options.metadataMaxAgeMs,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxBytes: options.maxBytes,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: ownedConsumerRetry(() => this.stopping),
    })
    this.admin = this.kafka.admin()
    this.firstAdmission = new Promise((resolve, reject) => {
      this.settleFirstAdmission = (problem) => (problem === null ? resolve() : reject(new ConfigError([problem])))
    })
    // settled once: later checks report through onRefused
    this.firstAdmission.catch(() => {})
  }

  /** Resolves when this member has joined the group and passed the membership check; rejects with a refusal. */
  admitted(): Promise<void> {
    return this.firstAdmission
  }

  get ready(): boolean {
    return this.state === 'in-group'
  }

  /** Called on every group join (a rebalance), before the new generation's batches arrive. */
  /** Whether the group gave this member `partition` of `topic` at its last join (and it is still in the group). */
  owns(topic: string, partition: number): boolean {
    return this.state === 'in-group' && (this.assignment[topic]?.includes(partition) ?? false)
  }

  onRebalance(listener: () => void): void {
    this.rebalanceListener = listener
  }

  /** Called when this member is refused by the group's membership check (membership.ts); it consumes nothing more. */
  onRefused(listener: (error: ConfigError) => void): void {
    this.refusalListeners.push(listener)
  }

  async start(handler: RecordHandler): Promise<void> {
    const { GROUP_JOIN, CRASH, DISCONNECT, STOP } = this.consumer.events
    this.consumer.on(GROUP_JOIN, (event) => {
      this.state = 'in-group'
      this.assignment = event.payload.memberAssignment
      this.membership = this.checkMembership(event.payload)
      handler.resetAssignments()
      // A consumer restarted after a crash is a new group session that knows nothing of a pause.
      if (this.pausedTopics || this.pausedPartitions.size > 0) this.applyPauses()
      this.rebalanceListener?.()
      this.options.logger.info({ assignment: event.payload.memberAssignment, memberId: event.payload.memberId }, 'joined consumer group')
    })
    const leftGroup = () => {
      this.state = 'out-of-group'
      this.assignment = {}
    }
    this.consumer.on(CRASH, (event) => {
      leftGroup()
      this.options.logger.error({ err: event.payload.error?.message, restart: event.payload.restart }, 'consumer crashed')
    })
    this.consumer.on(DISCONNECT, leftGroup)
    this.consumer.on(STOP, leftGroup)
    try {
      await this.connectAdmin()
      await this.consumer.connect()
      await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning })
    } catch (error) {
      throw new InfrastructureError(`kafka: ${(error as Error).message}`, 'kafka', true, { cause: error })
    }
    this.state = 'out-of-group'
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload
        if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return
        // Refused: nothing reaches the processor; the group's next generation gives the partitions to the others.
        if ((await this.membership) !== null) return
        this.session = (offsets) => payload.commitOffsetsIfNecessary(offsets)
        const records: SourceRecord[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: Number(m.offset),
          value: m.value,
          timestampMs: Number(m.timestamp),
        }))
        const answer = await handler.accept(batch.topic, batch.partition, records)
        if (answer) this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(answer.seekTo) })
        await payload.heartbeat()
      },
    })
  }

  /** Pauses every input topic (backpressure, a shared step failing); partitions paused alone stay paused after `resume`. */
  pause(): void {
    if (this.pausedTopics) return
    this.pausedTopics = true
    this.applyPauses()
  }

  resume(): void {
    if (!this.pausedTopics) return
    this.pausedTopics = false
    this.applyPauses()
  }

  /**
   * Pauses one partition: kafkajs leaves it out of the next fetches and drops what was fetched for
   * it and not yet delivered; a batch being delivered is still handed over whole. After
   * `resumePartition` it is fetched again from the offset after the last batch delivered (every
   * batch is resolved once handed over), so no record is skipped or seen twice.
   */
  pausePartition(topic: string, partition: number): void {
    const partitions = this.pausedPartitions.get(topic) ?? new Set<number>()
    if (partitions.has(partition)) return
    partitions.add(partition)
    this.pausedPartitions.set(topic, partitions)
    this.applyPauses()
  }

  resumePartition(topic: string, partition: number): void {
    const partitions = this.pausedPartitions.get(topic)
    if (!partitions?.delete(partition)) return
    if (partitions.size === 0) this.pausedPartitions.delete(topic)
    this.applyPauses()
  }

  /**
   * Applies the wanted pauses to the consumer. In kafkajs (SubscriptionState) a topic-wide pause or
   * resume clears the pauses of single partitions, so after a topic-wide resume the partitions paused
   * alone are paused again, in the same synchronous step (no fetch sees them resumed).
   *
   * kafkajs throws while the consumer restarts after a crash (no consumer group yet); the wanted
   * state is kept and applied again when the group is joined.
   */
  private applyPauses(): void {
    // not running yet (a start that failed stops it): the first join applies the state
    if (this.state === 'idle') return
    const topics = this.options.topics.map((topic) => ({ topic }))
    try {
      if (this.pausedTopics) {
        this.consumer.pause(topics)
        return
      }
      this.consumer.resume(topics)
      const held = [...this.pausedPartitions].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }))
      if (held.length > 0) this.consumer.pause(held)
    } catch (error) {
      this.options.logger.warn(
        { err: (error as Error).message, pausedTopics: this.pausedTopics, pausedPartitions: this.pausedPartitions.size },
        'kafka: pause/resume not applied now; applied again on the next group join',
      )
    }
  }

  async load(topic: string, partition: number): Promise<PartitionCheckpoint> {
    return (await this.committed(topic)).get(partition) ?? { nextOffset: -1, inflightLastOffset: null }
  }

  /**
   * Read at start, before the group is joined: a coordinator still loading the group (a broker just
   * started or restarted) answers with a retriable error, asked again with backoff for up to
   * COMMITTED_OFFSETS_PATIENCE_MS. (`load` tries once: the processor retries it, within a generation.)
   */
  async replayStarts(topic: string): Promise<ReplayStart[]> {
    const deadline = Date.now() + COMMITTED_OFFSETS_PATIENCE_MS
    for (let delayMs = 100; ; delayMs = Math.min(2 * delayMs, 2000)) {
      try {
        return [...(await this.committed(topic))].map(([partition, checkpoint]) => ({ topic, partition, offset: checkpoint.nextOffset }))
      } catch (error) {
        if (!isRetriable(error) || this.stopping || Date.now() + delayMs > deadline) throw error
        this.options.logger.warn(
          { err: (error as Error).message, retryInMs: delayMs },
          'kafka: committed offsets not readable yet; asking again',
        )
        await new Promise((resolve) => setTimeout(resolve, delayMs))
      }
    }
  }

  /** The group's checkpoint of each partition of `topic` it has committed. */
  private async committed(topic: string): Promise<Map<number, PartitionCheckpoint>> {
    try {
      await this.connectAdmin()
      const offsets = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] })
      const partitions = offsets.find((t) => t.topic === topic)?.partitions ?? []
      // kafkajs lists a partition never committed with offset -1
      return new Map(
        partitions
          .filter((p) => Number(p.offset) >= 0)
          .map((p) => [p.partition, checkpointFromCommit(Number(p.offset), p.metadata)] as const),
      )
    } catch (error) {
      throw new InfrastructureError(`kafka: fetching committed offsets: ${(error as Error).message}`, 'kafka', true, { cause: error })
    }
  }

  markInflight(ranges: BatchRange[]): Promise<void> {
    return this.commitRanges(ranges, inflightCommit)
  }

  commit(ranges: BatchRange[]): Promise<void> {
    return this.commitRanges(ranges, writtenCommit)
  }

  /**
   * One OffsetCommit request, sent with the generation and member id of the group session that
   * delivered the records, or an error: never a silent no-op, never retried inside kafkajs. The
   * processor retries, checking before every attempt that its generation is still the current one,
   * so a commit cannot land in a later generation than the one that wrote the batch, and a session
   * that is gone (the consumer restarted after a crash) is fenced by the broker like any old member.
   * The function is kafkajs' `commitOffsetsIfNecessary(offsets)` of the eachBatch payload: bound to
   * the consumer group of the runner that delivered the batch, it sends the commit once
   * (`ConsumerGroup.commitOffsets`) and throws the broker's error as it is.
   */
  private async commitRanges(ranges: BatchRange[], commitOf: (range: BatchRange) => OffsetCommit): Promise<void> {
    const session = this.session
    if (!session) throw new InfrastructureError('kafka: commit: no consumer group session has delivered records yet', 'kafka', true)
    const topics = new Map<string, { partition: number; offset: string; metadata: string | null }[]>()
    for (const range of ranges) {
      const { offset, metadata } = commitOf(range)
      const partitions = topics.get(range.topic) ?? []
      partitions.push({ partition: range.partition, offset: String(offset), metadata })
      topics.set(range.topic, partitions)
    }
    try {
      await session({ topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) })
    } catch (error) {
      const type = errorTypes(error).find((t) => OWNERSHIP_ERRORS.has(t))
      if (type) throw new OwnershipLostError(`commit refused: ${type}`, 'AR_COMMIT_REFUSED')
      throw new InfrastructureError(`kafka: commit: ${(error as Error).message}`, 'kafka', true, { cause: error })
    }
  }

  /**
   * The group's lag on every partition of the input topics (lag.ts), held by this member or not: the
   * admin client reads metadata afresh on every call, so a new partition is there at the next poll.
   */
  async lag(): Promise<PartitionLag[]> {
    // kafkajs' admin connects by itself when it is used unconnected, or after (or while) it
    // disconnects, and nothing closes that connection: a stopped member then keeps its process alive.
    if (this.stopping) throw new InfrastructureError('kafka: consumer lag: the source is stopping', 'kafka', false)
    await this.connectAdmin()
    const committed = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: this.options.topics })
    const lags: PartitionLag[] = []
    for (const topic of this.options.topics) {
      const offsets = (await this.admin.fetchTopicOffsets(topic)).map((p) => ({
        partition: p.partition,
        low: Number(p.low),
        high: Number(p.high),
      }))
      const commits = committed.find((t) => t.topic === topic)?.partitions ?? []
      lags.push(...partitionLags(topic, offsets, new Map(commits.map((p) => [p.partition, Number(p.offset)])), this.options.fromBeginning))
    }
    return lags
  }

  /** The membership check of a join (membership.ts); a refusal is told to the listeners once per join. */
  private async checkMembership(join: ConsumerGroupJoinEvent['payload']): Promise<string | null> {
    const { groupId, storeMarker } = this.options
    let problem: string | null
    try {
      // stopping: the member leaves anyway, and the admin client is about to disconnect
      if (this.stopping) return this.settleMembership(null)
      const [group] = (await this.admin.describeGroups([groupId])).groups
      const members = (group?.members ?? []).map((m) => ({
        memberId: m.memberId,
        clientHost: m.clientHost,
        marker: markerOf(m.memberMetadata),
      }))
      problem = membershipProblem(groupId, { memberId: join.memberId, isLeader: join.isLeader, marker: storeMarker }, members)
    } catch (error) {
      // Not knowing the others is no reason to stop consuming: the check runs again on the next join.
      this.options.logger.warn({ err: (error as Error).message }, 'kafka: describing the consumer group failed; membership not checked')
      problem = null
    }
    return this.settleMembership(problem)
  }

  /** Settles the first admission with a join's check and tells the listeners of a refusal. */
  private settleMembership(problem: string | null): string | null {
    this.settleFirstAdmission(problem)
    this.settleFirstAdmission = () => {}
    if (problem !== null) {
      const refusal = new ConfigError([problem])
      for (const listener of this.refusalListeners) listener(refusal)
    }
    return problem
  }

  private connectAdmin(): Promise<void> {
    this.adminConnected ??= this.admin.connect().catch((error: unknown) => {
      this.adminConnected = null
      throw error
    })
    return this.adminConnected
  }

  async stop(): Promise<void> {
    this.stopping = true
    await this.consumer.disconnect().catch(() => {})
    // A join during the stop (the group rebalancing as another member leaves) starts a membership
    // check on the admin client; one still running when the admin disconnects connects it again,
    // and that connection's socket and timers keep the process alive (seen in scale-out.test.ts).
    await this.membership
    await this.admin.disconnect().catch(() => {})
  }
}

interface KafkaErrorShape {
  type?: unknown
  retriable?: unknown
  originalError?: unknown
  cause?: unknown
}

/** The error and those it wraps (kafkajs' originalError, or cause), at most five deep. */
function errorChain(error: unknown): KafkaErrorShape[] {
  const chain: KafkaErrorShape[] = []
  for (let e = error as KafkaErrorShape | undefined; e && chain.length < 5; e = (e.originalError ?? e.cause) as KafkaErrorShape | undefined)
    chain.push(e)
  return chain
}

/** Whether kafkajs marks the error, or one it wraps, as one that can pass (a coordinator loading, a leader moving). */
const isRetriable = (error: unknown): boolean => errorChain(error).some((e) => e.retriable === true)

/**
 * The Kafka error codes of an error and of the errors it wraps: kafkajs reports a refused commit
 * as the protocol error itself, or wrapped (`originalError` after its retries, `cause` when not
 * retriable), and a generation that ended must be recognised in every form.
 */
export function errorTypes(error: unknown): string[] {
  return errorChain(error).flatMap((e) => (typeof e.type === 'string' ? [e.type] : []))
}
