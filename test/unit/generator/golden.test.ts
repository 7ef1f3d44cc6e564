// The exact bytes of a few streams. Benchmarks, the demo and many tests compare figures across
// versions of the generator's code, so a refactoring must not change one byte; a change of the
// stream itself is deliberate and updates these digests in the same commit, saying why.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { generateRecords, generateWithTruth, type GeneratedRecord, type GroundTruth } from '../../../src/generator/index.js'

const START = Date.parse('2026-11-28T00:00:00Z')

function digest(records: Iterable<GeneratedRecord>): { count: number; sha256: string } {
  const hash = createHash('sha256')
  let count = 0
  for (const r of records) {
    hash.update(`${r.topic}\0${r.key}\0${r.kind}\0${r.malformedReason ?? ''}\0`)
    hash.update(r.value)
    hash.update('\n')
    count++
  }
  return { count, sha256: hash.digest('hex') }
}

function truthDigest(truth: Required<GroundTruth>): string {
  const json = JSON.stringify([[...truth.campaignOf], [...truth.cloneOf], [...truth.lookalikeOf], [...truth.spamChats], [...truth.copyOf]])
  return createHash('sha256').update(json).digest('hex')
}

test('the default stream of seed 1 is byte for byte the recorded one', () => {
  assert.deepEqual(digest(generateRecords({ seed: 1, messages: 20_000, startMs: START })), {
    count: 21_103,
    sha256: '12b080d3b0805eb834fb816d75e995847d82cc89baeb21e67790f0bd8042f397',
  })
})

test('a stream with every option set is byte for byte the recorded one', () => {
  const records = generateRecords({
    seed: 7,
    messages: 5_000,
    startMs: START + 0.5,
    ratePerSecond: 200,
    duplicateShare: 0.05,
    malformedShare: 0.02,
    oversized: { every: 500, bytes: 5000 },
    nullKeyShare: 0.1,
    topics: { messages: 'm', moderation: 'mo', reports: 'r' },
  })
  assert.deepEqual(digest(records), { count: 5_523, sha256: '5356425302130008889d1f9e4e92ba7d1491a31afeabc19fc433489e512dd75d' })
})

test('generateWithTruth gives the recorded stream and ground truth', () => {
  const { records, truth } = generateWithTruth({ seed: 4, messages: 2_000, startMs: START })
  assert.deepEqual(digest(records), { count: 2_071, sha256: '67f92d3e15d76f883ef134ba9f5cf95d22cb71b1a88476e40b4a9a9ce7d9b361' })
  assert.equal(truthDigest(truth), '84e3a4f0ab88e5f08b66e872a6cb7df7e9ce9a5502e9569b1be19d95a35d46b2')
})
