import { test } from 'node:test'
import assert from 'node:assert/strict'
import { planAliases } from '../../../src/campaigns/merge-plan.js'

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
