/**
 * A dead letter keeps no user content, whatever chat type the record claims (README "Privacy"): no
 * text, no raw sender id, not even a four-character piece of them, in any column of its row.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeRecord } from '../../../src/decode/decode.js'
import { deadLetterRow, messageFact, moderationFact, NO_TEXT_VERDICT, reportFact } from '../../../src/facts/build.js'
import { redactPayload } from '../../../src/facts/redact.js'
import type { DeadLetter } from '../../../src/domain/errors.js'
import type { MessageV1, ModerationV1, ReportV1 } from '../../../src/domain/events.js'

// Upper case and outside a-f: no piece of them can turn up by chance in the row's hex hash or its placeholders.
const TEXT = 'PRIVMARK QUIZ WOLF: MY PIN IS QWXZ'
const SENDER = 'SNDRMARK-QWZX-UNIQ'
const POSITION = { topic: 'messages', partition: 3, offset: 41 }

/** Every substring of `secret` of at least four characters found in `stored` (those of four suffice). */
function leakedPieces(stored: string, secret: string): string[] {
  const pieces = new Set<string>()
  for (let i = 0; i + 4 <= secret.length; i++) if (stored.includes(secret.slice(i, i + 4))) pieces.add(secret.slice(i, i + 4))
  return [...pieces]
}

function deadLetterOf(payload: string): { row: ReturnType<typeof deadLetterRow>; error: DeadLetter } {
  const bytes = Buffer.from(payload)
  const decoded = decodeRecord(bytes, 1 << 20)
  assert.ok(!decoded.ok, payload)
  return { row: deadLetterRow(POSITION, bytes, decoded.error, 1764331200000, 512), error: decoded.error }
}

const privateMessage = {
  schema: 'message.v1',
  event_id: 'e-9',
  type: 'created',
  chat: { id: '77', type: 'private' },
  message_id: '5',
  sender: { id: SENDER },
  text: TEXT,
}

test('a private-chat message missing ts: its dead letter holds neither the text nor the sender id', () => {
  const { row, error } = deadLetterOf(JSON.stringify(privateMessage))
  assert.equal(error.reason, 'missing_field')
  const stored = JSON.stringify(row)
  assert.deepEqual(leakedPieces(stored, TEXT), [])
  assert.deepEqual(leakedPieces(stored, SENDER), [])
  assert.deepEqual(JSON.parse(row.payload_prefix), {
    schema: 'message.v1',
    event_id: '<redacted 3 chars>',
    type: 'created',
    chat: { id: '<redacted 2 chars>', type: 'private' },
    message_id: '<redacted 1 chars>',
    sender: '<removed>',
    text: `<redacted ${TEXT.length} chars>`,
  })
  assert.deepEqual(
    [row.topic, row.partition, row.offset, row.payload_bytes],
    ['messages', 3, 41, Buffer.byteLength(JSON.stringify(privateMessage))],
  )
})

test('whatever breaks the record and whatever chat type it claims, no piece of text or sender id survives', () => {
  const payloads = [
    JSON.stringify({ ...privateMessage, ts: true }),
    JSON.stringify({ ...privateMessage, ts: 1764331200000, chat: { id: '77', type: 'group' }, text: 42, forward: { sender_id: SENDER } }),
    JSON.stringify({ ...privateMessage, ts: 1764331200000, chat: { id: '77' }, sender: SENDER }),
    JSON.stringify({ ...privateMessage, ts: 1764331200000, sender: { id: SENDER }, user_id: SENDER, schema: 'message.v2' }),
    JSON.stringify({ ...privateMessage, ts: '2199-01-01T00:00:00Z' }),
    JSON.stringify({
      schema: 'moderation.v1',
      event_id: 'm',
      ts: 'soon',
      action: 'user_banned',
      target: { chat_id: '1', user_id: SENDER },
      category: 'spam',
      source: TEXT,
    }),
    JSON.stringify([TEXT, { [TEXT]: SENDER }]),
    JSON.stringify(TEXT),
    `{"sender":{"id":"${SENDER}"},"text":${TEXT}}`,
    `{"text":"${TEXT}","sender":{"id":"${SENDER}`,
    `${TEXT} ${SENDER}`,
    `{"text":"${TEXT}", "schema": "message.v1", "sender": {"id": "${SENDER}"}, "ts": NaN}`,
  ]
  for (const payload of payloads) {
    const stored = JSON.stringify(deadLetterOf(payload).row)
    assert.deepEqual(leakedPieces(stored, TEXT), [], payload)
    assert.deepEqual(leakedPieces(stored, SENDER), [], payload)
  }
})

test('bytes that are not JSON are described by size and character classes', () => {
  assert.equal(
    redactPayload(Buffer.from('SNDRMARK-text 42'), 512),
    '<not JSON: 16 bytes, starting with 8 letter, 1 punctuation, 4 letter, 1 space, 2 digit>',
  )
  assert.equal(redactPayload(Buffer.from([0xff, 0xfe, 0x41]), 512), '<not JSON: 3 bytes, starting with 2 invalid UTF-8, 1 letter>')
  assert.equal(redactPayload(Buffer.from(''), 512), '')
})

test('event times and enum values stay readable, numbers elsewhere do not', () => {
  const prefix = redactPayload(
    Buffer.from(JSON.stringify({ ts: '2026-02-30T12:00:00Z', chat: { type: 'private', members: 3 }, text: 4915112345678, reply_to: 12 })),
    512,
  )
  assert.deepEqual(JSON.parse(prefix), {
    ts: '2026-02-30T12:00:00Z',
    chat: { type: 'private', members: 3 },
    text: '<number 13 chars>',
    reply_to: '<number 2 chars>',
  })
  assert.deepEqual(JSON.parse(redactPayload(Buffer.from('{"ts":"+49 151 2345678","type":"my secret"}'), 512)), {
    ts: '<redacted 15 chars>',
    type: '<redacted 9 chars>',
  })
})

test('the prefix is bounded in bytes, also when it is cut inside a placeholder', () => {
  const payload = Buffer.from(JSON.stringify({ ...privateMessage, text: 'ж'.repeat(5000) }))
  for (const bytes of [0, 1, 9, 40, 512]) assert.ok(Buffer.byteLength(redactPayload(payload, bytes)) <= bytes, String(bytes))
})

test('a row ClickHouse refused (rejected_by_store) is redacted the same way: no pseudonym, no chat title, no id', () => {
  const position = { topic: 'messages', partition: 0, offset: 7 }
  const event = {
    ...privateMessage,
    ts: 1764331200000,
    chat: { id: '-100777', type: 'channel', title: TEXT, username: 'QWZXHANDLE' },
  } as unknown as MessageV1
  const sample = `${TEXT} sample`
  const fact = messageFact(
    event,
    1764331200000,
    position,
    123,
    'PSEUDOQWZX',
    {
      ...NO_TEXT_VERDICT,
      campaign_sample: sample,
      campaign_senders: ['PSEUDOQWZX'],
    },
    (id) => id,
  )
  const row = deadLetterRow(
    position,
    Buffer.from(JSON.stringify(fact)),
    { reason: 'rejected_by_store', detail: 'messages: Cannot parse' },
    1764331200000,
    4096,
  )
  const stored = JSON.stringify(row)
  for (const secret of [TEXT, 'PSEUDOQWZX', 'QWZXHANDLE']) assert.deepEqual(leakedPieces(stored, secret), [], secret)
  const shown = JSON.parse(row.payload_prefix) as Record<string, unknown>
  assert.deepEqual([shown.source_offset, shown.chat_type, shown.sender, shown.campaign_senders], [7, 'channel', '<removed>', '<removed>'])
})

test('every column of every fact row is a field name the redaction knows (no "<key" placeholder)', () => {
  const position = { topic: 't', partition: 0, offset: 0 }
  const moderation = {
    schema: 'moderation.v1',
    event_id: 'm',
    ts: 1,
    action: 'user_banned',
    target: { chat_id: '1', user_id: 'u' },
    category: 'spam',
    source: 'authority',
  } as ModerationV1
  const report = {
    schema: 'report.v1',
    event_id: 'r',
    ts: 1,
    report_id: 'R',
    reporter: 'authority',
    priority: 'urgent',
    target: { chat_id: '1' },
    category: 'spam',
  } as ReportV1
  const rows = [
    messageFact({ ...privateMessage, ts: 1 } as unknown as MessageV1, 1, position, 1, 'p', NO_TEXT_VERDICT, (id) => id),
    moderationFact(moderation, 1, position, 1, (id) => id),
    reportFact(report, 1, position, 1, (id) => id),
  ]
  for (const row of rows) assert.doesNotMatch(redactPayload(Buffer.from(JSON.stringify(row)), 65536), /<key/)
})
