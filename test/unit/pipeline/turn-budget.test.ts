import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TurnBudget } from '../../../src/pipeline/turn-budget.js'

const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end);
}

test('concurrent workers get one slice per turn of the event loop, in turn, and each finishes', async () => {
  const budget = new TurnBudget(2)
  // A ticker that counts turns of the event loop (one setImmediate per check phase).
  let turn = 0
  let ticking = true
  const tick = () => {
    turn++
    if (ticking) setImmediate(tick)
  }
  setImmediate(tick)
  const slicesPerTurn = new Map<number, string[]>()
  const worker = async (name: string, slices: number) => {
    for (let i = 0; i < slices; i++) {
      if (budget.spent()) await budget.nextTurn()
      slicesPerTurn.set(turn, [...(slicesPerTurn.get(turn) ?? []), name])
      busy(3)
    }
  }
  await Promise.all([worker('a', 4), worker('b', 4), worker('c', 4)])
  ticking = false
  const all = [...slicesPerTurn.values()].flat()
  assert.equal(all.length, 12)
  for (const [t, names] of slicesPerTurn) assert.ok(names.length === 1 || t === 0, `turn ${t} ran ${names.join(', ')}`)
  // First come, first served: 'a' takes the fresh budget and then queues first, so it runs twice;
  // after that, while all three have slices left, no worker runs twice in a row.
  for (let i = 2; i < 9; i++) assert.notEqual(all[i], all[i - 1], `slices ${all.join('')}`)
})

test('a budget not yet spent lets the caller go on without waiting', () => {
  const budget = new TurnBudget(1_000)
  assert.equal(budget.spent(), false)
})
