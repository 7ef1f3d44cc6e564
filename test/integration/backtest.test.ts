/**
 * Backtests end to end through the real CLI and the embedded engine. A generated stream replayed as
 * production, then backtested with production's own configuration, must give production's verdicts on
 * every analysed message version (the shadow rows equal production's, the diff changes nothing) and
 * leave production's tables as they were. On the hand-made stream of test/support/rule-fixture.ts,
 * candidate rules give the exact diff computed here from the fixture: a heavier shortener flags its
 * versions, a disabled bad_domain rule unflags its versions and moves edit_to_spam.
 */
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT, query, tempDir } from '../support/harness.js'
import { escapeHtml } from '../../src/reports/index.js'
import { ruleOutcomeFixture, type FixtureMessage } from '../support/rule-fixture.js'

const run = promisify(execFile)
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const RULES = readFileSync(path.join(REPO_ROOT, 'config', 'rules.yaml'), 'utf8')
const env = {
  ...process.env,
  ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
  ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
  ABUSE_RADAR_PSEUDONYM_KEY: 'backtest-test-key-0123456789abcdef',
  // The default channels.write_interval_ms: clone state is judged on the stream's own clock, so
  // forward_from_clone depends on the input alone, however fast each replay runs (docs/rules.md).
}

let dir = ''
/** the generated stream and its data directory, replayed by the first test */
const generated = { dataDir: '', input: '' }
const cli = async (dataDir: string, args: string[]) =>
  run(process.execPath, [CLI, ...args, '--data-dir', dataDir], { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 })

interface Diff {
  run_id: string
  messages: number
  spam: { baseline: number; candidate: number; newly_flagged: number; no_longer_flagged: number }
  rules: Record<string, { baseline: number; candidate: number; newly_fired: number; no_longer_fired: number }>
  campaigns: { baseline: number; candidate: number }
}

async function backtest(dataDir: string, args: string[]): Promise<{ diff: Diff; stderr: string }> {
  const { stdout, stderr } = await cli(dataDir, ['backtest', ...args, '--json'])
  return { diff: JSON.parse(stdout) as Diff, stderr }
}

before(() => {
  dir = tempDir('backtest')
})

test('a backtest of unchanged rules reproduces production exactly and writes nothing of production', async () => {
  const dataDir = path.join(dir, 'generated')
  const input = path.join(dir, 'generated.ndjson')
  await run(process.execPath, [CLI, 'generate', '--out', input, '--messages', '3000', '--seed', '11'], { cwd: REPO_ROOT, env })
  await cli(dataDir, ['run', '--input', input])
  Object.assign(generated, { dataDir, input })
  const productionTables = `SELECT name, total_rows FROM system.tables WHERE database = 'abuse' AND total_rows IS NOT NULL
    AND name NOT IN ('backtest_message_fingerprints', 'backtest_runs', 'schema_migrations') ORDER BY name`
  const before = await query(dataDir, productionTables)
  const production = await query<{ versions: string; spam: string; campaigns: string }>(
    dataDir,
    `SELECT count() AS versions, countIf(spam_score >= 0.6) AS spam,
      (SELECT count() FROM (SELECT campaign_id FROM message_fingerprints WHERE type != 'deleted' AND campaign_id != '' GROUP BY campaign_id HAVING uniqExact(chat_id, message_id) >= 2)) AS campaigns
     FROM message_fingerprints WHERE type != 'deleted'`,
  )

  const { diff, stderr } = await backtest(dataDir, ['--input', input])
  const lines = readFileSync(input, 'utf8').split('\n').filter(Boolean).length
  assert.match(
    stderr,
    new RegExp(`backtest ${diff.run_id}: 100% \\(${lines.toLocaleString('en')} of ${lines.toLocaleString('en')} lines\\)`),
  )
  const p = production[0]!
  assert.ok(Number(p.versions) > 2000 && Number(p.spam) > 0 && Number(p.campaigns) > 0, JSON.stringify(p))
  assert.equal(diff.messages, Number(p.versions))
  assert.deepEqual(diff.spam, { baseline: Number(p.spam), candidate: Number(p.spam), newly_flagged: 0, no_longer_flagged: 0 })
  assert.deepEqual(diff.campaigns, { baseline: Number(p.campaigns), candidate: Number(p.campaigns) })
  const perRule = await query<{ rule: string; versions: string }>(
    dataDir,
    `SELECT toString(rule) AS rule, count() AS versions FROM message_fingerprints ARRAY JOIN arrayConcat(reasons, shadow_reasons) AS rule
     WHERE type != 'deleted' GROUP BY rule`,
  )
  for (const { rule, versions } of perRule) assert.equal(diff.rules[rule]?.baseline, Number(versions), rule)
  for (const [rule, r] of Object.entries(diff.rules)) {
    assert.equal(r.candidate, r.baseline, rule)
    assert.equal(r.newly_fired + r.no_longer_fired, 0, rule)
  }
  assert.ok(Object.values(diff.rules).filter((r) => r.baseline > 0).length >= 5)

  // every analysed version, every column: the shadow rows are production's rows
  const [compare] = await query<{ shadow: string; production: string; different: string }>(
    dataDir,
    `SELECT (SELECT count() FROM backtest_message_fingerprints WHERE run_id = '${diff.run_id}') AS shadow,
        (SELECT count() FROM message_fingerprints) AS production,
        (SELECT count() FROM (
            SELECT ts, type, chat_id, message_id, sender, exact_hash, signature, campaign_id, spam_score, reasons, shadow_reasons, obfuscation, link_domains
            FROM backtest_message_fingerprints WHERE run_id = '${diff.run_id}'
            EXCEPT
            SELECT ts, type, chat_id, message_id, sender, exact_hash, signature, campaign_id, spam_score, reasons, shadow_reasons, obfuscation, link_domains
            FROM message_fingerprints)) AS different`,
  )
  assert.deepEqual(compare, { shadow: compare!.production, production: compare!.production, different: '0' })
  assert.deepEqual(await query(dataDir, productionTables), before)
  assert.deepEqual(await query(dataDir, `SELECT name FROM system.databases WHERE name LIKE '%bt_%'`), [])
  const runs = await query<{ run_id: string; diff: string }>(dataDir, 'SELECT run_id, diff FROM backtest_runs')
  assert.deepEqual(runs, [{ run_id: diff.run_id, diff: JSON.stringify(diff) }])
})

// ------------------------------------------------------------------ candidate rules on the hand-made stream

interface Weights {
  bad_domain: number | null
  shortener: number | null
}
const THRESHOLD = 0.6
const EDIT_MIN_INCREASE = 0.3

/**
 * What the scorer decides for each public version of the fixture under `weights` (null: disabled),
 * by the rules file's definitions: noisy-OR of the rules that fired, spam at the threshold, and
 * edit_to_spam (shadow) for an edit from below the threshold that rose by at least min_increase.
 */
function verdicts(messages: readonly FixtureMessage[], weights: Weights): { spam: boolean; rules: string[] }[] {
  return messages
    .filter((m) => !m.private)
    .flatMap((m) => {
      let previous: number | null = null
      return m.links.map((link) => {
        const rules: string[] = []
        let keep = 1
        const rule = link === 'bad' ? 'bad_domain' : link === 'short' ? 'shortener' : null
        const weight = rule === null ? null : weights[rule]
        if (rule !== null && weight !== null) {
          rules.push(rule)
          keep *= 1 - weight
        }
        const score = 1 - keep
        if (previous !== null && previous < THRESHOLD && score - previous >= EDIT_MIN_INCREASE) rules.push('edit_to_spam')
        previous = score
        return { spam: score >= THRESHOLD, rules }
      })
    })
}

function expectedDiff(messages: readonly FixtureMessage[], candidate: Weights) {
  const b = verdicts(messages, { bad_domain: 0.8, shortener: 0.3 })
  const c = verdicts(messages, candidate)
  const both = b.map((v, i) => ({ b: v, c: c[i]! }))
  const rules: Record<string, { baseline: number; candidate: number; newly_fired: number; no_longer_fired: number }> = {}
  for (const rule of ['bad_domain', 'edit_to_spam', 'shortener']) {
    const has = (v: { rules: string[] }) => v.rules.includes(rule)
    rules[rule] = {
      baseline: both.filter((x) => has(x.b)).length,
      candidate: both.filter((x) => has(x.c)).length,
      newly_fired: both.filter((x) => has(x.c) && !has(x.b)).length,
      no_longer_fired: both.filter((x) => has(x.b) && !has(x.c)).length,
    }
  }
  return {
    messages: both.length,
    spam: {
      baseline: both.filter((x) => x.b.spam).length,
      candidate: both.filter((x) => x.c.spam).length,
      newly_flagged: both.filter((x) => x.c.spam && !x.b.spam).length,
      no_longer_flagged: both.filter((x) => x.b.spam && !x.c.spam).length,
    },
    rules,
  }
}

test('candidate rules: the diff of a heavier shortener and of a disabled bad_domain, as computed from the fixture', async () => {
  const dataDir = path.join(dir, 'fixture')
  const fixture = ruleOutcomeFixture(Date.now() - 3 * 86_400_000, 2)
  const input = path.join(dir, 'fixture.ndjson')
  writeFileSync(input, fixture.lines.join('\n') + '\n')
  await cli(dataDir, ['run', '--input', input])

  const heavier = path.join(dir, 'heavier-shortener.yaml')
  writeFileSync(heavier, RULES.replace('  shortener:\n    weight: 0.3\n', '  shortener:\n    weight: 0.7\n'))
  const disabled = path.join(dir, 'config.yaml')
  writeFileSync(
    path.join(dir, 'no-bad-domain.yaml'),
    RULES.replace('  bad_domain:\n    weight: 0.8\n', '  bad_domain:\n    weight: 0.8\n    enabled: false\n'),
  )
  writeFileSync(disabled, `scoring:\n  rules_file: ${path.join(dir, 'no-bad-domain.yaml')}\n`)

  const cases: [string[], Weights][] = [
    [['--rules', heavier], { bad_domain: 0.8, shortener: 0.7 }],
    [['--config', disabled], { bad_domain: null, shortener: 0.3 }],
    [[], { bad_domain: 0.8, shortener: 0.3 }],
  ]
  const expectations = cases.map(([, weights]) => expectedDiff(fixture.messages, weights))
  // what each case exercises, so a fixture change cannot make them vacuous
  assert.deepEqual(expectations[0]!.spam, { baseline: 13, candidate: 20, newly_flagged: 7, no_longer_flagged: 0 })
  assert.deepEqual(expectations[1]!.rules['bad_domain'], { baseline: 13, candidate: 0, newly_fired: 0, no_longer_fired: 13 })
  assert.deepEqual(expectations[1]!.rules['edit_to_spam'], { baseline: 1, candidate: 1, newly_fired: 1, no_longer_fired: 1 })
  for (const [i, [args]] of cases.entries()) {
    const { diff } = await backtest(dataDir, ['--input', input, ...args])
    const expected = expectations[i]!
    assert.equal(diff.messages, expected.messages, args.join(' '))
    assert.deepEqual(diff.spam, expected.spam, args.join(' '))
    for (const [rule, figures] of Object.entries(diff.rules)) {
      assert.deepEqual(
        figures,
        expected.rules[rule] ?? { baseline: 0, candidate: 0, newly_fired: 0, no_longer_fired: 0 },
        `${args.join(' ')}: ${rule}`,
      )
    }
    assert.equal(Object.keys(diff.rules).length, 15)
  }
})

test('--out writes a page with the campaign samples of what changed, counted as in the shadow rows', async () => {
  assert.ok(generated.dataDir, 'the generated stream was replayed')
  const stricter = path.join(dir, 'threshold-0.8.yaml')
  writeFileSync(stricter, RULES.replace('\nthreshold: 0.6\n', '\nthreshold: 0.8\n'))
  const out = path.join(dir, 'pages')
  const { diff, stderr } = await backtest(generated.dataDir, ['--input', generated.input, '--rules', stricter, '--out', out])
  const file = path.join(out, `backtest-${diff.run_id}.html`)
  assert.deepEqual(readdirSync(out), [path.basename(file)])
  assert.match(stderr, new RegExp(`backtest page: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
  const page = readFileSync(file, 'utf8')
  assert.ok(diff.spam.no_longer_flagged > 20 && diff.spam.newly_flagged === 0, JSON.stringify(diff.spam))
  assert.match(page, new RegExp(`No longer flagged: ${diff.spam.no_longer_flagged.toLocaleString('en')} versions`))
  assert.match(page, /Newly flagged: 0 versions/)
  assert.doesNotMatch(page, /<script|<[^>]*\son\w+=/i)

  // independently: production's spam versions whose candidate score is under the new threshold, per production campaign with a sample
  const expected = await query<{ campaign_id: string; versions: string; sample_text: string }>(
    generated.dataDir,
    `SELECT b.campaign_id AS campaign_id, count() AS versions, any(s.sample_text) AS sample_text
     FROM message_fingerprints AS b
     INNER JOIN backtest_message_fingerprints AS c USING (chat_id, message_id, ts, type)
     INNER JOIN campaigns_latest AS s ON s.campaign_id = b.campaign_id
     WHERE c.run_id = '${diff.run_id}' AND b.type != 'deleted' AND b.spam_score >= 0.6 AND c.spam_score < 0.8 AND s.sample_text IS NOT NULL
     GROUP BY campaign_id ORDER BY versions DESC, campaign_id LIMIT 10`,
  )
  assert.ok(expected.length > 0, 'some changed versions are in campaigns with a sample')
  const shown = [
    ...page.matchAll(
      /<li data-campaign="([^"]*)"><span class="count">([\d,]+)<\/span> <code>[^<]*<\/code><blockquote>([^<]*)<\/blockquote><\/li>/g,
    ),
  ].map((m) => ({
    campaign_id: m[1],
    versions: m[2]!.replace(/,/g, ''),
    sample_text: m[3],
  }))
  assert.deepEqual(
    shown,
    expected.map((e) => ({ campaign_id: e.campaign_id, versions: e.versions, sample_text: escapeHtml(e.sample_text) })),
  )
  // the page holds no text but these samples: no other quote, no chat or message id
  assert.equal([...page.matchAll(/<blockquote>/g)].length, expected.length)
  const [someChat] = await query<{ chat_id: string }>(
    generated.dataDir,
    "SELECT chat_id FROM message_fingerprints WHERE type != 'deleted' LIMIT 1",
  )
  assert.ok(!page.includes(someChat!.chat_id))
})
