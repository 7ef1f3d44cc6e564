/**
 * equalBins (src/campaigns/candidates.ts) counts the equal packed bins of two signatures four bytes
 * at a time; the byte loop it replaced is the reference. The bytes that trip the zero-byte test when
 * it is written carelessly: 0x00 and 0x80 next to each other, 0x7f, 0xff, and carries between bytes.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { equalBins } from '../../../src/campaigns/candidates.js'

const BINS = 64

function byteLoop(a: Uint8Array, aBase: number, b: Uint8Array): number {
  let equal = 0
  for (let i = 0; i < BINS; i++) if (a[aBase + i] === b[i]) equal++
  return equal
}

test('equalBins counts what the byte loop counts, for edge bytes and random signatures', () => {
  const tricky = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff]
  let seed = 12345
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16
  // two entries side by side, the second compared: the word offset is honoured
  const entries = new Uint8Array(2 * BINS)
  const query = new Uint8Array(BINS)
  const entryWords = new Uint32Array(entries.buffer)
  const queryWords = new Uint32Array(query.buffer)
  const counts = new Set<number>()
  for (let round = 0; round < 5000; round++) {
    for (let i = 0; i < BINS; i++) {
      query[i] = round % 2 === 0 ? tricky[next() % tricky.length]! : next() & 0xff
      // about half the bins equal, the rest differing by one bit or at random
      const r = next() % 4
      entries[BINS + i] = r < 2 ? query[i]! : r === 2 ? query[i]! ^ (1 << (next() % 8)) : next() & 0xff
      entries[i] = next() & 0xff
    }
    const expected = byteLoop(entries, BINS, query)
    counts.add(expected)
    assert.equal(equalBins(entryWords, BINS / 4, queryWords), expected)
  }
  query.set(entries.subarray(BINS))
  assert.equal(equalBins(entryWords, BINS / 4, queryWords), BINS)
  assert.ok(counts.size > 10, 'the rounds met many different counts')
})
