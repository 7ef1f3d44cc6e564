/**
 * The transparency report as one self-contained, printable HTML page: inline CSS, charts as inline
 * SVG rendered at report time, no script, no external resource (a Content-Security-Policy forbids
 * both). Everything taken from the data is escaped: chat titles, organisation names and sample texts
 * may carry HTML, SQL and control characters, and are shown as text.
 */
import { barChart, historyChart } from './charts.js'
import type { DsaFigures } from './dsa/figures.js'
import type { AnswerStats, TransparencyReport } from './transparency.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for HTML content or a quoted attribute: control characters made visible, markup escaped. */
export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value)
  return text
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

/**
 * A page that stands alone: no script, no request. The policy allows inline styles (`css`) and, with `dataImages`, images embedded as data: URLs; `title` is already escaped,
 * `header` and `main` are markup whose data the caller escaped.
 */
export function selfContainedPage(page: {
  generator: string
  title: string
  css: string
  dataImages?: boolean
  header: string
  main: string
}): string {
  const policy = `default-src 'none'; style-src 'unsafe-inline'${page.dataImages ? '; img-src data:' : ''}`
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${page.generator}">
<title>${page.title}</title>
<style>${page.css}</style>
</head>
<body>
<header>
${page.header}</header>
<main>
${page.main}</main>
</body>
</html>
`
}

export const formatCount = (n: number) => n.toLocaleString('en-US')

/** Seconds as a short duration: 45 s, 12 min 05 s, 3 h 07 min, 2 d 04 h. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
  return `${Math.floor(s / 86_400)} d ${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')} h`
}

const formatChange = (change: number | null) =>
  change === null ? 'new' : `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(0)} %`

const LABELS: Record<string, string> = {
  user: 'Users',
  trusted_flagger: 'Trusted flaggers (NGO hotlines)',
  authority: 'Authorities',
  automated: 'Automated detection',
  proactive_review: 'Proactive review',
  user_report: 'User reports',
  illegal_goods: 'illegal goods',
}
const human = (key: string) => LABELS[key] ?? key.replace(/_/g, ' ')
/** Shorter names for chart legends and axes. */
const SHORT: Record<string, string> = {
  user: 'Users',
  trusted_flagger: 'Trusted flaggers',
  authority: 'Authorities',
  proactive_review: 'proactive review',
  user_report: 'user reports',
}
const short = (key: string) => SHORT[key] ?? key.replace(/_/g, ' ')
const formatAverage = (n: number) => (n === 0 ? '0' : n < 1 ? n.toFixed(2) : n.toFixed(1))

/** A number cell: the raw value in data-value (what tests and scrapers read), formatted as text. */
const numCell = (field: string, value: number | null, text?: string) =>
  `<td class="num" data-field="${field}" data-value="${value === null ? '' : value}">${escapeHtml(text ?? (value === null ? '—' : formatCount(value)))}</td>`
const durationCell = (field: string, value: number | null) => numCell(field, value, formatDuration(value))
const textCell = (field: string, value: string) => `<td data-field="${field}">${escapeHtml(value)}</td>`

function figure(id: string, caption: string, svg: string): string {
  return `<figure class="chart" id="${id}">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`
}

function table(id: string, caption: string, headers: string[], rows: string[], empty: string): string {
  if (rows.length === 0) return `<p class="empty" id="${id}">${escapeHtml(empty)}</p>`
  return `<table id="${id}"><caption>${escapeHtml(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
}

const statsCells = (s: AnswerStats) =>
  numCell('received', s.received) +
  numCell('answered', s.answered) +
  numCell('open_end_of_day', s.open_end_of_day) +
  durationCell('median_seconds', s.median_seconds) +
  durationCell('p95_seconds', s.p95_seconds)

function keyFigure(field: string, label: string, value: number | null, text?: string): string {
  return `<div class="figure" data-field="${field}" data-value="${value === null ? '' : value}"><div class="value">${escapeHtml(text ?? (value === null ? '—' : formatCount(value)))}</div><div class="label">${escapeHtml(label)}</div></div>`
}

const percentCell = (field: string, value: number | null) => numCell(field, value, value === null ? '—' : `${(100 * value).toFixed(1)}%`)

function automatedRows(report: TransparencyReport): string[] {
  return report.automated_means.map(
    (r) =>
      `<tr data-key="${escapeHtml(r.rule)}">${textCell('rule', r.rule)}${numCell('flagged', r.flagged)}${numCell('removed', r.removed)}${numCell('reverted', r.reverted)}${numCell('no_violation', r.no_violation)}${numCell('unreviewed', r.unreviewed)}${percentCell('precision', r.precision)}${percentCell('error_rate', r.error_rate)}</tr>`,
  )
}

/** `dsa`: the day's DSA figures (report dsa-figures), shown in a section of their own when given. */
export function renderTransparencyHtml(report: TransparencyReport, dsa?: DsaFigures): string {
  const t = report.totals
  const dayIndex = report.history.length - 1

  // --- charts
  const categories = report.by_category.filter((c) => c.enforcement_actions > 0).map((c) => c.category)
  const sources = report.by_source.filter((s) => s.enforcement_actions > 0).map((s) => s.source)
  const actionsChart = barChart({
    categories: categories.map(human),
    series: sources.map((source) => ({
      name: source === 'trusted_flagger' ? 'trusted flaggers' : source === 'authority' ? 'authorities' : short(source),
      values: categories.map((category) =>
        report.actions
          .filter((a) => a.category === category && a.source === source && a.action !== 'no_violation' && a.action !== 'action_reverted')
          .reduce((acc, a) => acc + a.actions, 0),
      ),
    })),
    stack: true,
    horizontal: true,
    axisName: 'actions',
  })
  const history = historyChart({
    dates: report.history.map((d) => d.date),
    values: report.history.map((d) => d.enforcement_actions),
    highlight: dayIndex,
    average: report.previous_30d_daily_average,
  })
  const kinds = report.reports_by_reporter
  const reportsChart = barChart({
    categories: kinds.map((k) => short(k.reporter)),
    series: [
      { name: 'received', values: kinds.map((k) => k.received) },
      { name: 'answered', values: kinds.map((k) => k.answered) },
    ],
    values: true,
  })
  const hours = (s: number | null) => (s === null ? 0 : Math.round((s / 3600) * 100) / 100)
  const answerChart = barChart({
    categories: kinds.map((k) => short(k.reporter)),
    series: [
      { name: 'median (hours)', values: kinds.map((k) => hours(k.median_seconds)) },
      { name: '95th percentile (hours)', values: kinds.map((k) => hours(k.p95_seconds)) },
    ],
    values: true,
    axisName: 'hours',
  })
  const campaignsChart =
    report.top_campaigns.length > 0
      ? barChart({
          categories: report.top_campaigns.map((c) => c.campaign_id),
          series: [{ name: 'messages', values: report.top_campaigns.map((c) => c.messages) }],
          horizontal: true,
          values: true,
        })
      : ''

  // --- tables
  const categoryRows = report.by_category.map(
    (c) =>
      `<tr data-key="${escapeHtml(c.category)}">${textCell('category', human(c.category))}${numCell('enforcement_actions', c.enforcement_actions)}${numCell('messages_removed', c.messages_removed)}${numCell('chats_banned', c.chats_banned)}${numCell('previous_30d_daily_average', c.previous_30d_daily_average, formatAverage(c.previous_30d_daily_average))}${numCell('change', c.change, formatChange(c.change))}</tr>`,
  )
  const sourceRows = report.by_source.map(
    (s) =>
      `<tr data-key="${escapeHtml(s.source)}">${textCell('source', human(s.source))}${numCell('enforcement_actions', s.enforcement_actions)}${numCell('messages_removed', s.messages_removed)}${numCell('chats_banned', s.chats_banned)}</tr>`,
  )
  const reporterRows = kinds.map(
    (k) => `<tr data-key="${escapeHtml(k.reporter)}">${textCell('reporter', human(k.reporter))}${statsCells(k)}</tr>`,
  )
  const orgRows = report.reports_by_organisation.map(
    (o) =>
      `<tr data-key="${escapeHtml(`${o.reporter}/${o.organisation}/${o.priority}`)}">${textCell('reporter', human(o.reporter))}${textCell('organisation', o.organisation || '(not given)')}${textCell('priority', o.priority)}${statsCells(o)}${numCell('answered_within_target', o.priority === 'urgent' ? o.answered_within_target : null)}</tr>`,
  )
  const campaignRows = report.top_campaigns.map(
    (c, i) =>
      `<tr data-key="${escapeHtml(c.campaign_id)}"><td class="num">${i + 1}</td>${textCell('campaign_id', c.campaign_id)}${numCell('messages', c.messages)}${numCell('chats', c.chats)}${numCell('senders', c.senders)}${textCell('first_seen', c.first_seen ? c.first_seen.slice(0, 16).replace('T', ' ') : '—')}<td data-field="sample_text" class="sample">${
        c.sample_text === null
          ? '<span class="muted">withheld (seen in too few public chats)</span>'
          : escapeHtml(truncate(c.sample_text, 280))
      }${c.top_link_domains.length > 0 ? `<div class="domains">links: ${escapeHtml(c.top_link_domains.slice(0, 5).join(', '))}</div>` : ''}</td></tr>`,
  )
  const urgent = report.urgent_trusted_flagger

  return selfContainedPage({
    generator: 'abuse-radar report transparency',
    title: `Transparency report ${escapeHtml(report.date)}`,
    css: CSS,
    dataImages: true,
    header: `<h1>Transparency report</h1>
<p class="subtitle">${escapeHtml(longDate(report.date))} (00:00–24:00 UTC) · generated ${escapeHtml(report.generated_at.slice(0, 16).replace('T', ' '))} UTC</p>
`,
    main: `<section id="summary" aria-label="Key figures">
<div class="figures">
${keyFigure('enforcement_actions', 'enforcement actions', t.enforcement_actions)}
${keyFigure('messages_removed', 'messages removed', t.messages_removed)}
${keyFigure('chats_banned', 'chats banned', t.chats_banned)}
${keyFigure('reports_received', 'reports received', t.reports_received)}
${keyFigure('reports_answered', 'reports answered', t.reports_answered)}
${keyFigure('median_seconds_to_answer', 'median time to answer', t.median_seconds_to_answer, formatDuration(t.median_seconds_to_answer))}
</div>
<p>On this day the platform took <strong>${formatCount(t.enforcement_actions)}</strong> enforcement actions, against an average of ${escapeHtml(formatAverage(report.previous_30d_daily_average))} a day over the previous 30 days. Reviews that found no violation: ${formatCount(t.no_violation)}; actions reverted on appeal or as mistakes: ${formatCount(t.action_reverted)}.</p>
</section>

<section id="actions">
<h2>Actions by category and source</h2>
${categories.length > 0 ? figure('chart-actions', 'Enforcement actions per category, by what led to them.', actionsChart) : '<p class="empty">No enforcement actions on this day.</p>'}
${table('actions-by-category', 'Per category: this day against the daily average of the previous 30 days', ['Category', 'Enforcement actions', 'Messages removed', 'Chats banned', 'Previous 30 days, per day', 'Change'], categoryRows, 'No actions in the last 31 days.')}
${table('actions-by-source', 'Per source: what led to the action', ['Source', 'Enforcement actions', 'Messages removed', 'Chats banned'], sourceRows, 'No actions on this day.')}
</section>

<section id="history">
<h2>This day against the previous 30 days</h2>
${figure('chart-history', `Enforcement actions per day, ${report.history[0]?.date ?? ''} to ${report.date}; the dashed line is the previous 30 days' average.`, history)}
</section>

<section id="reports">
<h2>Reports and time to answer</h2>
<p>Reports come from users, from trusted flaggers (NGO hotline partners) and from authorities. A report is answered by the first moderation decision on it, including a review that found no violation.</p>
<div class="pair">
${figure('chart-reports', 'Reports received and answered on this day, per reporter kind.', reportsChart)}
${figure('chart-time-to-answer', 'Median and 95th-percentile time to answer (hours) of the reports answered on this day.', answerChart)}
</div>
${table('reports-by-reporter', 'Per reporter kind', ['Reporter', 'Received', 'Answered', 'Open at end of day', 'Median time to answer', '95th percentile'], reporterRows, 'No reports.')}
<p id="urgent-summary" data-answered="${urgent.answered}" data-within-target="${urgent.answered_within_target}" data-open-past-target="${urgent.open_past_target_end_of_day}">Urgent trusted-flagger reports: ${formatCount(urgent.answered_within_target)} of ${formatCount(urgent.answered)} answered within the target of ${escapeHtml(formatDuration(report.urgent_target_seconds))}; ${formatCount(urgent.open_past_target_end_of_day)} still open past the target at the end of the day.</p>
${table('reports-by-organisation', 'Trusted flaggers and authorities, per organisation and priority', ['Reporter', 'Organisation', 'Priority', 'Received', 'Answered', 'Open at end of day', 'Median time to answer', '95th percentile', 'Urgent answered within target'], orgRows, 'No reports from trusted flaggers or authorities.')}
</section>

<section id="campaigns">
<h2>Largest spam campaigns</h2>
<p>A campaign is a set of near-identical messages reposted across chats with small edits. Sample texts are shown only for campaigns seen in many public chats, with phone numbers, e-mail addresses and private handles masked.</p>
${campaignsChart ? figure('chart-campaigns', 'Messages per campaign on this day.', campaignsChart) : ''}
${table('top-campaigns', 'Campaigns with the most messages on this day', ['#', 'Campaign', 'Messages', 'Chats', 'Senders', 'First seen (UTC)', 'Sample'], campaignRows, 'No campaigns detected on this day.')}
</section>

<section id="automated-means">
<h2>Accuracy of automated means</h2>
<p>For each enforcing spam rule: the messages it flagged whose latest version is from this day, and what moderators decided on them afterwards. Precision is the share of reviewed messages that were removed and stayed removed; the error rate the share reverted or found to be no violation.</p>
${table('automated-means', 'Spam rules and the moderation decisions that followed', ['Rule', 'Flagged', 'Removed', 'Reverted', 'No violation', 'Not reviewed', 'Precision', 'Error rate'], automatedRows(report), 'No message flagged by an enforcing rule on this day.')}
</section>

${dsa ? dsaSection(dsa) : ''}
<section id="method">
<h2>How these numbers are made</h2>
<ul>
<li>Enforcement actions are every moderation action (message removed, chat banned or restricted, user banned or restricted) except reviews that found no violation and reverted actions. Days are UTC days.</li>
<li>Received: reports dated on this day. Answered: reports whose first answer is dated on this day; their time to answer runs from the report to that answer. Open at end of day: reports of the last 30 days still unanswered at midnight.</li>
<li>Counts are exact: the pipeline that produces them counts each event once even when it is delivered more than once.</li>
<li>Machine-readable version: transparency-${escapeHtml(report.date)}.json (schema ${escapeHtml(report.schema)}).</li>
</ul>
</section>
`,
  })
}

function truncate(text: string, max: number): string {
  const chars = [...text]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text
}

function longDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: Georgia, 'Times New Roman', serif; color: #1d1d1d; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 3rem; line-height: 1.5; }
header { border-bottom: 3px solid #2f5597; margin-bottom: 1.5rem; }
h1 { font-family: Helvetica, Arial, sans-serif; font-size: 2rem; margin: 0; }
h2 { font-family: Helvetica, Arial, sans-serif; font-size: 1.35rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
.subtitle { color: #555; margin: 0.25rem 0 0.75rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(8.5rem, 1fr)); gap: 0.75rem; margin-bottom: 1rem; }
.figure { border: 1px solid #d5dcea; border-radius: 6px; padding: 0.6rem 0.75rem; background: #f5f7fb; }
.figure .value { font-family: Helvetica, Arial, sans-serif; font-size: 1.5rem; font-weight: bold; color: #2f5597; }
.figure .label { font-size: 0.85rem; color: #444; }
figure.chart { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85rem; color: #555; font-style: italic; }
.pair { display: grid; grid-template-columns: 1fr; gap: 0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-family: Helvetica, Arial, sans-serif; font-size: 0.85rem; break-inside: auto; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef1f7; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.sample { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 24rem; }
.domains, .muted { color: #666; font-size: 0.8rem; }
.empty { color: #666; font-style: italic; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: auto; }
  @page { size: A4; margin: 16mm 14mm; }
}
`

/** The Article 15/24 figures of the day (the same numbers as `report dsa-figures` for this day, JSON and CSV). */
function dsaSection(f: DsaFigures): string {
  const noticeRows = f.notices.by_reporter_category.map(
    (n) =>
      `<tr>${textCell('reporter', human(n.reporter))}${textCell('category', human(n.category))}${numCell('notices', n.notices)}${numCell('acted_on', n.acted_on)}${durationCell('median_seconds_to_action', n.median_seconds_to_action)}</tr>`,
  )
  const actionRows = f.actions.rows.map(
    (a) =>
      `<tr>${textCell('ground', a.ground === 'illegal' ? 'illegal content' : 'terms and conditions')}${textCell('category', human(a.category))}${textCell('dsa_category', a.dsa_category)}${textCell('action', human(a.action))}${textCell('source', human(a.source))}${numCell('actions', a.actions)}</tr>`,
  )
  return `<section id="dsa">
<h2>Digital Services Act figures (Articles 15 and 24)</h2>
<div class="figures">
${keyFigure('dsa_notices', 'notices received', f.notices.total)}
${keyFigure('dsa_notices_trusted_flaggers', 'of them from trusted flaggers', f.notices.from_trusted_flaggers)}
${keyFigure('dsa_actions_illegal', 'actions against illegal content', f.actions.by_ground.illegal)}
${keyFigure('dsa_actions_terms', 'actions under the terms and conditions', f.actions.by_ground.terms)}
${keyFigure('dsa_automated_detected', 'actions after automated detection', f.automated.detected)}
${keyFigure('dsa_automated_decided', 'actions decided by automated means', f.automated.decided_fully + f.automated.decided_partially)}
${keyFigure('dsa_median_seconds_report_to_action', 'median time from report to action', f.median_seconds_report_to_action.all, formatDuration(f.median_seconds_report_to_action.all))}
${keyFigure('dsa_reverted', 'decisions reverted', f.reverted.total)}
</div>
${table('dsa-notices', 'Notices by reporter and category: acted on, and median time to that action', ['Reporter', 'Category', 'Notices', 'Acted on', 'Median time to action'], noticeRows, 'No notices on this day.')}
${table('dsa-actions', 'Restricting actions by ground, category, type and source', ['Ground', 'Category', 'DSA category', 'Action', 'Source', 'Actions'], actionRows, 'No restricting actions on this day.')}
</section>
`
}
