import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  assembleRulesReport,
  measuredPrecision,
  parseReportTime,
  precisionOf,
  rulesReportRows,
} from '../../../../src/reports/rules/outcomes.js'

test('precision is removed over reviewed, null when nothing was reviewed', () => {
  assert.equal(precisionOf(3, 1, 0), 0.75)
  assert.equal(precisionOf(0, 2, 2), 0)
  assert.equal(precisionOf(0, 0, 0), null)
})

test('the report lists counted rules with the unreviewed rest, and configured rules that flagged nothing, in name order', () => {
  const report = assembleRulesReport(
    [
      { rule: 'shortener', mode: 'enforce', flagged: 10, removed: 4, reverted: 1, no_violation: 3 },
      { rule: 'edit_to_spam', mode: 'shadow', flagged: 2, removed: 0, reverted: 0, no_violation: 0 },
    ],
    [
      { id: 'shortener', mode: 'shadow' },
      { id: 'bad_domain', mode: 'enforce' },
    ],
  )
  assert.deepEqual(Object.keys(report.rules), ['bad_domain', 'edit_to_spam', 'shortener'])
  assert.deepEqual(report.rules['shortener'], {
    mode: 'enforce',
    flagged: 10,
    removed: 4,
    reverted: 1,
    no_violation: 3,
    unreviewed: 2,
    precision: 0.5,
  })
  assert.deepEqual(report.rules['edit_to_spam'], {
    mode: 'shadow',
    flagged: 2,
    removed: 0,
    reverted: 0,
    no_violation: 0,
    unreviewed: 2,
    precision: null,
  })
  assert.deepEqual(report.rules['bad_domain'], {
    mode: 'enforce',
    flagged: 0,
    removed: 0,
    reverted: 0,
    no_violation: 0,
    unreviewed: 0,
    precision: null,
  })
})

test('more reviewed than flagged is a defect, not a negative count', () => {
  assert.throws(
    () => assembleRulesReport([{ rule: 'x', mode: 'enforce', flagged: 1, removed: 1, reverted: 1, no_violation: 0 }], []),
    /2 reviewed of 1 flagged/,
  )
})

test('--from/--to take a day or an RFC 3339 time', () => {
  assert.equal(parseReportTime('2026-11-20', '--from'), Date.UTC(2026, 10, 20))
  assert.equal(parseReportTime('2026-11-20T06:30:00Z', '--to'), Date.UTC(2026, 10, 20, 6, 30))
  assert.throws(() => parseReportTime('yesterday', '--from'), /--from: not a day/)
  assert.throws(() => parseReportTime('2026-13-45', '--to'), /--to: not a day/)
})

test('table rows show precision with three decimals and - when nothing was reviewed', () => {
  const report = assembleRulesReport(
    [{ rule: 'a', mode: 'enforce', flagged: 3, removed: 2, reverted: 1, no_violation: 0 }],
    [{ id: 'b', mode: 'shadow' }],
  )
  assert.deepEqual(
    rulesReportRows(report).map((r) => `${r['rule']} ${r['mode']} ${r['unreviewed']} ${r['precision']}`),
    ['a enforce 0 0.667', 'b shadow 0 -'],
  )
})

test('the live precision: enforcing rules with enough reviewed messages only', () => {
  const report = assembleRulesReport(
    [
      { rule: 'bad_domain', mode: 'enforce', flagged: 40, removed: 15, reverted: 3, no_violation: 2 },
      { rule: 'shortener', mode: 'enforce', flagged: 40, removed: 15, reverted: 3, no_violation: 1 },
      { rule: 'edit_to_spam', mode: 'shadow', flagged: 40, removed: 10, reverted: 10, no_violation: 10 },
    ],
    [{ id: 'young_account', mode: 'enforce' }],
  )
  assert.deepEqual([...measuredPrecision(report, 20)], [['bad_domain', 0.75]])
  assert.deepEqual(
    [...measuredPrecision(report, 19)],
    [
      ['bad_domain', 0.75],
      ['shortener', 15 / 19],
    ],
  )
})
