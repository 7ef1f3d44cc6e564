import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RecentKeys } from '../../../src/pipeline/recent-keys.js'

test('a key restored from the sink is known written at its position only; one accepted here becomes written when restored', () => {
  const keys = new RecentKeys(60_000)
  keys.restore(7, 0, 1000)
  assert.equal(keys.add(7, 0, 2000), true, 'the same record again is not a duplicate')
  assert.equal(keys.writtenAt(7, 0), true)
  assert.equal(keys.writtenAt(7, 1), false)
  assert.equal(keys.add(7, 5, 2000), false, 'a copy at another position is a duplicate')

  assert.equal(keys.add(9, 2 ** 45 + 3, 2000), true)
  assert.equal(keys.writtenAt(9, 2 ** 45 + 3), false, 'accepted, not yet written')
  keys.restore(9, 2 ** 45 + 3, 2500)
  assert.equal(keys.writtenAt(9, 2 ** 45 + 3), true)
  assert.equal(keys.add(9, 2 ** 45 + 3, 3000), true)
})
