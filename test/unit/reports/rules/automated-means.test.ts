import { test } from 'node:test'
import assert from 'node:assert/strict'
import { automatedMeansRow } from '../../../../src/reports/rules/automated-means.js'

test('precision and error rate are shares of the reviewed messages; null when none was reviewed', () => {
  assert.deepEqual(automatedMeansRow('shortener', 10, 6, 1, 1, 2), {
    rule: 'shortener',
    flagged: 10,
    removed: 6,
    reverted: 1,
    no_violation: 1,
    unreviewed: 2,
    precision: 0.75,
    error_rate: 0.25,
  })
  const unreviewed = automatedMeansRow('bad_domain', 3, 0, 0, 0, 3)
  assert.equal(unreviewed.precision, null)
  assert.equal(unreviewed.error_rate, null)
})
