import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ShingleTable, minIntersection, shingleSet } from '../../../src/fingerprint/index.js'

test('shared: the distinct shingles two texts have in common, each counted once, or -1 below what is needed', () => {
  const t = new ShingleTable()
  assert.equal(t.fill('abcdefghij'), 7) // abcd bcde ... ghij
  assert.equal(t.shared('abcdefghXY', 0), 5) // abcd..efgh
  assert.equal(t.shared('abcdabcdabcd', 0), 1) // abcd, however often it repeats
  assert.equal(t.shared('zzzzyyyy', 0), 0)
  assert.equal(t.shared('abcdefghXY', 5), 5)
  assert.equal(t.shared('abcdefghXY', 6), -1)
  assert.equal(t.loaded, 'abcdefghij')
  // agrees with the sorted sets on a longer pair
  const a = 'the quick brown fox jumps over the lazy dog'.replace(/ /g, '')
  const b = 'the lazy dog jumps over the quick brown fox'.replace(/ /g, '')
  t.fill(a)
  const sa = new Set(shingleSet(a))
  assert.equal(t.shared(b, 0), [...shingleSet(b)].filter((h) => sa.has(h)).length)
})

test('minIntersection: the smallest shared count whose Jaccard reaches a floor', () => {
  assert.equal(minIntersection(20, 10, 0.5), 7) // 7 / 13 >= 0.5, 6 / 14 < 0.5
  assert.equal(minIntersection(20, 5, 0.5), -1)
  assert.equal(minIntersection(10, 5, 0), 0)
})
