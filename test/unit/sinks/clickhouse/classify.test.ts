import { test } from 'node:test'
import assert from 'node:assert/strict'
import { classifyFailure, storeError } from '../../../../src/sinks/clickhouse/errors.js'
import { MAX_EVENT_DAYS_PER_INSERT, splitByEventDay } from '../../../../src/sinks/clickhouse/store.js'

const chError = (code: string, message: string) => Object.assign(new Error(message), { code })

test('ClickHouse errors are classified by code: only what can pass later is retried', () => {
  const partitions = chError('252', 'Too many partitions for single INSERT block (more than 100).')
  assert.equal(classifyFailure(partitions).kind, 'shape')
  assert.equal(storeError(partitions, 'insert').retryable, false, 'the same insert is refused again')
  assert.equal(
    classifyFailure(chError('252', 'Too many parts (3000). Merges are processing significantly slower than inserts')).kind,
    'unavailable',
  )
  assert.equal(classifyFailure(chError('27', 'Cannot parse input')).kind, 'content')
  assert.equal(classifyFailure(chError('1002', 'something new')).kind, 'refused', 'an unknown code is not retried forever')
  assert.equal(classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind, 'unavailable')
  const stdin = storeError(
    chError('48', 'Processing async inserts with both inlined and external data (from stdin or infile) is not supported'),
    'insert',
  )
  assert.equal(stdin.retryable, false)
  assert.match(stdin.message, /ClickHouse error 48: .*stdin from \/dev\/null/)
})

test('an insert spanning more event days than a block may touch partitions is cut by day, the same way every time', () => {
  const day = 86_400_000
  const rows = Array.from({ length: 250 }, (_, i) => ({ ts: Date.UTC(2026, 7, 1) + (249 - i) * day, id: i }))
  const parts = splitByEventDay(rows)
  assert.deepEqual(
    parts.map((p) => p.rows.length),
    [100, 100, 50],
  )
  assert.ok(parts.every((p) => new Set(p.rows.map((r) => Math.floor(r.ts / day))).size <= MAX_EVENT_DAYS_PER_INSERT))
  assert.deepEqual(splitByEventDay(rows), parts, 'deterministic: a replay sends the same parts under the same tokens')
  assert.equal(new Set(parts.map((p) => p.tokenSuffix)).size, 3)
  const live = rows.slice(0, 100)
  assert.deepEqual(splitByEventDay(live), [{ rows: live, tokenSuffix: '' }], 'within the limit: one insert under the batch token')
})
