/**
 * Campaigns as stored in message_fingerprints, for integration tests that compare a run with the
 * ground truth or with another run. Based on the fingerprints' campaign ids, not on the `campaigns`
 * table, so a comparison of partitions does not depend on how campaigns are counted.
 */
import type { GeneratedRecord, GroundTruth } from '../sources/generator/index.js'

export interface Assignment {
  chat_id: string
  message_id: string
  campaign_id: string
}

/** The campaign each fingerprinted message is in now: an edit may move a message, its latest version says where. */
export const ASSIGNMENTS = `SELECT chat_id, message_id, argMax(campaign_id, ts) AS campaign_id FROM message_fingerprints
  WHERE type != 'deleted' GROUP BY chat_id, message_id`

export const messageKey = (a: Assignment): string => `${a.chat_id}/${a.message_id}`

/** The cluster a message belongs to for pairwise metrics: its campaign, or one of its own. */
export const clusterOf = (a: Assignment): string => a.campaign_id || `solo:${messageKey(a)}`

/**
 * `chat/message` → campaign label of every message the generator posted (or edited into) as a copy
 * of a spam campaign. Organic near-duplicates ("lmao", bot replies, reposts) are not labelled.
 */
export function truthLabels(records: readonly GeneratedRecord[], truth: GroundTruth): Map<string, string> {
  const labels = new Map<string, string>()
  for (const r of records) {
    if (r.kind !== 'message') continue
    const event = JSON.parse(r.value.toString('utf8'))
    const label = truth.campaignOf.get(event.event_id)
    if (label && event.type !== 'deleted') labels.set(`${event.chat.id}/${event.message_id}`, label)
  }
  return labels
}
