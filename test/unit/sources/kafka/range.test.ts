import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rangesOf } from '../../../../src/sources/kafka/range.js'

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
    [{ topic: 'abuse.messages', partition: 0, start: 10, end: 25 }],
  )
})
