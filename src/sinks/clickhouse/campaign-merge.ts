/**
 * The campaign merge's queries (docs/scale-out.md): which campaigns founded on different instances
 * are one, from the representatives and band keys migrations 13 and 14 keep, and the aliases
 * already written.
 * GLOBAL IN: in cluster mode the sets are built once on the initiator, not on every shard.
 */
import type { CampaignAlias, CampaignMergeStore, CampaignPair } from '../../domain/ports.js'
import type { ClickHouseStore } from './store.js'

/**
 * A band shared by more campaigns than this says nothing (a boilerplate phrase many unrelated texts
 * contain): its campaigns are not paired through it, or one hot band would pair them all.
 */
export const MAX_CAMPAIGNS_PER_BAND = 1000
/**
 * Campaign pairs that share fewer bands are not compared. Two founders at the merge's threshold
 * share about two of the 16 bands (J^4 = 0.24 per band at J = 0.7; at least two with probability
 * 0.93, 0.98 at J = 0.75), while text that only shares a template's phrase shares one: on the
 * bench:scale stream, 2.6 million founder pairs shared a band and 169 thousand shared two.
 */
export const MIN_SHARED_BANDS = 2
/**
 * Signatures read per campaign: each instance that founded it keeps its founder and up to three
 * more members (src/pipeline/analysis.ts), so a campaign that several instances founded has more;
 * the comparison is every pair of two campaigns' representatives, so it is bounded here.
 */
const MAX_REPRESENTATIVES_READ = 16
/** Ids per query when reading aliases: the ids travel as a query parameter, in the URL of the HTTP request. */
const IDS_PER_QUERY = 2000

export class ClickHouseCampaignMerge implements CampaignMergeStore {
  constructor(private readonly store: ClickHouseStore) {}

  async findCandidatePairs(fromMs: number, toMs: number, limit: number): Promise<CampaignPair[]> {
    const db = this.store.database
    return this.store.select<CampaignPair>(
      `WITH fresh AS (
         SELECT DISTINCT band, campaign_id, message FROM ${db}.campaign_bands
         WHERE stored_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND stored_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
       )
       SELECT least(f.campaign_id, o.campaign_id) AS a, greatest(f.campaign_id, o.campaign_id) AS b
       FROM fresh AS f
       INNER JOIN (
         SELECT DISTINCT band, campaign_id, message FROM ${db}.campaign_bands
         WHERE band GLOBAL IN (SELECT band FROM fresh) AND band GLOBAL NOT IN (
           SELECT band FROM ${db}.campaign_bands WHERE band GLOBAL IN (SELECT band FROM fresh)
           GROUP BY band HAVING uniqExact(campaign_id) > ${MAX_CAMPAIGNS_PER_BAND}
         )
       ) AS o ON f.band = o.band
       -- an edit founds a campaign of its own when its text moved away from its campaign: the
       -- message's versions are its own business, not two campaigns to join
       WHERE f.campaign_id != o.campaign_id AND f.message != o.message
       GROUP BY a, b
       HAVING uniqExact(f.band) >= ${MIN_SHARED_BANDS}
       ORDER BY a, b
       LIMIT {limit:UInt64}`,
      { from: Math.floor(fromMs), to: Math.floor(toMs), limit },
    )
  }

  async loadRepresentativeSignatures(ids: readonly string[]): Promise<Map<string, string[]>> {
    const db = this.store.database
    const signatures = new Map<string, string[]>()
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const rows = await this.store.select<{ campaign_id: string; signatures: string[] }>(
        `SELECT campaign_id, groupUniqArray(${MAX_REPRESENTATIVES_READ})(signature) AS signatures FROM ${db}.campaign_representatives
         WHERE campaign_id IN {ids:Array(String)} GROUP BY campaign_id`,
        { ids: ids.slice(start, start + IDS_PER_QUERY) },
      )
      for (const r of rows) signatures.set(r.campaign_id, r.signatures)
    }
    return signatures
  }

  async loadAliasesOf(ids: readonly string[]): Promise<CampaignAlias[]> {
    const db = this.store.database
    // by alias: a row mentioning ids of two chunks is read twice
    const found = new Map<string, CampaignAlias & { mergedAtMs: number }>()
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const rows = await this.store.select<{ alias_id: string; canonical_id: string; merged_ms: string }>(
        `SELECT alias_id, argMax(canonical_id, merged_at) AS canonical_id, toUnixTimestamp64Milli(max(merged_at)) AS merged_ms
         FROM ${db}.campaign_aliases
         WHERE alias_id GLOBAL IN (
           SELECT alias_id FROM ${db}.campaign_aliases WHERE alias_id IN {ids:Array(String)} OR canonical_id IN {ids:Array(String)}
         )
         GROUP BY alias_id`,
        { ids: ids.slice(start, start + IDS_PER_QUERY) },
      )
      for (const r of rows) found.set(r.alias_id, { alias: r.alias_id, canonical: r.canonical_id, mergedAtMs: Number(r.merged_ms) })
    }
    return [...found.values()]
      .sort((x, y) => x.mergedAtMs - y.mergedAtMs || (x.alias < y.alias ? -1 : 1))
      .map(({ alias, canonical }) => ({ alias, canonical }))
  }

  async loadAliasesSince(sinceMs: number): Promise<(CampaignAlias & { mergedAtMs: number })[]> {
    const rows = await this.store.select<{ alias_id: string; canonical_id: string; merged_ms: string }>(
      `SELECT alias_id, canonical_id, toUnixTimestamp64Milli(merged_at) AS merged_ms FROM ${this.store.database}.campaign_aliases
       WHERE merged_at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC') ORDER BY merged_at`,
      { since: Math.floor(sinceMs) },
    )
    return rows.map((r) => ({ alias: r.alias_id, canonical: r.canonical_id, mergedAtMs: Number(r.merged_ms) }))
  }

  writeCampaignAliases(merges: readonly (CampaignAlias & { mergedAtMs: number })[]): Promise<void> {
    return this.store.writeCampaignAliases(merges)
  }
}
