/**
 * `abuse-radar sql` against the embedded engine, spawned as an operator runs it: read-only unless
 * --write (refused statements leave the data as it was), local files out of reach, a data directory
 * that does not exist refused without being created, an unreachable server reported in one line.
 */
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from '../support/harness.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The environment of the test process minus every variable the configuration reads. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ABUSE_RADAR|CLICKHOUSE|KAFKA|LOG_LEVEL)/.test(name)))

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...ENV, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

const dir = tempDir('sql-readonly')
const dataDir = path.join(dir, 'data')
const sql = (query: string, ...extra: string[]) => cli(['sql', query, '--data-dir', dataDir, '--format', 'csv', ...extra])
const count = (table: string) => sql(`SELECT count() AS n FROM ${table}`).stdout

before(() => {
  const input = path.join(dir, 'records.ndjson')
  const message = (id: number) =>
    JSON.stringify({
      schema: 'message.v1',
      event_id: `e${id}`,
      type: 'created',
      ts: Date.now() - 60_000,
      chat: { id: '-1001', type: 'channel', title: 'News' },
      message_id: String(id),
      sender: { id: '42' },
      text: `hello world number ${id}`,
    })
  writeFileSync(input, [1, 2, 3].map(message).join('\n') + '\n')
  const run = cli(['run', '--input', input, '--data-dir', dataDir], { ABUSE_RADAR_PSEUDONYM_KEY: 'a test key of 32 characters.....' })
  assert.equal(run.status, 0, run.stderr)
})

test('without --write, DROP, TRUNCATE, INSERT, file() and INTO OUTFILE are refused with exit 2 and change nothing; SELECT works', () => {
  const before = [count('message_stats_1m'), count('seen_events'), count('campaigns')]
  assert.deepEqual(before, ['n\n1\n', 'n\n3\n', 'n\n1\n'])
  const outfile = path.join(dir, 'out.csv')
  const refused = [
    ['DROP TABLE campaigns', /ClickHouse error 164: .*readonly mode\. \(sql is read-only; add --write to change data\)$/],
    ['TRUNCATE seen_events', /ClickHouse error 164/],
    ["INSERT INTO message_stats_1m (minute, chat_id, chat_type) VALUES (now(), 'x', 'group')", /ClickHouse error 164/],
    ["SELECT * FROM file('/etc/passwd', 'LineAsString')", /the function file\(\) is refused/],
    ["SELECT file('/etc/passwd') AS passwd", /the function file\(\) is refused/],
    [`SELECT 1 INTO OUTFILE '${outfile}'`, /INTO OUTFILE is refused/],
    ['SELECT 1; DROP TABLE campaigns', /Multi-statements are not allowed/],
  ] as const
  for (const [query, reason] of refused) {
    const result = sql(query)
    assert.equal(result.status, 2, `${query}: ${result.stderr}`)
    assert.equal(result.stdout, '', query)
    const lines = result.stderr.trimEnd().split('\n')
    assert.equal(lines.length, 1, `one line, no stack: ${result.stderr}`)
    assert.match(lines[0] as string, /^abuse-radar: AR_USAGE: sql: /)
    assert.match(lines[0] as string, reason, query)
    assert.doesNotMatch(result.stderr, /root:/)
  }
  assert.equal(existsSync(outfile), false)
  assert.deepEqual([count('message_stats_1m'), count('seen_events'), count('campaigns')], before)
  assert.equal(sql("SELECT 'file(' AS a, 'INTO OUTFILE' AS b").stdout, 'a,b\nfile(,INTO OUTFILE\n', 'literals are not calls')
})

test('--write lets an INSERT through', () => {
  const insert = sql("INSERT INTO message_stats_1m (minute, chat_id, chat_type, created) VALUES (now(), 'x', 'group', 5)", '--write')
  assert.equal(insert.status, 0, insert.stderr)
  assert.equal(sql("SELECT sum(created) AS n FROM message_stats_1m WHERE chat_id = 'x'").stdout, 'n\n5\n')
})

test('sql and report refuse a data directory that does not exist, and do not create it', () => {
  const missing = path.join(dir, 'mistyped')
  for (const args of [
    ['sql', 'SELECT 1', '--data-dir', missing],
    ['report', 'transparency', '--data-dir', missing, '--out', dir],
  ]) {
    const result = cli(args)
    assert.equal(result.status, 2, result.stderr)
    assert.match(result.stderr, /^abuse-radar: AR_CONFIG_INVALID: .*\n {2}- clickhouse\.data_dir: .*mistyped holds no embedded database/)
    assert.equal(existsSync(missing), false)
  }
})

test('an unreachable server is one line, with its credentials masked, exit 1', () => {
  const result = cli(['sql', 'SELECT 1'], { CLICKHOUSE_URL: 'http://reader:Hunter2-QWZX@127.0.0.1:1' })
  assert.equal(result.status, 1)
  assert.equal(result.stderr, 'abuse-radar: AR_CLICKHOUSE_UNAVAILABLE: query: connect ECONNREFUSED 127.0.0.1:1\n')
})
