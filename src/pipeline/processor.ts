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
import type { DecodedEvent } from '../domain/events.js'
import { InfrastructureError, RejectedRowsError } from '../domain/errors.js'
import type { BatchOutput } from '../domain/facts.js'
import type { BatchRange, Checkpointer, FactsSink, Logger, SourceRecord } from '../domain/ports.js'
import { decodeRecord } from '../decode/decode.js'
import { OwnershipLostError } from '../exactly-once/errors.js'
import { Generation } from '../exactly-once/generation.js'
import { PartitionLifecycle } from '../exactly-once/partition-lifecycle.js'
import { deadLetterRow, messageFact, moderationFact, reportFact, type TextVerdict } from '../facts/build.js'
import type { PipelineObserver } from '../domain/observers.js'
import { PositionCodec, RecentKeys, eventKey } from './recent-keys.js'

/**
 * A delivery (up to max_bytes_per_partition, thousands of records) is analysed in slices of this
 * many records, letting timers, heartbeats, metrics scrapes and other partitions' writes run in
 * between: at a few hundred microseconds per record, a slice stays within tens of milliseconds.
 */
const YIELD_EVERY_RECORDS = 64
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

export interface MessageAnalyzer {
  analyze(event: Extract<DecodedEvent, { kind: 'message' }>, sender: string): TextVerdict
}

export interface ProcessorSettings {
  /** An open batch older than this is written; Infinity cuts batches by size only (deterministic replays). */
  flushIntervalMs: number
  flushMaxRecords: number
  maxBufferedRecords: number
  maxRecordBytes: number
  dedupHorizonMs: number
  deadLetterPrefixBytes: number
  /** pipeline.max_future_skew_seconds in ms: events further ahead of their record's time are dead letters */
  maxFutureSkewMs: number
  /** privacy.aggregate_ttl_days in ms: events older than the aggregates keep are dead letters */
  maxEventAgeMs: number
  retryInitialMs: number
  retryMaxMs: number
}

export interface ProcessorDeps {
  sink: FactsSink
  checkpoints: Checkpointer
  analyzer: MessageAnalyzer
  pseudonymize: (id: string) => string
  observer: PipelineObserver
  logger: Logger
  /** Processing time (ms); injected so tests control the duplicate horizon. */
  now: () => number
  settings: ProcessorSettings
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export class Processor {
  private readonly partitions = new Map<string, PartitionState>()
  /** The duplicate filter spans partitions: copies of a keyless event can land on any of them. */
  private readonly seen: RecentKeys
  private readonly positionCodec = new PositionCodec()
  private seenLoad: { generation: Generation; done: Promise<void> } | null = null
  private seenLoadedAtMs: number | null = null
  /** Highest source offset per partition that the sink reported as written (seen_events), for the checkpoint check. */
  private readonly highestWritten = new Map<string, number>()
  /** Replaced on every rebalance; work started under an ended generation must not commit. */
  private generation = new Generation()
  private readonly loading = new Map<string, Promise<PartitionState>>()
  private flushing: Promise<void> = Promise.resolve()
  private bufferedRecords = 0
  private sinkFailing = false
  private paused = false
  private stopping = false
  private fatal: Error | null = null
  private readonly pauseListeners: ((paused: boolean) => void)[] = []
  private readonly fatalListeners: ((error: Error) => void)[] = []

  constructor(private readonly deps: ProcessorDeps) {
    this.seen = new RecentKeys(deps.settings.dedupHorizonMs)
  }

  /** Called with true when consumption should pause (buffers full or sink failing), false to resume. */
  onPauseChange(listener: (paused: boolean) => void): void {
    this.pauseListeners.push(listener)
  }

  onFatal(listener: (error: Error) => void): void {
    this.fatalListeners.push(listener)
  }

  get buffered(): number {
    return this.bufferedRecords
  }

  get isPaused(): boolean {
    return this.paused
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
    const started = performance.now()
    const receivedAt = this.deps.now()
    let sinceYield = 0
    for (const record of records) {
      if (++sinceYield === YIELD_EVERY_RECORDS) {
        sinceYield = 0
        await yieldToEventLoop()
        // A rebalance during the pause revoked the partition: the rest comes again from the committed offsets.
        if (lifecycle.isRevoked || this.fatal) return null
      }
      if (record.offset < state.nextOffset) continue
      const cutAt = lifecycle.cutAt
      if (cutAt !== null && record.offset > cutAt) {
        // The replayed range ended in a gap (records removed by retention or compaction): cut here.
        this.seal(state)
        lifecycle.replayDone()
      }
      const batch = this.openBatch(state, record.offset, receivedAt)
      this.processRecord(batch, record, receivedAt, lifecycle.cutAt !== null)
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
    this.updatePause()
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

  /** `replayingInflight`: the record is in the range left in flight, which must be written again exactly as before. */
  private processRecord(batch: Batch, record: SourceRecord, receivedAt: number, replayingInflight: boolean): void {
    const { settings, observer, pseudonymize, analyzer } = this.deps
    const position = { topic: record.topic, partition: record.partition, offset: record.offset }
    // The window is relative to the broker's timestamp of the record, not to the clock: a replay of
    // the same batch after a restart decides every record the same way. File mode has no broker
    // time and uses processing time.
    const window = {
      nowMs: record.timestampMs > 0 ? record.timestampMs : receivedAt,
      maxFutureSkewMs: settings.maxFutureSkewMs,
      maxAgeMs: settings.maxEventAgeMs,
    }
    const decoded = decodeRecord(record.value, settings.maxRecordBytes, window)
    if (!decoded.ok) {
      observer.deadLetter(record.topic, decoded.error.reason)
      batch.output.deadLetters.push(deadLetterRow(position, record.value, decoded.error, receivedAt, settings.deadLetterPrefixBytes))
      return
    }
    const value = decoded.value
    const key = eventKey(value.event.event_id)
    const seenAt = this.positionCodec.encode(record.topic, record.partition, record.offset)
    if (!this.seen.add(key, seenAt, receivedAt)) {
      observer.duplicate(record.topic)
      return
    }
    // Written from this very record, yet read again outside the range in flight: offsets went back (recent-keys.ts).
    if (!replayingInflight && this.seen.writtenAt(key, seenAt)) {
      observer.replaySkipped(record.topic)
      return
    }
    observer.accepted(value.kind)
    switch (value.kind) {
      case 'message': {
        const sender = pseudonymize(value.event.sender.id)
        const verdict = analyzer.analyze(value, sender)
        batch.output.messages.push(messageFact(value.event, value.tsMs, position, key, sender, verdict, pseudonymize))
        return
      }
      case 'moderation':
        batch.output.moderation.push(moderationFact(value.event, value.tsMs, position, key, pseudonymize))
        return
      case 'report':
        batch.output.reports.push(reportFact(value.event, value.tsMs, position, key, pseudonymize))
        return
    }
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
    await this.loadSeenKeys(generation)
    if (!generation.isCurrent) {
      lifecycle.revoke()
      return this.partitionState(topic, partition, firstOffset)
    }
    lifecycle.loaded(checkpoint)
    const state: PartitionState = { topic, partition, nextOffset, lifecycle, open: null, sealed: [] }
    this.partitions.set(partitionId(topic, partition), state)
    this.deps.observer.partitionsAssigned(this.partitions.size)
    const highestWritten = this.highestWritten.get(partitionId(topic, partition)) ?? null
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
   * Brings the duplicate filter up to date with what the sink remembers, once per generation and
   * before any partition of it is processed: all partitions' keys, since a copy of an event may sit
   * on any partition. After the first load, only what was written since (with a margin) is read.
   */
  private loadSeenKeys(generation: Generation): Promise<void> {
    if (this.seenLoad?.generation === generation) return this.seenLoad.done
    const now = this.deps.now()
    const since = this.seenLoadedAtMs === null ? now - this.deps.settings.dedupHorizonMs : this.seenLoadedAtMs - 60_000
    const done = this.retrying('load seen events', () => this.deps.sink.loadSeenEventKeys(since)).then((keys) => {
      for (const { key, topic, partition, offset, seenAtMs } of keys) {
        this.seen.restore(key, this.positionCodec.encode(topic, partition, offset), seenAtMs)
        const id = partitionId(topic, partition)
        if (offset > (this.highestWritten.get(id) ?? -1)) this.highestWritten.set(id, offset)
      }
      this.seenLoadedAtMs = now
      this.deps.logger.info({ seenEvents: keys.length, sinceMs: since }, 'duplicate filter loaded')
    })
    this.seenLoad = { generation, done }
    return done
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
    // Retries of the old generation end with its ownership; a failure still there pauses again on
    // the next attempt. Without this, a pause taken during a commit that then lost its generation
    // would outlive it, and a paused consumer delivers nothing that could clear it.
    this.sinkFailing = false
    this.deps.observer.buffered(0)
    this.deps.observer.partitionsAssigned(0)
    this.updatePause()
  }

  /** Writes due batches (all of them when `force`); serialised with any flush in progress. */
  flush(force = false): Promise<void> {
    const next = this.flushing.then(() => this.flushDue(force))
    this.flushing = next.catch(() => {})
    return next
  }

  private async flushDue(force: boolean): Promise<void> {
    // A commit was refused: nothing of this generation can be committed; the next join resets.
    if (!this.generation.mayWrite) return
    const now = this.deps.now()
    for (const state of this.partitions.values()) {
      const open = state.open
      if (open && state.lifecycle.cutAt === null && (force || now - open.openedAtMs >= this.deps.settings.flushIntervalMs)) this.seal(state)
    }
    for (;;) {
      const round = [...this.partitions.values()].flatMap((s) => (s.sealed.length > 0 ? [{ state: s, batch: s.sealed[0] as Batch }] : []))
      if (round.length === 0) return
      const written = await this.writeRound(round)
      if (!written) return
      for (const { state } of round) state.sealed.shift()
    }
  }

  /** One batch per partition: mark in flight, write each, commit. Returns false if ownership was lost. */
  private async writeRound(round: { state: PartitionState; batch: Batch }[]): Promise<boolean> {
    const ranges = round.map((r) => r.batch.range)
    const { checkpoints, observer } = this.deps
    const generation = this.generation
    try {
      await this.retrying('mark in flight', async () => {
        generation.assertCurrent()
        await checkpoints.markInflight(ranges)
      })
      const writeStarted = performance.now()
      for (const { batch } of round) {
        await this.retrying('write batch', async () => {
          generation.assertCurrent()
          await this.writeSettingAsideRejected(batch)
        })
      }
      observer.stage('write', (performance.now() - writeStarted) / 1000)
      const commitStarted = performance.now()
      await this.retrying('commit', async () => {
        generation.assertCurrent()
        await checkpoints.commit(ranges)
      })
      observer.stage('commit', (performance.now() - commitStarted) / 1000)
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
    for (const { batch } of round) {
      this.bufferedRecords -= batch.records
      observer.batchWritten(batch.records, batch.latestTimestampMs > 0 ? (now - batch.latestTimestampMs) / 1000 : null)
    }
    observer.buffered(this.bufferedRecords)
    this.updatePause()
    return true
  }

  /**
   * Writes a batch; when ClickHouse refuses rows of one facts table for their content, those rows
   * become dead letters (reason rejected_by_store, the row as JSON for payload) and the rest is
   * written under the same token. Deterministic: a replay of the batch sets the same rows aside, and
   * tables written before the refusal are recognised by their token. A refusal that cannot be
   * narrowed to rows (or of the dead letters themselves) stays fatal.
   */
  private async writeSettingAsideRejected(batch: Batch): Promise<void> {
    const { sink, observer, settings } = this.deps
    for (;;) {
      try {
        await sink.writeBatch(batch.range, batch.output)
        return
      } catch (error) {
        if (!(error instanceof RejectedRowsError) || error.output === 'deadLetters') throw error
        const rows: { source_topic: string; source_partition: number; source_offset: number }[] = batch.output[error.output]
        const rejected = new Set(await sink.findRejectedRows(error.output, rows))
        if (rejected.size === 0) throw error
        const detail = `${error.output}: ${error.message.split('\n')[0] ?? ''}`.slice(0, 500)
        const receivedAt = this.deps.now()
        for (const index of rejected) {
          const row = rows[index]!
          const position = { topic: row.source_topic, partition: row.source_partition, offset: row.source_offset }
          batch.output.deadLetters.push(
            deadLetterRow(
              position,
              Buffer.from(JSON.stringify(row)),
              { reason: 'rejected_by_store', detail },
              receivedAt,
              settings.deadLetterPrefixBytes,
            ),
          )
          observer.deadLetter(position.topic, 'rejected_by_store')
        }
        this.deps.logger.warn(
          { range: batch.range, output: error.output, rejected: rejected.size, err: detail },
          'rows refused by ClickHouse set aside as dead letters',
        )
        // in place: `rows` is the batch's own list (no spread: a batch can hold any number of rows)
        let kept = 0
        for (let index = 0; index < rows.length; index++) if (!rejected.has(index)) rows[kept++] = rows[index]!
        rows.length = kept
      }
    }
  }

  /** Retries retryable infrastructure errors with exponential backoff and jitter, pausing consumption meanwhile. */
  private async retrying<T>(what: string, operation: () => Promise<T>): Promise<T> {
    const { retryInitialMs, retryMaxMs } = this.deps.settings
    let delay = retryInitialMs
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await operation()
        if (this.sinkFailing) {
          this.sinkFailing = false
          this.deps.logger.info({ what, attempts: attempt }, 'recovered')
          this.updatePause()
        }
        return result
      } catch (error) {
        if (error instanceof OwnershipLostError) throw error
        const retryable = error instanceof InfrastructureError ? error.retryable : false
        if (!retryable || this.stopping) {
          const fatal = error instanceof Error ? error : new Error(String(error))
          if (!this.stopping) this.raiseFatal(fatal)
          throw fatal
        }
        this.deps.observer.writeRetry()
        if (!this.sinkFailing) {
          this.sinkFailing = true
          this.updatePause()
        }
        this.deps.logger.warn({ what, attempt, retryInMs: delay, err: (error as Error).message }, 'retrying')
        await sleep(delay * (0.5 + Math.random() / 2))
        delay = Math.min(delay * 2, retryMaxMs)
      }
    }
  }

  private raiseFatal(error: Error): void {
    if (this.fatal) return
    this.fatal = error
    for (const listener of this.fatalListeners) listener(error)
  }

  private updatePause(): void {
    const shouldPause = this.sinkFailing || this.bufferedRecords >= this.deps.settings.maxBufferedRecords
    if (shouldPause === this.paused) return
    this.paused = shouldPause
    this.deps.observer.backpressure(shouldPause)
    for (const listener of this.pauseListeners) listener(shouldPause)
  }

  /** Stops retrying forever: the next failure is final. Used by shutdown. */
  beginStop(): void {
    this.stopping = true
  }
}
