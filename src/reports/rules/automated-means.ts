/**
 * The transparency report's indicators of the accuracy of automated means: for each enforcing spam
 * rule, what moderators decided on the messages it flagged that day (rule_outcomes_daily, the day of
 * each message's latest version), its precision and its error rate among the reviewed.
 */
import { precisionOf, type RuleFigures } from './outcomes.js'

/** A rule's figures of the day (RuleFigures without the mode: enforcing rules only), and its error rate. */
export type AutomatedMeansRow = { rule: string } & Omit<RuleFigures, 'mode'> & {
    /** (reverted + no_violation) / reviewed; null when none was reviewed */
    error_rate: number | null
  }

/** Reads rule_outcomes_daily (what ReportReader reads, declared here so the report can import this module). */
export interface OutcomesReader {
  select<T>(query: string, params?: Record<string, unknown>): Promise<T[]>
}

/** Enforcing rules that flagged messages on the UTC day starting at `dayStartS`, most flagged first. */
export async function collectAutomatedMeans(db: OutcomesReader, dayStartS: number): Promise<AutomatedMeansRow[]> {
  const rows = await db.select<Record<'rule' | 'flagged' | 'removed' | 'reverted' | 'no_violation' | 'unreviewed', string>>(
    `SELECT rule, sum(flagged) AS flagged, sum(removed) AS removed, sum(reverted) AS reverted, sum(no_violation) AS no_violation,
        sum(unreviewed) AS unreviewed
     FROM rule_outcomes_daily WHERE day = toDate(toDateTime({day:UInt32}, 'UTC')) AND mode = 'enforce'
     GROUP BY rule ORDER BY flagged DESC, rule`,
    { day: dayStartS },
  )
  return rows.map((r) =>
    automatedMeansRow(r.rule, Number(r.flagged), Number(r.removed), Number(r.reverted), Number(r.no_violation), Number(r.unreviewed)),
  )
}

export function automatedMeansRow(
  rule: string,
  flagged: number,
  removed: number,
  reverted: number,
  noViolation: number,
  unreviewed: number,
): AutomatedMeansRow {
  const reviewed = removed + reverted + noViolation
  return {
    rule,
    flagged,
    removed,
    reverted,
    no_violation: noViolation,
    unreviewed,
    precision: precisionOf(removed, reverted, noViolation),
    error_rate: reviewed === 0 ? null : (reverted + noViolation) / reviewed,
  }
}
