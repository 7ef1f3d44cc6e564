/** A dead letter's `detail` says where and what, never a piece of the record (docs/contract/events.md, privacy rules). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeRecord } from '../../../src/decode/decode.js'

const detailOf = (text: string) => {
  const r = decodeRecord(Buffer.from(text), 1 << 20)
  assert.ok(!r.ok)
  return r.error.detail
}

test('a JSON.parse failure becomes "invalid JSON at position N", without the quoted input', () => {
  assert.equal(detailOf('SNDRMARK-text of a private message'), 'invalid JSON at position 0')
  assert.equal(detailOf('{"text":SNDRMARK}'), 'invalid JSON at position 8')
  assert.equal(detailOf('{"text":"SNDRMARK" "x"}'), 'invalid JSON at position 19')
  assert.equal(detailOf('{"text":"SNDRMARK'), 'invalid JSON: it ends at position 17 before the value is complete')
  assert.equal(detailOf('{"text":"SNDRMARK"'), 'invalid JSON: it ends at position 18 before the value is complete')
})

test('an unknown schema is described by its length, not quoted', () => {
  assert.equal(detailOf('{"schema":"SNDRMARK secret"}'), 'an unknown schema of 15 characters')
})
