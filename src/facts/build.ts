/**
 * Validated events → fact rows (pure). The per-minute aggregates are derived from these rows in
 * ClickHouse; what needs the processor's state (campaigns, spam scores) arrives as a TextVerdict
 * from the analysis stage.
 */
import { createHash } from 'node:crypto'
import type { ChatType, MessageV1, ModerationV1, ReportV1 } from '../domain/events.js'
import type { DeadLetter } from '../domain/errors.js'
import type { DeadLetterRow, MessageFact, ModerationFact, RecordPosition, ReportFact, SourceColumns } from '../domain/facts.js'
import { redactPayload } from './redact.js'

/** What the text and behaviour analysis decided about one message (see pipeline/analysis.ts). */
export type TextVerdict = Pick<
  MessageFact,
  | 'fingerprinted'
  | 'exact_hash'
  | 'signature'
  | 'campaign_id'
  | 'head_key'
  | 'tail_key'
  | 'merge_representative'
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
  head_key: '',
  tail_key: '',
  merge_representative: 0,
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
})

/**
 * Input strings can hold lone UTF-16 surrogates (valid JSON escapes, invalid Unicode), and so can
 * texts we cut ourselves (an error message quoting the payload). ClickHouse's JSON input rejects
 * them, failing the whole batch, so every string from the input is made well-formed (U+FFFD).
 */
export const wellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed()

function sourceColumns(position: RecordPosition, eventId: string, eventKey: number, tsMs: number): SourceColumns {
  return {
    source_topic: position.topic,
    source_partition: position.partition,
    source_offset: position.offset,
    event_id: wellFormed(eventId),
    event_key: String(eventKey),
    ts: tsMs,
  }
}

/** The keyed pseudonym of an id (src/privacy/pseudonymize.ts). */
export type Pseudonymizer = (id: string) => string

/** Telegram gives users (and so private chats) positive ids, and groups, supergroups and channels negative ones. */
const USER_FORM_ID = /^\d+$/

/**
 * A chat id as it may be stored. A private chat's id is a person's (in Telegram, the other user's
 * id), so it becomes the pseudonym that person's sender id gets; public chats keep their ids. Where
 * the chat type is not known (moderation and report targets), an id of the form Telegram gives users,
 * an unsigned integer, is taken for a private chat's: the cost of a wrong guess is a pseudonymized
 * public id, never a stored private one.
 */
export function storedChatId(chatId: string, chatType: ChatType | null, pseudonymize: Pseudonymizer): string {
  const isPrivate = chatType === null ? USER_FORM_ID.test(chatId) : chatType === 'private'
  return isPrivate ? pseudonymize(chatId) : chatId
}

const LINK_IN_TEXT = /(?:https?:\/\/|www\.|t\.me\/)\S/i

/** Whether a message carries a link anywhere: entities, buttons or plain text. */
export function hasLinks(event: MessageV1): boolean {
  if (event.entities?.some((e) => e.type === 'url' || e.type === 'text_link')) return true
  if (event.buttons?.some((b) => b.url !== undefined && b.url !== '')) return true
  return event.text !== undefined && LINK_IN_TEXT.test(event.text)
}

/**
 * Built as one literal (no spreads): facts are made per message and spreads of ~40 keys are slow.
 * `sender` is the sender's pseudonym; `pseudonymize` makes a private chat's id one too.
 */
export function messageFact(
  event: MessageV1,
  tsMs: number,
  position: RecordPosition,
  eventKey: number,
  sender: string,
  verdict: TextVerdict,
  pseudonymize: Pseudonymizer,
): MessageFact {
  const isPrivate = event.chat.type === 'private'
  return {
    source_topic: position.topic,
    source_partition: position.partition,
    source_offset: position.offset,
    event_id: wellFormed(event.event_id),
    event_key: String(eventKey),
    ts: tsMs,
    type: event.type,
    chat_id: wellFormed(storedChatId(event.chat.id, event.chat.type, pseudonymize)),
    chat_type: event.chat.type,
    chat_title: isPrivate ? '' : wellFormed(event.chat.title ?? ''),
    chat_username: isPrivate ? '' : wellFormed(event.chat.username ?? ''),
    country: normalizeCountry(event.country),
    lang: event.lang === undefined ? '' : event.lang.toLowerCase().slice(0, 35),
    message_id: wellFormed(event.message_id),
    sender,
    with_links: event.type !== 'deleted' && hasLinks(event) ? 1 : 0,
    forwarded: event.forward !== undefined ? 1 : 0,
    fingerprinted: verdict.fingerprinted,
    exact_hash: verdict.exact_hash,
    signature: verdict.signature,
    campaign_id: verdict.campaign_id,
    head_key: verdict.head_key,
    tail_key: verdict.tail_key,
    merge_representative: verdict.merge_representative,
    in_campaign: verdict.in_campaign,
    campaign_messages: verdict.campaign_messages,
    campaign_first_seen: verdict.campaign_first_seen,
    campaign_chats: verdict.campaign_chats,
    campaign_senders: verdict.campaign_senders,
    campaign_countries: verdict.campaign_countries,
    campaign_signature: verdict.campaign_signature,
    campaign_sample: verdict.campaign_sample,
    spam: verdict.spam,
    spam_score: verdict.spam_score,
    reasons: verdict.reasons,
    shadow_reasons: verdict.shadow_reasons,
    obfuscation: verdict.obfuscation,
    link_domains: verdict.link_domains,
  }
}

export function moderationFact(
  event: ModerationV1,
  tsMs: number,
  position: RecordPosition,
  eventKey: number,
  pseudonymize: Pseudonymizer,
): ModerationFact {
  return {
    ...sourceColumns(position, event.event_id, eventKey, tsMs),
    action: event.action,
    category: event.category,
    source: event.source,
    country: normalizeCountry(event.country),
    chat_id: wellFormed(storedChatId(event.target.chat_id, null, pseudonymize)),
    message_id: wellFormed(event.target.message_id ?? ''),
    user: event.target.user_id ? pseudonymize(event.target.user_id) : '',
    report_id: wellFormed(event.report_id ?? ''),
  }
}

export function reportFact(
  event: ReportV1,
  tsMs: number,
  position: RecordPosition,
  eventKey: number,
  pseudonymize: Pseudonymizer,
): ReportFact {
  return {
    ...sourceColumns(position, event.event_id, eventKey, tsMs),
    report_id: wellFormed(event.report_id),
    reporter: event.reporter,
    // Organisations only (events.md): a user reporter's org field is dropped, never a private person.
    reporter_org: event.reporter === 'user' ? '' : wellFormed((event.reporter_org ?? '').slice(0, 200)),
    priority: event.priority,
    category: event.category,
    country: normalizeCountry(event.country),
    chat_id: wellFormed(storedChatId(event.target.chat_id, null, pseudonymize)),
  }
}

/**
 * A rejected record's row: where it is (topic, partition, offset: the operator reads it from Kafka),
 * why, its hash and size, and a redacted prefix that keeps no user content (see redact.ts): a dead
 * letter cannot be trusted to say whether it came from a private chat.
 */
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
    detail: wellFormed(error.detail),
    payload_prefix: redactPayload(bytes, prefixBytes),
    payload_sha256: createHash('sha256').update(bytes).digest('hex'),
    payload_bytes: bytes.length,
  }
}

const COUNTRY = /^[A-Za-z]{2}$/
/** ISO 3166-1 alpha-2, upper case; anything else is unknown (''). */
function normalizeCountry(country: string | undefined): string {
  return country !== undefined && COUNTRY.test(country) ? country.toUpperCase() : ''
}
