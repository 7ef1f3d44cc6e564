/**
 * The figures of a DSA transparency report (Articles 15(1) and 24(1)) over a period of whole UTC
 * days, exact: counted from the single events (moderation_actions, one row per moderation event;
 * report_answers, one row per report), never from sampled or rounded aggregates.
 *
 * - notices: reports received in the period (report event time), by reporter kind and category,
 *   trusted flaggers and authorities counted apart; of them, those acted on (their first answer is a
 *   restricting action) and the median time from receipt to that action;
 * - actions: restricting actions in the period by ground (illegal or terms, from the DSA mapping of
 *   the category as configured now), category, type and source;
 * - automated means: actions detected by automated means (source automated) and decided by them
 *   (the source's automated_decision in the mapping, fully or partially);
 * - median time from report to action: over the period's restricting actions that name a report
 *   whose receipt is known (quantileExactInclusive(0.5): the midpoint of the two middle values);
 * - reverted decisions: action_reverted events in the period, by category and source.
 */
import { RESTRICTING_ACTIONS, type DsaMapping } from '../../domain/dsa-statement.js'
import { AbuseRadarError } from '../../domain/errors.js'
import { parseReportDate, type ReportReader } from '../transparency.js'

export const DSA_FIGURES_SCHEMA = 'abuse-radar.dsa-figures.v1'

export interface NoticeRow {
  reporter: string
  category: string
  notices: number
  acted_on: number
  median_seconds_to_action: number | null
}

export interface ActionRow {
  ground: 'illegal' | 'terms'
  category: string
  dsa_category: string
  action: string
  source: string
  actions: number
}

export interface DsaFigures {
  schema: typeof DSA_FIGURES_SCHEMA
  period: { from: string; to: string }
  notices: {
    total: number
    from_trusted_flaggers: number
    from_authorities: number
    acted_on: number
    median_seconds_to_action: number | null
    by_reporter_category: NoticeRow[]
  }
  actions: {
    total: number
    by_ground: { illegal: number; terms: number }
    by_type: Record<string, number>
    by_source: Record<string, number>
    rows: ActionRow[]
  }
  automated: { detected: number; decided_fully: number; decided_partially: number; not_automated: number }
  median_seconds_report_to_action: { all: number | null; by_source: Record<string, number | null> }
  reverted: { total: number; rows: { category: string; source: string; reverted: number }[] }
}

const DAY_S = 86_400
const RESTRICTING_SQL = RESTRICTING_ACTIONS.map((a) => `'${a}'`).join(', ')
const medianOrNull = (count: unknown, median: unknown) =>
  Number(count) > 0 && median !== null ? Math.round(Number(median) * 1000) / 1000 : null

/** Figures from `from` to `to`, both whole UTC days included. */
export async function collectDsaFigures(db: ReportReader, mapping: DsaMapping, from: string, to: string): Promise<DsaFigures> {
  const fromS = parseReportDate(from)
  const toS = parseReportDate(to) + DAY_S
  if (toS <= fromS) throw new AbuseRadarError('AR_USAGE', `--to ${to} is before --from ${from}`)
  const params = { from: fromS, to: toS }
  const period = `ts >= toDateTime64({from:UInt32}, 3, 'UTC') AND ts < toDateTime64({to:UInt32}, 3, 'UTC')`
  const actionsInPeriod = `(SELECT * FROM moderation_actions WHERE ${period} ORDER BY ts LIMIT 1 BY event_id)`

  const actionRows = await db.select<{ category: string; action: string; source: string; actions: string }>(
    `SELECT category, action, source, count() AS actions FROM ${actionsInPeriod}
     WHERE action IN (${RESTRICTING_SQL}) GROUP BY category, action, source ORDER BY category, action, source`,
    params,
  )
  const rows: ActionRow[] = actionRows.map((r) => {
    const category = mapping.categories[r.category] ?? mapping.categories['other']
    return {
      ground: category?.ground ?? 'terms',
      category: r.category,
      dsa_category: category?.category ?? '',
      action: r.action,
      source: r.source,
      actions: Number(r.actions),
    }
  })
  const sum = (list: readonly ActionRow[]) => list.reduce((acc, r) => acc + r.actions, 0)
  const tally = (key: 'action' | 'source') => {
    const out: Record<string, number> = {}
    for (const r of [...rows].sort((a, b) => a[key].localeCompare(b[key]))) out[r[key]] = (out[r[key]] ?? 0) + r.actions
    return out
  }
  const decidedAs = (decision: string) => sum(rows.filter((r) => mapping.sources[r.source]?.automated_decision === decision))

  // Notices: reports received in the period; acted on when their first answer restricts.
  const noticesInPeriod = `(SELECT * FROM report_answers
      WHERE received_at >= toDateTime64({from:UInt32}, 3, 'UTC') AND received_at < toDateTime64({to:UInt32}, 3, 'UTC'))`
  const noticeStats = `count() AS notices, countIf(outcome IN (${RESTRICTING_SQL})) AS acted_on,
      quantileExactInclusiveIf(0.5)(seconds_to_answer, outcome IN (${RESTRICTING_SQL}) AND seconds_to_answer IS NOT NULL) AS median_s`
  const noticeRows = await db.select<{ reporter: string; category: string; notices: string; acted_on: string; median_s: unknown }>(
    `SELECT ifNull(reporter, 'unknown') AS reporter, ifNull(category, 'unknown') AS category, ${noticeStats}
     FROM ${noticesInPeriod} GROUP BY reporter, category ORDER BY reporter, category`,
    params,
  )
  const [noticeAll] = await db.select<{ notices: string; acted_on: string; median_s: unknown }>(
    `SELECT ${noticeStats} FROM ${noticesInPeriod}`,
    params,
  )
  const byReporterCategory: NoticeRow[] = noticeRows.map((r) => ({
    reporter: r.reporter,
    category: r.category,
    notices: Number(r.notices),
    acted_on: Number(r.acted_on),
    median_seconds_to_action: medianOrNull(r.acted_on, r.median_s),
  }))
  const noticesFrom = (reporter: string) => byReporterCategory.filter((r) => r.reporter === reporter).reduce((acc, r) => acc + r.notices, 0)

  // Time from report to action, over the period's restricting actions that name a report with a known receipt.
  const timed = await db.select<{ source: string; n: string; median_s: unknown }>(
    `SELECT a.source AS source, count() AS n,
       quantileExactInclusive(0.5)(greatest(0, dateDiff('millisecond', r.received_at, a.ts)) / 1000) AS median_s
     FROM ${actionsInPeriod} AS a
     INNER JOIN (SELECT report_id, assumeNotNull(received_at) AS received_at FROM report_answers WHERE received_at IS NOT NULL) AS r
       ON r.report_id = a.report_id
     WHERE a.action IN (${RESTRICTING_SQL}) AND a.report_id != ''
     GROUP BY source ORDER BY source`,
    params,
  )
  const [timedAll] = await db.select<{ n: string; median_s: unknown }>(
    `SELECT count() AS n, quantileExactInclusive(0.5)(greatest(0, dateDiff('millisecond', r.received_at, a.ts)) / 1000) AS median_s
     FROM ${actionsInPeriod} AS a
     INNER JOIN (SELECT report_id, assumeNotNull(received_at) AS received_at FROM report_answers WHERE received_at IS NOT NULL) AS r
       ON r.report_id = a.report_id
     WHERE a.action IN (${RESTRICTING_SQL}) AND a.report_id != ''`,
    params,
  )
  const bySource: Record<string, number | null> = {}
  for (const r of timed) bySource[r.source] = medianOrNull(r.n, r.median_s)

  const reverted = await db.select<{ category: string; source: string; reverted: string }>(
    `SELECT category, source, count() AS reverted FROM ${actionsInPeriod} WHERE action = 'action_reverted'
     GROUP BY category, source ORDER BY category, source`,
    params,
  )
  const revertedRows = reverted.map((r) => ({ category: r.category, source: r.source, reverted: Number(r.reverted) }))

  return {
    schema: DSA_FIGURES_SCHEMA,
    period: { from, to },
    notices: {
      total: Number(noticeAll?.notices ?? 0),
      from_trusted_flaggers: noticesFrom('trusted_flagger'),
      from_authorities: noticesFrom('authority'),
      acted_on: Number(noticeAll?.acted_on ?? 0),
      median_seconds_to_action: medianOrNull(noticeAll?.acted_on, noticeAll?.median_s),
      by_reporter_category: byReporterCategory,
    },
    actions: {
      total: sum(rows),
      by_ground: { illegal: sum(rows.filter((r) => r.ground === 'illegal')), terms: sum(rows.filter((r) => r.ground === 'terms')) },
      by_type: tally('action'),
      by_source: tally('source'),
      rows,
    },
    automated: {
      detected: sum(rows.filter((r) => mapping.sources[r.source]?.automated_detection === true)),
      decided_fully: decidedAs('AUTOMATED_DECISION_FULLY'),
      decided_partially: decidedAs('AUTOMATED_DECISION_PARTIALLY'),
      not_automated: decidedAs('AUTOMATED_DECISION_NOT_AUTOMATED'),
    },
    median_seconds_report_to_action: { all: medianOrNull(timedAll?.n, timedAll?.median_s), by_source: bySource },
    reverted: { total: revertedRows.reduce((acc, r) => acc + r.reverted, 0), rows: revertedRows },
  }
}

/** The figures as one long CSV table: figure, the dimensions that apply, value. */
export function dsaFiguresCsv(f: DsaFigures): string {
  const lines = ['figure,reporter,ground,category,dsa_category,action,source,value']
  const row = (
    figure: string,
    d: Partial<Record<'reporter' | 'ground' | 'category' | 'dsa_category' | 'action' | 'source', string>>,
    value: number | null,
  ) =>
    lines.push(
      [figure, d.reporter, d.ground, d.category, d.dsa_category, d.action, d.source, value === null ? '' : String(value)]
        .map((v) => csvField(v ?? ''))
        .join(','),
    )
  row('notices', {}, f.notices.total)
  row('notices_from_trusted_flaggers', {}, f.notices.from_trusted_flaggers)
  row('notices_from_authorities', {}, f.notices.from_authorities)
  row('notices_acted_on', {}, f.notices.acted_on)
  row('notices_median_seconds_to_action', {}, f.notices.median_seconds_to_action)
  for (const n of f.notices.by_reporter_category) {
    row('notices', { reporter: n.reporter, category: n.category }, n.notices)
    row('notices_acted_on', { reporter: n.reporter, category: n.category }, n.acted_on)
    row('notices_median_seconds_to_action', { reporter: n.reporter, category: n.category }, n.median_seconds_to_action)
  }
  row('actions', {}, f.actions.total)
  row('actions', { ground: 'illegal' }, f.actions.by_ground.illegal)
  row('actions', { ground: 'terms' }, f.actions.by_ground.terms)
  for (const a of f.actions.rows)
    row('actions', { ground: a.ground, category: a.category, dsa_category: a.dsa_category, action: a.action, source: a.source }, a.actions)
  row('actions_detected_automatically', {}, f.automated.detected)
  row('actions_decided_fully_automatically', {}, f.automated.decided_fully)
  row('actions_decided_partially_automatically', {}, f.automated.decided_partially)
  row('actions_decided_without_automation', {}, f.automated.not_automated)
  row('median_seconds_report_to_action', {}, f.median_seconds_report_to_action.all)
  for (const [source, median] of Object.entries(f.median_seconds_report_to_action.by_source))
    row('median_seconds_report_to_action', { source }, median)
  row('reverted', {}, f.reverted.total)
  for (const r of f.reverted.rows) row('reverted', { category: r.category, source: r.source }, r.reverted)
  return `${lines.join('\n')}\n`
}

/** RFC 4180 quoting, and a leading = + - @ defused so a spreadsheet never runs a value as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
