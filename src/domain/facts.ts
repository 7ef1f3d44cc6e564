/**
 * What the processor writes: one fact row per accepted event and one row per dead letter. The
 * per-minute aggregates, campaigns and report answers are derived from these rows inside ClickHouse
 * by materialized views, so one insert per partition batch carries everything that batch changes
 * and one deduplication token makes all of it exactly-once (docs/exactly-once.md).
 */
import type { DeadLetterReason } from './errors.js'

/** Where a record came from; (topic, partition, offset) identifies it for exactly-once. */
export interface RecordPosition {
  topic: string
  partition: number
  offset: number
}

export interface SourceColumns {
  source_topic: string
  source_partition: number
  source_offset: number
  event_id: string
  /** 64-bit hash of event_id (decimal string), what the duplicate filter remembers. */
  event_key: string
  ts: number
}

export interface MessageFact extends SourceColumns {
  type: 'created' | 'edited' | 'deleted'
  chat_id: string
  chat_type: string
  chat_title: string
  chat_username: string
  country: string
  lang: string
  message_id: string
  sender: string
  spam: 0 | 1
  in_campaign: 0 | 1
  with_links: 0 | 1
  forwarded: 0 | 1
  /** 0 for rows without a fingerprint (private chats, deletes, media without text). */
  fingerprinted: 0 | 1
  exact_hash: string
  signature: string
  campaign_id: string
  /**
   * Text keys of a post in a chat whose posts chat similarity compares (channels), 16 hex each:
   * hashes of the beginning and the end of its skeleton (src/fingerprint/text-key.ts); '' otherwise,
   * or when the text is too short. Kept so that a restart rebuilds clone evidence.
   */
  head_key: string
  tail_key: string
  /**
   * 1 when the campaign merge compares this message with other instances' campaigns (docs/scale-out.md):
   * the message that founded its campaign on this instance, or one of the campaign's first members
   * there that is not an exact copy of an earlier one. Every instance founds a campaign whose copies
   * reach it; its first few members are how it reached each instance.
   */
  merge_representative: 0 | 1
  /** How many messages this row adds to its campaign: usually 1; the message that makes a group a
   * campaign (min_messages reached) also brings the earlier members, so their count is not lost. */
  campaign_messages: number
  /** Event time the campaign started: this row's ts, or the first member's for the row that brings the earlier members. */
  campaign_first_seen: number
  /** Chats and senders this row adds to its campaign's distinct counts (the earlier members too). */
  campaign_chats: string[]
  campaign_senders: string[]
  campaign_countries: string[]
  campaign_signature: string | null
  campaign_sample: string | null
  spam_score: number
  reasons: string[]
  shadow_reasons: string[]
  obfuscation: Record<string, number>
  link_domains: string[]
}

export interface ModerationFact extends SourceColumns {
  action: string
  category: string
  source: string
  country: string
  chat_id: string
  message_id: string
  user: string
  report_id: string
}

export interface ReportFact extends SourceColumns {
  report_id: string
  reporter: string
  reporter_org: string
  priority: string
  category: string
  country: string
  chat_id: string
}

export interface DeadLetterRow {
  topic: string
  partition: number
  offset: number
  received_at: number
  reason: DeadLetterReason
  detail: string
  payload_prefix: string
  payload_sha256: string
  payload_bytes: number
}

/** Everything one partition batch produces, in offset order. */
export interface BatchOutput {
  messages: MessageFact[]
  moderation: ModerationFact[]
  reports: ReportFact[]
  deadLetters: DeadLetterRow[]
}
