/**
 * The ports between the pipeline and the adapters. The pipeline depends on these interfaces only;
 * Kafka, files, ClickHouse, Prometheus and pino live behind them.
 */
import type { BatchOutput } from './facts.js'

/** A contiguous offset range of one partition: the unit of exactly-once writing. */
export interface BatchRange {
  topic: string
  partition: number
  firstOffset: number
  lastOffset: number
}

export interface FactsSink {
  /** Writes everything a batch produced. Idempotent per range: writing the same range again changes nothing. */
  writeBatch(range: BatchRange, output: BatchOutput): Promise<void>
  /** After a RejectedRowsError: the indices of the rows of `output` the store refuses for their content. */
  findRejectedRows(output: keyof BatchOutput, rows: readonly object[]): Promise<number[]>
  /** Event keys accepted on any partition since `sinceMs` (processing time), oldest first. */
  loadSeenEventKeys(sinceMs: number): Promise<SeenEventKey[]>
  ping(): Promise<boolean>
}

/** An event accepted earlier on a partition, oldest first. */
export interface SeenEventKey {
  key: number
  topic: string
  partition: number
  offset: number
  seenAtMs: number
}

/** One record as a source delivers it. */
export interface SourceRecord {
  topic: string
  partition: number
  offset: number
  value: Uint8Array | null
  /** Broker timestamp (ms), used for produce-to-queryable latency. */
  timestampMs: number
}

/** What a source's checkpoint says about a partition when it is assigned. */
export interface PartitionCheckpoint {
  /** The next offset to process (everything before it is written). */
  nextOffset: number
  /** Set when a batch starting at nextOffset was being written when the last owner stopped: the first batch must end exactly here. */
  inflightLastOffset: number | null
}

/**
 * Where a partition is read from after a restart: rows stored from `offset` on belong to batches
 * that were never committed, and the replay writes them again. State rebuilt from the store leaves
 * them out, so the replay meets those messages in the state they first met (docs/exactly-once.md).
 */
export interface ReplayStart {
  topic: string
  partition: number
  offset: number
}

/**
 * Where a source keeps each partition's position, and the range in flight while a batch is written
 * (the exactly-once protocol, docs/exactly-once.md). A commit this member may no longer make (the
 * group moved on) fails with OwnershipLostError, never silently.
 */
export interface Checkpointer {
  load(topic: string, partition: number): Promise<PartitionCheckpoint>
  /** Every partition of `topic` with a stored position, and the offset its next owner reads from. */
  replayStarts(topic: string): Promise<ReplayStart[]>
  /** Records that these ranges are about to be written (one call for all). */
  markInflight(ranges: BatchRange[]): Promise<void>
  /** Moves the checkpoints past these ranges: they are written. */
  commit(ranges: BatchRange[]): Promise<void>
  /** False when nothing is stored between runs (file replays start over and cut the same batches). */
  readonly storesPositions?: boolean
}

export interface Logger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
  child(bindings: object): Logger
}

/** A stored fingerprint row, to rebuild the campaign index after a restart (the text is never stored). */
export interface StoredFingerprint {
  chatId: string
  messageId: string
  campaignId: string
  exactHash: string
  signature: string
  sender: string
  tsMs: number
}

export interface FingerprintHistory {
  /**
   * The latest version of each message fingerprinted within `windowMs` of event time before the
   * newest stored one (the index window is in event time, so a replay of old data restores too),
   * newest first, at most `limit`; rows of the batches a replay writes again (`replayed`) left out.
   */
  loadRecentFingerprints(windowMs: number, limit: number, replayed: readonly ReplayStart[]): Promise<StoredFingerprint[]>
}

/** Two campaign ids, `a` < `b`. */
export interface CampaignPair {
  a: string
  b: string
}

/** A campaign id merged into another (campaign_aliases): reads resolve `alias` to `canonical`. */
export interface CampaignAlias {
  alias: string
  canonical: string
}

/** What the campaign merge reads and writes (campaigns.scale_out = merge; docs/scale-out.md). */
export interface CampaignMergeStore {
  /**
   * Pairs of campaigns, one with a representative stored in [fromMs, toMs) of processing time,
   * whose representatives share LSH bands: the candidates. At most `limit`.
   */
  findCandidatePairs(fromMs: number, toMs: number, limit: number): Promise<CampaignPair[]>
  /** The signatures (hex) of each campaign's representatives, for the ids the store has. */
  loadRepresentativeSignatures(ids: readonly string[]): Promise<Map<string, string[]>>
  /** The current alias rows (latest per alias) that mention any of `ids`, as alias or as canonical, oldest first. */
  loadAliasesOf(ids: readonly string[]): Promise<CampaignAlias[]>
  /** Alias rows written at or after `sinceMs` (processing time), with the time each was written. */
  loadAliasesSince(sinceMs: number): Promise<(CampaignAlias & { mergedAtMs: number })[]>
  writeCampaignAliases(merges: readonly (CampaignAlias & { mergedAtMs: number })[]): Promise<void>
}
