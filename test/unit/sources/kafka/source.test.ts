/**
 * KafkaSource's commits against a model of kafkajs 2.2.4's consumer, the parts the exactly-once
 * design depends on (node_modules/kafkajs/src/consumer):
 * - `consumer.commitOffsets` goes through `Runner.commitOffsets`, which returns without sending
 *   anything when the runner is not running (the consumer restarting after a crash, until it has
 *   joined the group again), and retries a failed commit, each attempt with the generation the
 *   consumer holds at that moment;
 * - the eachBatch payload's `commitOffsetsIfNecessary(offsets)` sends one OffsetCommit with the
 *   generation of the consumer group that delivered the batch and throws the broker's error;
 * - `consumer.pause` throws while there is no consumer group (between a crash and the restart); the
 *   pause state is kafkajs' own SubscriptionState, in which a topic-wide resume clears the pauses of
 *   single partitions.
 * The broker fences: a commit with another generation than the group's is refused.
 */
import { createRequire } from 'node:module'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import kafkajs from 'kafkajs'
import { InfrastructureError } from '../../../../src/domain/errors.js'
import type { BatchRange, SourceRecord } from '../../../../src/domain/ports.js'
import { OwnershipLostError } from '../../../../src/exactly-once/errors.js'
import { KafkaSource, type KafkaClient } from '../../../../src/sources/kafka/source.js'
import { silentLogger } from '../../../support/fakes.js'

const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } = kafkajs

interface TopicPartitions {
  topic: string
  partitions?: number[]
}
/** kafkajs 2.2.4's pause bookkeeping (src/consumer/subscriptionState.js), the real one. */
interface SubscriptionState {
  pause(topicPartitions: TopicPartitions[]): void
  resume(topicPartitions: TopicPartitions[]): void
  isPaused(topic: string, partition: number): boolean
}
const SubscriptionStateOfKafkajs = createRequire(import.meta.url)(
  'kafkajs/src/consumer/subscriptionState.js',
) as new () => SubscriptionState
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** What kafkajs' retrier throws for an error it does not retry (retry/index.js); its types omit `cause`. */
const wrapped = (error: Error): Error =>
  new (KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error)(error, { cause: error })

interface Offsets {
  topics: { topic: string; partitions: { partition: number; offset: string; metadata?: string | null }[] }[]
}

class Broker {
  generation = 0
  down = false
  readonly landed: { generation: number; topics: Offsets['topics'] }[] = []

  async offsetCommit(generation: number, offsets: Offsets): Promise<void> {
    await sleep(1)
    if (this.down) throw new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')
    if (generation !== this.generation) {
      throw new KafkaJSProtocolError({
        message: 'The provided generation id is not the current generation',
        type: 'ILLEGAL_GENERATION',
        code: 22,
        retriable: false,
      } as unknown as Error)
    }
    this.landed.push({ generation, topics: structuredClone(offsets.topics) })
  }
}

/** kafkajs ConsumerGroup: commits once, with its generation at the time of the call. */
class Group {
  constructor(
    private readonly broker: Broker,
    public generation: number,
  ) {}

  commitOffsets(offsets: Offsets): Promise<void> {
    return this.broker.offsetCommit(this.generation, offsets)
  }
}

/** kafkajs Runner.commitOffsets (runner.js): no-op when not running; retries what is retriable. */
class Runner {
  running = false
  constructor(readonly group: Group) {}

  async commitOffsets(offsets: Offsets): Promise<void> {
    if (!this.running) return
    for (;;) {
      try {
        await this.group.commitOffsets(offsets)
        return
      } catch (error) {
        if (!this.running) return
        if ((error as { retriable?: boolean }).retriable === false) throw wrapped(error as Error)
        await sleep(2)
      }
    }
  }
}

class Consumer {
  readonly events = { GROUP_JOIN: 'group_join', CRASH: 'crash', DISCONNECT: 'disconnect', STOP: 'stop' }
  private readonly listeners = new Map<string, ((event: { payload: Record<string, unknown> }) => void)[]>()
  private eachBatch: ((payload: unknown) => Promise<void>) | null = null
  private runner: Runner | null = null
  /** A consumer group's pause state: a new one for each group session, as in kafkajs. */
  subscription = new SubscriptionStateOfKafkajs()

  constructor(private readonly broker: Broker) {}

  on(name: string, listener: (event: { payload: Record<string, unknown> }) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener])
  }
  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async disconnect(): Promise<void> {}
  run({ eachBatch }: { eachBatch: (payload: unknown) => Promise<void> }): Promise<void> {
    this.eachBatch = eachBatch
    return Promise.resolve()
  }
  seek(): void {}

  pause(topicPartitions: TopicPartitions[]): void {
    if (!this.runner) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    this.subscription.pause(topicPartitions)
  }
  resume(topicPartitions: TopicPartitions[]): void {
    if (!this.runner) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    this.subscription.resume(topicPartitions)
  }
  /** Which of partitions 0..3 of `topic` a fetch leaves out. */
  pausedOf(topic: string): number[] {
    return [0, 1, 2, 3].filter((partition) => this.subscription.isPaused(topic, partition))
  }

  async commitOffsets(entries: { topic: string; partition: number; offset: string; metadata?: string | null }[]): Promise<void> {
    if (!this.runner) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    const topics = [...new Set(entries.map((e) => e.topic))].map((topic) => ({
      topic,
      partitions: entries
        .filter((e) => e.topic === topic)
        .map(({ partition, offset, metadata }) => ({ partition, offset, metadata: metadata ?? null })),
    }))
    return this.runner.commitOffsets({ topics })
  }

  /** A new consumer group session joins (the first start, or the restart after a crash). */
  join(): void {
    this.broker.generation++
    this.runner = new Runner(new Group(this.broker, this.broker.generation))
    this.subscription = new SubscriptionStateOfKafkajs()
    this.runner.running = true
    this.emit('group_join', { memberAssignment: {}, memberId: `m${this.broker.generation}` })
  }

  /** The same session joins again (a rebalance without a crash): its generation moves on. */
  rejoinInPlace(): void {
    this.broker.generation++
    this.runner!.group.generation = this.broker.generation
    this.emit('group_join', { memberAssignment: {}, memberId: `m${this.broker.generation}` })
  }

  /** The consumer crashed: stopped (no consumer group), then restarting (a runner not running yet). */
  crash(): void {
    this.runner!.running = false
    this.runner = null
  }
  restarting(): void {
    this.runner = new Runner(new Group(this.broker, -1))
  }

  async deliver(topic: string, partition: number, offsets: number[]): Promise<void> {
    const runner = this.runner!
    await this.eachBatch!({
      batch: { topic, partition, messages: offsets.map((o) => ({ offset: String(o), value: Buffer.from('x'), timestamp: '0' })) },
      heartbeat: async () => {},
      isRunning: () => runner.running,
      isStale: () => false,
      commitOffsetsIfNecessary: async (offsets?: Offsets) => (offsets ? runner.group.commitOffsets(offsets) : undefined),
    })
  }

  private emit(name: string, payload: Record<string, unknown>): void {
    for (const listener of this.listeners.get(name) ?? []) listener({ payload })
  }
}

async function started(fetchOffsets: () => Promise<unknown> = () => Promise.resolve([])) {
  const broker = new Broker()
  const consumer = new Consumer(broker)
  const client = {
    consumer: () => consumer,
    admin: () => ({
      connect: async () => {},
      disconnect: async () => {},
      fetchOffsets,
      describeGroups: () => Promise.resolve({ groups: [{ members: [] }] }),
    }),
  } as unknown as KafkaClient
  const source = new KafkaSource(
    {
      brokers: ['127.0.0.1:9092'],
      clientId: 'test',
      groupId: 'g',
      topics: ['t'],
      fromBeginning: true,
      ssl: false,
      sasl: { mechanism: 'none', username: '', password: null },
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      maxBytesPerPartition: 1 << 20,
      maxBytes: 1 << 24,
      maxWaitTimeMs: 100,
      partitionsConsumedConcurrently: 1,
      metadataMaxAgeMs: 30_000,
      storeMarker: 'server',
      logger: silentLogger,
    },
    client,
  )
  const accepted: SourceRecord[][] = []
  let resets = 0
  await source.start({
    accept: (_topic, _partition, records) => {
      accepted.push([...records])
      return Promise.resolve(null)
    },
    resetAssignments: () => resets++,
  })
  consumer.join()
  await consumer.deliver('t', 0, [0, 1, 2, 3, 4])
  return { broker, consumer, source, accepted, resets: () => resets }
}

const range: BatchRange = { topic: 't', partition: 0, firstOffset: 0, lastOffset: 4 }

test('commits go to the broker with the delivering generation: in flight first, then past the batch', async () => {
  const { broker, source } = await started()
  await source.markInflight([range])
  await source.commit([range])
  assert.deepEqual(broker.landed, [
    { generation: 1, topics: [{ topic: 't', partitions: [{ partition: 0, offset: '0', metadata: '{"v":1,"inflight_last":4}' }] }] },
    { generation: 1, topics: [{ topic: 't', partitions: [{ partition: 0, offset: '5', metadata: null }] }] },
  ])
})

test('a commit while the consumer restarts after a crash fails; it is never reported as done without reaching Kafka', async () => {
  const { broker, consumer, source } = await started()
  broker.down = true
  consumer.crash()
  consumer.restarting()
  await assert.rejects(source.markInflight([range]), InfrastructureError, 'mark in flight while the consumer restarts')
  await assert.rejects(source.commit([range]), InfrastructureError, 'commit while the consumer restarts')
  assert.equal(broker.landed.length, 0)
})

test('a commit that failed is not sent again in a later generation by the client', async () => {
  const { broker, consumer, source } = await started()
  broker.down = true
  const commit = source.commit([range]).then(
    () => 'resolved',
    (error: Error) => error,
  )
  await sleep(10)
  broker.down = false
  consumer.rejoinInPlace()
  const outcome = await commit
  await sleep(20)
  assert.ok(outcome instanceof InfrastructureError, `the commit failed (${String(outcome)})`)
  assert.deepEqual(
    broker.landed.map((l) => l.generation),
    [],
    'no commit of generation 1 landed as generation 2',
  )
})

test('a commit of a session that is gone is fenced by the broker: ownership lost, not a commit in the new session', async () => {
  const { broker, consumer, source } = await started()
  consumer.crash()
  consumer.restarting()
  consumer.join() // generation 2, a new session; no batch of it delivered yet
  await assert.rejects(source.commit([range]), OwnershipLostError)
  assert.equal(broker.landed.length, 0)
  await consumer.deliver('t', 0, [0, 1, 2, 3, 4])
  await source.markInflight([range])
  assert.deepEqual(
    broker.landed.map((l) => l.generation),
    [2],
    'the new session commits with its own generation',
  )
})

test('pausing while the consumer restarts does not throw; the pause is applied again when the group is joined', async () => {
  const { consumer, source } = await started()
  consumer.crash()
  assert.doesNotThrow(() => source.pause())
  consumer.restarting()
  consumer.join()
  assert.deepEqual(consumer.pausedOf('t'), [0, 1, 2, 3], 'paused again after the join')
  source.resume()
  assert.deepEqual(consumer.pausedOf('t'), [])
})

test('a partition paused alone stays paused through a topic-wide pause and resume, and alone resumes', async () => {
  const { consumer, source } = await started()
  source.pausePartition('t', 1)
  assert.deepEqual(consumer.pausedOf('t'), [1])
  source.pause()
  assert.deepEqual(consumer.pausedOf('t'), [0, 1, 2, 3])
  // kafkajs' topic-wide resume alone would resume partition 1 too
  source.resume()
  assert.deepEqual(consumer.pausedOf('t'), [1])
  source.pausePartition('t', 3)
  source.resumePartition('t', 1)
  assert.deepEqual(consumer.pausedOf('t'), [3])
  source.resumePartition('t', 3)
  assert.deepEqual(consumer.pausedOf('t'), [])
})

test('a partition paused alone while the consumer restarts is paused again when the group is joined', async () => {
  const { consumer, source } = await started()
  consumer.crash()
  assert.doesNotThrow(() => source.pausePartition('t', 2))
  consumer.restarting()
  consumer.join()
  assert.deepEqual(consumer.pausedOf('t'), [2])
})

test('committed offsets read at start wait through a coordinator still loading, and fail at once on an error that cannot pass', async () => {
  let calls = 0
  const loading = Object.assign(new Error('The coordinator is loading'), { type: 'COORDINATOR_LOAD_IN_PROGRESS', retriable: true })
  const committed = [
    {
      topic: 't',
      partitions: [
        { partition: 0, offset: '5', metadata: null },
        { partition: 1, offset: '-1', metadata: null },
      ],
    },
  ]
  const { source } = await started(() => (++calls < 3 ? Promise.reject(loading) : Promise.resolve(committed)))
  calls = 0
  assert.deepEqual(await source.replayStarts('t'), [{ topic: 't', partition: 0, offset: 5 }], 'a partition never committed has no start')
  assert.equal(calls, 3)

  let refusals = 0
  const denied = Object.assign(new Error('Not authorized to access group'), { type: 'GROUP_AUTHORIZATION_FAILED', retriable: false })
  const { source: refused } = await started(() => (++refusals, Promise.reject(denied)))
  refusals = 0
  await assert.rejects(refused.replayStarts('t'), /fetching committed offsets: Not authorized/)
  assert.equal(refusals, 1)
})
