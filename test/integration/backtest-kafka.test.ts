/**
 * `backtest --from --to` over the Kafka topics (a real broker): the hand-made stream of
 * test/support/rule-fixture.ts is produced to fresh topics (keyed by chat, so a message's versions
 * stay in order) and replayed from its file as production; the backtest of the time range the
 * records were produced in must give production's verdicts on every version, a candidate rule
 * change the same diff as over the file, and its group must hold no committed offset afterwards.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT, produceAll, processorEnv, recordsBehind, tempDir, testBrokers, uniqueTopics } from '../support/harness.js'
import { ruleOutcomeFixture } from '../support/rule-fixture.js'

const run = promisify(execFile)
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const RULES = readFileSync(path.join(REPO_ROOT, 'config', 'rules.yaml'), 'utf8')

interface Diff {
  run_id: string
  messages: number
  spam: Record<string, number>
  rules: Record<string, { baseline: number; candidate: number; newly_fired: number; no_longer_fired: number }>
}

test('a backtest of a time range of the topics reproduces production and commits nothing', async () => {
  const brokers = testBrokers()
  const dir = tempDir('backtest-kafka')
  const dataDir = path.join(dir, 'data')
  const topics = uniqueTopics('backtest-kafka')
  const group = `abuse-radar-${topics.messages}`
  const env = {
    ...process.env,
    ...processorEnv(brokers, topics, group, dataDir),
  }
  const cli = async (args: string[]) => (await run(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env })).stdout

  const fixture = ruleOutcomeFixture(Date.now() - 3 * 86_400_000, 2)
  const input = path.join(dir, 'fixture.ndjson')
  writeFileSync(input, fixture.lines.join('\n') + '\n')
  const topicOf = { 'message.v1': topics.messages, 'moderation.v1': topics.moderation } as Record<string, string>
  const from = new Date(Date.now() - 1000).toISOString()
  await produceAll(brokers, [
    ...fixture.lines.map((line) => {
      const record = JSON.parse(line) as { schema: string; chat?: { id: string }; target?: { chat_id: string } }
      return { topic: topicOf[record.schema]!, key: record.chat?.id ?? record.target?.chat_id ?? null, value: Buffer.from(line) }
    }),
    // the reports topic must exist, as in production; this record is a dead letter and fingerprints nothing
    { topic: topics.reports, key: null, value: Buffer.from('{}') },
  ])
  const to = new Date(Date.now() + 1000).toISOString()
  await cli(['run', '--input', input])

  const overKafka = JSON.parse(await cli(['backtest', '--from', from, '--to', to, '--json'])) as Diff
  const overFile = JSON.parse(await cli(['backtest', '--input', input, '--json'])) as Diff
  const publicVersions = fixture.messages.filter((m) => !m.private).reduce((sum, m) => sum + m.links.length, 0)
  assert.equal(overKafka.messages, publicVersions)
  assert.deepEqual({ ...overKafka, run_id: '' }, { ...overFile, run_id: '' })
  assert.deepEqual(overKafka.spam, { baseline: 13, candidate: 13, newly_flagged: 0, no_longer_flagged: 0 })
  for (const [rule, r] of Object.entries(overKafka.rules)) assert.equal(r.newly_fired + r.no_longer_fired, 0, rule)

  const heavier = path.join(dir, 'heavier-shortener.yaml')
  writeFileSync(heavier, RULES.replace('  shortener:\n    weight: 0.3\n', '  shortener:\n    weight: 0.7\n'))
  const changed = JSON.parse(await cli(['backtest', '--from', from, '--to', to, '--rules', heavier, '--json'])) as Diff
  assert.deepEqual(changed.spam, { baseline: 13, candidate: 20, newly_flagged: 7, no_longer_flagged: 0 })

  // the backtests' groups never committed: every record in the topics is still "behind" for them, as for a group never used
  const inputTopics = [topics.messages, topics.moderation, topics.reports]
  const all = await recordsBehind(brokers, `${group}.never-used`, inputTopics)
  assert.ok(all >= fixture.lines.length + 1, `${all} records in the topics`)
  for (const runId of [overKafka.run_id, changed.run_id]) {
    assert.equal(await recordsBehind(brokers, `${group}.backtest.${runId}`, inputTopics), all)
  }
  // an empty range reads nothing
  const empty = JSON.parse(await cli(['backtest', '--from', '2001-01-01', '--to', '2001-01-02', '--json'])) as Diff
  assert.equal(empty.messages, 0)
})
