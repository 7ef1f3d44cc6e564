/**
 * Submission through the real HTTP client against a local copy of the database's endpoint: batches
 * of at most the configured size, retries of 429 and 5xx (Retry-After honoured), a statement refused
 * for its content set aside while the rest of its batch is created, puids the database already holds
 * recorded instead of sent twice, refusals that retrying cannot fix, and a rerun that sends nothing.
 */
import { test, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { loadDsaMapping } from '../../../../src/config/dsa.js'
import type { DsaStatement } from '../../../../src/domain/dsa-statement.js'
import { AbuseRadarError } from '../../../../src/domain/errors.js'
import { buildStatement } from '../../../../src/reports/dsa/index.js'
import type { Ledger, SubmissionOutcome } from '../../../../src/reports/dsa/ledger.js'
import { submitStatements, type SubmitSettings } from '../../../../src/reports/dsa/submit.js'
import { DsaApiClient } from '../../../../src/sinks/dsa-api/client.js'
import { DAY_MS, actionEvidence } from './evidence.js'
import { startFakeTransparencyDatabase, type FakeTransparencyDatabase } from './transparency-database.js'

const TOKEN = 'X|test-token-0123456789'
const mapping = loadDsaMapping()
const SETTINGS: SubmitSettings = { batchSize: 4, maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 40 }

const statements = (n: number): DsaStatement[] =>
  Array.from({ length: n }, (_, i) =>
    buildStatement(actionEvidence({ eventId: `mod-${i}`, tsMs: DAY_MS + 36_000_000 + i * 1000 }), mapping),
  )

class MemoryLedger implements Ledger {
  readonly rows: { puid: string; outcome: SubmissionOutcome }[] = []
  acceptedPuids(): Promise<Set<string>> {
    return Promise.resolve(new Set(this.rows.map((r) => r.puid)))
  }
  record(entries: readonly { puid: string }[], outcome: SubmissionOutcome): Promise<void> {
    for (const e of entries) this.rows.push({ puid: e.puid, outcome })
    return Promise.resolve()
  }
}

let db: FakeTransparencyDatabase
let ledger: MemoryLedger
const waits: number[] = []
const sleep = (ms: number) => {
  waits.push(ms)
  return Promise.resolve()
}
const client = (token = TOKEN) => new DsaApiClient({ endpoint: db.url, token, timeoutMs: 5000 })

beforeEach(async () => {
  db = await startFakeTransparencyDatabase(TOKEN)
  ledger = new MemoryLedger()
  waits.length = 0
})
afterEach(() => db.close())

test('batches of at most batch_size, each recorded; a rerun sends nothing', async () => {
  const all = statements(10)
  const summary = await submitStatements(all, client(), ledger, SETTINGS, sleep)
  assert.deepEqual(
    db.requests.map((r) => [r.statements, r.status]),
    [
      [4, 201],
      [4, 201],
      [2, 201],
    ],
  )
  assert.equal(summary.created, 10)
  assert.equal(db.held.size, 10)
  assert.deepEqual(ledger.rows.map((r) => r.puid).sort(), all.map((s) => s.puid).sort())
  const again = await submitStatements(all, client(), ledger, SETTINGS, sleep)
  assert.equal(again.already_recorded, 10)
  assert.equal(again.requests, 0)
  assert.equal(db.requests.length, 3)
})

test('429 and 503 are retried with backoff, Retry-After honoured', async () => {
  db.fail(503)
  db.fail(429, '0')
  const summary = await submitStatements(statements(3), client(), ledger, SETTINGS, sleep)
  assert.deepEqual(
    db.requests.map((r) => r.status),
    [503, 429, 201],
  )
  assert.deepEqual(waits, [10, 0])
  assert.equal(summary.retries, 2)
  assert.equal(summary.created, 3)
})

test('retryable failures on every try end the submission with AR_DSA_API_UNAVAILABLE; what was accepted stays recorded', async () => {
  const all = statements(6)
  // the first batch passes, the second meets three 502s
  await submitStatements(all.slice(0, 4), client(), ledger, SETTINGS, sleep)
  for (let i = 0; i < 3; i++) db.fail(502)
  await assert.rejects(
    submitStatements(all, client(), ledger, SETTINGS, sleep),
    (e: unknown) => e instanceof AbuseRadarError && e.code === 'AR_DSA_API_UNAVAILABLE',
  )
  assert.deepEqual(waits, [10, 20])
  assert.equal(ledger.rows.length, 4)
  const summary = await submitStatements(all, client(), ledger, SETTINGS, sleep)
  assert.equal(summary.already_recorded, 4)
  assert.equal(summary.created, 2)
  assert.equal(db.held.size, 6)
})

test('a statement refused for its content is set aside; the rest of its batch is created', async () => {
  const all = statements(4)
  const broken = { ...all[1], decision_facts: '', territorial_scope: ['CH'] } as unknown as DsaStatement
  const summary = await submitStatements([all[0], broken, all[2], all[3]] as DsaStatement[], client(), ledger, SETTINGS, sleep)
  assert.deepEqual(
    db.requests.map((r) => [r.statements, r.status]),
    [
      [4, 422],
      [3, 201],
    ],
  )
  assert.equal(summary.created, 3)
  assert.deepEqual(
    summary.refused.map((r) => r.puid),
    [broken.puid],
  )
  assert.deepEqual(Object.keys(summary.refused[0]?.errors ?? {}).sort(), ['decision_facts', 'territorial_scope'])
  assert.ok(!ledger.rows.some((r) => r.puid === broken.puid))
})

test('puids the database already holds (sent, not recorded) are recorded as existing, not sent twice', async () => {
  const all = statements(4)
  // an earlier run whose record was lost: the database holds the first two
  await submitStatements(all.slice(0, 2), client(), new MemoryLedger(), SETTINGS, sleep)
  const summary = await submitStatements(all, client(), ledger, SETTINGS, sleep)
  assert.equal(summary.existing, 2)
  assert.equal(summary.created, 2)
  assert.deepEqual(
    ledger.rows.map((r) => r.outcome),
    ['existing', 'existing', 'created', 'created'],
  )
  assert.equal(db.held.size, 4)
})

test('a wrong token is a refusal: no retry, AR_DSA_API_REFUSED, the token not in the message', async () => {
  const wrong = 'X|wrong-secret-token'
  await assert.rejects(
    submitStatements(statements(2), client(wrong), ledger, SETTINGS, sleep),
    (e: unknown) =>
      e instanceof AbuseRadarError && e.code === 'AR_DSA_API_REFUSED' && /401/.test(e.message) && !e.message.includes('wrong-secret'),
  )
  assert.equal(db.requests.length, 1)
  assert.equal(ledger.rows.length, 0)
})

test('an unreachable endpoint is retryable', async () => {
  await db.close()
  const gone = new DsaApiClient({ endpoint: db.url, token: TOKEN, timeoutMs: 2000 })
  await assert.rejects(
    submitStatements(statements(1), gone, ledger, SETTINGS, sleep),
    (e: unknown) => e instanceof AbuseRadarError && e.code === 'AR_DSA_API_UNAVAILABLE',
  )
  assert.equal(waits.length, 2)
  db = await startFakeTransparencyDatabase(TOKEN)
})
