/**
 * Message facts of made-up campaign members, written straight to a store (no pipeline): for the tests
 * of what the `campaigns` table and its view do with the rows (merges, TTLs, upgrades).
 */
import { NO_TEXT_VERDICT, messageFact } from '../../src/facts/build.js'
import type { MessageV1 } from '../../src/domain/events.js'
import type { MessageFact } from '../../src/domain/facts.js'
import type { ClickHouseStore } from '../../src/sinks/clickhouse/store.js'

/** An hour ago: inside every table's TTL. */
export const RECENT_TS = Math.floor(Date.now() / 1000) * 1000 - 3_600_000

// Offsets of one made-up partition, unique across the whole test file (a batch's token is its range).
let offset = 0

export interface MemberOptions {
  domains?: string[]
  /** campaigns.signature of this row: only the member that makes the group a campaign carries one */
  signature?: string | null
  /** event time, ms */
  ts?: number
}

export function member(campaignId: string, { domains = [], signature = null, ts = RECENT_TS }: MemberOptions = {}): MessageFact {
  const i = offset++
  const event = {
    schema: 'message.v1',
    event_id: `e${i}`,
    type: 'created',
    ts,
    chat: { id: '-100', type: 'channel' },
    message_id: `m${i}`,
    sender: { id: 'u' },
  } as MessageV1
  const verdict = {
    ...NO_TEXT_VERDICT,
    fingerprinted: 1 as const,
    exact_hash: 'ab12',
    campaign_id: campaignId,
    campaign_messages: 1,
    campaign_signature: signature,
  }
  return messageFact(
    event,
    ts,
    { topic: 'links', partition: 0, offset: i },
    i,
    'p-sender',
    { ...verdict, link_domains: domains },
    (id) => id,
  )
}

/** One batch (one insert, one part per table) of the members made last. */
export async function write(store: ClickHouseStore, messages: MessageFact[]): Promise<void> {
  const first = offset - messages.length
  await store.writeBatch(
    { topic: 'links', partition: 0, firstOffset: first, lastOffset: offset - 1 },
    { messages, moderation: [], reports: [], deadLetters: [] },
  )
}
