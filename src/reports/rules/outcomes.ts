/**
 * Each rule's measured precision, from the moderation decisions that followed the messages it fired
 * on (docs/rules.md). The figures come from a relation with one row per (message, rule, mode) and its
 * outcome: ClickHouse's rule_outcomes view, or the same select with another window, which the command
 * line passes as `source` (this module reads only through ReportReader).
 */
import { AbuseRadarError } from '../../domain/errors.js'
import type { ReportReader } from '../transparency.js'

export const RULES_REPORT_SCHEMA = 'abuse-radar.rules.v1'

export type RuleMode = 'enforce' | 'shadow'

export interface RuleFigures {
  mode: RuleMode
  /** messages (chat id, message id) whose latest analysed version had the rule fire */
  flagged: number
  /** removed and not reverted since */
  removed: number
  /** removed, then reverted */
  reverted: number
  /** reviewed without action */
  no_violation: number
  unreviewed: number
  /** removed / (removed + reverted + no_violation); null when none was reviewed */
  precision: number | null
}

export interface RulesReport {
  rules: Record<string, RuleFigures>
}

export interface OutcomeCounts {
  rule: string
  mode: RuleMode
  flagged: number
  removed: number
  reverted: number
  no_violation: number
}

export function precisionOf(removed: number, reverted: number, noViolation: number): number | null {
  const reviewed = removed + reverted + noViolation
  return reviewed === 0 ? null : removed / reviewed
}

/**
 * The report: every rule with outcomes, and every configured rule (`configured`, its current mode)
 * even when it flagged nothing, keyed by rule in name order.
 */
export function assembleRulesReport(counts: readonly OutcomeCounts[], configured: readonly { id: string; mode: RuleMode }[]): RulesReport {
  const byRule = new Map<string, RuleFigures>()
  for (const { id, mode } of configured) byRule.set(id, figures({ rule: id, mode, flagged: 0, removed: 0, reverted: 0, no_violation: 0 }))
  for (const c of counts) byRule.set(c.rule, figures(c))
  return { rules: Object.fromEntries([...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) }
}

function figures(c: OutcomeCounts): RuleFigures {
  const reviewed = c.removed + c.reverted + c.no_violation
  if (reviewed > c.flagged) throw new Error(`rule ${c.rule}: ${reviewed} reviewed of ${c.flagged} flagged`)
  return {
    mode: c.mode,
    flagged: c.flagged,
    removed: c.removed,
    reverted: c.reverted,
    no_violation: c.no_violation,
    unreviewed: c.flagged - reviewed,
    precision: precisionOf(c.removed, c.reverted, c.no_violation),
  }
}

export interface RulesReportOptions {
  /** UTC milliseconds, inclusive: messages whose latest analysed version is at or after */
  fromMs: number
  /** UTC milliseconds, exclusive */
  toMs: number
  /** a relation with the columns of rule_outcomes (a table name or a parenthesised select) */
  source: string
  configured: readonly { id: string; mode: RuleMode }[]
}

/**
 * Counts per rule over the messages whose latest analysed version falls in [from, to). A rule
 * switched between shadow and enforcing within the period is reported under its latest mode.
 */
export async function collectRulesReport(db: ReportReader, options: RulesReportOptions): Promise<RulesReport> {
  const rows = await db.select<Record<keyof OutcomeCounts, string>>(
    `SELECT rule, argMax(mode, last_ts) AS mode, count() AS flagged, countIf(outcome = 'removed') AS removed,
        countIf(outcome = 'reverted') AS reverted, countIf(outcome = 'no_violation') AS no_violation
     FROM ${options.source}
     WHERE last_ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND last_ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
     GROUP BY rule ORDER BY rule`,
    { from: options.fromMs, to: options.toMs },
  )
  const counts = rows.map((r) => ({
    rule: r.rule,
    mode: r.mode === 'shadow' ? ('shadow' as const) : ('enforce' as const),
    flagged: Number(r.flagged),
    removed: Number(r.removed),
    reverted: Number(r.reverted),
    no_violation: Number(r.no_violation),
  }))
  return assembleRulesReport(counts, options.configured)
}

/** `--from` / `--to`: a day (YYYY-MM-DD, its start) or an RFC 3339 time, in UTC milliseconds. */
export function parseReportTime(value: string, option: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value)
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new AbuseRadarError('AR_USAGE', `${option}: not a day (YYYY-MM-DD) or an RFC 3339 time: ${value}`)
  return ms
}

/** One row per rule for a table: precision with three decimals, '-' when nothing was reviewed. */
export function rulesReportRows(report: RulesReport): Record<string, string | number>[] {
  return Object.entries(report.rules).map(([rule, f]) => ({
    rule,
    mode: f.mode,
    flagged: f.flagged,
    removed: f.removed,
    reverted: f.reverted,
    no_violation: f.no_violation,
    unreviewed: f.unreviewed,
    precision: f.precision === null ? '-' : f.precision.toFixed(3),
  }))
}

/**
 * The precision of each enforcing rule with at least `minReviewed` reviewed messages: fewer
 * decisions say too little to alert on.
 */
export function measuredPrecision(report: RulesReport, minReviewed: number): Map<string, number> {
  const measured = new Map<string, number>()
  for (const [rule, f] of Object.entries(report.rules)) {
    if (f.mode === 'enforce' && f.precision !== null && f.removed + f.reverted + f.no_violation >= minReviewed)
      measured.set(rule, f.precision)
  }
  return measured
}
