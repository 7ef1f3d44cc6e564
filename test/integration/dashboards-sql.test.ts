/**
 * Every ClickHouse panel (and ClickHouse variable) of dashboards/grafana/*.json runs against the
 * embedded engine holding a generated stream: the plugin's macros and Grafana's variables are
 * expanded for the data's time range, `DESCRIBE` gives the result's columns and types, and the query
 * itself must return rows wherever the tables it reads hold data.
 *
 * Column contract (dashboards/build.mjs): a table panel's "organize" transformation lists its
 * columns in order; a time series returns `time` (a date-time) first, then numbers and at most one
 * text column naming the series; a stat returns numbers; a bar chart a text column, then numbers.
 *
 * Tables the processor does not fill yet from a generated stream (chat_similarity while that engine
 * is not wired) and two campaigns with spam reasons and links are then added through the same path
 * the processor uses (the message_facts views, and chat_similarity as its engine writes it),
 * and every panel runs again (the Campaigns dashboard on a seeded campaign), so the panels over them
 * are checked on rows too.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT, tempDir } from '../support/harness.js'
import { configFromOptions } from '../../src/cli/options.js'
import { openStore, type Store } from '../../src/cli/runtime.js'

const run = promisify(execFile)
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const DASHBOARDS = path.join(REPO_ROOT, 'dashboards', 'grafana')

// ------------------------------------------------------------------ Grafana and plugin expansion

interface Variable {
  name: string
  type: string
  query?: unknown
  datasource?: { type?: string }
  options?: { value: string }[]
  current?: { value?: string | string[] }
  includeAll?: boolean
}

interface Target {
  refId: string
  datasource?: { type?: string }
  rawSql?: string
  queryType?: string
  expr?: string
}

interface Panel {
  id: number
  type: string
  title: string
  datasource?: { type?: string }
  targets?: Target[]
  transformations?: { id: string; options: { indexByName?: Record<string, number> } }[]
  fieldConfig?: { overrides?: { matcher: { id: string; options: string } }[] }
  panels?: Panel[]
}

interface Dashboard {
  uid: string
  title: string
  panels: Panel[]
  templating: { list: Variable[] }
}

export interface ExpandContext {
  fromMs: number
  toMs: number
  intervalS: number
  /** Variable values; ['$__all'] selects All. */
  vars: Record<string, string[]>
}

/** Splits a macro's argument list at top-level commas (parentheses and quotes respected). */
function macroCall(sql: string, start: number): { args: string[]; end: number } {
  let depth = 0
  let quote: string | null = null
  const args: string[] = []
  let current = ''
  for (let i = start; i < sql.length; i++) {
    const c = sql[i] as string
    if (quote) {
      current += c
      if (c === '\\') current += sql[++i] ?? ''
      else if (c === quote) quote = null
      continue
    }
    if (c === "'" || c === '"' || c === '`') quote = c
    if (c === '(') {
      depth++
      if (depth === 1) continue
    }
    if (c === ')') {
      depth--
      if (depth === 0) {
        args.push(current.trim())
        return { args, end: i + 1 }
      }
    }
    if (c === ',' && depth === 1) {
      args.push(current.trim())
      current = ''
      continue
    }
    current += c
  }
  throw new Error(`unbalanced macro call at ${start}: ${sql.slice(start - 20, start + 40)}`)
}

function replaceMacro(sql: string, name: string, expand: (args: string[]) => string): string {
  const pattern = new RegExp(`\\$__${name}(?![A-Za-z0-9_])\\s*\\(`)
  for (let match = pattern.exec(sql); match; match = pattern.exec(sql)) {
    const open = match.index + match[0].length - 1
    const { args, end } = macroCall(sql, open)
    sql = sql.slice(0, match.index) + expand(args) + sql.slice(end)
  }
  return sql
}

const isAll = (values: string[] | undefined) => !values || values.length === 0 || values.includes('$__all') || values.includes('')

/** Grafana's formats for a variable's values (those the dashboards use). */
function formatVariable(values: string[], format: string | undefined, allOptions: string[]): string {
  const list = isAll(values) ? allOptions : values
  switch (format) {
    case undefined:
    case 'raw':
      return list.join(',')
    case 'singlequote':
      return list.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(',')
    case 'sqlstring':
      return list.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')
    case 'queryparam':
      return list.map((v) => `var-x=${encodeURIComponent(v)}`).join('&')
    default:
      throw new Error(`variable format not handled by this test: ${format}`)
  }
}

/**
 * What Grafana sends for a raw SQL target: the frontend applies $__conditionalAll, then interpolates
 * variables; the plugin's backend expands the time macros (see grafana/clickhouse-datasource
 * pkg/macros: toDateTime(seconds), fromUnixTimestamp64Milli(ms), toStartOfInterval(...)).
 */
export function expandSql(sql: string, ctx: ExpandContext, allOptions: Record<string, string[]> = {}): string {
  sql = replaceMacro(sql, 'conditionalAll', ([condition, variable]) => {
    const name = (variable ?? '').replace(/^\$\{?/, '').replace(/\}$/, '')
    return isAll(ctx.vars[name]) ? '1=1' : (condition as string)
  })
  sql = sql.replace(
    /\$\{(\w+)(?::(\w+))?\}|\$(?!__)(\w+)/g,
    (whole, braced: string | undefined, format: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string
      const values = ctx.vars[name]
      if (values === undefined) throw new Error(`unknown variable ${whole}`)
      return formatVariable(values, format, allOptions[name] ?? [])
    },
  )
  const from = Math.floor(ctx.fromMs / 1000)
  const to = Math.floor(ctx.toMs / 1000)
  const day = (ms: number) => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`
  sql = replaceMacro(
    sql,
    'timeFilter_ms',
    ([c]) => `${c} >= fromUnixTimestamp64Milli(${ctx.fromMs}) AND ${c} <= fromUnixTimestamp64Milli(${ctx.toMs})`,
  )
  sql = replaceMacro(sql, 'timeFilter', ([c]) => `${c} >= toDateTime(${from}) AND ${c} <= toDateTime(${to})`)
  sql = replaceMacro(sql, 'dateFilter', ([c]) => `${c} >= ${day(ctx.fromMs)} AND ${c} <= ${day(ctx.toMs)}`)
  sql = replaceMacro(
    sql,
    'timeInterval_ms',
    ([c]) => `toStartOfInterval(toDateTime64(${c}, 3), INTERVAL ${ctx.intervalS * 1000} millisecond)`,
  )
  sql = replaceMacro(sql, 'timeInterval', ([c]) => `toStartOfInterval(toDateTime(${c}), INTERVAL ${ctx.intervalS} second)`)
  sql = sql
    .replace(/\$__fromTime_ms\b/g, `fromUnixTimestamp64Milli(${ctx.fromMs})`)
    .replace(/\$__toTime_ms\b/g, `fromUnixTimestamp64Milli(${ctx.toMs})`)
    .replace(/\$__fromTime\b/g, `toDateTime(${from})`)
    .replace(/\$__toTime\b/g, `toDateTime(${to})`)
    .replace(/\$__interval_s\b/g, String(ctx.intervalS))
  if (/\$__|\$\{/.test(sql)) throw new Error(`unexpanded macro or variable left in:\n${sql}`)
  return sql
}

// ------------------------------------------------------------------ loading the dashboards

const dashboards: Dashboard[] = readdirSync(DASHBOARDS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(DASHBOARDS, f), 'utf8')) as Dashboard)

const isClickHouse = (ds: { type?: string } | undefined) => ds?.type === 'grafana-clickhouse-datasource'
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])])

interface SqlCheck {
  dashboard: Dashboard
  panel: Panel
  target: Target
}

const checks: SqlCheck[] = dashboards.flatMap((dashboard) =>
  allPanels(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).filter((t) => isClickHouse(t.datasource ?? panel.datasource)).map((target) => ({ dashboard, panel, target })),
  ),
)

// ------------------------------------------------------------------ the data

const TABLES = [
  'message_stats_1m',
  'moderation_stats_1m',
  'campaigns',
  'campaign_stats_1m',
  'chat_similarity',
  'report_answers',
  'message_fingerprints',
  'dead_letters',
] as const
type TableName = (typeof TABLES)[number]

/** Tables a query reads (campaigns_latest reads campaigns; system.parts always has rows). */
function tablesRead(sql: string): TableName[] {
  const found = new Set<TableName>()
  for (const match of sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_0-9.]+)/gi)) {
    const name = (match[1] as string).replace(/^abuse\./, '')
    if (name === 'campaigns_latest') found.add('campaigns')
    else if ((TABLES as readonly string[]).includes(name)) found.add(name as TableName)
  }
  return [...found]
}

/**
 * Panels whose rows depend on more than their tables holding data: they must return rows only when
 * this query (expanded like the panel) counts some.
 */
const ROWS_NEEDED: Record<string, string> = {
  'Campaigns / Spam rules fired':
    'SELECT count() FROM message_fingerprints WHERE campaign_id = ${campaign:sqlstring} AND $__timeFilter(ts) AND notEmpty(reasons)',
  'Campaigns / Link domains':
    'SELECT count() FROM message_fingerprints WHERE campaign_id = ${campaign:sqlstring} AND $__timeFilter(ts) AND notEmpty(link_domains)',
  'Campaigns / Its chats': 'SELECT count() FROM message_fingerprints WHERE campaign_id = ${campaign:sqlstring} AND $__timeFilter(ts)',
  'Campaigns / New chats reached':
    'SELECT count() FROM message_fingerprints WHERE campaign_id = ${campaign:sqlstring} AND $__timeFilter(ts)',
}

let dir = ''
let store: Store
let range = { fromMs: 0, toMs: 0 }

async function rowCounts(): Promise<Record<TableName, number>> {
  const counts = {} as Record<TableName, number>
  for (const table of TABLES) {
    const [row] = await store.store.select<{ n: string }>(`SELECT count() AS n FROM ${table}`)
    counts[table] = Number(row?.n ?? 0)
  }
  return counts
}

before(async () => {
  dir = tempDir('dashboards')
  const stream = path.join(dir, 'stream.ndjson')
  const env = {
    ...process.env,
    ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
    ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
    ABUSE_RADAR_PSEUDONYM_KEY: 'dashboards-test-key-0123456789abcdef',
  }
  await run(process.execPath, [CLI, 'generate', '--out', stream, '--messages', '5000', '--seed', '11'], {
    cwd: REPO_ROOT,
    env,
    maxBuffer: 64 * 1024 * 1024,
  })
  await run(process.execPath, [CLI, 'run', '--input', stream, '--data-dir', dir], { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 })
  store = await openStore(configFromOptions({ dataDir: dir }), undefined, { useDatabase: true })
  const [span] = await store.store.select<{ lo: string; hi: string }>(
    'SELECT toUnixTimestamp(min(minute)) AS lo, toUnixTimestamp(max(minute)) AS hi FROM message_stats_1m',
  )
  assert.ok(span && Number(span.hi) > 0, 'the generated stream filled message_stats_1m')
  range = { fromMs: Number(span.lo) * 1000 - 60_000, toMs: Number(span.hi) * 1000 + 120_000 }
})

after(async () => {
  await store?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// ------------------------------------------------------------------ the checks

const NUMERIC = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal.*|Nothing)\)?$/
const TEXT = /^(Nullable\()?(LowCardinality\()?(Nullable\()?(String|FixedString\(\d+\)|Enum\d+\(.*\))\)*$/
const TIME = /^(Nullable\()?(DateTime|DateTime64|Date|Date32)(\(.*\))?\)?$/

async function variableValues(
  dashboard: Dashboard,
  ctx: ExpandContext,
): Promise<{ vars: Record<string, string[]>; all: Record<string, string[]> }> {
  const vars: Record<string, string[]> = {}
  const all: Record<string, string[]> = {}
  for (const v of dashboard.templating.list) {
    if (v.type === 'datasource') vars[v.name] = [v.name]
    else if (v.type === 'custom') {
      const current = v.current?.value
      vars[v.name] = Array.isArray(current) ? current : [String(current ?? v.options?.[0]?.value ?? '')]
      all[v.name] = (v.options ?? []).map((o) => o.value)
    } else if (v.type === 'query' && isClickHouse(v.datasource)) {
      const rows = await store.store.select<Record<string, unknown>>(expandSql(String(v.query), { ...ctx, vars: { ...ctx.vars, ...vars } }))
      const options = rows.map((r) => String(Object.values(r)[0]))
      all[v.name] = options
      vars[v.name] = v.includeAll ? ['$__all'] : options.length > 0 ? [options[0] as string] : ['none']
    } else {
      vars[v.name] = ['$__all']
    }
  }
  return { vars, all }
}

interface PanelResult {
  columns: { name: string; type: string }[]
  rows: number
}

async function runPanel(check: SqlCheck, ctx: ExpandContext, all: Record<string, string[]>): Promise<PanelResult> {
  const sql = expandSql(check.target.rawSql ?? '', ctx, all)
  const columns = (await store.store.select<{ name: string; type: string }>(`DESCRIBE (${sql})`)).map((c) => ({
    name: c.name,
    type: c.type,
  }))
  const rows = await store.store.select<Record<string, unknown>>(sql)
  return { columns, rows: rows.length }
}

function checkShape(check: SqlCheck, result: PanelResult): void {
  const where = `${check.dashboard.title} / ${check.panel.title}`
  const names = result.columns.map((c) => c.name)
  const types = result.columns.map((c) => c.type)
  assert.ok(names.length > 0, `${where}: no columns`)
  const organize = check.panel.transformations?.find((t) => t.id === 'organize')?.options.indexByName
  for (const o of check.panel.fieldConfig?.overrides ?? []) {
    if (o.matcher.id === 'byName')
      assert.ok(
        names.includes(o.matcher.options),
        `${where}: override names column ${o.matcher.options}, query returns ${names.join(', ')}`,
      )
  }
  switch (check.panel.type) {
    case 'table': {
      assert.ok(organize, `${where}: table panels list their columns in an organize transformation`)
      const expected = Object.entries(organize)
        .sort((a, b) => a[1] - b[1])
        .map(([n]) => n)
      assert.deepEqual(names, expected, `${where}: columns`)
      break
    }
    case 'timeseries': {
      assert.equal(check.target.queryType, 'timeseries', `${where}: queryType`)
      assert.equal(names[0], 'time', `${where}: first column is time`)
      assert.match(types[0] as string, TIME, `${where}: time column type`)
      const rest = types.slice(1)
      const text = rest.filter((t) => TEXT.test(t))
      assert.ok(text.length <= 1, `${where}: at most one series-name column, got ${types.join(', ')}`)
      assert.ok(
        rest.some((t) => NUMERIC.test(t)),
        `${where}: a numeric column`,
      )
      for (const t of rest) assert.ok(NUMERIC.test(t) || TEXT.test(t), `${where}: unexpected column type ${t}`)
      break
    }
    case 'stat':
      for (const t of types) assert.match(t, NUMERIC, `${where}: stat columns are numbers (${names.join(', ')}: ${types.join(', ')})`)
      break
    case 'barchart':
      assert.match(types[0] as string, TEXT, `${where}: the first bar chart column is a category`)
      for (const t of types.slice(1)) assert.match(t, NUMERIC, `${where}: bar chart values are numbers`)
      break
    default:
      assert.fail(`${where}: panel type ${check.panel.type} has no column contract in this test`)
  }
}

async function runAll(
  label: string,
  nonEmptyTables: Set<TableName>,
  overrides: Record<string, string[]> = {},
): Promise<{ ran: number; nonEmptyChecked: number; empty: string[] }> {
  const empty: string[] = []
  let ran = 0
  let nonEmptyChecked = 0
  const failures: string[] = []
  for (const dashboard of dashboards) {
    const base: ExpandContext = { ...range, intervalS: 60, vars: {} }
    const { vars: found, all } = await variableValues(dashboard, base)
    const vars = { ...found, ...Object.fromEntries(Object.entries(overrides).filter(([name]) => name in found)) }
    const variants: Record<string, string[]>[] = [vars]
    // Multi-value variables: also a selection of one value (the $__conditionalAll branch).
    for (const v of dashboard.templating.list) {
      const first = all[v.name]?.[0]
      if (v.includeAll && isClickHouse(v.datasource) && first !== undefined) variants.push({ ...vars, [v.name]: [first] })
    }
    for (const check of checks.filter((c) => c.dashboard === dashboard)) {
      for (const variant of variants) {
        const ctx = { ...base, vars: variant }
        try {
          const result = await runPanel(check, ctx, all)
          checkShape(check, result)
          const tables = tablesRead(check.target.rawSql ?? '')
          const needed = ROWS_NEEDED[`${dashboard.title} / ${check.panel.title}`]
          const [count] = needed ? await store.store.select<Record<string, string>>(expandSql(needed, ctx, all)) : [{ n: '1' }]
          if (tables.length > 0 && tables.every((t) => nonEmptyTables.has(t)) && Number(Object.values(count ?? {})[0] ?? 0) > 0) {
            nonEmptyChecked++
            assert.ok(result.rows > 0, `${dashboard.title} / ${check.panel.title}: no rows although ${tables.join(', ')} hold data`)
          }
          if (result.rows === 0) empty.push(`${dashboard.title} / ${check.panel.title}`)
          ran++
        } catch (error) {
          failures.push(
            `[${label}] ${dashboard.title} / ${check.panel.title}: ${(error as Error).message.split('\n').slice(0, 6).join('\n')}`,
          )
        }
      }
    }
  }
  assert.deepEqual(failures, [], failures.join('\n\n'))
  return { ran, nonEmptyChecked, empty: [...new Set(empty)] }
}

test('the dashboards have ClickHouse panels to check', () => {
  assert.equal(dashboards.length, 5)
  assert.ok(checks.length >= 40, `found ${checks.length} ClickHouse targets`)
})

test('macro expansion follows the plugin', () => {
  const ctx: ExpandContext = {
    fromMs: 1_700_000_000_123,
    toMs: 1_700_003_600_456,
    intervalS: 120,
    vars: { chat_type: ['channel', "o'k"], campaign: ["c'1"], all: ['$__all'] },
  }
  assert.equal(expandSql('$__timeFilter(minute)', ctx), 'minute >= toDateTime(1700000000) AND minute <= toDateTime(1700003600)')
  assert.equal(
    expandSql('$__timeFilter_ms(ts)', ctx),
    'ts >= fromUnixTimestamp64Milli(1700000000123) AND ts <= fromUnixTimestamp64Milli(1700003600456)',
  )
  assert.equal(expandSql('$__timeInterval(minute)', ctx), 'toStartOfInterval(toDateTime(minute), INTERVAL 120 second)')
  assert.equal(expandSql('$__fromTime < $__toTime', ctx), 'toDateTime(1700000000) < toDateTime(1700003600)')
  assert.equal(expandSql('$__conditionalAll(chat_type IN (${chat_type:singlequote}), $chat_type)', ctx), "chat_type IN ('channel','o\\'k')")
  assert.equal(expandSql('$__conditionalAll(x IN (${all:singlequote}), $all)', ctx), '1=1')
  assert.equal(expandSql('campaign_id = ${campaign:sqlstring}', ctx), "campaign_id = 'c''1'")
  assert.throws(() => expandSql('$nope', ctx), /unknown variable/)
})

test('every ClickHouse panel returns its columns, and rows where the generated data has them', async (t) => {
  const counts = await rowCounts()
  const filled = new Set(TABLES.filter((t) => counts[t] > 0))
  for (const t of ['message_stats_1m', 'moderation_stats_1m', 'report_answers', 'dead_letters'] as const)
    assert.ok(filled.has(t), `the generated stream fills ${t}`)
  t.diagnostic(`rows per table: ${JSON.stringify(counts)}`)
  const { ran, nonEmptyChecked, empty } = await runAll('generated', filled)
  t.diagnostic(`${ran} panel queries ran, ${nonEmptyChecked} checked for rows; without rows: ${empty.join('; ') || 'none'}`)
  assert.ok(ran >= checks.length)
  assert.ok(nonEmptyChecked >= 20, `only ${nonEmptyChecked} panel queries checked for rows`)
})

test('panels over campaigns, fingerprints and chat similarity return rows once those tables hold data', async (ctx) => {
  const counts = await rowCounts()
  const [span] = await store.store.select<{ t: string }>(`SELECT toString(toDateTime(${Math.floor(range.fromMs / 1000) + 90}, 'UTC')) AS t`)
  const t = span?.t as string
  {
    // Two campaigns as the processor writes them: message facts that are fingerprinted and carry the
    // campaign (with spam reasons and links, which the generated stream may not give yet).
    const facts = [
      ['c00aa11', '-1001', 'channel', 'm1', 's1', 3, ['-1001'], 0.9, 'Claim 500 USDT now t.me/+x'],
      ['c00aa11', '-1002', 'supergroup', 'm2', 's2', 1, ['-1002'], 0.8, 'Claim 500 USDT now t.me/+x'],
      ['c00bb22', '-1003', 'channel', 'm3', 's3', 2, ['-1003'], 0.4, null],
    ] as const
    for (const [campaign, chat, type, message, sender, n, chats, score, sample] of facts) {
      await store.store
        .command(`INSERT INTO message_facts (source_topic, event_id, ts, type, chat_id, chat_type, message_id, sender, in_campaign, with_links, fingerprinted,
          exact_hash, signature, campaign_id, campaign_messages, campaign_first_seen, campaign_chats, campaign_senders, campaign_countries, campaign_signature, campaign_sample,
          spam_score, reasons, link_domains)
        VALUES ('seed', 'seed-${message}', '${t}', 'created', '${chat}', '${type}', '${message}', '${sender}', 1, 1, 1,
          'ab01', 'ffee', '${campaign}', ${n}, '${t}', [${chats.map((c) => `'${c}'`).join(',')}], ['${sender}'], ['DE'], 'ffee', ${sample === null ? 'NULL' : `'${sample}'`},
          ${score}, ['link_shortener', 'crypto_bait'], ['t.me'])`)
    }
  }
  if (counts.chat_similarity === 0) {
    await store.store.command(`INSERT INTO chat_similarity VALUES
      ('-1001', '-1002', 'content', 0.92, 14, 3, '-1001', 11, 3, '', '', '${t}', '${t}', '${t}'),
      ('-1004', '-1005', 'name', 0.97, 0, 0, '', 0, 0, 'durov', 'durоv', '${t}', '${t}', '${t}'),
      ('-1006', '-1007', 'both', 0.81, 6, 2, '-1007', 1, 5, 'telegram_support', 'telegrarn_support', '${t}', '${t}', '${t}')`)
  }
  const after = await rowCounts()
  const filled = new Set(TABLES.filter((name) => after[name] > 0))
  assert.ok(
    filled.has('campaigns') && filled.has('campaign_stats_1m') && filled.has('message_fingerprints') && filled.has('chat_similarity'),
  )
  const { nonEmptyChecked, empty } = await runAll('with campaigns and pairs', filled, { campaign: ['c00aa11'] })
  ctx.diagnostic(`${nonEmptyChecked} checked for rows; without rows: ${empty.join('; ') || 'none'}`)
  assert.ok(nonEmptyChecked >= 35, `only ${nonEmptyChecked} panel queries checked for rows`)
})
