/**
 * Rule outcomes end to end through the real CLI and the embedded engine: a hand-made stream of public
 * messages that fire exactly one rule each (a link to a listed bad domain, or through a shortener),
 * edits that make a message flagged or clean, a private chat's message, and the moderation decisions
 * that followed (removed, removed then reverted, reviewed without action, late, before the message, on
 * another message) is replayed with `run --input`; `report rules --json` must give the per-rule
 * figures computed here from the fixture alone. rule_versions records the rules file at the first
 * start, and a start with a changed rules file records the new version and what changed.
 */
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT, query, tempDir } from '../support/harness.js'
import { FIXTURE_RULES, ruleOutcomeFixture, expectedRuleFigures, type FixtureMessage } from '../support/rule-fixture.js'

const run = promisify(execFile)
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const WINDOW_HOURS = 2

let dir = ''
let dataDir = ''
let messages: FixtureMessage[] = []
let env: NodeJS.ProcessEnv = {}

const cli = async (args: string[]) => (await run(process.execPath, [CLI, ...args, '--data-dir', dataDir], { cwd: REPO_ROOT, env })).stdout

before(async () => {
  dir = tempDir('rule-outcomes')
  dataDir = path.join(dir, 'data')
  const fixture = ruleOutcomeFixture(Date.now() - 3 * 86_400_000, WINDOW_HOURS)
  messages = fixture.messages
  writeFileSync(path.join(dir, 'stream.ndjson'), fixture.lines.join('\n') + '\n')
  env = {
    ...process.env,
    ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
    ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
    ABUSE_RADAR__SCORING__OUTCOME_WINDOW_HOURS: String(WINDOW_HOURS),
    ABUSE_RADAR_PSEUDONYM_KEY: 'rule-outcomes-test-key-0123456789abcdef',
  }
  await cli(['run', '--input', path.join(dir, 'stream.ndjson')])
})

test('report rules --json: each rule figures as computed from the fixture, every configured rule listed', async () => {
  const report = JSON.parse(await cli(['report', 'rules', '--json'])) as { rules: Record<string, Record<string, unknown>> }
  const expected = expectedRuleFigures(messages)
  // the fixture exercises each counting rule at least once
  assert.deepEqual(expected['bad_domain'], {
    mode: 'enforce',
    flagged: 12,
    removed: 5,
    reverted: 3,
    no_violation: 2,
    unreviewed: 2,
    precision: 5 / 10,
  })
  assert.equal(expected['edit_to_spam']?.['mode'], 'shadow')
  for (const rule of FIXTURE_RULES) assert.deepEqual(report.rules[rule], expected[rule], rule)
  const silent = Object.entries(report.rules).filter(([rule]) => !FIXTURE_RULES.includes(rule))
  assert.equal(silent.length, 12)
  for (const [rule, figures] of silent)
    assert.deepEqual(
      figures,
      { mode: 'enforce', flagged: 0, removed: 0, reverted: 0, no_violation: 0, unreviewed: 0, precision: null },
      rule,
    )
})

test('report rules --from/--to: only messages whose latest version is in the period', async () => {
  const day2 = new Date(messages[0]!.dayMs + 86_400_000).toISOString().slice(0, 10)
  const report = JSON.parse(await cli(['report', 'rules', '--from', day2, '--json'])) as { rules: Record<string, unknown> }
  const later = messages.filter((m) => m.latestTs >= messages[0]!.dayMs + 86_400_000)
  assert.ok(later.length > 0 && later.length < messages.length)
  for (const rule of FIXTURE_RULES) assert.deepEqual(report.rules[rule], expectedRuleFigures(later)[rule], rule)
  const none = JSON.parse(await cli(['report', 'rules', '--to', '2000-01-01', '--json'])) as { rules: Record<string, { flagged: number }> }
  assert.equal(
    Object.values(none.rules).reduce((sum, r) => sum + r.flagged, 0),
    0,
  )
})

test('rule_outcomes_daily has the same figures by day, under the recorded rules version', async () => {
  const version = createHash('sha256')
    .update(readFileSync(path.join(REPO_ROOT, 'config', 'rules.yaml'), 'utf8'))
    .digest('hex')
    .slice(0, 16)
  const rows = await query<{ day: string; rule: string; mode: string; rule_version: string; flagged: string; removed: string }>(
    dataDir,
    'SELECT toString(day) AS day, rule, mode, rule_version, flagged, removed FROM rule_outcomes_daily ORDER BY day, rule',
  )
  const expected: string[] = []
  for (const dayMs of [...new Set(messages.map((m) => m.dayOfLatest))].sort()) {
    const figures = expectedRuleFigures(messages.filter((m) => m.dayOfLatest === dayMs))
    for (const rule of Object.keys(figures)
      .filter((r) => figures[r]!.flagged > 0)
      .sort())
      expected.push(
        `${new Date(dayMs).toISOString().slice(0, 10)} ${rule} ${figures[rule]!.mode} ${version} ${figures[rule]!.flagged} ${figures[rule]!.removed}`,
      )
  }
  assert.deepEqual(
    rows.map((r) => `${r.day} ${r.rule} ${r.mode} ${r.rule_version} ${r.flagged} ${r.removed}`),
    expected,
  )
})

test('a start with a changed rules file records the new version, its predecessor and what changed; the same file again records nothing', async () => {
  const rules = readFileSync(path.join(REPO_ROOT, 'config', 'rules.yaml'), 'utf8')
  const changed = rules.replace('  shortener:\n    weight: 0.3\n', '  shortener:\n    weight: 0.5\n').replace('    - rb.gy\n', '')
  assert.notEqual(changed, rules)
  writeFileSync(path.join(dir, 'rules.yaml'), changed)
  writeFileSync(path.join(dir, 'config.yaml'), `scoring:\n  rules_file: ${path.join(dir, 'rules.yaml')}\n`)
  writeFileSync(path.join(dir, 'empty.ndjson'), '')
  for (const _ of [1, 2]) await cli(['run', '--input', path.join(dir, 'empty.ndjson'), '--config', path.join(dir, 'config.yaml')])
  const versions = await query<{ version: string; previous: string; changes: string[] }>(
    dataDir,
    'SELECT version, previous, changes FROM rule_versions ORDER BY recorded_at',
  )
  const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16)
  assert.deepEqual(versions, [
    { version: hash(rules), previous: '', changes: [] },
    { version: hash(changed), previous: hash(rules), changes: ['lists.shorteners: -rb.gy', 'rules.shortener.weight: 0.3 -> 0.5'] },
  ])
})

test("the transparency report's accuracy of automated means: the day's enforcing rules and their outcomes", async () => {
  const dayMs = messages[0]!.dayMs
  const day = new Date(dayMs).toISOString().slice(0, 10)
  const stdout = await cli(['report', 'transparency', '--date', day, '--out', path.join(dir, 'transparency')])
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { json: string; html: string }
  const report = JSON.parse(readFileSync(summary.json, 'utf8')) as { automated_means: Record<string, unknown>[] }
  const figures = expectedRuleFigures(messages.filter((m) => m.dayOfLatest === dayMs))
  const expected = Object.entries(figures)
    .filter(([, f]) => f.mode === 'enforce' && f.flagged > 0)
    .sort(([a, x], [b, y]) => y.flagged - x.flagged || (a < b ? -1 : 1))
    .map(([rule, f]) => {
      const reviewed = f.removed + f.reverted + f.no_violation
      return {
        rule,
        flagged: f.flagged,
        removed: f.removed,
        reverted: f.reverted,
        no_violation: f.no_violation,
        unreviewed: f.unreviewed,
        precision: f.precision,
        error_rate: reviewed === 0 ? null : (f.reverted + f.no_violation) / reviewed,
      }
    })
  assert.deepEqual(
    expected.map((r) => `${r.rule} ${r.flagged}`),
    ['bad_domain 6', 'shortener 3'],
  )
  assert.deepEqual(report.automated_means, expected)
  const html = readFileSync(summary.html, 'utf8')
  for (const r of expected) {
    assert.ok(
      html.includes(
        `<tr data-key="${r.rule}"><td data-field="rule">${r.rule}</td><td class="num" data-field="flagged" data-value="${r.flagged}">`,
      ),
      r.rule,
    )
  }
})
