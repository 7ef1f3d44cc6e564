/**
 * The metric catalogue (outputs.md "Prometheus metrics"): every metric the processor exports is
 * declared here, on its own registry. Labels take bounded values only: topic, partition, reason,
 * stage, table, kind; never a chat id, sender or text.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { DeadLetterReason } from '../domain/errors.js'
import type {
  AnalysisObserver,
  CampaignMergeObserver,
  ExchangeObserver,
  InsertObserver,
  PipelineObserver,
  Stage,
} from '../domain/observers.js'

const STAGE_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
const INSERT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

export class Metrics implements PipelineObserver, InsertObserver, AnalysisObserver, ExchangeObserver, CampaignMergeObserver {
  readonly registry = new Registry()
  private readonly r = this.registry
  readonly recordsConsumed = new Counter({
    name: 'abuse_records_consumed_total',
    help: 'Records read from the source, per topic',
    labelNames: ['topic'],
    registers: [this.r],
  })
  readonly deadLetters = new Counter({
    name: 'abuse_dead_letters_total',
    help: 'Records rejected as dead letters (decode failures), per topic and reason code',
    labelNames: ['topic', 'reason'],
    registers: [this.r],
  })
  readonly duplicates = new Counter({
    name: 'abuse_duplicate_events_total',
    help: 'Events dropped because their event_id was seen within the duplicate horizon',
    labelNames: ['topic'],
    registers: [this.r],
  })
  readonly replayedEventsSkipped = new Counter({
    name: 'abuse_replayed_events_skipped_total',
    help: "Events read again after the group's offsets went back (a reset) and skipped: ClickHouse holds them from the same record",
    labelNames: ['topic'],
    registers: [this.r],
  })
  readonly fingerprintWorkerFailures = new Counter({
    name: 'abuse_fingerprint_worker_failures_total',
    help: 'Fingerprint worker threads (pipeline.fingerprint_workers) that failed and were replaced; the deliveries they held were analysed on the main thread, with the same results',
    registers: [this.r],
  })
  readonly eventsAccepted = new Counter({
    name: 'abuse_events_accepted_total',
    help: 'Valid, non-duplicate events, per kind',
    labelNames: ['kind'],
    registers: [this.r],
  })
  readonly consumerLag = new Gauge({
    name: 'abuse_consumer_lag_messages',
    help: "Records not yet in ClickHouse: end offset minus the group's committed offset, every partition of the input topics (each instance reports all of them)",
    labelNames: ['topic', 'partition'],
    registers: [this.r],
  })
  readonly eventTimeLag = new Gauge({
    name: 'abuse_event_time_lag_seconds',
    help: 'Seconds between now and the broker timestamp of the newest record written',
    registers: [this.r],
  })
  readonly rebalances = new Counter({
    name: 'abuse_rebalances_total',
    help: 'Consumer group rebalances (group joins) seen by this instance',
    registers: [this.r],
  })
  readonly partitionsHeld = new Gauge({
    name: 'abuse_partitions_assigned',
    help: 'Partitions this instance holds state for',
    registers: [this.r],
  })
  readonly messagesByVerdict = new Counter({
    name: 'abuse_messages_total',
    help: 'Messages analysed, per verdict (ham, spam, campaign: in a campaign and not spam)',
    labelNames: ['verdict'],
    registers: [this.r],
  })
  readonly stageDuration = new Histogram({
    name: 'abuse_stage_duration_seconds',
    help: 'Processing time per pipeline stage and call',
    labelNames: ['stage'],
    buckets: STAGE_BUCKETS,
    registers: [this.r],
  })
  readonly obfuscations = new Counter({
    name: 'abuse_obfuscations_total',
    help: 'Obfuscations undone by the normalizer, per kind',
    labelNames: ['kind'],
    registers: [this.r],
  })
  readonly spamReasons = new Counter({
    name: 'abuse_spam_reasons_total',
    help: 'Spam rules that fired, per rule and mode (counted or shadow)',
    labelNames: ['reason', 'mode'],
    registers: [this.r],
  })
  readonly campaignsActive = new Gauge({
    name: 'abuse_campaigns_active',
    help: 'Near-duplicate campaigns with a member in the window',
    registers: [this.r],
  })
  readonly campaignsCreated = new Counter({
    name: 'abuse_campaigns_created_total',
    help: 'Campaigns that reached the minimum size',
    registers: [this.r],
  })
  readonly neardupIndexSize = new Gauge({
    name: 'abuse_neardup_index_entries',
    help: 'Fingerprints in the near-duplicate index',
    registers: [this.r],
  })
  readonly neardupEvictions = new Counter({
    name: 'abuse_neardup_index_evictions_total',
    help: 'Fingerprints evicted from the near-duplicate index by age or size',
    registers: [this.r],
  })
  readonly campaignExchange = new Counter({
    name: 'abuse_campaign_exchange_entries_total',
    help: 'Campaign-exchange entries between instances: published, received (from other instances), rejected (not matching the schema)',
    labelNames: ['direction'],
    registers: [this.r],
  })
  readonly campaignExchangeBytes = new Counter({
    name: 'abuse_campaign_exchange_bytes_total',
    help: "Bytes of campaign-exchange record values: published by this instance, fetched from the topic (this instance's own records included)",
    labelNames: ['direction'],
    registers: [this.r],
  })
  readonly campaignMerges = new Counter({
    name: 'abuse_campaign_merges_total',
    help: 'Campaign ids merged into another: founded by another instance at the same time, or a lone message a later one brought into its campaign',
    registers: [this.r],
  })
  readonly campaignMergeRuns = new Counter({
    name: 'abuse_campaign_merge_runs_total',
    help: 'Runs of the campaign merge (campaigns.scale_out merge): merged (this instance led), followed (applied what the leader wrote), failed (the store failed; retried at the next run)',
    labelNames: ['outcome'],
    registers: [this.r],
  })
  readonly campaignMergeSeconds = new Histogram({
    name: 'abuse_campaign_merge_duration_seconds',
    help: 'Duration of one run of the campaign merge, by outcome',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.r],
  })
  readonly campaignMergeAliases = new Counter({
    name: 'abuse_campaign_merge_aliases_total',
    help: "Campaign aliases the merge wrote (leader) or applied to this instance's campaign index",
    labelNames: ['direction'],
    registers: [this.r],
  })
  readonly campaignMergedThrough = new Gauge({
    name: 'abuse_campaign_merged_through_seconds',
    help: 'Processing time (unix seconds) up to which the campaign merge has joined what was stored; set on the leader. now - this is the merge delay',
    registers: [this.r],
  })
  readonly chatSimilarityPairs = new Gauge({
    name: 'abuse_chat_similarity_pairs',
    help: 'Chat pairs currently tracked as clones or look-alikes',
    labelNames: ['kind'],
    registers: [this.r],
  })
  readonly spamRatio = new Gauge({
    name: 'abuse_spam_ratio',
    help: 'Share of messages scored as spam over the last minute of processing',
    registers: [this.r],
  })
  readonly campaignGrowth = new Gauge({
    name: 'abuse_campaign_growth_max_chats_10m',
    help: 'Largest number of new chats any one campaign reached in the last 10 minutes',
    registers: [this.r],
  })
  readonly urgentReportsWaiting = new Gauge({
    name: 'abuse_urgent_reports_waiting',
    help: 'Urgent trusted-flagger reports unanswered past their target',
    registers: [this.r],
  })
  readonly rulePrecision = new Gauge({
    name: 'abuse_rule_precision',
    help: 'Measured precision of each enforcing spam rule over the messages it flagged in the last 7 days, removed / (removed + reverted + no_violation); only once at least 20 of them were reviewed',
    labelNames: ['rule'],
    registers: [this.r],
  })
  readonly rulePrecisionFloor = new Gauge({
    name: 'abuse_rule_precision_floor',
    help: 'The precision_floor of each enforcing spam rule that has one (config/rules.yaml)',
    labelNames: ['rule'],
    registers: [this.r],
  })
  readonly rowsWritten = new Counter({
    name: 'abuse_sink_rows_written_total',
    help: 'Rows inserted into ClickHouse, per table',
    labelNames: ['table'],
    registers: [this.r],
  })
  readonly insertDuration = new Histogram({
    name: 'abuse_sink_insert_duration_seconds',
    help: 'ClickHouse insert duration, per table',
    labelNames: ['table'],
    buckets: INSERT_BUCKETS,
    registers: [this.r],
  })
  readonly insertFailures = new Counter({
    name: 'abuse_sink_insert_failures_total',
    help: 'Failed ClickHouse inserts, per table',
    labelNames: ['table'],
    registers: [this.r],
  })
  readonly retries = new Counter({
    name: 'abuse_sink_retries_total',
    help: 'Retries of writes and checkpoint operations after a retryable failure',
    registers: [this.r],
  })
  /** Partitions whose writes are failing: since when, and the code of the latest failure (the gauge reads them at scrape time). */
  private readonly failingWrites = new Map<string, { topic: string; partition: string; code: string; sinceMs: number }>()
  readonly sinkFailingSeconds = new Gauge({
    name: 'abuse_sink_failing_seconds',
    help: "Seconds a partition's batch has been failing to write (retried with backoff; the partition's offsets wait), per partition and latest error code; absent when writing",
    labelNames: ['topic', 'partition', 'code'],
    registers: [this.r],
    collect: () => {
      this.sinkFailingSeconds.reset()
      const now = Date.now()
      for (const { topic, partition, code, sinceMs } of this.failingWrites.values())
        this.sinkFailingSeconds.set({ topic, partition, code }, (now - sinceMs) / 1000)
    },
  })
  readonly backpressureSeconds = new Counter({
    name: 'abuse_backpressure_seconds_total',
    help: 'Seconds consumption was paused by backpressure',
    registers: [this.r],
  })
  readonly backpressureActive = new Gauge({
    name: 'abuse_backpressure_active',
    help: '1 while consumption is paused by backpressure',
    registers: [this.r],
  })
  readonly bufferedRecords = new Gauge({
    name: 'abuse_buffered_records',
    help: 'Records accepted but not yet written',
    registers: [this.r],
  })
  readonly batchesWritten = new Counter({
    name: 'abuse_batches_written_total',
    help: 'Partition batches written and committed',
    registers: [this.r],
  })
  readonly recordsWritten = new Counter({
    name: 'abuse_records_written_total',
    help: 'Source records covered by written and committed batches',
    registers: [this.r],
  })
  readonly lastProgress = new Gauge({
    name: 'abuse_last_progress_timestamp_seconds',
    help: 'Unix time of the last committed batch (or start)',
    registers: [this.r],
  })
  private pausedSince: number | null = null

  constructor() {
    collectDefaultMetrics({ register: this.r })
    this.lastProgress.setToCurrentTime()
  }

  /** Running totals for progress lines and run summaries. */
  async totals(): Promise<Record<string, number>> {
    const sum = async (metric: Counter | Gauge, filter?: (labels: Record<string, unknown>) => boolean) =>
      (await metric.get()).values.filter((v) => !filter || filter(v.labels)).reduce((acc, v) => acc + v.value, 0)
    return {
      records: await sum(this.recordsConsumed),
      messages: await sum(this.eventsAccepted, (l) => l.kind === 'message'),
      moderation: await sum(this.eventsAccepted, (l) => l.kind === 'moderation'),
      reports: await sum(this.eventsAccepted, (l) => l.kind === 'report'),
      duplicates: await sum(this.duplicates),
      dead_letters: await sum(this.deadLetters),
      spam: await sum(this.messagesByVerdict, (l) => l.verdict === 'spam'),
      campaigns_created: await sum(this.campaignsCreated),
      records_written: await sum(this.recordsWritten),
      batches_written: await sum(this.batchesWritten),
      write_retries: await sum(this.retries),
    }
  }

  consumed(topic: string, records: number): void {
    this.recordsConsumed.inc({ topic }, records)
  }
  deadLetter(topic: string, reason: DeadLetterReason): void {
    this.deadLetters.inc({ topic, reason })
  }
  duplicate(topic: string): void {
    this.duplicates.inc({ topic })
  }
  replaySkipped(topic: string): void {
    this.replayedEventsSkipped.inc({ topic })
  }
  accepted(kind: 'message' | 'moderation' | 'report'): void {
    this.eventsAccepted.inc({ kind })
  }
  stage(stage: Stage, seconds: number): void {
    this.stageDuration.observe({ stage }, seconds)
  }
  batchWritten(records: number, eventTimeLagSeconds: number | null): void {
    this.batchesWritten.inc()
    this.recordsWritten.inc(records)
    this.lastProgress.setToCurrentTime()
    if (eventTimeLagSeconds !== null) this.eventTimeLag.set(Math.max(0, eventTimeLagSeconds))
  }
  writeRetry(): void {
    this.retries.inc()
  }
  writeFailing(topic: string, partition: number, failing: { code: string; sinceMs: number } | null): void {
    const key = `${topic}\u0000${partition}`
    if (failing) this.failingWrites.set(key, { topic, partition: String(partition), code: failing.code, sinceMs: failing.sinceMs })
    else this.failingWrites.delete(key)
  }
  backpressure(paused: boolean): void {
    this.backpressureActive.set(paused ? 1 : 0)
    if (paused) this.pausedSince = performance.now()
    else if (this.pausedSince !== null) {
      this.backpressureSeconds.inc((performance.now() - this.pausedSince) / 1000)
      this.pausedSince = null
    }
  }
  buffered(records: number): void {
    this.bufferedRecords.set(records)
  }
  partitionsAssigned(count: number): void {
    this.partitionsHeld.set(count)
  }
  verdict(verdict: 'ham' | 'spam' | 'campaign'): void {
    this.messagesByVerdict.inc({ verdict })
  }
  obfuscation(kind: string, count: number): void {
    this.obfuscations.inc({ kind }, count)
  }
  exchanged(direction: 'published' | 'received' | 'rejected', entries: number): void {
    this.campaignExchange.inc({ direction }, entries)
  }
  exchangedBytes(direction: 'published' | 'fetched', bytes: number): void {
    this.campaignExchangeBytes.inc({ direction }, bytes)
  }

  mergeRun(outcome: 'merged' | 'followed' | 'failed', seconds: number): void {
    this.campaignMergeRuns.inc({ outcome })
    this.campaignMergeSeconds.observe({ outcome }, seconds)
  }
  mergeAliases(direction: 'written' | 'applied', count: number): void {
    if (count > 0) this.campaignMergeAliases.inc({ direction }, count)
  }
  mergedThrough(ms: number): void {
    this.campaignMergedThrough.set(ms / 1000)
  }

  campaignCreated(): void {
    this.campaignsCreated.inc()
  }
  spamReason(reason: string, mode: 'counted' | 'shadow'): void {
    this.spamReasons.inc({ reason, mode })
  }
  similarityPairs(content: number, names: number): void {
    this.chatSimilarityPairs.set({ kind: 'content' }, content)
    this.chatSimilarityPairs.set({ kind: 'name' }, names)
  }
  indexState(entries: number, campaigns: number, evictedSinceLast: number): void {
    this.neardupIndexSize.set(entries)
    this.campaignsActive.set(campaigns)
    if (evictedSinceLast > 0) this.neardupEvictions.inc(evictedSinceLast)
  }
  onInsert(table: string, rows: number, seconds: number, ok: boolean): void {
    this.insertDuration.observe({ table }, seconds)
    if (ok) this.rowsWritten.inc({ table }, rows)
    else this.insertFailures.inc({ table })
  }
}
