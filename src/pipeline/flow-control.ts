/**
 * What consumption is paused, and why: the processor decides, the source applies it.
 *
 * - Everything pauses while a step every partition needs (the checkpoint, the duplicate filter) is
 *   failing, or while the records accepted and not yet written reach pipeline.max_buffered_records:
 *   memory stays bounded whatever the input does.
 * - A partition whose batch the sink is failing to write pauses alone, from its first failure until
 *   that batch is written: it stops taking records it could not write anyway, so it cannot fill the
 *   shared buffer and pause the healthy partitions (one bad partition stays one bad partition).
 */
import { InfrastructureError } from '../domain/errors.js'
import type { PipelineObserver } from '../domain/observers.js'
import type { Logger } from '../domain/ports.js'
import { OwnershipLostError } from '../exactly-once/errors.js'
import type { StopSignal } from './stop-signal.js'
import { backoffDelayMs, type BackoffSettings } from './write-failures.js'

type PartitionPauseListener = (topic: string, partition: number, paused: boolean) => void

export interface FlowControlDeps {
  observer: PipelineObserver
  logger: Logger
  maxBufferedRecords: number
  backoff: BackoffSettings
  stop: StopSignal
  /** The records accepted and not yet written. */
  buffered: () => number
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`

export class FlowControl {
  private sharedStepFailing = false
  private paused = false
  private readonly heldPartitions = new Map<string, { topic: string; partition: number }>()
  private readonly pauseListeners: ((paused: boolean) => void)[] = []
  private readonly partitionListeners: PartitionPauseListener[] = []

  constructor(private readonly deps: FlowControlDeps) {}

  /** Called with true when all consumption should pause, false to resume. */
  onPauseChange(listener: (paused: boolean) => void): void {
    this.pauseListeners.push(listener)
  }

  /** Called when one partition should pause (its writes fail) or may resume (written again, or no longer ours). */
  onPartitionPauseChange(listener: PartitionPauseListener): void {
    this.partitionListeners.push(listener)
  }

  get isPaused(): boolean {
    return this.paused
  }

  /** The partitions paused alone, in the order they were paused. */
  get held(): { topic: string; partition: number }[] {
    return [...this.heldPartitions.values()]
  }

  /**
   * Runs a step every partition needs (the checkpoint, the duplicate filter), retrying it while it
   * fails for a reason that can pass later, with exponential backoff and jitter, and pausing all
   * consumption meanwhile. A stop ends the wait, and the next failure is final: `failed` turns it
   * into the error thrown.
   */
  async retrySharedStep<T>(what: string, operation: () => Promise<T>, failed: (error: unknown) => Error): Promise<T> {
    const { observer, logger, stop, backoff } = this.deps
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await operation()
        if (this.sharedStepFailing) {
          this.sharedStepFailing = false
          logger.info({ what, attempts: attempt }, 'recovered')
          this.update()
        }
        return result
      } catch (error) {
        if (error instanceof OwnershipLostError) throw error
        if (!(error instanceof InfrastructureError && error.retryable) || stop.isRequested) throw failed(error)
        observer.writeRetry()
        if (!this.sharedStepFailing) {
          this.sharedStepFailing = true
          this.update()
        }
        const delay = backoffDelayMs(attempt, backoff)
        logger.warn({ what, attempt, retryInMs: delay, code: error.code, err: error.message }, 'retrying')
        await stop.pauseFor(delay)
      }
    }
  }

  /** Pauses or resumes everything for the shared step and the buffer's size. */
  update(): void {
    const shouldPause = this.sharedStepFailing || this.deps.buffered() >= this.deps.maxBufferedRecords
    if (shouldPause === this.paused) return
    this.paused = shouldPause
    this.deps.observer.backpressure(shouldPause)
    for (const listener of this.pauseListeners) listener(shouldPause)
  }

  /** The partition's batch failed to write: it takes nothing more until `release`. */
  hold(topic: string, partition: number): void {
    const key = keyOf(topic, partition)
    if (this.heldPartitions.has(key)) return
    this.heldPartitions.set(key, { topic, partition })
    for (const listener of this.partitionListeners) listener(topic, partition, true)
  }

  /** The partition's batch was written: it takes records again. */
  release(topic: string, partition: number): void {
    if (!this.heldPartitions.delete(keyOf(topic, partition))) return
    for (const listener of this.partitionListeners) listener(topic, partition, false)
  }

  /**
   * A rebalance: the shared step's retries ended with the generation (a failure still there pauses
   * again on the next attempt; a pause outliving it would stop the very deliveries that could clear
   * it), and every held partition is released, since its unwritten batch is dropped and read again
   * from the committed offsets by whoever owns it next.
   */
  reset(): void {
    this.sharedStepFailing = false
    for (const { topic, partition } of this.held) this.release(topic, partition)
    this.update()
  }
}
