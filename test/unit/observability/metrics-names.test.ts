/**
 * Every Prometheus metric that a dashboard, an alert rule or an alert unit test names is one the
 * processor exports (src/observability/metrics.ts, default process metrics included; a histogram
 * exports _bucket, _sum and _count). A misspelt name in PromQL is not an error anywhere else: the
 * panel is just empty and the alert never fires.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { Metrics } from '../../../src/observability/metrics.js'
import { REPO_ROOT } from '../../support/harness.js'

/** Series Prometheus itself makes for every scrape target. */
const SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped'])
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'atan2',
])

/** Metric names referenced by a PromQL expression (selectors, not functions, labels or keywords). */
export function metricNames(expr: string): string[] {
  const labelValues = /^\s*label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*,/.exec(expr)
  if (labelValues) return [labelValues[1] as string]
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?[0-9a-z]+/g, ' ')
  const names = new Set<string>()
  for (const match of stripped.matchAll(/(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w(])(?!\s*\()/g)) {
    const name = match[1] as string
    if (KEYWORDS.has(name.toLowerCase())) continue
    names.add(name)
  }
  return [...names]
}

async function exportedNames(): Promise<Set<string>> {
  const metrics = new Metrics()
  const names = new Set<string>()
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    const type = String(m.type)
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(m.name + suffix)
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(m.name + suffix)
    else names.add(m.name)
  }
  return names
}

interface Source {
  where: string
  expr: string
}

function dashboardExpressions(): Source[] {
  const dir = path.join(REPO_ROOT, 'dashboards', 'grafana')
  const out: Source[] = []
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      panels: { title: string; targets?: { expr?: string }[]; panels?: unknown[] }[]
      templating: { list: { name: string; datasource?: { type?: string }; definition?: string }[] }
    }
    for (const panel of dashboard.panels)
      for (const t of panel.targets ?? []) if (t.expr) out.push({ where: `${file} / ${panel.title}`, expr: t.expr })
    for (const v of dashboard.templating.list)
      if (v.datasource?.type === 'prometheus' && v.definition) out.push({ where: `${file} / variable ${v.name}`, expr: v.definition })
  }
  return out
}

function alertExpressions(): Source[] {
  const rules = parse(readFileSync(path.join(REPO_ROOT, 'dashboards', 'prometheus', 'alerts.yaml'), 'utf8')) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[]
  }
  return rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alerts.yaml / ${r.alert ?? r.record}`, expr: String(r.expr) })))
}

function alertTestSeries(): Source[] {
  const dir = path.join(REPO_ROOT, 'dashboards', 'prometheus', 'tests')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .flatMap((file) => {
      const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as { tests: { input_series?: { series: string }[] }[] }
      return doc.tests.flatMap((t) => (t.input_series ?? []).map((s) => ({ where: `tests/${file}`, expr: s.series })))
    })
}

test('metric names are found in PromQL', () => {
  assert.deepEqual(metricNames('sum by (topic, le) (rate(abuse_x_total{job=~"$job", a="b c"}[$__rate_interval]))'), ['abuse_x_total'])
  assert.deepEqual(
    metricNames('(time() - max by (job) (abuse_a > 600)) and on (job) (sum by (job) (abuse_b) > 0) unless abuse_c offset 1h'),
    ['abuse_a', 'abuse_b', 'abuse_c'],
  )
  assert.deepEqual(metricNames('histogram_quantile(0.95, sum by (le) (rate(abuse_h_bucket[5m])))'), ['abuse_h_bucket'])
  assert.deepEqual(metricNames('label_values(abuse_last_progress_timestamp_seconds, job)'), ['abuse_last_progress_timestamp_seconds'])
  assert.deepEqual(metricNames('2 * clamp_min(abuse_r, 0.01) > bool 1e-3'), ['abuse_r'])
})

test('every metric that dashboards and alerts name is exported by the processor', async () => {
  const exported = await exportedNames()
  assert.ok(
    exported.has('abuse_records_consumed_total') &&
      exported.has('abuse_stage_duration_seconds_bucket') &&
      exported.has('process_cpu_seconds_total'),
  )
  const sources = [...dashboardExpressions(), ...alertExpressions(), ...alertTestSeries()]
  assert.ok(sources.length > 50, `found only ${sources.length} expressions`)
  const unknown: string[] = []
  const used = new Set<string>()
  for (const { where, expr } of sources) {
    const names = metricNames(expr)
    assert.ok(names.length > 0, `${where}: no metric in ${expr}`)
    for (const name of names) {
      used.add(name)
      if (!exported.has(name) && !SYNTHETIC.has(name)) unknown.push(`${where}: ${name}`)
    }
  }
  assert.deepEqual(unknown, [], `metrics the processor does not export:\n${unknown.join('\n')}`)
})

test('every abuse_ metric is on a dashboard or in an alert (reported, not enforced)', async (t) => {
  const exported = await exportedNames()
  const used = new Set([...dashboardExpressions(), ...alertExpressions()].flatMap((s) => metricNames(s.expr)))
  const base = (n: string) => n.replace(/_(bucket|sum|count)$/, '')
  const usedBases = new Set([...used].map(base))
  const unused = [...exported].filter((n) => n.startsWith('abuse_') && !used.has(n) && !usedBases.has(base(n)))
  if (unused.length > 0) t.diagnostic(`exported but shown nowhere: ${unused.join(', ')}`)
  assert.ok(unused.length < exported.size)
})
