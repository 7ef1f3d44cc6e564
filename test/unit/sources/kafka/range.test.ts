import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rangesOf, resumeSeeks, type PartitionRange } from '../../../../src/sources/kafka/range.js'

test("a partition's range runs from the offset of --from to the offset of --to; empty ranges are left out", () => {
  assert.deepEqual(
    rangesOf(
      'abuse.messages',
      [
        { partition: 0, offset: '10' },
        { partition: 1, offset: '7' },
        { partition: 2, offset: '5' },
      ],
      [
        { partition: 0, offset: '25' },
        { partition: 1, offset: '7' },
      ],
    ),
    [{ topic: 'abuse.messages', partition: 0, start: 10, next: 10, end: 25 }],
  )
})

test('a (re)joined reader seeks each assigned, unfinished partition to the first offset it has not handed out', () => {
  const remaining = new Map<string, PartitionRange>([
    ['abuse.messages:0', { topic: 'abuse.messages', partition: 0, start: 10, next: 18, end: 25 }],
    ['abuse.messages:2', { topic: 'abuse.messages', partition: 2, start: 5, next: 5, end: 9 }],
  ])
  assert.deepEqual(resumeSeeks({ 'abuse.messages': [0, 1, 2], 'abuse.reports': [0] }, remaining), [
    { topic: 'abuse.messages', partition: 0, offset: '18' },
    { topic: 'abuse.messages', partition: 2, offset: '5' },
  ])
})
