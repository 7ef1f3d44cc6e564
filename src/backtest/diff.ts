/**
 * A backtest's diff: the candidate's verdicts (backtest_message_fingerprints, one run) against
 * production's (message_fingerprints) for the same analysed message versions, matched on
 * (chat_id, message_id, ts, type). Counted in ClickHouse, so memory does not grow with the traffic
 * replayed; assembled here into the object `abuse-radar backtest --json` prints.
 *
 * spam: a version's stored score at least the threshold of its side's rules (the scores are stored
 * as Float32; both sides are judged the same way, so unchanged rules give identical counts).
 * rules: a rule fired when it is in reasons or shadow_reasons. campaigns: campaign ids with at least
 * campaigns.min_messages of the compared messages (groups of one are not campaigns, as in campaigns_latest).
 */
import type { SqlStore } from './rule-versions.js'

export interface Change {
  baseline: number
  candidate: number
}

export interface BacktestDiff {
  run_id: string
  messages: number
  spam: Change & { newly_flagged: number; no_longer_flagged: number }
  rules: Record<string, Change & { newly_fired: number; no_longer_fired: number }>
  campaigns: Change
}

export interface DiffOptions {
  runId: string
  baselineThreshold: number
  candidateThreshold: number
  minCampaignMessages: number
  /** rules listed even when they fired on neither side (the rules enabled on either side) */
  rules: readonly string[]
}

/** The candidate's versions with production's row for each (empty arrays and score 0 when production has none). */
export const pairs = (db: string) => `pairs AS (
    SELECT c.chat_id AS chat_id, c.message_id AS message_id,
        c.spam_score >= {candidateThreshold:Float64} AS c_spam, b.matched = 1 AND b.spam_score >= {baselineThreshold:Float64} AS b_spam,
        arrayMap(r -> toString(r), arrayConcat(c.reasons, c.shadow_reasons)) AS c_rules,
        arrayMap(r -> toString(r), arrayConcat(b.reasons, b.shadow_reasons)) AS b_rules,
        c.campaign_id AS c_campaign, b.campaign_id AS b_campaign
    FROM (
        SELECT chat_id, message_id, ts, type, spam_score, reasons, shadow_reasons, campaign_id
        FROM ${db}.backtest_message_fingerprints WHERE run_id = {run:String} AND type != 'deleted'
    ) AS c
    ANY LEFT JOIN (
        SELECT chat_id, message_id, ts, type, spam_score, reasons, shadow_reasons, campaign_id, 1 AS matched
        FROM ${db}.message_fingerprints
        WHERE type != 'deleted'
            AND (chat_id, message_id) IN (SELECT chat_id, message_id FROM ${db}.backtest_message_fingerprints WHERE run_id = {run:String})
    ) AS b ON b.chat_id = c.chat_id AND b.message_id = c.message_id AND b.ts = c.ts AND b.type = c.type
    SETTINGS join_use_nulls = 0
)`

const campaignsOf = (side: 'b' | 'c') =>
  `(SELECT countIf(members >= {minCampaign:UInt32}) FROM (
        SELECT ${side}_campaign, uniqExact(chat_id, message_id) AS members FROM pairs WHERE ${side}_campaign != '' GROUP BY ${side}_campaign))`

/** The parameters of `pairs`. */
export function pairsParams(options: { runId: string; baselineThreshold: number; candidateThreshold: number }) {
  if (!/^[a-z0-9_]+$/.test(options.runId)) throw new Error(`not a run id: ${options.runId}`)
  return { run: options.runId, baselineThreshold: options.baselineThreshold, candidateThreshold: options.candidateThreshold }
}

export async function collectBacktestDiff(db: SqlStore, options: DiffOptions): Promise<BacktestDiff> {
  const params = { ...pairsParams(options), minCampaign: options.minCampaignMessages }
  const [totals] = await db.select<Record<string, string>>(
    `WITH ${pairs(db.database)}
    SELECT count() AS messages, countIf(b_spam) AS spam_baseline, countIf(c_spam) AS spam_candidate,
        countIf(c_spam AND NOT b_spam) AS newly_flagged, countIf(b_spam AND NOT c_spam) AS no_longer_flagged,
        ${campaignsOf('b')} AS campaigns_baseline, ${campaignsOf('c')} AS campaigns_candidate
    FROM pairs`,
    params,
  )
  const ruleRows = await db.select<Record<string, string>>(
    `WITH ${pairs(db.database)}
    SELECT rule, countIf(has(b_rules, rule)) AS baseline, countIf(has(c_rules, rule)) AS candidate,
        countIf(has(c_rules, rule) AND NOT has(b_rules, rule)) AS newly_fired, countIf(has(b_rules, rule) AND NOT has(c_rules, rule)) AS no_longer_fired
    FROM pairs ARRAY JOIN arrayDistinct(arrayConcat(b_rules, c_rules)) AS rule
    GROUP BY rule`,
    params,
  )
  return assembleDiff(options.runId, totals ?? {}, ruleRows, options.rules)
}

const count = (v: string | undefined) => Number(v ?? 0)

/** The diff object from the counting queries' rows: rules in name order, listed rules that fired nowhere as zeros. */
export function assembleDiff(
  runId: string,
  totals: Record<string, string | undefined>,
  ruleRows: readonly Record<string, string | undefined>[],
  listed: readonly string[],
): BacktestDiff {
  const rules = new Map<string, BacktestDiff['rules'][string]>()
  for (const rule of listed) rules.set(rule, { baseline: 0, candidate: 0, newly_fired: 0, no_longer_fired: 0 })
  for (const r of ruleRows) {
    rules.set(String(r['rule']), {
      baseline: count(r['baseline']),
      candidate: count(r['candidate']),
      newly_fired: count(r['newly_fired']),
      no_longer_fired: count(r['no_longer_fired']),
    })
  }
  return {
    run_id: runId,
    messages: count(totals['messages']),
    spam: {
      baseline: count(totals['spam_baseline']),
      candidate: count(totals['spam_candidate']),
      newly_flagged: count(totals['newly_flagged']),
      no_longer_flagged: count(totals['no_longer_flagged']),
    },
    rules: Object.fromEntries([...rules.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    campaigns: { baseline: count(totals['campaigns_baseline']), candidate: count(totals['campaigns_candidate']) },
  }
}

/** The diff as table rows for people: spam, each rule, campaigns. */
export function diffRows(diff: BacktestDiff): Record<string, string | number>[] {
  const signed = (n: number) => (n === 0 ? '0' : n > 0 ? `+${n}` : String(n))
  return [
    {
      what: 'spam',
      baseline: diff.spam.baseline,
      candidate: diff.spam.candidate,
      newly: diff.spam.newly_flagged,
      no_longer: diff.spam.no_longer_flagged,
      change: signed(diff.spam.candidate - diff.spam.baseline),
    },
    ...Object.entries(diff.rules).map(([rule, r]) => ({
      what: `rule ${rule}`,
      baseline: r.baseline,
      candidate: r.candidate,
      newly: r.newly_fired,
      no_longer: r.no_longer_fired,
      change: signed(r.candidate - r.baseline),
    })),
    {
      what: 'campaigns',
      baseline: diff.campaigns.baseline,
      candidate: diff.campaigns.candidate,
      newly: '',
      no_longer: '',
      change: signed(diff.campaigns.candidate - diff.campaigns.baseline),
    },
  ]
}
