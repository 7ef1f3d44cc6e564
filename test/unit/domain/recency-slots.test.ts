import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RecencySlots } from '../../../src/domain/recency-slots.js'

/** The keys (their lo halves) from least to most recently touched, by freeing them all in that order. */
function drainOrder(slots: RecencySlots, keyOf: Map<number, number>): number[] {
  const order: number[] = []
  for (let slot = slots.leastRecentlyTouched(); slot >= 0; slot = slots.leastRecentlyTouched()) {
    order.push(keyOf.get(slot)!)
    slots.free(slot)
  }
  return order
}

test('RecencySlots: least recently touched first; a touch moves a key to the end, a free takes it out', () => {
  const slots = new RecencySlots(() => {})
  const keyOf = new Map<number, number>()
  for (const key of [1, 2, 3, 4]) keyOf.set(slots.insert(0, key), key)
  slots.touch(slots.find(0, 1))
  slots.touch(slots.find(0, 3))
  slots.touch(slots.find(0, 3)) // already the most recent: stays there
  slots.free(slots.find(0, 4))
  assert.equal(slots.find(0, 4), -1)
  assert.equal(slots.size, 3)
  assert.deepEqual(drainOrder(slots, keyOf), [2, 1, 3])
  assert.equal(slots.size, 0)
  assert.equal(slots.leastRecentlyTouched(), -1)
})

test('RecencySlots: freed slots are reused, growth keeps keys and order, and touches take no room', () => {
  const capacities: number[] = []
  const slots = new RecencySlots((capacity) => capacities.push(capacity))
  const keyOf = new Map<number, number>()
  for (let key = 0; key < 3000; key++) keyOf.set(slots.insert(key >>> 8, key), key)
  assert.deepEqual(capacities, [1024, 2048, 4096])
  for (let i = 0; i < 100_000; i++) slots.touch(slots.find(0, i % 10))
  for (let key = 10; key < 20; key++) slots.free(slots.find(0, key))
  for (let key = 3000; key < 3010; key++) keyOf.set(slots.insert(key >>> 8, key), key)
  assert.deepEqual(capacities, [1024, 2048, 4096], 'ten freed slots took the ten new keys')
  assert.equal(slots.size, 3000)
  for (let key = 20; key < 3000; key++) assert.equal(keyOf.get(slots.find(key >>> 8, key)), key)
  const order = drainOrder(slots, keyOf)
  const untouched = Array.from({ length: 2980 }, (_, i) => 20 + i)
  const touched = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] // last touched in this order (i % 10)
  const inserted = Array.from({ length: 10 }, (_, i) => 3000 + i)
  assert.deepEqual(order, [...untouched, ...touched, ...inserted])
})
