/**
 * The daily transparency report end to end: a hand-made stream (moderation actions over 32 days,
 * reports from users, trusted flaggers and an authority, one answered before its report event was
 * seen, hostile organisation names, chat titles and campaign samples) is loaded with `abuse-radar run
 * --input`; `abuse-radar report transparency` writes the JSON and HTML; the numbers are checked
 * against an independent computation from the fixture; the HTML page is opened in headless Chromium
 * (Debian's, driven by playwright-core; never a downloaded browser), which must find the charts, the
 * same numbers as the JSON, every piece of data shown as text (no script, no handler, no request) and
 * a printable page. The page and a screenshot of it are left in the system temp folder for a look
 * (abuse-radar-transparency-report/); `npm run docs:screenshot` (UPDATE_DOCS_SCREENSHOT=1) writes the
 * screenshot to docs/images/transparency-report.png instead, the picture the README shows.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { chromium, type Browser } from 'playwright-core'
import { ensureTool } from '../../scripts/install-tools.js'
import { REPO_ROOT, tempDir } from '../support/harness.js'
import { configFromOptions } from '../../src/cli/options.js'
import { openStore, type Store } from '../../src/cli/runtime.js'
import {
  collectTransparencyReport,
  countUrgentReportsWaiting,
  defaultReportDate,
  escapeHtml,
  formatDuration,
  parseReportDate,
  renderTransparencyHtml,
  type TransparencyReport,
} from '../../src/reports/index.js'

const run = promisify(execFile)
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
/** Outside the repository: a test never writes a tracked file. Not removed afterwards, for a look. */
const LOOK_DIR = path.join(tmpdir(), 'abuse-radar-transparency-report')
const SCREENSHOT =
  process.env.UPDATE_DOCS_SCREENSHOT === '1'
    ? path.join(REPO_ROOT, 'docs', 'images', 'transparency-report.png')
    : path.join(LOOK_DIR, 'transparency-report.png')
const DAY = '2026-11-20'
const DAY_MS = Date.parse(`${DAY}T00:00:00Z`)
const at = (dayOffset: number, hhmm: string) =>
  new Date(DAY_MS + dayOffset * 86_400_000 + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000).toISOString()
const URGENT_TARGET_S = 3600

const ORG_A = '<b>Hotline "A"</b> & Co'
const ORG_B = 'SafeNet'
const ORG_POLICE = "Police <script>alert('x')</script>"
const HOSTILE_SAMPLE = "<img src=x onerror=alert(1)> FREE 500 USDT '; DROP TABLE campaigns; -- \u0007\u001b[31m claim now"
const HOSTILE_CAMPAIGN = 'c"><svg onload=alert(2)>'

// ------------------------------------------------------------------ the fixture

interface Report {
  id: string
  reporter: 'user' | 'trusted_flagger' | 'authority'
  org?: string
  priority: 'urgent' | 'normal'
  category: string
  ts: string
  answer?: { action: string; source: string; ts: string; before: boolean }
}

const REPORTS: Report[] = [
  {
    id: 'r1',
    reporter: 'user',
    priority: 'normal',
    category: 'spam',
    ts: at(0, '10:00'),
    answer: { action: 'message_removed', source: 'user_report', ts: at(0, '10:30'), before: false },
  },
  {
    id: 'r2',
    reporter: 'user',
    priority: 'normal',
    category: 'scam',
    ts: at(0, '11:00'),
    answer: { action: 'no_violation', source: 'user_report', ts: at(0, '13:00'), before: false },
  },
  { id: 'r3', reporter: 'user', priority: 'normal', category: 'spam', ts: at(0, '12:00') },
  // answered 20 minutes after it was made, but the answer is read before the report itself
  {
    id: 'r4',
    reporter: 'trusted_flagger',
    org: ORG_A,
    priority: 'urgent',
    category: 'csam',
    ts: at(0, '08:00'),
    answer: { action: 'message_removed', source: 'trusted_flagger', ts: at(0, '08:20'), before: true },
  },
  {
    id: 'r5',
    reporter: 'trusted_flagger',
    org: ORG_A,
    priority: 'urgent',
    category: 'csam',
    ts: at(0, '09:00'),
    answer: { action: 'chat_banned', source: 'trusted_flagger', ts: at(0, '11:00'), before: false },
  },
  {
    id: 'r6',
    reporter: 'trusted_flagger',
    org: ORG_B,
    priority: 'normal',
    category: 'illegal_goods',
    ts: at(0, '14:00'),
    answer: { action: 'message_removed', source: 'trusted_flagger', ts: at(0, '20:00'), before: false },
  },
  { id: 'r7', reporter: 'trusted_flagger', org: ORG_B, priority: 'urgent', category: 'csam', ts: at(0, '21:00') },
  {
    id: 'r8',
    reporter: 'authority',
    org: ORG_POLICE,
    priority: 'urgent',
    category: 'terrorism',
    ts: at(-1, '23:00'),
    answer: { action: 'chat_restricted', source: 'authority', ts: at(0, '01:00'), before: false },
  },
  {
    id: 'r9',
    reporter: 'user',
    priority: 'normal',
    category: 'spam',
    ts: at(-5, '10:00'),
    answer: { action: 'message_removed', source: 'user_report', ts: at(-4, '10:00'), before: false },
  },
  { id: 'r10', reporter: 'trusted_flagger', org: ORG_A, priority: 'urgent', category: 'csam', ts: at(-2, '10:00') },
]

interface Action {
  action: string
  category: string
  source: string
  ts: string
  report?: string
}

const ACTIONS: Action[] = [
  ...REPORTS.filter((r) => r.answer).map((r) => ({
    action: r.answer?.action as string,
    category: r.category,
    source: r.answer?.source as string,
    ts: r.answer?.ts as string,
    report: r.id,
  })),
  ...[1, 2, 3].map((i) => ({ action: 'message_removed', category: 'spam', source: 'automated', ts: at(0, `0${i}:15`) })),
  { action: 'chat_banned', category: 'scam', source: 'automated', ts: at(0, '05:00') },
  { action: 'user_banned', category: 'spam', source: 'automated', ts: at(0, '06:00') },
  { action: 'chat_banned', category: 'terrorism', source: 'proactive_review', ts: at(0, '07:00') },
  { action: 'action_reverted', category: 'spam', source: 'user_report', ts: at(0, '16:00') },
  { action: 'message_removed', category: 'spam', source: 'automated', ts: at(-1, '12:00') },
  { action: 'message_removed', category: 'spam', source: 'automated', ts: at(-1, '13:00') },
  ...[1, 2, 3].map((i) => ({ action: 'message_removed', category: 'scam', source: 'automated', ts: at(-10, `0${i}:00`) })),
  { action: 'chat_banned', category: 'spam', source: 'automated', ts: at(-30, '00:00') },
  // outside the 30-day window
  ...[1, 2, 3, 4, 5].map((i) => ({ action: 'message_removed', category: 'spam', source: 'automated', ts: at(-31, `0${i}:00`) })),
  // the next day: not in the report
  { action: 'message_removed', category: 'spam', source: 'automated', ts: at(1, '00:00') },
]

function fixtureLines(): string[] {
  const lines: string[] = []
  let n = 0
  const id = () => `tr-${n++}`
  const moderation = (a: Action) =>
    JSON.stringify({
      schema: 'moderation.v1',
      event_id: id(),
      ts: a.ts,
      action: a.action,
      target: { chat_id: '-100777', message_id: '5' },
      category: a.category,
      source: a.source,
      ...(a.report ? { report_id: a.report } : {}),
      country: 'DE',
    })
  const answersFirst = ACTIONS.filter((a) => REPORTS.find((r) => r.id === a.report)?.answer?.before)
  for (const a of answersFirst) lines.push(moderation(a))
  for (const r of REPORTS) {
    lines.push(
      JSON.stringify({
        schema: 'report.v1',
        event_id: id(),
        ts: r.ts,
        report_id: r.id,
        reporter: r.reporter,
        ...(r.org ? { reporter_org: r.org } : {}),
        priority: r.priority,
        target: { chat_id: '-100777' },
        category: r.category,
        country: 'DE',
      }),
    )
  }
  for (const a of ACTIONS.filter((x) => !answersFirst.includes(x))) lines.push(moderation(a))
  const chat = { id: '-100999', type: 'channel', title: '<script>alert("title")</script> \u0007 Crypto\u202e', username: 'crypto_vip' }
  for (const [i, text] of [
    "'; DROP TABLE message_stats_1m; --",
    '<iframe src="https://evil.example"></iframe>',
    'hello \u0000 \u001b[2J',
  ].entries()) {
    lines.push(
      JSON.stringify({
        schema: 'message.v1',
        event_id: id(),
        type: 'created',
        ts: at(0, `1${i}:05`),
        chat,
        message_id: String(i),
        sender: { id: '42' },
        text,
        lang: 'en',
        country: 'DE',
      }),
    )
  }
  lines.push('{"schema":"message.v1", not json')
  return lines
}

// ------------------------------------------------------------------ an independent computation

/** Percentile with linear interpolation between closest ranks (what quantileExactInclusive gives). */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const a = sorted[lo] as number
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number
  return a + (h - lo) * (b - a)
}

const inDay = (iso: string, offset = 0) =>
  Date.parse(iso) >= DAY_MS + offset * 86_400_000 && Date.parse(iso) < DAY_MS + (offset + 1) * 86_400_000
const seconds = (r: Report) => (Date.parse(r.answer?.ts as string) - Date.parse(r.ts)) / 1000
const ENFORCEMENT = (a: Action) => a.action !== 'no_violation' && a.action !== 'action_reverted'

function expectedStats(reports: Report[]) {
  const answered = reports.filter((r) => r.answer && inDay(r.answer.ts))
  const dayEnd = DAY_MS + 86_400_000
  return {
    received: reports.filter((r) => inDay(r.ts)).length,
    answered: answered.length,
    open_end_of_day: reports.filter(
      (r) => Date.parse(r.ts) >= DAY_MS - 30 * 86_400_000 && Date.parse(r.ts) < dayEnd && (!r.answer || Date.parse(r.answer.ts) >= dayEnd),
    ).length,
    median_seconds: percentile(answered.map(seconds), 0.5),
    p95_seconds: percentile(answered.map(seconds), 0.95),
  }
}

// ------------------------------------------------------------------ setup

let dir = ''
let dataDir = ''
let cliReport: TransparencyReport
let report: TransparencyReport
let store: Store | null = null
let browser: Browser | null = null

const sqlString = (s: string) =>
  `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/[\u0000-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`

before(async () => {
  dir = tempDir('transparency')
  dataDir = path.join(dir, 'data')
  const input = path.join(dir, 'fixture.ndjson')
  writeFileSync(input, `${fixtureLines().join('\n')}\n`)
  const env = {
    ...process.env,
    ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
    ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
    ABUSE_RADAR_PSEUDONYM_KEY: 'transparency-test-key-0123456789abcdef',
  }
  await run(process.execPath, [CLI, 'run', '--input', input, '--data-dir', dataDir], { cwd: REPO_ROOT, env })
  const out = path.join(dir, 'cli-out')
  const { stdout } = await run(
    process.execPath,
    [CLI, 'report', 'transparency', '--date', DAY, '--out', out, '--data-dir', dataDir, '--urgent-target-minutes', '60'],
    { cwd: REPO_ROOT, env },
  )
  const summary = JSON.parse(stdout.trim().split('\n').pop() as string) as { json: string; html: string }
  cliReport = JSON.parse(readFileSync(summary.json, 'utf8')) as TransparencyReport
  assert.match(readFileSync(summary.html, 'utf8'), /^<!DOCTYPE html>/)

  // Campaigns as the processor writes them (message facts carrying the campaign), with hostile data.
  store = await openStore(configFromOptions({ dataDir }), undefined, { useDatabase: true })
  const campaignFacts: [string, string, string, string | null][] = [
    ['cA11', '-2001', at(0, '15:00'), HOSTILE_SAMPLE],
    ['cA11', '-2002', at(0, '15:01'), HOSTILE_SAMPLE],
    ['cA11', '-2003', at(0, '15:02'), HOSTILE_SAMPLE],
    [HOSTILE_CAMPAIGN, '-2004', at(0, '16:00'), null],
    [HOSTILE_CAMPAIGN, '-2005', at(0, '16:30'), null],
    ['cOLD', '-2006', at(-1, '16:00'), 'yesterday'],
  ]
  for (const [i, [campaign, chat, ts, sample]] of campaignFacts.entries()) {
    const t = ts.replace('T', ' ').replace('Z', '')
    await store.store
      .command(`INSERT INTO message_facts (source_topic, event_id, ts, type, chat_id, chat_type, message_id, sender, in_campaign, fingerprinted,
        campaign_id, campaign_messages, campaign_first_seen, campaign_chats, campaign_senders, campaign_countries, campaign_signature, campaign_sample, spam_score, link_domains)
      VALUES ('seed', 'seed-${i}', '${t}', 'created', '${chat}', 'channel', '${i}', 's${i}', 1, 1, ${sqlString(campaign)}, 1,
        '${campaign === 'cA11' ? at(-2, '10:00').replace('T', ' ').replace('Z', '') : t}', ['${chat}'], ['s${i}'], ['DE'], 'ffee', ${sample === null ? 'NULL' : sqlString(sample)}, 0.93, ['bit.ly'])`)
  }
  report = await collectTransparencyReport(store.store, {
    date: DAY,
    urgentTargetSeconds: URGENT_TARGET_S,
    now: new Date(`${DAY}T00:00:00Z`.replace('20T', '21T').replace('00:00:00', '06:00:00')),
  })
})

after(async () => {
  await browser?.close()
  await store?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// ------------------------------------------------------------------ the numbers

test('report_answers: a report answered before it was seen gets the right time to answer', async () => {
  assert.ok(store)
  const rows = await store.store.select<{ report_id: string; seconds_to_answer: number | null; outcome: string | null; reporter: string }>(
    'SELECT report_id, seconds_to_answer, outcome, reporter FROM report_answers ORDER BY report_id',
  )
  const byId = new Map(rows.map((r) => [r.report_id, r]))
  assert.equal(rows.length, REPORTS.length)
  assert.equal(Number(byId.get('r4')?.seconds_to_answer), 1200)
  assert.equal(byId.get('r4')?.outcome, 'message_removed')
  assert.equal(byId.get('r4')?.reporter, 'trusted_flagger')
  for (const r of REPORTS) {
    const row = byId.get(r.id)
    if (r.answer) assert.equal(Number(row?.seconds_to_answer), seconds(r), r.id)
    else assert.equal(row?.seconds_to_answer, null, r.id)
  }
})

test('urgent trusted-flagger reports waiting past the target (the query behind abuse_urgent_reports_waiting)', async () => {
  assert.ok(store)
  // r7 and r10 are urgent, from trusted flaggers, unanswered; r4 and r5 were answered. The fixture is
  // dated 2026-11-20, so a long horizon keeps it in view whatever today is.
  assert.equal(await countUrgentReportsWaiting(store.store, URGENT_TARGET_S, 36_500), 2)
  assert.equal(await countUrgentReportsWaiting(store.store, 3650 * 86_400, 36_500), 0)
  assert.equal(
    await countUrgentReportsWaiting(store.store, URGENT_TARGET_S, 1),
    Date.now() - Date.parse(at(0, '21:00')) < 86_400_000 ? 1 : 0,
  )
})

test('actions per category and source, and the previous 30 days, match the fixture', () => {
  const day = ACTIONS.filter((a) => inDay(a.ts))
  assert.equal(report.totals.enforcement_actions, day.filter(ENFORCEMENT).length)
  assert.equal(report.totals.enforcement_actions, 11)
  assert.equal(report.totals.messages_removed, day.filter((a) => a.action === 'message_removed').length)
  assert.equal(report.totals.chats_banned, day.filter((a) => a.action === 'chat_banned').length)
  assert.equal(report.totals.no_violation, 1)
  assert.equal(report.totals.action_reverted, 1)
  for (const row of report.by_category) {
    const mine = ACTIONS.filter((a) => a.category === row.category)
    assert.equal(row.enforcement_actions, mine.filter((a) => inDay(a.ts) && ENFORCEMENT(a)).length, row.category)
    const previous = mine.filter((a) => ENFORCEMENT(a) && Date.parse(a.ts) >= DAY_MS - 30 * 86_400_000 && Date.parse(a.ts) < DAY_MS).length
    assert.equal(row.previous_30d_daily_average, Math.round((previous / 30) * 100) / 100, row.category)
  }
  for (const row of report.by_source)
    assert.equal(row.enforcement_actions, day.filter((a) => a.source === row.source && ENFORCEMENT(a)).length, row.source)
  const counted = report.actions.reduce((acc, a) => acc + a.actions, 0)
  assert.equal(counted, day.length)
  assert.equal(report.history.length, 31)
  assert.equal(report.history[0]?.date, '2026-10-21')
  assert.equal(report.history[30]?.date, DAY)
  assert.equal(report.history.find((d) => d.date === '2026-11-19')?.enforcement_actions, 2)
  assert.equal(report.history.find((d) => d.date === '2026-10-21')?.enforcement_actions, 1)
  assert.equal(report.previous_30d_daily_average, Math.round((7 / 30) * 100) / 100)
})

test('reports received and answered per reporter kind, with median and p95 time to answer', () => {
  for (const kind of ['user', 'trusted_flagger', 'authority'] as const) {
    const row = report.reports_by_reporter.find((r) => r.reporter === kind)
    assert.deepEqual(row, { reporter: kind, ...expectedStats(REPORTS.filter((r) => r.reporter === kind)) }, kind)
  }
  const tf = report.reports_by_reporter.find((r) => r.reporter === 'trusted_flagger')
  assert.deepEqual([tf?.received, tf?.answered, tf?.open_end_of_day, tf?.median_seconds, tf?.p95_seconds], [4, 3, 2, 7200, 20160])
  const all = expectedStats(REPORTS)
  assert.equal(report.totals.reports_received, all.received)
  assert.equal(report.totals.reports_answered, all.answered)
  assert.equal(report.totals.median_seconds_to_answer, all.median_seconds)
  assert.equal(report.totals.p95_seconds_to_answer, all.p95_seconds)
  const orgA = report.reports_by_organisation.find((o) => o.organisation === ORG_A && o.priority === 'urgent')
  assert.deepEqual(orgA, {
    reporter: 'trusted_flagger',
    organisation: ORG_A,
    priority: 'urgent',
    ...expectedStats(REPORTS.filter((r) => r.org === ORG_A)),
    answered_within_target: 1,
  })
  assert.deepEqual(report.urgent_trusted_flagger, { answered: 2, answered_within_target: 1, open_past_target_end_of_day: 2 })
})

test('the largest campaigns of the day, with lifetime figures', () => {
  assert.deepEqual(
    report.top_campaigns.map((c) => [c.campaign_id, c.messages, c.chats]),
    [
      ['cA11', 3, 3],
      [HOSTILE_CAMPAIGN, 2, 2],
    ],
  )
  const a = report.top_campaigns[0]
  assert.equal(a?.sample_text, HOSTILE_SAMPLE)
  assert.equal(a?.first_seen, `${at(-2, '10:00').slice(0, 19)}.000Z`.replace('.000.000', '.000'))
  assert.equal(report.top_campaigns[1]?.sample_text, null)
})

test('the CLI wrote the same numbers (before campaigns existed)', () => {
  // The campaign facts seeded after the CLI ran are messages too.
  const strip = (r: TransparencyReport) => ({ ...r, generated_at: '', top_campaigns: [], totals: { ...r.totals, messages_created: 0 } })
  assert.equal(cliReport.totals.messages_created, 3)
  assert.deepEqual(cliReport.top_campaigns, [])
  assert.deepEqual(strip(cliReport), strip(report))
  assert.equal(cliReport.urgent_target_seconds, URGENT_TARGET_S)
})

test('dates, escaping and durations', async () => {
  assert.equal(defaultReportDate(new Date('2026-03-01T00:30:00Z')), '2026-02-28')
  assert.throws(() => parseReportDate('2026-02-30'), /not a date/)
  assert.throws(() => parseReportDate('yesterday'), /not a date/)
  assert.equal(escapeHtml(`<a href="x">'&'</a>\u0007`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\\u0007')
  assert.deepEqual(
    [formatDuration(45), formatDuration(725), formatDuration(7260), formatDuration(180_000), formatDuration(null)],
    ['45 s', '12 min 05 s', '2 h 01 min', '2 d 02 h', '—'],
  )
  assert.ok(store)
  const empty = await collectTransparencyReport(store.store, { date: '2027-01-15', urgentTargetSeconds: URGENT_TARGET_S })
  assert.equal(empty.totals.enforcement_actions, 0)
  assert.equal(empty.totals.median_seconds_to_answer, null)
  assert.match(renderTransparencyHtml(empty), /No enforcement actions on this day/)
})

// ------------------------------------------------------------------ the page, in a browser

test('the HTML page in headless Chromium: charts, the JSON numbers, data as text, printable', async (t) => {
  const html = renderTransparencyHtml(report)
  assert.ok(!/<script/i.test(html.replace(/&lt;script/g, '')), 'no script element')
  const page = path.join(LOOK_DIR, `transparency-${DAY}.html`)
  mkdirSync(LOOK_DIR, { recursive: true })
  writeFileSync(page, html)

  const executablePath = await ensureTool('chromium')
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: true })
  const tab = await context.newPage()
  const requests: string[] = []
  const dialogs: string[] = []
  const errors: string[] = []
  tab.on('request', (r) => {
    if (r.url() !== pathToFileURL(page).href) requests.push(r.url())
  })
  tab.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  tab.on('pageerror', (e) => errors.push(e.message))
  tab.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' })

  // charts: one SVG per figure, with marks drawn
  for (const id of ['chart-actions', 'chart-history', 'chart-reports', 'chart-time-to-answer', 'chart-campaigns']) {
    const svg = tab.locator(`figure#${id} svg`)
    assert.equal(await svg.count(), 1, `${id}: an SVG chart`)
    assert.ok((await tab.locator(`figure#${id} svg path`).count()) >= 3, `${id}: marks drawn`)
    const box = await svg.boundingBox()
    assert.ok(box && box.width > 300 && box.height > 150, `${id}: visible (${JSON.stringify(box)})`)
  }
  // the bars of the reports chart carry the received and answered counts of the JSON
  const labels = (await tab.locator('figure#chart-reports svg text').allTextContents()).map((s) => s.trim())
  for (const k of report.reports_by_reporter) {
    for (const v of [k.received, k.answered].filter((x) => x > 0))
      assert.ok(labels.includes(String(v)), `chart-reports shows ${v} (${k.reporter}); labels: ${labels.join(' ')}`)
  }
  const historyLabels = await tab.locator('figure#chart-history svg text').allTextContents()
  assert.ok(
    historyLabels.some((s) => s.trim() === String(report.totals.enforcement_actions)),
    'the day is labelled with its total',
  )
  assert.ok(
    historyLabels.some((s) => s.includes('previous 30 days')),
    'the 30-day average line is labelled',
  )

  // key figures and tables: data-value is the JSON number, the text its formatting
  for (const [field, value] of Object.entries({
    enforcement_actions: report.totals.enforcement_actions,
    messages_removed: report.totals.messages_removed,
    chats_banned: report.totals.chats_banned,
    reports_received: report.totals.reports_received,
    reports_answered: report.totals.reports_answered,
  })) {
    const figure = tab.locator(`#summary .figure[data-field="${field}"]`)
    assert.equal(await figure.getAttribute('data-value'), String(value), field)
    assert.equal((await figure.locator('.value').textContent())?.trim(), value.toLocaleString('en-US'), field)
  }
  assert.equal(
    await tab.locator('#summary .figure[data-field="median_seconds_to_answer"] .value').textContent(),
    formatDuration(report.totals.median_seconds_to_answer),
  )
  for (const k of report.reports_by_reporter) {
    const row = tab.locator(`#reports-by-reporter tr[data-key="${k.reporter}"]`)
    for (const field of ['received', 'answered', 'open_end_of_day', 'median_seconds', 'p95_seconds'] as const) {
      const cell = row.locator(`td[data-field="${field}"]`)
      assert.equal(await cell.getAttribute('data-value'), k[field] === null ? '' : String(k[field]), `${k.reporter} ${field}`)
    }
    assert.equal((await row.locator('td[data-field="median_seconds"]').textContent())?.trim(), formatDuration(k.median_seconds))
  }
  for (const c of report.by_category) {
    const cell = tab.locator(`#actions-by-category tr[data-key="${c.category}"] td[data-field="enforcement_actions"]`)
    assert.equal(await cell.getAttribute('data-value'), String(c.enforcement_actions), c.category)
  }
  assert.equal(await tab.locator('#top-campaigns tbody tr').count(), report.top_campaigns.length)

  // data is text: the hostile strings are shown, not run or parsed
  const orgCells = await tab.locator('#reports-by-organisation td[data-field="organisation"]').allTextContents()
  assert.ok(orgCells.includes(ORG_A) && orgCells.includes(ORG_POLICE), `organisations shown as text: ${orgCells.join(' | ')}`)
  const sample = (await tab.locator('#top-campaigns td[data-field="sample_text"]').first().textContent()) ?? ''
  assert.ok(sample.includes("<img src=x onerror=alert(1)> FREE 500 USDT '; DROP TABLE campaigns; --"), sample)
  assert.ok(sample.includes('\\u0007') && sample.includes('\\u001b'), 'control characters made visible')
  assert.equal(await tab.locator('#top-campaigns td[data-field="campaign_id"]').nth(1).textContent(), HOSTILE_CAMPAIGN)
  assert.equal(await tab.locator('script').count(), 0)
  assert.equal(await tab.locator('img, iframe, [onerror], [onload], [onclick]').count(), 0)
  assert.deepEqual(dialogs, [], 'no dialog opened')
  assert.deepEqual(requests, [], 'no network request')
  assert.deepEqual(errors, [], 'no error in the page')

  // printable: Chromium lays it out on A4 pages
  const pdf = await tab.pdf({ format: 'A4', printBackground: true })
  assert.ok(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 20_000, 'prints to PDF')

  await tab.screenshot({ path: SCREENSHOT, fullPage: true })
  t.diagnostic(`page ${page}, screenshot ${SCREENSHOT}`)
  await context.close()
})
