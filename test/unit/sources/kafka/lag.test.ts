import { test } from 'node:test'
import assert from 'node:assert/strict'
import { partitionLags } from '../../../../src/sources/kafka/lag.js'

const offsets = [
  { partition: 0, low: 0, high: 100 },
  { partition: 1, low: 40, high: 90 },
  { partition: 2, low: 10, high: 70 },
]

test('lag is the end offset minus the committed offset, for every partition, committed or not', () => {
  const committed = new Map([
    [0, 60],
    [1, 20], // below the log start: retention removed what it would read next
  ])
  assert.deepEqual(partitionLags('t', offsets, committed, true), [
    { topic: 't', partition: 0, lag: 40 },
    { topic: 't', partition: 1, lag: 50 },
    { topic: 't', partition: 2, lag: 60 },
  ])
})

test('a partition without a commit is read from its end when the group does not start from the beginning', () => {
  assert.deepEqual(
    partitionLags('t', offsets, new Map([[0, -1]]), false).map((p) => p.lag),
    [0, 0, 0],
  )
})
