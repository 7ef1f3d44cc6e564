/**
 * Urgent trusted-flagger reports still unanswered past their answer target: the number behind the
 * gauge abuse_urgent_reports_waiting and the alert AbuseRadarUrgentReportUnanswered. Meant to be run
 * periodically (every minute is plenty) by the processor, each instance reporting the same count.
 * Reports older than `horizonDays` are left out (a report nobody will ever answer must not page
 * forever; report_answers_state keeps them for the aggregate TTL).
 */
import type { ReportReader } from './transparency.js'

export const URGENT_REPORTS_WAITING_SQL = `SELECT count() AS waiting
FROM report_answers
WHERE reporter = 'trusted_flagger' AND priority = 'urgent' AND answered_at IS NULL
  AND received_at < now64(3) - toIntervalSecond({target_seconds:UInt32})
  AND received_at >= now64(3) - toIntervalDay({horizon_days:UInt32})`

export async function countUrgentReportsWaiting(db: ReportReader, targetSeconds: number, horizonDays = 30): Promise<number> {
  const [row] = await db.select<{ waiting: string }>(URGENT_REPORTS_WAITING_SQL, {
    target_seconds: Math.max(0, Math.floor(targetSeconds)),
    horizon_days: horizonDays,
  })
  return Number(row?.waiting ?? 0)
}
