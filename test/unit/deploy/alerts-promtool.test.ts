/**
 * The alert rules (dashboards/prometheus/alerts.yaml) pass `promtool check rules` and their unit tests
 * (`promtool test rules dashboards/prometheus/tests/*.yaml`); every alert of outputs.md is there, with
 * severity, summary, description and a runbook_url whose anchor is a section of dashboards/runbook.md;
 * every rule has a test where it fires and one where it stays quiet; and the dashboards' PromQL parses.
 * promtool is Debian's (scripts/install-tools.ts installs it into .cache/tools if it is missing).
 */
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse, stringify } from 'yaml'
import { ensureTool } from '../../../scripts/install-tools.js'
import { REPO_ROOT } from '../../support/harness.js'

const run = promisify(execFile)
const PROM_DIR = path.join(REPO_ROOT, 'dashboards', 'prometheus')
const ALERTS = path.join(PROM_DIR, 'alerts.yaml')
const TESTS_DIR = path.join(PROM_DIR, 'tests')
const RUNBOOK = path.join(REPO_ROOT, 'dashboards', 'runbook.md')

interface Rule {
  alert?: string
  record?: string
  expr: string
  for?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
}
interface UnitTests {
  rule_files: string[]
  tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[]
}

const rules: Rule[] = (parse(readFileSync(ALERTS, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules)
const alerts = rules.filter((r) => r.alert)
const testFiles = readdirSync(TESTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(TESTS_DIR, f))

/** GitHub's anchor for a Markdown heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')

let promtool = ''
before(async () => {
  promtool = await ensureTool('promtool')
})

test('promtool check rules accepts the rule file', async () => {
  const { stdout } = await run(promtool, ['check', 'rules', ALERTS])
  assert.match(stdout, new RegExp(`SUCCESS: ${rules.length} rules found`))
})

test('promtool test rules: every unit test passes', async () => {
  assert.ok(testFiles.length > 0)
  try {
    const { stdout } = await run(promtool, ['test', 'rules', ...testFiles], { cwd: TESTS_DIR, maxBuffer: 16 * 1024 * 1024 })
    assert.match(stdout, /SUCCESS/)
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    assert.fail(`promtool test rules failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`)
  }
})

test('the alerts of outputs.md exist, labelled and annotated', () => {
  const names = alerts.map((a) => a.alert as string)
  for (const required of [
    'AbuseRadarPipelineBehind', // lag
    'AbuseRadarStalled', // no progress
    'AbuseRadarDeadLetterRateHigh',
    'AbuseRadarClickHouseWritesFailing',
    'AbuseRadarCampaignSurging',
    'AbuseRadarSpamRatioJump',
    'AbuseRadarUrgentReportUnanswered',
  ]) {
    assert.ok(names.includes(required), `missing alert ${required}`)
  }
  assert.equal(new Set(names).size, names.length, 'alert names are unique')
  for (const a of alerts) {
    assert.ok(a.labels?.severity === 'critical' || a.labels?.severity === 'warning', `${a.alert}: severity critical or warning`)
    for (const key of ['summary', 'description', 'runbook_url']) assert.ok(a.annotations?.[key]?.trim(), `${a.alert}: annotation ${key}`)
    assert.match(a.for ?? '', /^\d+[smh]$/, `${a.alert}: a for: duration so it does not flap`)
    assert.equal(a.annotations?.runbook_url, `dashboards/runbook.md#${slug(a.alert as string)}`, `${a.alert}: runbook_url`)
  }
})

test('the runbook has one section per alert, each saying what it means, how to check and what to do', () => {
  const text = readFileSync(RUNBOOK, 'utf8')
  const sections = text
    .split(/^## /m)
    .slice(1)
    .map((s) => ({ heading: (s.split('\n')[0] as string).trim(), body: s }))
  const headings = sections.map((s) => s.heading).sort()
  assert.deepEqual(headings, alerts.map((a) => a.alert as string).sort(), 'runbook sections = alerts')
  for (const s of sections) {
    for (const part of ['**What it means.**', '**How to check.**', '**What to do.**'])
      assert.ok(s.body.includes(part), `${s.heading}: ${part}`)
  }
})

test('every alert has a unit test where it fires and one where it stays quiet', () => {
  const firing = new Set<string>()
  const quiet = new Set<string>()
  for (const file of testFiles) {
    const doc = parse(readFileSync(file, 'utf8')) as UnitTests
    assert.ok(
      doc.rule_files.every((f) => path.resolve(TESTS_DIR, f) === ALERTS),
      `${file}: tests alerts.yaml`,
    )
    for (const t of doc.tests) {
      for (const a of t.alert_rule_test ?? []) (a.exp_alerts && a.exp_alerts.length > 0 ? firing : quiet).add(a.alertname)
    }
  }
  for (const a of alerts) {
    assert.ok(firing.has(a.alert as string), `${a.alert}: no test where it fires`)
    assert.ok(quiet.has(a.alert as string), `${a.alert}: no test where it stays quiet`)
  }
})

test("the dashboards' PromQL parses (checked by promtool as recording rules)", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'abuse-radar-promql-'))
  try {
    const records: { record: string; expr: string }[] = []
    for (const file of readdirSync(path.join(REPO_ROOT, 'dashboards', 'grafana')).filter((f) => f.endsWith('.json'))) {
      const d = JSON.parse(readFileSync(path.join(REPO_ROOT, 'dashboards', 'grafana', file), 'utf8')) as {
        panels: { targets?: { expr?: string }[] }[]
      }
      for (const p of d.panels) {
        for (const t of p.targets ?? []) {
          if (!t.expr) continue
          // Grafana's variables as Prometheus would receive them.
          const expr = t.expr.replace(/\$__rate_interval|\$__interval/g, '1m').replace(/\$job/g, '.*')
          records.push({ record: `dashboard:check:${records.length}`, expr })
        }
      }
    }
    assert.ok(records.length > 30)
    const file = path.join(dir, 'dashboards.rules.yaml')
    writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules: records }] }))
    try {
      await run(promtool, ['check', 'rules', file])
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string }
      assert.fail(`dashboard PromQL does not parse:\n${e.stdout ?? ''}${e.stderr ?? ''}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
