import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assembleDiff, diffRows } from '../../../src/backtest/diff.js'

test('the diff object: totals as numbers, every listed rule present, rules in name order', () => {
  const diff = assembleDiff(
    'bt_1',
    {
      messages: '100',
      spam_baseline: '10',
      spam_candidate: '12',
      newly_flagged: '3',
      no_longer_flagged: '1',
      campaigns_baseline: '4',
      campaigns_candidate: '5',
    },
    [
      { rule: 'shortener', baseline: '6', candidate: '6', newly_fired: '0', no_longer_fired: '0' },
      { rule: 'bad_domain', baseline: '2', candidate: '0', newly_fired: '0', no_longer_fired: '2' },
    ],
    ['young_account', 'shortener'],
  )
  assert.deepEqual(diff, {
    run_id: 'bt_1',
    messages: 100,
    spam: { baseline: 10, candidate: 12, newly_flagged: 3, no_longer_flagged: 1 },
    rules: {
      bad_domain: { baseline: 2, candidate: 0, newly_fired: 0, no_longer_fired: 2 },
      shortener: { baseline: 6, candidate: 6, newly_fired: 0, no_longer_fired: 0 },
      young_account: { baseline: 0, candidate: 0, newly_fired: 0, no_longer_fired: 0 },
    },
    campaigns: { baseline: 4, candidate: 5 },
  })
  assert.deepEqual(Object.keys(diff), ['run_id', 'messages', 'spam', 'rules', 'campaigns'])
})

test('nothing compared: zeros, not missing fields', () => {
  const diff = assembleDiff('bt_2', {}, [], [])
  assert.deepEqual(diff, {
    run_id: 'bt_2',
    messages: 0,
    spam: { baseline: 0, candidate: 0, newly_flagged: 0, no_longer_flagged: 0 },
    rules: {},
    campaigns: { baseline: 0, candidate: 0 },
  })
})

test('table rows: spam, one per rule, campaigns, with the signed change', () => {
  const diff = assembleDiff(
    'bt_3',
    { messages: '5', spam_baseline: '2', spam_candidate: '1', no_longer_flagged: '1', campaigns_baseline: '1', campaigns_candidate: '1' },
    [{ rule: 'shortener', baseline: '1', candidate: '3', newly_fired: '2', no_longer_fired: '0' }],
    [],
  )
  assert.deepEqual(
    diffRows(diff).map((r) => Object.values(r).join(' ')),
    ['spam 2 1 0 1 -1', 'rule shortener 1 3 2 0 +2', 'campaigns 1 1   0'],
  )
})
