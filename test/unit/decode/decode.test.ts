import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeRecord, parseTimestamp } from '../../../src/decode/decode.js'

const MAX = 1024 * 1024
const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v))
const message = (over: Record<string, unknown> = {}) => ({
  schema: 'message.v1',
  event_id: 'e-1',
  type: 'created',
  ts: '2026-11-28T12:00:00.123Z',
  chat: { id: '-100123', type: 'channel' },
  message_id: '5',
  sender: { id: '-100123' },
  ...over,
})
const reasonOf = (bytes: Uint8Array | null, max = MAX) => {
  const r = decodeRecord(bytes, max)
  return r.ok ? 'ok' : r.error.reason
}

test('valid records of the three schemas decode, with the time parsed', () => {
  const r = decodeRecord(enc(message()), MAX)
  assert.ok(r.ok)
  assert.equal(r.value.kind, 'message')
  assert.equal(r.value.tsMs, Date.UTC(2026, 10, 28, 12, 0, 0, 123))
  const mod = decodeRecord(
    enc({
      schema: 'moderation.v1',
      event_id: 'm',
      ts: 1764331200000,
      action: 'chat_banned',
      target: { chat_id: '1' },
      category: 'scam',
      source: 'authority',
    }),
    MAX,
  )
  assert.ok(mod.ok && mod.value.kind === 'moderation' && mod.value.tsMs === 1764331200000)
  const rep = decodeRecord(
    enc({
      schema: 'report.v1',
      event_id: 'r',
      ts: '2026-11-28T12:00:00+02:00',
      report_id: 'R1',
      reporter: 'trusted_flagger',
      priority: 'urgent',
      target: { chat_id: '1' },
      category: 'csam',
    }),
    MAX,
  )
  assert.ok(rep.ok && rep.value.kind === 'report' && rep.value.tsMs === Date.UTC(2026, 10, 28, 10))
})

test('unknown fields are ignored (forward compatible)', () => {
  assert.equal(reasonOf(enc(message({ future_field: { x: 1 } }))), 'ok')
})

test('every kind of malformed record gets its reason code', () => {
  assert.equal(reasonOf(null), 'empty_record')
  assert.equal(reasonOf(enc('x'.repeat(2000)), 1024), 'too_large')
  assert.equal(reasonOf(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 'invalid_utf8')
  assert.equal(reasonOf(enc('{"schema": "message.v1",')), 'not_json')
  assert.equal(reasonOf(enc('[1,2,3]')), 'not_object')
  assert.equal(reasonOf(enc('"a string"')), 'not_object')
  assert.equal(reasonOf(enc('null')), 'not_object')
  assert.equal(reasonOf(enc({ event_id: 'x' })), 'missing_schema')
  assert.equal(reasonOf(enc(message({ schema: 'message.v2' }))), 'unknown_schema')
  const { message_id: _drop, ...noMessageId } = message()
  assert.equal(reasonOf(enc(noMessageId)), 'missing_field')
  assert.equal(reasonOf(enc(message({ chat: { id: '-1' } }))), 'missing_field')
  assert.equal(reasonOf(enc(message({ chat: { id: -100123, type: 'channel' } }))), 'wrong_type')
  assert.equal(reasonOf(enc(message({ type: 'exploded' }))), 'wrong_type')
  assert.equal(reasonOf(enc(message({ entities: 'nope' }))), 'wrong_type')
  assert.equal(reasonOf(enc(message({ ts: 'yesterday' }))), 'invalid_ts')
  assert.equal(reasonOf(enc(message({ ts: '2026-11-28T12:00:00' }))), 'invalid_ts', 'a time without offset is ambiguous')
  assert.equal(reasonOf(enc(message({ ts: 1e20 }))), 'invalid_ts')
  assert.equal(reasonOf(enc(message({ sender: { id: 'u', created_ts: 'soon' } }))), 'invalid_ts')
})

test('the detail names the field but never carries the text', () => {
  const r = decodeRecord(enc(message({ text: 42 })), MAX)
  assert.ok(!r.ok)
  assert.equal(r.error.reason, 'wrong_type')
  assert.match(r.error.detail, /^text:/)
})

test('deeply nested JSON and huge strings do not throw', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000)
  assert.equal(reasonOf(enc(deep)), 'not_object')
  assert.equal(reasonOf(enc(message({ text: 'ж'.repeat(20_000) }))), 'ok', 'a text over 4096 characters is accepted')
})

test('parseTimestamp accepts epoch ms and RFC 3339 with an offset only', () => {
  assert.equal(parseTimestamp(1764331200000), 1764331200000)
  assert.equal(parseTimestamp('2026-11-28T12:00:00Z'), Date.UTC(2026, 10, 28, 12))
  assert.equal(parseTimestamp('2026-11-28 12:00:00.5+00:00'), Date.UTC(2026, 10, 28, 12, 0, 0, 500))
  assert.equal(parseTimestamp('2026-13-45T99:00:00Z'), null)
  assert.equal(parseTimestamp(true), null)
})
