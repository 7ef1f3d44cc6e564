import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deadLetterRow, messageFact, NO_TEXT_VERDICT } from '../../../src/facts/build.js'
import type { MessageV1 } from '../../../src/domain/events.js'

const LONE_SURROGATE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i

test('strings from the input reach ClickHouse well-formed: no lone surrogate survives', () => {
  const event = {
    schema: 'message.v1',
    event_id: 'e\ud800',
    type: 'created',
    ts: 1,
    chat: { id: '-1\udc00', type: 'channel', title: 'bad \ud800 title' },
    message_id: 'm\ud83d',
    sender: { id: 'u' },
  } as unknown as MessageV1
  const fact = messageFact(event, 1764331200000, { topic: 't', partition: 0, offset: 0 }, 1, 'p', NO_TEXT_VERDICT, (id) => id)
  const json = JSON.stringify(fact)
  assert.doesNotMatch(json, LONE_SURROGATE)
  assert.equal(fact.chat_title, 'bad \ufffd title')
  assert.equal(fact.message_id, 'm\ufffd')
})

test('a dead letter keeps a bounded, well-formed prefix and the hash of the whole payload', () => {
  const payload = Buffer.from(`["${'😈'.repeat(300)}"`)
  const row = deadLetterRow(
    { topic: 't', partition: 1, offset: 7 },
    payload,
    { reason: 'not_json', detail: `cut \ud83d` },
    1764331200000,
    9,
  )
  assert.equal(row.payload_bytes, payload.length)
  assert.equal(row.payload_sha256.length, 64)
  assert.ok(Buffer.byteLength(row.payload_prefix) <= 9 + 6, 'a cut multi-byte character becomes U+FFFD, nothing more')
  assert.doesNotMatch(JSON.stringify(row), LONE_SURROGATE)
  assert.equal(row.detail, 'cut \ufffd')
})
