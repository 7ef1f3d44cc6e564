/**
 * The campaign merge (campaigns.scale_out = merge; docs/scale-out.md). Each instance groups only what
 * its own partitions give it, so a campaign whose copies land on several instances is founded on
 * each. Every `intervalMs`:
 *
 * - the **leader** (the instance that owns partition 0 of the messages topic: one owner at a time,
 *   without an election of our own) asks the store for campaigns founded since its last run whose
 *   founders share LSH bands with another campaign's (the candidates), keeps the pairs whose
 *   founders agree on at least `minSimilarity` of their signature bins, and writes the aliases
 *   those pairs imply (planAliases: two groups join under the smaller canonical), rewriting any alias
 *   row of the range that names an alias. The query and the rule are idempotent: a run repeated, or
 *   two leaders during a rebalance, write the same rows;
 * - **every instance** reads the aliases written since it last looked and applies them to its
 *   campaign index, so later copies of a merged campaign are counted under the surviving id.
 *
 * The work is one query per interval over what was stored in it, whatever the number of instances.
 * A failed run changes nothing and is retried whole at the next interval (the range it covers is
 * only advanced after the aliases are written).
 */
import type { CampaignMergeStore, Logger } from '../domain/ports.js'
import type { CampaignMergeObserver } from '../domain/observers.js'
import { planAliases, similarPairs } from '../campaigns/merge-plan.js'

/**
 * How long after its processing time a stored founder is first looked at: `stored_at` is taken when
 * the insert is processed, a little before its rows can be read. Each range is also read again in
 * the next run (its start goes back as far), so an insert slower than this is still merged.
 */
export const MERGE_SETTLE_MS = 5_000
/** How far back a new leader looks: what the previous one may have stored and not merged before it left. */
export const NEW_LEADER_LOOKBACK_MS = 10 * 60_000
/**
 * Candidate pairs per run at most. A run that finds more merges these and logs a warning: its range is done
 * all the same (running it again would find the same first pairs, never the rest). Far more than an
 * interval gives: each new campaign pairs with the few others of its kind.
 */
export const MAX_PAIRS_PER_RUN = 200_000

export interface CampaignMergeOptions {
  intervalMs: number
  minSimilarity: number
  /** Whether this instance leads the merge now. */
  leads: () => boolean
  now?: () => number
}

export interface AliasTarget {
  applyAlias(alias: string, canonical: string): void
}

type MergeState = 'created' | 'running' | 'stopped'

export class CampaignMerger {
  private state: MergeState = 'created'
  private timer: NodeJS.Timeout | null = null
  private current: Promise<void> = Promise.resolve()
  private busy = false
  /** processing time up to which this instance, as leader, has merged; null when it does not lead */
  private mergedThroughMs: number | null = null
  /** aliases written from this processing time on are (re)read at the next run */
  private followFromMs: number
  /** the latest merged_at applied: rows read again (the overlap) are not counted again */
  private appliedThroughMs = 0
  private readonly now: () => number

  constructor(
    private readonly store: CampaignMergeStore,
    private readonly target: AliasTarget,
    private readonly observer: CampaignMergeObserver,
    private readonly logger: Logger,
    private readonly options: CampaignMergeOptions,
  ) {
    this.now = options.now ?? Date.now
    // the index was restored with the aliases then written resolved; an interval back covers a run in flight
    this.followFromMs = this.now() - 2 * options.intervalMs
  }

  start(): void {
    if (this.state !== 'created') throw new Error(`campaign merge: start in state ${this.state}`)
    this.state = 'running'
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs)
    // a schedule in the background: the pipeline's own lifecycle decides when the process ends
    this.timer.unref()
  }

  /** Processing time up to which this instance, as leader, has merged (null when it has not led since it last stopped leading). */
  get mergedThrough(): number | null {
    return this.mergedThroughMs
  }

  /** One run now, unless one is in progress (then that one's end). */
  runOnce(): Promise<void> {
    if (this.state === 'stopped' || this.busy) return this.current
    this.busy = true
    this.current = this.run().finally(() => (this.busy = false))
    return this.current
  }

  private async run(): Promise<void> {
    const started = performance.now()
    const leads = this.options.leads()
    try {
      if (leads) await this.merge()
      else this.mergedThroughMs = null
      await this.follow()
      this.observer.mergeRun(leads ? 'merged' : 'followed', (performance.now() - started) / 1000)
    } catch (error) {
      this.observer.mergeRun('failed', (performance.now() - started) / 1000)
      this.logger.warn({ err: (error as Error).message, leads }, 'campaign merge failed; retried at the next interval')
    }
  }

  private async merge(): Promise<void> {
    const to = this.now() - MERGE_SETTLE_MS
    const from = (this.mergedThroughMs ?? to - NEW_LEADER_LOOKBACK_MS) - MERGE_SETTLE_MS
    const candidates = await this.store.findCandidatePairs(from, to, MAX_PAIRS_PER_RUN)
    const signatures = await this.store.loadRepresentativeSignatures([...new Set(candidates.flatMap((p) => [p.a, p.b]))])
    const pairs = similarPairs(candidates, signatures, this.options.minSimilarity)
    // The aliases written in the range, by the instances' indexes and by the last run, are planned
    // again with their neighbours: one written while another run planned can chain to an alias, which
    // readers (one level) would not follow; the plan rewrites it to the group's canonical.
    const recent = await this.store.loadAliasesSince(from)
    const ids = [...new Set([...pairs.flatMap((p) => [p.a, p.b]), ...recent.flatMap((r) => [r.alias, r.canonical])])]
    const plan = ids.length === 0 ? [] : planAliases({ pairs, current: await this.store.loadAliasesOf(ids) })
    if (plan.length > 0) {
      const mergedAtMs = this.now()
      await this.store.writeCampaignAliases(plan.map((row) => ({ ...row, mergedAtMs })))
      this.observer.mergeAliases('written', plan.length)
    }
    if (candidates.length >= MAX_PAIRS_PER_RUN)
      this.logger.warn(
        { candidates: candidates.length, from, to },
        'campaign merge: pair limit reached; pairs past it in this range are not merged',
      )
    this.mergedThroughMs = to
    this.observer.mergedThrough(to)
  }

  private async follow(): Promise<void> {
    const rows = await this.store.loadAliasesSince(this.followFromMs)
    let latest = this.appliedThroughMs
    let fresh = 0
    for (const row of rows) {
      this.target.applyAlias(row.alias, row.canonical)
      if (row.mergedAtMs > this.appliedThroughMs) fresh++
      if (row.mergedAtMs > latest) latest = row.mergedAtMs
    }
    this.appliedThroughMs = latest
    this.observer.mergeAliases('applied', fresh)
    // the leader writes an alias with the time of its run, a little before the row can be read
    this.followFromMs = Math.max(this.followFromMs, latest - MERGE_SETTLE_MS)
  }

  async stop(): Promise<void> {
    this.state = 'stopped'
    if (this.timer) clearInterval(this.timer)
    await this.current
  }
}
