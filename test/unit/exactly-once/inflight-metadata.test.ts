import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BatchRange } from '../../../src/domain/ports.js'
import { checkpointFromCommit, decodeInflight, inflightCommit, writtenCommit } from '../../../src/exactly-once/inflight-metadata.js'

const ranges: BatchRange[] = [
  { topic: 'telegram.messages.v1', partition: 0, firstOffset: 0, lastOffset: 0 },
  { topic: 't', partition: 5, firstOffset: 100, lastOffset: 4_999 },
  { topic: 't', partition: 47, firstOffset: 2 ** 40, lastOffset: 2 ** 40 + 9 },
]

test('round trip: an in-flight mark reads back as the range to replay, a written commit as the position after it', () => {
  for (const range of ranges) {
    const inflight = inflightCommit(range)
    assert.deepEqual(checkpointFromCommit(inflight.offset, inflight.metadata), {
      nextOffset: range.firstOffset,
      inflightLastOffset: range.lastOffset,
    })
    const written = writtenCommit(range)
    assert.deepEqual(checkpointFromCommit(written.offset, written.metadata), { nextOffset: range.lastOffset + 1, inflightLastOffset: null })
  }
})

test('the metadata on the wire is the documented version 1 format', () => {
  assert.deepEqual(inflightCommit({ topic: 't', partition: 0, firstOffset: 0, lastOffset: 4 }), {
    offset: 0,
    metadata: '{"v":1,"inflight_last":4}',
  })
  assert.deepEqual(writtenCommit({ topic: 't', partition: 0, firstOffset: 0, lastOffset: 4 }), { offset: 5, metadata: null })
  assert.equal(decodeInflight('{"inflight_last":7,"v":1}'), 7, 'key order does not matter')
})

test('metadata this protocol did not write marks no range in flight', () => {
  const malformed = [
    undefined,
    null,
    '',
    'not json',
    '{"v":1,"inflight_last":4',
    'null',
    '4',
    '"{\\"v\\":1}"',
    '[1,4]',
    '{}',
    '{"inflight_last":4}',
    '{"v":2,"inflight_last":4}',
    '{"v":"1","inflight_last":4}',
    '{"v":1}',
    '{"v":1,"inflight_last":"4"}',
    '{"v":1,"inflight_last":null}',
    '{"v":1,"inflight_last":-1}',
    '{"v":1,"inflight_last":1.5}',
    '{"v":1,"inflight_last":1e300}',
  ]
  for (const metadata of malformed) {
    assert.equal(decodeInflight(metadata), null, String(metadata))
    assert.deepEqual(checkpointFromCommit(12, metadata), { nextOffset: 12, inflightLastOffset: null }, String(metadata))
  }
})
