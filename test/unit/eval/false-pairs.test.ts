/**
 * eval neardup --false-pairs (src/eval/false-pairs.ts): the pairs of labelled groups a prediction
 * joined, counted by message pairs, with the closest messages' containment and Jaccard similarity.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { falsePairsByGroup, formatFalsePairs } from '../../../src/eval/false-pairs.js'
import type { EvalRecord } from '../../../src/eval/neardup.js'

const AD = 'Earn 300 dollars a day working from home, no experience needed, write to the manager today'
const OTHER = 'Selling a used bicycle in good condition, pick up in the city centre on weekends only please'

test('false pairs by group pair: one text under two labels has containment 1; a wrong join far less; same-group pairs are not counted', () => {
  const records: EvalRecord[] = [
    { id: 'a1', text: AD, group: 'g1' },
    { id: 'a2', text: AD + ' now', group: 'g1' },
    // the same advert filed under a second label, one copy with a link appended
    { id: 'b1', text: AD, group: 'g2' },
    { id: 'b2', text: AD + ' https://example.com/x', group: 'g2' },
    { id: 'c1', text: OTHER, group: 'g3' },
    { id: 'd1', text: 'a message alone', group: 'g4' },
  ]
  const campaignOf = new Map([
    ['a1', 'c-ad'],
    ['a2', 'c-ad'],
    ['b1', 'c-ad'],
    ['b2', 'c-ad'],
    ['c1', 'c-ad'], // a wrong join
    ['d1', 'c-alone'],
  ])
  const pairs = falsePairsByGroup(records, campaignOf)
  assert.deepEqual(
    pairs.map((p) => [p.groups.join('~'), p.pairs]),
    [
      ['g1~g2', 4],
      ['g1~g3', 2],
      ['g2~g3', 2],
    ],
  )
  const [same, wrong] = pairs
  assert.equal(same!.containment, 1)
  assert.equal(same!.jaccard, 1)
  assert.deepEqual(same!.texts, [AD, AD])
  assert.ok(wrong!.containment < 0.2, `containment of unrelated texts ${wrong!.containment}`)
  const table = formatFalsePairs(pairs)
  assert.match(table, /^false pairs: 8 in 3 pairs of groups; 4 of them where a message of one group holds >= 0.95/)
})
