import type { MessageFact } from '../../../domain/facts.js'
import { onCluster, type Migration } from './ddl.js'

/**
 * message_fingerprints is written by the store in an insert of its own, after the batch's
 * message_facts insert, no longer by a view on message_facts. An insert feeds its views one after
 * another, in an order the engine picks per database, so a SIGKILL between two views left a batch
 * in message_fingerprints but not in campaigns, say. The restart rebuilds the campaign index from
 * message_fingerprints, so the replayed batch met its own messages there, counted none of them as
 * new members, and the views it had not reached received those counts (campaigns_latest undercounted
 * by 188 of 3,457 members in a CI run). Written last, message_fingerprints holds a batch only once
 * every view of message_facts does, and a replay that finds the batch there is dropped everywhere.
 */
export const m15: Migration = {
  version: 15,
  name: 'message_fingerprints written after the message views',
  statements: (o) => [`DROP VIEW IF EXISTS ${o.database}.message_fingerprints_mv${onCluster(o)}`],
}

/** A row of message_fingerprints. */
export type FingerprintRow = Pick<
  MessageFact,
  | 'ts'
  | 'type'
  | 'chat_id'
  | 'message_id'
  | 'sender'
  | 'exact_hash'
  | 'signature'
  | 'campaign_id'
  | 'spam_score'
  | 'reasons'
  | 'shadow_reasons'
  | 'obfuscation'
  | 'link_domains'
  | 'source_partition'
  | 'source_offset'
>

/**
 * The message_fingerprints rows of a batch's message facts, as message_fingerprints_mv selected
 * them (migration 6): every fingerprinted version, and the deletes of messages outside private chats.
 */
export function fingerprintRows(facts: readonly MessageFact[]): FingerprintRow[] {
  const rows: FingerprintRow[] = []
  for (const f of facts) {
    if (f.fingerprinted !== 1 && !(f.type === 'deleted' && f.chat_type !== 'private')) continue
    rows.push({
      ts: f.ts,
      type: f.type,
      chat_id: f.chat_id,
      message_id: f.message_id,
      sender: f.sender,
      exact_hash: f.exact_hash,
      signature: f.signature,
      campaign_id: f.campaign_id,
      spam_score: f.spam_score,
      reasons: f.reasons,
      shadow_reasons: f.shadow_reasons,
      obfuscation: f.obfuscation,
      link_domains: f.link_domains,
      source_partition: f.source_partition,
      source_offset: f.source_offset,
    })
  }
  return rows
}
