/**
 * Lint of dashboards/: the rules of Grafana's dashboard linter that matter here (data sources picked
 * through a variable, every panel titled and described, units on graphs and stats, no empty
 * targets), plus this project's: the five dashboards of outputs.md, ClickHouse targets as raw SQL
 * for the official plugin with time macros so the time picker applies, panels laid out without
 * overlaps, the committed JSON equal to what dashboards/build.mjs generates, and provisioning files
 * whose data source uids are the ones the dashboards default to.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../../support/harness.js'

const DIR = path.join(REPO_ROOT, 'dashboards')
const CH = 'grafana-clickhouse-datasource'

interface Ref {
  type?: string
  uid?: string
}
interface Target {
  refId?: string
  datasource?: Ref
  rawSql?: string
  editorType?: string
  queryType?: string
  expr?: string
}
interface Panel {
  id: number
  type: string
  title?: string
  description?: string
  datasource?: Ref
  targets?: Target[]
  gridPos: { x: number; y: number; w: number; h: number }
  fieldConfig?: { defaults?: { unit?: string } }
  panels?: Panel[]
}
interface Variable {
  name: string
  type: string
  query?: unknown
  datasource?: Ref
  current?: { value?: unknown }
}
interface Dashboard {
  uid: string
  title: string
  description?: string
  tags: string[]
  time: { from: string; to: string }
  timezone?: string
  panels: Panel[]
  templating: { list: Variable[] }
}

const files = readdirSync(path.join(DIR, 'grafana'))
  .filter((f) => f.endsWith('.json'))
  .sort()
const dashboards = files.map((f) => ({ file: f, d: JSON.parse(readFileSync(path.join(DIR, 'grafana', f), 'utf8')) as Dashboard }))

/** ClickHouse panels that deliberately ignore the time picker: lifetime state, system tables, freshness. */
const NO_TIME_FILTER = new Set([
  'Campaigns / Messages',
  'Campaigns / Chats reached',
  'Campaigns / Senders',
  'Campaigns / Age',
  'Campaigns / Sample and signature',
  'Pipeline health / Newest data',
  'Pipeline health / Table sizes',
])
const TIME_MACRO = /\$__(timeFilter|timeFilter_ms|dateFilter|dateTimeFilter|dt|fromTime|toTime|fromTime_ms|toTime_ms)\b/

test('the committed dashboards are what dashboards/build.mjs generates', () => {
  execFileSync(process.execPath, [path.join(DIR, 'build.mjs'), '--check'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
})

test('the five dashboards of outputs.md are there, with unique uids', () => {
  const titles = dashboards.map(({ d }) => d.title).sort()
  assert.deepEqual(titles, ['Abuse overview', 'Campaigns', 'Clone and look-alike channels', 'Pipeline health', 'Transparency'])
  assert.equal(new Set(dashboards.map(({ d }) => d.uid)).size, dashboards.length)
  for (const { file, d } of dashboards) {
    assert.match(d.uid, /^[a-z0-9-]{1,40}$/, `${file}: uid`)
    assert.ok(d.description && d.description.length > 20, `${file}: description`)
    assert.ok(d.tags.includes('abuse-radar'), `${file}: tagged abuse-radar (dashboard links list by tag)`)
    assert.equal(d.timezone, 'utc', `${file}: the tables are in UTC`)
  }
})

test('data sources are picked through variables, and every panel is titled, described and has targets', () => {
  for (const { file, d } of dashboards) {
    const vars = new Map(d.templating.list.map((v) => [v.name, v]))
    const panels = d.panels.flatMap((p) => [p, ...(p.panels ?? [])])
    assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, `${file}: panel ids are unique`)
    for (const p of panels) {
      const where = `${file} / ${p.title ?? p.id}`
      if (p.type === 'row') continue
      assert.ok(p.title && p.title.trim().length > 0, `${where}: title`)
      assert.ok(p.description && p.description.length > 10, `${where}: description`)
      assert.ok(p.targets && p.targets.length > 0, `${where}: targets`)
      assert.equal(new Set(p.targets.map((t) => t.refId)).size, p.targets.length, `${where}: unique refIds`)
      for (const t of p.targets) {
        const ds = t.datasource ?? p.datasource
        assert.ok(ds?.uid && /^\$\{\w+\}$/.test(ds.uid), `${where}: data source through a variable, got ${JSON.stringify(ds)}`)
        const variable = vars.get(ds.uid.slice(2, -1))
        assert.ok(
          variable && variable.type === 'datasource' && variable.query === ds.type,
          `${where}: variable ${ds.uid} is a ${ds.type} data source variable`,
        )
        if (ds.type === CH) {
          assert.equal(t.editorType, 'sql', `${where}: raw SQL editor`)
          assert.ok(t.queryType === 'table' || t.queryType === 'timeseries', `${where}: queryType`)
          assert.ok(t.rawSql && t.rawSql.trim().length > 0, `${where}: empty SQL`)
          assert.ok(!/;\s*$/.test(t.rawSql), `${where}: no trailing semicolon`)
          assert.ok(!/\babuse\.\w/.test(t.rawSql), `${where}: tables unqualified (the data source sets the database)`)
          if (!NO_TIME_FILTER.has(`${d.title} / ${p.title}`))
            assert.match(t.rawSql, TIME_MACRO, `${where}: time macro so the time picker applies`)
          if (p.type === 'timeseries')
            assert.match(t.rawSql, /\$__timeInterval\(|toStartOfDay\(/, `${where}: buckets by $__timeInterval (or by day)`)
        } else {
          assert.equal(ds.type, 'prometheus', `${where}: data source type`)
          assert.ok(t.expr && t.expr.trim().length > 0, `${where}: empty PromQL`)
          if (/\brate\(|\bincrease\(/.test(t.expr)) assert.match(t.expr, /\[(\$__rate_interval|\d+[smh])\]/, `${where}: rate over a range`)
          if (t.expr.includes('abuse_')) assert.match(t.expr, /job=~"\$job"/, `${where}: filtered by the job variable`)
        }
      }
      if (p.type === 'timeseries' || p.type === 'stat') assert.ok(p.fieldConfig?.defaults?.unit, `${where}: unit`)
    }
  }
})

test('panels stay on the 24-column grid and do not overlap', () => {
  for (const { file, d } of dashboards) {
    const boxes = d.panels.map((p) => ({ title: p.title ?? String(p.id), ...p.gridPos }))
    for (const b of boxes)
      assert.ok(b.x >= 0 && b.w > 0 && b.x + b.w <= 24 && b.h > 0 && b.y >= 0, `${file} / ${b.title}: gridPos ${JSON.stringify(b)}`)
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i] as (typeof boxes)[number]
        const b = boxes[j] as (typeof boxes)[number]
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
        assert.ok(!overlap, `${file}: "${a.title}" overlaps "${b.title}"`)
      }
    }
  }
})

test('variables the queries use are defined', () => {
  for (const { file, d } of dashboards) {
    const names = new Set(d.templating.list.map((v) => v.name))
    for (const p of d.panels) {
      for (const t of p.targets ?? []) {
        const text = `${t.rawSql ?? ''} ${t.expr ?? ''}`
        for (const m of text.matchAll(/\$\{(\w+)(?::\w+)?\}|\$(?!__)(\w+)/g)) {
          const name = (m[1] ?? m[2]) as string
          assert.ok(names.has(name), `${file} / ${p.title}: variable $${name} is not defined`)
        }
      }
    }
  }
})

test('the Campaigns dashboard has a campaign variable that its panels use', () => {
  const campaigns = dashboards.find(({ d }) => d.uid === 'abuse-campaigns')?.d
  assert.ok(campaigns)
  const variable = campaigns.templating.list.find((v) => v.name === 'campaign')
  assert.ok(variable && variable.type === 'query' && variable.datasource?.type === CH)
  const using = campaigns.panels.filter((p) => (p.targets ?? []).some((t) => t.rawSql?.includes('${campaign:sqlstring}')))
  assert.ok(using.length >= 6, `${using.length} panels use the selected campaign`)
})

test('provisioning: the data sources the dashboards default to, and a file provider for them', () => {
  const dsFiles = readdirSync(path.join(DIR, 'provisioning', 'datasources')).filter((f) => f.endsWith('.yaml'))
  const datasources = dsFiles.flatMap(
    (f) =>
      (
        parse(readFileSync(path.join(DIR, 'provisioning', 'datasources', f), 'utf8')) as {
          apiVersion: number
          datasources: Record<string, unknown>[]
        }
      ).datasources,
  )
  const clickhouse = datasources.find((d) => d.type === CH)
  const prometheus = datasources.find((d) => d.type === 'prometheus')
  assert.ok(clickhouse && prometheus, 'both data sources provisioned')
  const json = clickhouse.jsonData as Record<string, unknown>
  for (const key of ['host', 'port', 'protocol', 'username', 'defaultDatabase'])
    assert.ok(json[key] !== undefined, `ClickHouse jsonData.${key}`)
  assert.equal(json.defaultDatabase, 'abuse')
  assert.ok((clickhouse.secureJsonData as Record<string, unknown>).password, 'the password is secure JSON data')
  for (const { file, d } of dashboards) {
    for (const v of d.templating.list.filter((x) => x.type === 'datasource')) {
      const current = (v.current as { value?: string }).value
      const target: Record<string, unknown> = v.query === CH ? clickhouse : prometheus
      assert.equal(current, target.uid, `${file}: variable ${v.name} defaults to the provisioned uid`)
    }
  }
  const providers = readdirSync(path.join(DIR, 'provisioning', 'dashboards'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap(
      (f) =>
        (
          parse(readFileSync(path.join(DIR, 'provisioning', 'dashboards', f), 'utf8')) as {
            providers: { type: string; options: { path: string } }[]
          }
        ).providers,
    )
  assert.ok(providers.some((p) => p.type === 'file' && p.options.path.length > 0))
})
