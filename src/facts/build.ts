/**
 * Validated events → fact rows (pure). The per-minute aggregates are derived from these rows in
 * ClickHouse; what needs the processor's state (campaigns, spam scores) arrives as a TextVerdict
 * from the analysis stage.
 */
import { createHash } from 'node:crypto'
import type { MessageV1, ModerationV1, ReportV1 } from '../domain/events.js'
import type { DeadLetter } from '../domain/errors.js'
import type { DeadLetterRow, MessageFact, ModerationFact, RecordPosition, ReportFact, SourceColumns } from '../domain/facts.js'

/** What the text and behaviour analysis decided about one message (see pipeline/analysis.ts). */
export type TextVerdict = Pick<
  MessageFact,
  | 'fingerprinted'
  | 'exact_hash'
  | 'signature'
  | 'campaign_id'
  | 'in_campaign'
  | 'campaign_messages'
  | 'campaign_first_seen'
  | 'campaign_chats'
  | 'campaign_senders'
  | 'campaign_countries'
  | 'campaign_signature'
  | 'campaign_sample'
  | 'spam'
  | 'spam_score'
  | 'reasons'
  | 'shadow_reasons'
  | 'obfuscation'
  | 'link_domains'
>

export const NO_TEXT_VERDICT: TextVerdict = Object.freeze({
  fingerprinted: 0,
  exact_hash: '',
  signature: '',
  campaign_id: '',
  in_campaign: 0,
  campaign_messages: 0,
  campaign_first_seen: 0,
  campaign_chats: [],
  campaign_senders: [],
  campaign_countries: [],
  campaign_signature: null,
  campaign_sample: null,
  spam: 0,
  spam_score: 0,
  reasons: [],
  shadow_reasons: [],
  obfuscation: {},
  link_domains: [],
}) as TextVerdict

function sourceColumns(position: RecordPosition, eventId: string, eventKey: number, tsMs: number): SourceColumns {
  return {
    source_topic: position.topic,
    source_partition: position.partition,
    source_offset: position.offset,
    event_id: eventId,
    event_key: String(eventKey),
    ts: tsMs,
  }
}

const LINK_IN_TEXT = /(?:https?:\/\/|www\.|t\.me\/)\S/i

/** Whether a message carries a link anywhere: entities, buttons or plain text. */
export function hasLinks(event: MessageV1): boolean {
  if (event.entities?.some((e) => e.type === 'url' || e.type === 'text_link')) return true
  if (event.buttons?.some((b) => b.url !== undefined && b.url !== '')) return true
  return event.text !== undefined && LINK_IN_TEXT.test(event.text)
}

export function messageFact(
  event: MessageV1,
  tsMs: number,
  position: RecordPosition,
  eventKey: number,
  sender: string,
  verdict: TextVerdict,
): MessageFact {
  return {
    ...sourceColumns(position, event.event_id, eventKey, tsMs),
    type: event.type,
    chat_id: event.chat.id,
    chat_type: event.chat.type,
    chat_title: event.chat.type === 'private' ? '' : (event.chat.title ?? ''),
    chat_username: event.chat.type === 'private' ? '' : (event.chat.username ?? ''),
    country: normalizeCountry(event.country),
    lang: (event.lang ?? '').toLowerCase().slice(0, 35),
    message_id: event.message_id,
    sender,
    with_links: event.type !== 'deleted' && hasLinks(event) ? 1 : 0,
    forwarded: event.forward !== undefined ? 1 : 0,
    ...verdict,
  }
}

export function moderationFact(
  event: ModerationV1,
  tsMs: number,
  position: RecordPosition,
  eventKey: number,
  pseudonymize: (id: string) => string,
): ModerationFact {
  return {
    ...sourceColumns(position, event.event_id, eventKey, tsMs),
    action: event.action,
    category: event.category,
    source: event.source,
    country: normalizeCountry(event.country),
    chat_id: event.target.chat_id,
    message_id: event.target.message_id ?? '',
    user: event.target.user_id ? pseudonymize(event.target.user_id) : '',
    report_id: event.report_id ?? '',
  }
}

export function reportFact(event: ReportV1, tsMs: number, position: RecordPosition, eventKey: number): ReportFact {
  return {
    ...sourceColumns(position, event.event_id, eventKey, tsMs),
    report_id: event.report_id,
    reporter: event.reporter,
    // Organisations only (events.md): a user reporter's org field is dropped, never a private person.
    reporter_org: event.reporter === 'user' ? '' : (event.reporter_org ?? '').slice(0, 200),
    priority: event.priority,
    category: event.category,
    country: normalizeCountry(event.country),
    chat_id: event.target.chat_id,
  }
}

export function deadLetterRow(
  position: RecordPosition,
  value: Uint8Array | null,
  error: DeadLetter,
  receivedAtMs: number,
  prefixBytes: number,
): DeadLetterRow {
  const bytes = value ?? new Uint8Array(0)
  return {
    topic: position.topic,
    partition: position.partition,
    offset: position.offset,
    received_at: receivedAtMs,
    reason: error.reason,
    detail: error.detail,
    // A prefix of the bytes as text; invalid UTF-8 becomes U+FFFD so the column stays valid.
    payload_prefix: Buffer.from(bytes.subarray(0, prefixBytes)).toString('utf8'),
    payload_sha256: createHash('sha256').update(bytes).digest('hex'),
    payload_bytes: bytes.length,
  }
}

/** ISO 3166-1 alpha-2, upper case; anything else is unknown (''). */
function normalizeCountry(country: string | undefined): string {
  if (country === undefined) return ''
  const upper = country.toUpperCase()
  return /^[A-Z]{2}$/.test(upper) ? upper : ''
}

