/**
 * What the pipeline, the analysis and the adapters report as they work: ports that
 * observability/metrics.ts implements with Prometheus, so that observability depends on the domain
 * only and the reporting modules never see prom-client.
 */
import type { DeadLetterReason } from './errors.js'

/** process: decode, deduplicate, analyse and build facts for one delivered batch; write and commit per round. */
export type Stage = 'process' | 'write' | 'commit'

export interface PipelineObserver {
  consumed(topic: string, records: number): void
  deadLetter(topic: string, reason: DeadLetterReason): void
  duplicate(topic: string): void
  /** An event read again after the group's offsets went back, skipped because the sink holds it from that record. */
  replaySkipped(topic: string): void
  accepted(kind: 'message' | 'moderation' | 'report'): void
  stage(stage: Stage, seconds: number): void
  batchWritten(records: number, eventTimeLagSeconds: number | null): void
  writeRetry(): void
  /** A partition's batch failed to write (`failing`: since when, and the latest error code) or was written again (null). */
  writeFailing(topic: string, partition: number, failing: { code: string; sinceMs: number } | null): void
  backpressure(paused: boolean): void
  buffered(records: number): void
  partitionsAssigned(count: number): void
}

export const NOOP_OBSERVER: PipelineObserver = {
  consumed() {},
  deadLetter() {},
  duplicate() {},
  replaySkipped() {},
  accepted() {},
  stage() {},
  batchWritten() {},
  writeRetry() {},
  writeFailing() {},
  backpressure() {},
  buffered() {},
  partitionsAssigned() {},
}

/** The ClickHouse sink's inserts. */
export interface InsertObserver {
  /** Called after every insert attempt, for metrics. */
  onInsert(table: string, rows: number, seconds: number, ok: boolean): void
}

/** The analysis stage's verdicts and state sizes. */
export interface AnalysisObserver {
  verdict(verdict: 'ham' | 'spam' | 'campaign'): void
  obfuscation(kind: string, count: number): void
  campaignCreated(): void
  indexState(entries: number, campaigns: number, evictedSinceLast: number): void
  spamReason(reason: string, mode: 'counted' | 'shadow'): void
  similarityPairs(content: number, names: number): void
}

/** An analysis whose verdicts nobody counts: benchmarks, backtests and tests. */
export const NOOP_ANALYSIS_OBSERVER: AnalysisObserver = {
  verdict() {},
  obfuscation() {},
  campaignCreated() {},
  indexState() {},
  spamReason() {},
  similarityPairs() {},
}

/** The campaign exchange between instances. */
export interface ExchangeObserver {
  exchanged(direction: 'published' | 'received' | 'rejected', entries: number): void
  /** Bytes of exchange record values: published by this instance, or fetched from the topic (its own records too: they cross the network). */
  exchangedBytes(direction: 'published' | 'fetched', bytes: number): void
}

/** The campaign merge (campaigns.scale_out = merge). */
export interface CampaignMergeObserver {
  /** One run of the merge on this instance: `merged` when it led (owned the messages topic's partition 0), `followed` otherwise, `failed` when the store failed. */
  mergeRun(outcome: 'merged' | 'followed' | 'failed', seconds: number): void
  /** Alias rows the merge wrote (leader), or applied to this instance's index (every instance). */
  mergeAliases(direction: 'written' | 'applied', count: number): void
  /** Processing time up to which the leader has merged what was stored (ms since the epoch). */
  mergedThrough(ms: number): void
}
