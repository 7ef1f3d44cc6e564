/**
 * Campaigns as stored in message_fingerprints, for integration tests that compare a run with the
 * ground truth or with another run. Based on the fingerprints' campaign ids, not on the `campaigns`
 * table, so a comparison of partitions does not depend on how campaigns are counted.
 */
import type { GeneratedRecord, GroundTruth } from '../../src/generator/index.js'

export interface Assignment {
  chat_id: string
  message_id: string
  campaign_id: string
}

/** Campaign ids merged into another (docs/scale-out.md), each with the id it resolves to. */
const ALIASES = 'SELECT alias_id, argMax(canonical_id, merged_at) AS canonical_id FROM campaign_aliases GROUP BY alias_id'

/**
 * Aliases whose canonical is itself an alias of another id: readers resolve one level, so none may
 * be left once the merge has covered what the instances wrote (a row naming itself is no alias).
 */
export const ALIAS_CHAINS = `SELECT a.alias_id AS alias_id, a.canonical_id AS canonical_id, b.canonical_id AS next
  FROM (${ALIASES}) AS a JOIN (${ALIASES}) AS b ON a.canonical_id = b.alias_id
  WHERE b.canonical_id != b.alias_id`

/**
 * The campaign each fingerprinted message is in now (an edit may move a message: its latest version
 * says where), an id merged into another resolved to the one it joined.
 */
export const ASSIGNMENTS = `SELECT f.chat_id AS chat_id, f.message_id AS message_id, if(a.canonical_id = '', f.campaign_id, a.canonical_id) AS campaign_id
  FROM (SELECT chat_id, message_id, argMax(campaign_id, ts) AS campaign_id FROM message_fingerprints WHERE type != 'deleted' GROUP BY chat_id, message_id) AS f
  LEFT JOIN (${ALIASES}) AS a ON f.campaign_id = a.alias_id`

/** The campaign each fingerprinted message was assigned when it was processed, no alias resolved. */
export const ASSIGNMENTS_UNRESOLVED = `SELECT chat_id, message_id, argMax(campaign_id, ts) AS campaign_id FROM message_fingerprints
  WHERE type != 'deleted' GROUP BY chat_id, message_id`

/**
 * What campaigns_latest must count for each resolved campaign of at least 2 (the default
 * campaigns.min_messages), as the fingerprints show: `n`, every message once for each campaign it
 * joined under an id that resolves there. A message an edit moved counts in both campaigns; when the
 * two were later joined (aliases), it counts twice in the one they became, as campaigns_latest sums
 * the members each id was given (docs/limits.md). `least`, every message once: what is counted when
 * the edit came after this instance had applied the join, so that it stayed in the campaign it was
 * in. Which of the two happened depends on when the merge ran, which the fingerprints do not show.
 */
export const CAMPAIGN_MEMBERS = `SELECT campaign_id, sum(joined) AS n, count() AS least FROM (
    SELECT resolved AS campaign_id, uniqExact(raw_id) AS joined FROM (
      SELECT f.chat_id AS chat_id, f.message_id AS message_id, f.campaign_id AS raw_id,
        if(a.canonical_id = '', f.campaign_id, a.canonical_id) AS resolved
      FROM (SELECT chat_id, message_id, campaign_id FROM message_fingerprints WHERE type != 'deleted' AND campaign_id != '') AS f
      LEFT JOIN (${ALIASES}) AS a ON f.campaign_id = a.alias_id)
    GROUP BY resolved, chat_id, message_id)
  GROUP BY campaign_id HAVING n >= 2`

/** A row of CAMPAIGN_MEMBERS, as numbers. */
export interface MemberRange {
  least: number
  most: number
}

/**
 * How far campaigns_latest's count `listed` (undefined: not listed) lies outside the range the
 * fingerprints allow: 0 inside it, negative for members not counted, positive for members counted
 * twice. A campaign whose count may be below `minMessages` may be missing from the view.
 */
export function countOutsideRange(listed: number | undefined, range: MemberRange | undefined, minMessages = 2): number {
  const { least, most } = range ?? { least: 0, most: 0 }
  if (listed === undefined) return least < minMessages ? 0 : -least
  if (listed < least) return listed - least
  return listed > most ? listed - most : 0
}

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
