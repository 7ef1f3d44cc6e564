/** The generator's public contract: its options, its records and the ground truth it reports. */
import type { MalformedReason } from './malformed.js'

export interface GeneratorOptions {
  seed: number
  /** Number of message.v1 records (valid, before duplicates). */
  messages: number
  /** Event time of the first record, epoch ms. */
  startMs: number
  /** Messages per second of event time; default 50. */
  ratePerSecond?: number
  /** Share of valid records published a second time with the same bytes; default 0.01. */
  duplicateShare?: number
  /** Share (relative to valid records) of malformed records; default 0.002. */
  malformedShare?: number
  /** Every `every` valid records, one otherwise valid message larger than `bytes`; default off. */
  oversized?: { every: number; bytes: number } | null
  topics?: { messages: string; moderation: string; reports: string }
  /** Share of records published without a key; default 0.01. */
  nullKeyShare?: number
  /**
   * If given, filled in while records are yielded (it grows with the stream, the records do not
   * accumulate); look-alike targets are finalized when the generator is exhausted.
   */
  truth?: GroundTruth | null
}

export interface GeneratedRecord {
  topic: string
  /** The chat id, or null. */
  key: string | null
  value: Buffer
  kind: 'message' | 'moderation' | 'report' | 'malformed' | 'duplicate'
  malformedReason?: MalformedReason
}

export interface GroundTruth {
  /** Message event id (created or edited-into-spam) → campaign label, for spam campaign copies only. */
  campaignOf: Map<string, string>
  /** Clone chat id → original chat id (set once the clone has reposted a post of the original). */
  cloneOf: Map<string, string>
  /** Chat id → impersonated chat id (if that chat posted in the stream) or protected @username. */
  lookalikeOf: Map<string, string>
  /** Chats operated by spammers (scam channels, bots and groups, scam clones) that posted. */
  spamChats: Set<string>
  /** Event id of a clone repost or a forward → event id of the post it copies (filled when present). */
  copyOf?: Map<string, string>
}
