/** What the pipeline reports as it works; observability/metrics.ts implements it with Prometheus. */
import type { DeadLetterReason } from '../domain/errors.js'

/** process: decode, deduplicate, analyse and build facts for one delivered batch; write and commit per round. */
export type Stage = 'process' | 'write' | 'commit'

export interface PipelineObserver {
  consumed(topic: string, records: number): void
  deadLetter(topic: string, reason: DeadLetterReason): void
  duplicate(topic: string): void
  accepted(kind: 'message' | 'moderation' | 'report'): void
  stage(stage: Stage, seconds: number): void
  batchWritten(records: number, eventTimeLagSeconds: number | null): void
  writeRetry(): void
  backpressure(paused: boolean): void
  buffered(records: number): void
  partitionsAssigned(count: number): void
}

export const NOOP_OBSERVER: PipelineObserver = {
  consumed() {},
  deadLetter() {},
  duplicate() {},
  accepted() {},
  stage() {},
  batchWritten() {},
  writeRetry() {},
  backpressure() {},
  buffered() {},
  partitionsAssigned() {},
}
