/** The broker harness's cluster ids: never one the storage tool would read as an option. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomClusterId } from '../../../../scripts/kafka/data-dir.js'

test('cluster ids are 22 base64url characters and never start with "-" (one in 64 random ids would)', () => {
  const ids = Array.from({ length: 5000 }, () => randomClusterId())
  assert.deepEqual(
    ids.filter((id) => !/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id)),
    [],
  )
  assert.equal(new Set(ids).size, ids.length)
})
