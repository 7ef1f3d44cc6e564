import { test } from 'node:test'
import assert from 'node:assert/strict'
import { planAliases, similarPairs } from '../../../src/campaigns/merge-plan.js'
import { fingerprintText, signatureToHex } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'

const signatureOf = (text: string) => signatureToHex(fingerprintText(normalizeText(text)).signature)
const OFFER = 'Crypto signals with 90 percent accuracy, join the private channel now and get the first week of trading calls free'
const CUT = 'Crypto signals with 90 percent accuracy, join the private channel now'
const REWORDED = 'Get the first week of trading calls free: crypto signals with 90 percent accuracy in our private channel, join now'
const BIKE = 'Selling my old road bike, barely used, new tyres, pick up in the city centre this weekend only'

test('campaigns are one when any representative of one agrees with any of the other, not only their founders', () => {
  const [offer, cut, bike] = [signatureOf(OFFER), signatureOf(CUT), signatureOf(BIKE)]
  const pairs = [
    { a: 'c1', b: 'c2' },
    { a: 'c1', b: 'c3' },
  ]
  // c1 was founded by the cut copy on one instance, c2 by an unrelated-looking founder whose second
  // representative is the full offer; c3 holds only the bike sale
  const signatures = new Map([
    ['c1', [cut, offer]],
    ['c2', [bike.replace(/^./, '0'), offer]],
    ['c3', [bike]],
  ])
  assert.deepEqual(similarPairs(pairs, signatures, 0.7), [{ a: 'c1', b: 'c2' }])
  // with founders alone (the first signature of each), nothing agrees
  const founders = new Map([...signatures].map(([id, sigs]) => [id, sigs.slice(0, 1)]))
  assert.deepEqual(similarPairs(pairs, founders, 0.7), [])
})

test('malformed signatures are skipped, and a campaign without a well-formed one is never paired', () => {
  const offer = signatureOf(OFFER)
  const reworded = signatureOf(REWORDED)
  const pairs = [
    { a: 'c1', b: 'c2' },
    { a: 'c1', b: 'c4' },
  ]
  const signatures = new Map([
    ['c1', ['not hex', offer]],
    ['c2', [offer.toUpperCase(), offer.slice(0, -2) + '00']],
    ['c4', [reworded.slice(8)]],
  ])
  assert.deepEqual(similarPairs(pairs, signatures, 0.9), [{ a: 'c1', b: 'c2' }])
})

test('a pair: the larger id becomes an alias of the smaller', () => {
  assert.deepEqual(planAliases({ pairs: [{ a: 'c3', b: 'c2' }], current: [] }), [{ alias: 'c3', canonical: 'c2' }])
})

test('pairs that chain make one group under its smallest id, whichever order they come in', () => {
  const expected = [
    { alias: 'c3', canonical: 'c2' },
    { alias: 'c5', canonical: 'c2' },
  ]
  assert.deepEqual(
    planAliases({
      pairs: [
        { a: 'c3', b: 'c5' },
        { a: 'c2', b: 'c3' },
      ],
      current: [],
    }),
    expected,
  )
  assert.deepEqual(
    planAliases({
      pairs: [
        { a: 'c2', b: 'c3' },
        { a: 'c3', b: 'c5' },
      ],
      current: [],
    }),
    expected,
  )
})

test('when two groups join, the ids resolving to the larger canonical are written again to the new one', () => {
  // c5 was merged into c4 earlier; now c4 pairs with c2. Readers resolve one level, so c5 must point at c2 itself.
  const plan = planAliases({ pairs: [{ a: 'c2', b: 'c4' }], current: [{ alias: 'c5', canonical: 'c4' }] })
  assert.deepEqual(plan, [
    { alias: 'c4', canonical: 'c2' },
    { alias: 'c5', canonical: 'c2' },
  ])
})

test('a pair already merged writes nothing', () => {
  assert.deepEqual(planAliases({ pairs: [{ a: 'c2', b: 'c3' }], current: [{ alias: 'c3', canonical: 'c2' }] }), [])
})

test('separate pairs stay separate groups', () => {
  assert.deepEqual(
    planAliases({
      pairs: [
        { a: 'c1', b: 'c2' },
        { a: 'c8', b: 'c9' },
      ],
      current: [],
    }),
    [
      { alias: 'c2', canonical: 'c1' },
      { alias: 'c9', canonical: 'c8' },
    ],
  )
})

test("an alias keeps its direction: an adopted campaign's smaller id stays with the campaign that adopted it", () => {
  // c1 was adopted into c5 (the index keeps the adopter's id); c5 now pairs with c3: the group joins c3
  const plan = planAliases({ pairs: [{ a: 'c5', b: 'c3' }], current: [{ alias: 'c1', canonical: 'c5' }] })
  assert.deepEqual(plan, [
    { alias: 'c1', canonical: 'c3' },
    { alias: 'c5', canonical: 'c3' },
  ])
})

test('an alias naming an alias (written while a run planned) is rewritten to the end of the chain', () => {
  assert.deepEqual(
    planAliases({
      pairs: [],
      current: [
        { alias: 'c5', canonical: 'c2' },
        { alias: 'c9', canonical: 'c5' },
      ],
    }),
    [{ alias: 'c9', canonical: 'c2' }],
  )
})

test('a cycle (rows of versions that merged to the smallest id) is broken at its later row: that id names itself', () => {
  assert.deepEqual(
    planAliases({
      pairs: [],
      current: [
        { alias: 'c1', canonical: 'c5' },
        { alias: 'c5', canonical: 'c1' },
      ],
    }),
    [{ alias: 'c5', canonical: 'c5' }],
  )
  assert.deepEqual(planAliases({ pairs: [], current: [{ alias: 'c5', canonical: 'c5' }] }), [], 'a row naming itself is settled')
})
