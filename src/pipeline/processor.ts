/**
 * The processor: records in, exactly-once batches out.
 *
 * Per partition it keeps the next offset to accept, a duplicate filter and the batches not yet
 * written. A batch is a contiguous offset range of one partition; it is written to the sink under a
 * token derived from its range, and the source's checkpoint moves past it only after the sink
 * confirmed (Arroyo's rule). Before writing, the range is recorded as "in flight" in the checkpoint,
 * so whoever owns the partition next cuts its first batch at exactly the same offset and the sink
 * recognises the retried writes. The protocol's states live in src/exactly-once: each partition's
 * PartitionLifecycle, and the Generation that fences every write and commit (docs/exactly-once.md).
 */
import { InfrastructureError } from '../domain/errors.js'
import type { BatchOutput } from '../domain/facts.js'
import type { BatchRange, Checkpointer, FactsSink, Logger, SourceRecord } from '../domain/ports.js'
import { OwnershipLostError } from '../exactly-once/errors.js'
import { Generation } from '../exactly-once/generation.js'
import { PartitionLifecycle } from '../exactly-once/partition-lifecycle.js'
import { DuplicateFilter } from './duplicate-filter.js'
import { PreparedDelivery, type FingerprintWorkers } from './fingerprint-workers.js'
import { FlowControl } from './flow-control.js'
import { RecordFacts, type RecordFactsDeps, type RecordFactsSettings } from './record-facts.js'
import { writeSettingAsideRejected } from './rejected-rows.js'
import { StopSignal, UnwrittenAtStopError } from './stop-signal.js'
import { TurnBudget } from './turn-budget.js'
import { WriteFailures, describeUnwrittenAtStop, type WriteFailure } from './write-failures.js'

/**
 * Analysis runs in slices of about this long shared by all partitions (./turn-budget.ts). The clock
 * is read before every record: a record costs about 300 µs, so reading it every 16 let a slice run
 * up to 5 ms over (event-loop p99 53-55 ms against 47.5 at 300k, same throughput).
 */
const SLICE_MS = 10

export interface ProcessorSettings extends RecordFactsSettings {
  /** An open batch this old is written if it holds flushMinRecords; Infinity (both) cuts by size only (deterministic replays). */
  flushIntervalMs: number
  /** A smaller batch waits up to flushMaxIntervalMs: an insert costs the store a few ms per table, whatever its size. */
  flushMinRecords: number
  flushMaxIntervalMs: number
  flushMaxRecords: number
  maxBufferedRecords: number
  dedupHorizonMs: number
  retryInitialMs: number
  retryMaxMs: number
  /** pipeline.shutdown_grace_ms: how long a stop may take to write what was accepted before it gives up on it (default 10 s). */
  shutdownGraceMs?: number
}

export interface ProcessorDeps extends RecordFactsDeps {
  sink: FactsSink
  checkpoints: Checkpointer
  logger: Logger
  /** Processing time (ms); injected so tests control the duplicate horizon. */
  now: () => number
  settings: ProcessorSettings
  /** Worker threads that normalize and fingerprint each delivery ahead of its analysis (none: inline). */
  fingerprints?: FingerprintWorkers
}

interface Batch {
  range: BatchRange
  output: BatchOutput
  records: number
  openedAtMs: number
  /** Latest broker timestamp in the batch, for event-time lag. */
  latestTimestampMs: number
}

interface PartitionState {
  topic: string
  partition: number
  nextOffset: number
  /** Which deliveries it takes and where its batches must end (replaying the range left in flight). */
  lifecycle: PartitionLifecycle
  open: Batch | null
  sealed: Batch[]
}

const emptyOutput = (): BatchOutput => ({ messages: [], moderation: [], reports: [], deadLetters: [] })
const partitionId = (topic: string, partition: number) => `${topic}\u0000${partition}`

export class Processor {
  private readonly partitions = new Map<string, PartitionState>()
  /** The duplicate filter spans partitions: copies of a keyless event can land on any of them. */
  private readonly duplicates: DuplicateFilter
  private readonly recordFacts: RecordFacts
  /** Replaced on every rebalance; work started under an ended generation must not commit. */
  private generation = new Generation()
  private readonly loading = new Map<string, Promise<PartitionState>>()
  private flushing: Promise<void> = Promise.resolve()
  private bufferedRecords = 0
  /** Partitions whose batch the sink is failing to write: held back alone, retried after their backoff. */
  private readonly writeFailures: WriteFailures
  /** What consumption is paused: everything (buffers full, a shared step failing) or failing partitions alone. */
  private readonly flow: FlowControl
  private readonly stop = new StopSignal()
  private readonly turns = new TurnBudget(SLICE_MS)
  private fatal: Error | null = null
  private readonly fatalListeners: ((error: Error) => void)[] = []

  constructor(private readonly deps: ProcessorDeps) {
    this.duplicates = new DuplicateFilter(deps.settings.dedupHorizonMs, deps.sink, deps.logger, deps.now)
    this.recordFacts = new RecordFacts(deps, this.duplicates)
    this.writeFailures = new WriteFailures({ initialMs: deps.settings.retryInitialMs, maxMs: deps.settings.retryMaxMs })
    this.flow = new FlowControl({
      observer: deps.observer,
      logger: deps.logger,
      maxBufferedRecords: deps.settings.maxBufferedRecords,
      backoff: { initialMs: deps.settings.retryInitialMs, maxMs: deps.settings.retryMaxMs },
      stop: this.stop,
      buffered: () => this.bufferedRecords,
    })
  }

  /** Called with true when all consumption should pause (buffers full or a shared step failing), false to resume. */
  onPauseChange(listener: (paused: boolean) => void): void {
    this.flow.onPauseChange(listener)
  }

  /** Called with true when one partition should pause (its batch fails to write), false when it may resume. */
  onPartitionPauseChange(listener: (topic: string, partition: number, paused: boolean) => void): void {
    this.flow.onPartitionPauseChange(listener)
  }

  /** `listener` is told of the error that ends the processor: at once if it has already happened. */
  onFatal(listener: (error: Error) => void): void {
    this.fatalListeners.push(listener)
    if (this.fatal) listener(this.fatal)
  }

  get buffered(): number {
    return this.bufferedRecords
  }

  get isPaused(): boolean {
    return this.flow.isPaused
  }

  /** The partitions paused alone because their writes fail. */
  get pausedPartitions(): { topic: string; partition: number }[] {
    return this.flow.held
  }

  /** The partitions whose batches are failing to write, with how long each has been failing (readiness). */
  failingWrites(): (WriteFailure & { failingForMs: number })[] {
    return this.writeFailures.list()
  }

  /** The next offset to accept per partition held, for consumer-lag metrics. */
  positions(): { topic: string; partition: number; nextOffset: number }[] {
    return [...this.partitions.values()].map(({ topic, partition, nextOffset }) => ({ topic, partition, nextOffset }))
  }

  /**
   * Accepts records of one partition, in offset order. Records below the partition's next offset
   * (already accepted in this generation) are skipped.
   */
  async accept(topic: string, partition: number, records: readonly SourceRecord[]): Promise<{ seekTo: number } | null> {
    if (records.length === 0) return null
    if (this.fatal) throw this.fatal
    const state = await this.partitionState(topic, partition, (records[0] as SourceRecord).offset)
    const { lifecycle } = state
    // A rebalance while the partition loaded: the records come again from the committed offsets.
    if (lifecycle.isRevoked) return null
    const first = (records[0] as SourceRecord).offset
    if (lifecycle.admit(first, state.nextOffset) === 'seekBack') {
      // The first delivery of a generation starts past the checkpoint: a batch fetched before the
      // rebalance. Accepting it would open a batch at the wrong offset (other deduplication tokens
      // than the interrupted write's) and skip the records before it.
      this.deps.logger.warn(
        { topic, partition, expected: state.nextOffset, delivered: first },
        'delivery past the checkpoint refused; seeking back',
      )
      return { seekTo: state.nextOffset }
    }
    const { observer } = this.deps
    observer.consumed(topic, records.length)
    // Records already accepted in this generation (a delivery that overlaps the last one) are
    // skipped before any work; nothing else moves the partition's next offset during this call.
    const skipped = records.findIndex((record) => record.offset >= state.nextOffset)
    if (skipped === -1) return null
    const fresh = skipped === 0 ? records : records.slice(skipped)
    // Workers prepare the delivery in parts, each awaited where its records start: the analysis of
    // the first part overlaps the preparation of the next.
    const prepared = new PreparedDelivery(this.deps.fingerprints?.prepare(fresh.map((record) => record.value)) ?? [])
    const started = performance.now()
    const receivedAt = this.deps.now()
    for (let at = 0; at < fresh.length; at++) {
      const record = fresh[at]!
      if (prepared.startsPart(at)) {
        await prepared.awaitPart(at)
        // A part's results arrive in a message callback: the analysis waits for its own slice of a
        // turn rather than run there, between the turns' slices.
        await this.turns.nextTurn()
        // A rebalance while the workers ran revoked the partition: the rest comes again.
        if (lifecycle.isRevoked || this.fatal) return null
      }
      // The first record checks too: a delivery that begins in an I/O callback after the turn's
      // slice is spent waits for a turn of its own rather than adding to that turn.
      if (this.turns.spent()) {
        await this.turns.nextTurn()
        // A rebalance during the pause revoked the partition: the rest comes again from the committed offsets.
        if (lifecycle.isRevoked || this.fatal) return null
      }
      const cutAt = lifecycle.cutAt
      if (cutAt !== null && record.offset > cutAt) {
        // The replayed range ended in a gap (records removed by retention or compaction): cut here.
        this.seal(state)
        lifecycle.replayDone()
      }
      const batch = this.openBatch(state, record.offset, receivedAt)
      this.recordFacts.add(batch.output, record, receivedAt, lifecycle.cutAt !== null, prepared, at)
      batch.range.lastOffset = record.offset
      batch.records++
      if (record.timestampMs > batch.latestTimestampMs) batch.latestTimestampMs = record.timestampMs
      state.nextOffset = record.offset + 1
      this.bufferedRecords++
      if (lifecycle.cutAt !== null && record.offset >= lifecycle.cutAt) {
        // The batch ends exactly where the interrupted write's did: same range, same tokens.
        this.seal(state)
        lifecycle.replayDone()
      } else if (batch.records >= this.deps.settings.flushMaxRecords && lifecycle.cutAt === null) this.seal(state)
    }
    // One observation per call, not per record: a histogram observation costs as much as decoding.
    observer.stage('process', (performance.now() - started) / 1000)
    observer.buffered(this.bufferedRecords)
    this.flow.update()
    return null
  }

  private openBatch(state: PartitionState, offset: number, nowMs: number): Batch {
    if (state.open) return state.open
    state.open = {
      range: { topic: state.topic, partition: state.partition, firstOffset: offset, lastOffset: offset },
      output: emptyOutput(),
      records: 0,
      openedAtMs: nowMs,
      latestTimestampMs: 0,
    }
    return state.open
  }

  private seal(state: PartitionState): void {
    if (!state.open) return
    state.sealed.push(state.open)
    state.open = null
  }

  private async partitionState(topic: string, partition: number, firstOffset: number): Promise<PartitionState> {
    const id = partitionId(topic, partition)
    const existing = this.partitions.get(id)
    if (existing) return existing
    let loading = this.loading.get(id)
    if (!loading) {
      loading = this.loadPartition(topic, partition, firstOffset).finally(() => this.loading.delete(id))
      this.loading.set(id, loading)
    }
    return loading
  }

  /** Rebuilds a partition's state from its checkpoint and the sink (after a start or a rebalance). */
  private async loadPartition(topic: string, partition: number, firstOffset: number): Promise<PartitionState> {
    const generation = this.generation
    const lifecycle = new PartitionLifecycle()
    await this.flushing
    const checkpoint = await this.retrying('load checkpoint', () => this.deps.checkpoints.load(topic, partition))
    const nextOffset = checkpoint.nextOffset >= 0 ? checkpoint.nextOffset : firstOffset
    await this.duplicates.load(generation, (what, operation) => this.retrying(what, operation))
    if (!generation.isCurrent) {
      lifecycle.revoke()
      return this.partitionState(topic, partition, firstOffset)
    }
    lifecycle.loaded(checkpoint)
    const state: PartitionState = { topic, partition, nextOffset, lifecycle, open: null, sealed: [] }
    this.partitions.set(partitionId(topic, partition), state)
    this.deps.observer.partitionsAssigned(this.partitions.size)
    const highestWritten = this.duplicates.highestWrittenOf(topic, partition)
    const replayUntil = checkpoint.inflightLastOffset
    this.deps.logger.info({ topic, partition, nextOffset, replayUntil, highestWritten }, 'partition state loaded')
    const stored = this.deps.checkpoints.storesPositions !== false
    if (stored && highestWritten !== null && highestWritten >= nextOffset && (replayUntil === null || highestWritten > replayUntil)) {
      // Records past the checkpoint, outside the range recorded as in flight, are already in the
      // sink: the group's offsets were reset (or a commit was lost). The batches replayed from here
      // are cut differently from the ones written, so the sink cannot recognise them: the events
      // it holds are skipped (abuse_replayed_events_skipped_total), dead letters are written again.
      this.deps.logger.warn(
        { topic, partition, nextOffset, replayUntil, highestWritten },
        'checkpoint below what the sink already holds: offsets reset (or a commit lost); events already written are skipped',
      )
    }
    return state
  }

  /**
   * Forgets every partition (a rebalance): buffered records are dropped unwritten and will be
   * delivered again from the committed offsets. A write in progress finishes but does not commit,
   * and partitions load their state only after it finished.
   */
  resetAssignments(): void {
    this.generation = this.generation.next()
    for (const state of this.partitions.values()) state.lifecycle.revoke()
    this.partitions.clear()
    this.loading.clear()
    this.bufferedRecords = 0
    for (const { topic, partition } of this.writeFailures.clear()) this.deps.observer.writeFailing(topic, partition, null)
    // a flush waiting for a partition of the old generation would hold back the new one's loading
    this.stop.interrupt()
    this.deps.observer.buffered(0)
    this.deps.observer.partitionsAssigned(0)
    this.flow.reset()
  }

  /**
   * Writes due batches (all of them when `force`); serialised with any flush in progress. Once a stop
   * began, settles within pipeline.shutdown_grace_ms: what is not written by then stays uncommitted.
   */
  flush(force = false): Promise<void> {
    const next = this.flushing.then(() => this.flushDue(force))
    this.flushing = next.catch(() => {})
    return this.stop.bounded(next)
  }

  /**
   * Write rounds until nothing is due. A partition whose batch failed waits for its next attempt
   * while the others go on; only when nothing else is left does a forced flush (or one under
   * backpressure, where nothing new can arrive) wait for it. A stop waits for nothing.
   */
  private async flushDue(force: boolean): Promise<void> {
    for (;;) {
      // A commit was refused: nothing of this generation can be committed; the next join resets.
      if (!this.generation.mayWrite) return
      this.sealDue(force)
      const waiting = [...this.partitions.values()].filter((state) => state.sealed.length > 0)
      if (waiting.length === 0) return
      const round = waiting.filter((state) => this.writeFailures.isDue(state.topic, state.partition))
      if (round.length > 0) {
        if (!(await this.writeRound(round))) return
        continue
      }
      if (this.stop.isRequested) throw new UnwrittenAtStopError(describeUnwrittenAtStop(this.writeFailures.list()))
      if (!force && !this.flow.isPaused) return
      await this.stop.pauseFor(this.writeFailures.msUntilNextAttempt() ?? 0)
    }
  }

  private sealDue(force: boolean): void {
    const now = this.deps.now()
    const { flushIntervalMs, flushMinRecords, flushMaxIntervalMs } = this.deps.settings
    for (const state of this.partitions.values()) {
      const open = state.open
      if (!open || state.lifecycle.cutAt !== null) continue
      const age = now - open.openedAtMs
      if (force || age >= flushMaxIntervalMs || (age >= flushIntervalMs && open.records >= flushMinRecords)) this.seal(state)
    }
  }

  /**
   * One batch per partition: mark them in flight, write each, commit the ones written. A batch the
   * sink failed to write stays sealed and marked in flight, and only its partition waits (Arroyo's
   * rule per partition). Returns false if ownership was lost.
   */
  private async writeRound(states: PartitionState[]): Promise<boolean> {
    const round = states.map((state) => ({ state, batch: state.sealed[0] as Batch }))
    const { checkpoints, observer } = this.deps
    const generation = this.generation
    const written: typeof round = []
    try {
      await this.retrying('mark in flight', async () => {
        generation.assertCurrent()
        await checkpoints.markInflight(round.map(({ batch }) => batch.range))
      })
      const writeStarted = performance.now()
      for (const entry of round) {
        generation.assertCurrent()
        if (await this.attemptWrite(entry.state, entry.batch)) written.push(entry)
      }
      observer.stage('write', (performance.now() - writeStarted) / 1000)
      if (written.length > 0) {
        const commitStarted = performance.now()
        await this.retrying('commit', async () => {
          generation.assertCurrent()
          await checkpoints.commit(written.map(({ batch }) => batch.range))
        })
        observer.stage('commit', (performance.now() - commitStarted) / 1000)
      }
    } catch (error) {
      if (error instanceof OwnershipLostError) {
        // Refused by Kafka while still current: the group moved on without us. An ended generation is already over.
        if (generation.isCurrent) generation.commitRefused()
        this.deps.logger.warn({ err: error.message, code: error.code }, 'partitions lost during a write; the next owner replays them')
        return false
      }
      throw error
    }
    if (!generation.isCurrent) return false
    const now = Date.now()
    for (const { state, batch } of written) {
      state.sealed.shift()
      this.bufferedRecords -= batch.records
      observer.batchWritten(batch.records, batch.latestTimestampMs > 0 ? (now - batch.latestTimestampMs) / 1000 : null)
    }
    observer.buffered(this.bufferedRecords)
    this.flow.update()
    return true
  }

  /**
   * One attempt at writing a batch: true when written. A failure that can pass later (the store says
   * which) holds back the batch's partition until its next attempt; any other is fatal.
   */
  private async attemptWrite(state: PartitionState, batch: Batch): Promise<boolean> {
    const { observer, logger } = this.deps
    const { topic, partition } = state
    try {
      await writeSettingAsideRejected(batch.range, batch.output, this.deps)
    } catch (error) {
      if (!(error instanceof InfrastructureError && error.retryable)) throw this.failed(error)
      const failure = this.writeFailures.failed(topic, partition, error)
      this.flow.hold(topic, partition)
      observer.writeRetry()
      observer.writeFailing(topic, partition, { code: failure.code, sinceMs: failure.sinceMs })
      logger.warn(
        {
          range: batch.range,
          attempt: failure.attempts,
          retryInMs: failure.nextAttemptAtMs - Date.now(),
          failingForMs: Date.now() - failure.sinceMs,
          code: failure.code,
          err: failure.error,
        },
        'writing a batch failed: its partition pauses and retries, the other partitions go on',
      )
      return false
    }
    const recovered = this.writeFailures.recovered(topic, partition)
    this.flow.release(topic, partition)
    if (recovered) {
      observer.writeFailing(topic, partition, null)
      logger.info(
        { topic, partition, attempts: recovered.attempts + 1, failedForMs: Date.now() - recovered.sinceMs },
        'batch written again',
      )
    }
    return true
  }

  private retrying<T>(what: string, operation: () => Promise<T>): Promise<T> {
    return this.flow.retrySharedStep(what, operation, (error) => this.failed(error))
  }

  /** An error that ends the processor (raised to the fatal listeners unless a stop is under way); returned to be thrown. */
  private failed(error: unknown): Error {
    const fatal = error instanceof Error ? error : new Error(String(error))
    if (!this.stop.isRequested) this.raiseFatal(fatal)
    return fatal
  }

  private raiseFatal(error: Error): void {
    if (this.fatal) return
    this.fatal = error
    for (const listener of this.fatalListeners) listener(error)
  }

  /**
   * A stop (a signal): backoff waits end now, each failing partition gets one last attempt, the next
   * failure is final, and flushes settle within pipeline.shutdown_grace_ms. What is not written stays
   * uncommitted, marked in flight, and is read again at the next start.
   */
  beginStop(): void {
    this.writeFailures.expedite()
    this.stop.request(this.deps.settings.shutdownGraceMs ?? 10_000, () => `${this.bufferedRecords} records accepted and not written`)
  }

  /** Ends the fingerprint workers, after the last delivery: a delivery accepted later is analysed inline. */
  async close(): Promise<void> {
    await this.deps.fingerprints?.stop()
  }
}
