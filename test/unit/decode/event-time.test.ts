/**
 * Event times that cannot be stored as what they say: impossible calendar dates, times beyond what a
 * DateTime column holds, times further ahead of processing time than pipeline.max_future_skew_seconds,
 * times older than the aggregates' retention. Each becomes a dead letter with its own reason.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeRecord, parseTimestamp, type EventTimeWindow } from '../../../src/decode/decode.js'

const MAX = 1024 * 1024
const DAY_MS = 86_400_000
const NOW = Date.UTC(2026, 11, 2, 12)
const WINDOW: EventTimeWindow = { nowMs: NOW, maxFutureSkewMs: 3_600_000, maxAgeMs: 400 * DAY_MS }

const message = (ts: unknown) =>
  Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: 'e',
      type: 'created',
      ts,
      chat: { id: '-1', type: 'group' },
      message_id: '1',
      sender: { id: 'u' },
    }),
  )
/** `null`: no window, as offline evaluation decodes. */
const reasonOf = (ts: unknown, window: EventTimeWindow | null = WINDOW) => {
  const r = decodeRecord(message(ts), MAX, window ?? undefined)
  return r.ok ? 'ok' : r.error.reason
}

test('impossible calendar dates are not times (Date.parse would roll 2026-02-30 over to March 2)', () => {
  assert.equal(parseTimestamp('2026-02-30T12:00:00Z'), null)
  assert.equal(parseTimestamp('2026-02-29T12:00:00Z'), null)
  assert.equal(parseTimestamp('2100-02-29T12:00:00Z'), null, '2100 is not a leap year')
  assert.equal(parseTimestamp('2026-04-31T00:00:00Z'), null)
  assert.equal(parseTimestamp('2026-11-28T24:00:00Z'), null)
  assert.equal(parseTimestamp('2026-11-28T12:00:00+24:00'), null)
  assert.equal(parseTimestamp('2028-02-29T12:00:00Z'), Date.UTC(2028, 1, 29, 12))
  assert.equal(parseTimestamp('2026-11-28T12:00:00.123456789-01:30'), Date.UTC(2026, 10, 28, 13, 30, 0, 123))
  assert.equal(reasonOf('2026-02-30T12:00:00Z'), 'invalid_ts')
  assert.equal(reasonOf('2026-02-30T12:00:00Z', null), 'invalid_ts')
})

test('an event dated beyond processing time + max_future_skew is ts_in_future; the bound is inclusive', () => {
  assert.equal(reasonOf('2199-01-01T00:00:00Z'), 'ts_in_future')
  assert.equal(reasonOf(Date.UTC(2199, 0, 1)), 'ts_in_future')
  assert.equal(reasonOf(NOW + 3_600_000), 'ok')
  assert.equal(reasonOf(NOW + 3_600_001), 'ts_in_future')
  assert.equal(reasonOf(NOW + 3_600_000.9), 'ok', 'fractions of a millisecond are cut, not rounded up')
})

test('without a clock, a time a DateTime column cannot hold (after 2106-02-07T06:28:15Z) is still ts_in_future', () => {
  assert.equal(reasonOf('2199-01-01T00:00:00Z', null), 'ts_in_future')
  assert.equal(reasonOf(4_294_967_295_999, null), 'ok')
  assert.equal(reasonOf(4_294_967_296_000, null), 'ts_in_future')
  assert.equal(reasonOf('1999-12-31T23:59:59.999Z', null), 'ts_too_old')
})

test('an event older than the aggregates retention is ts_too_old; the bound is inclusive', () => {
  assert.equal(reasonOf(NOW - 401 * DAY_MS), 'ts_too_old')
  assert.equal(reasonOf(NOW - 400 * DAY_MS), 'ok')
  assert.equal(reasonOf(NOW - 400 * DAY_MS - 1), 'ts_too_old')
  assert.equal(reasonOf(new Date(NOW - 401 * DAY_MS).toISOString()), 'ts_too_old')
})

test('values that are no time at all stay invalid_ts, whatever the window', () => {
  for (const ts of [1e20, -1e20, 'yesterday', '2026-13-45T25:61:00Z', '2026-11-28T12:00:00'])
    assert.equal(reasonOf(ts), 'invalid_ts', String(ts))
})

test('the detail of a time dead letter names the limit, not the record', () => {
  const r = decodeRecord(message('2199-01-01T00:00:00Z'), MAX, WINDOW)
  assert.ok(!r.ok)
  assert.equal(
    r.error.detail,
    '`ts` 2199-01-01T00:00:00.000Z is after processing time + pipeline.max_future_skew_seconds (2026-12-02T13:00:00.000Z)',
  )
})
