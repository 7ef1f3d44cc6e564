/**
 * Samples for people reading a backtest: which campaigns the newly flagged and no-longer-flagged
 * versions belong to, shown by the campaign's sample text. Message text is never stored; the only
 * texts are campaign samples, which production keeps only for campaigns seen in at least
 * privacy.sample_min_chats public chats, with private data masked (k-anonymous by construction).
 * A change outside such campaigns is counted, never shown.
 */
import { pairs, pairsParams } from './diff.js'
import type { SqlStore } from './rule-versions.js'

export interface CampaignSample {
  campaign_id: string
  /** changed versions of the run in this campaign */
  versions: number
  sample_text: string
}

export interface ChangeSamples {
  samples: CampaignSample[]
  /** changed versions in total, shown or not */
  versions: number
}

export interface BacktestSamples {
  newly_flagged: ChangeSamples
  no_longer_flagged: ChangeSamples
}

export async function collectSamples(
  db: SqlStore,
  options: { runId: string; baselineThreshold: number; candidateThreshold: number; limit: number },
): Promise<BacktestSamples> {
  const params = { ...pairsParams(options), limit: options.limit }
  const collect = async (change: string, campaign: 'b_campaign' | 'c_campaign'): Promise<ChangeSamples> => {
    const rows = await db.select<{ campaign_id: string; versions: string; sample_text: string }>(
      `WITH ${pairs(db.database)}
      SELECT changed.campaign_id AS campaign_id, changed.versions AS versions, assumeNotNull(s.sample_text) AS sample_text
      FROM (SELECT ${campaign} AS campaign_id, count() AS versions FROM pairs WHERE ${change} AND ${campaign} != '' GROUP BY campaign_id) AS changed
      INNER JOIN (SELECT campaign_id, sample_text FROM ${db.database}.campaigns_latest WHERE sample_text IS NOT NULL) AS s ON s.campaign_id = changed.campaign_id
      ORDER BY versions DESC, campaign_id LIMIT {limit:UInt32}`,
      params,
    )
    const [total] = await db.select<{ versions: string }>(
      `WITH ${pairs(db.database)} SELECT count() AS versions FROM pairs WHERE ${change}`,
      params,
    )
    return {
      samples: rows.map((r) => ({ campaign_id: r.campaign_id, versions: Number(r.versions), sample_text: r.sample_text })),
      versions: Number(total?.versions ?? 0),
    }
  }
  return {
    // the candidate's campaign for what it flags, production's for what it no longer flags
    newly_flagged: await collect('c_spam AND NOT b_spam', 'c_campaign'),
    no_longer_flagged: await collect('b_spam AND NOT c_spam', 'b_campaign'),
  }
}
