import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeRoomFor } from '../../../src/domain/bounded.js'

test('makeRoomFor: below the bound nothing leaves', () => {
  const map = new Map([
    ['a', 1],
    ['b', 2],
  ])
  makeRoomFor(map, 3)
  assert.deepEqual([...map.keys()], ['a', 'b'])
})

test('makeRoomFor: a small full collection drops exactly its oldest entry', () => {
  const set = new Set(['a', 'b', 'c'])
  makeRoomFor(set, 3)
  assert.deepEqual([...set], ['b', 'c'])
})

test('makeRoomFor: a large full collection drops its oldest 1% in one go, newest kept', () => {
  const map = new Map<number, number>()
  for (let i = 0; i < 10_000; i++) map.set(i, i)
  makeRoomFor(map, 10_000)
  assert.equal(map.size, 9_900)
  assert.equal(map.keys().next().value, 100)
  assert.ok(map.has(9_999))
  // then 99 insertions fit without any eviction
  for (let i = 10_000; i < 10_099; i++) {
    makeRoomFor(map, 10_000)
    map.set(i, i)
  }
  assert.equal(map.size, 9_999)
  assert.equal(map.keys().next().value, 100)
})

test('makeRoomFor: an over-full collection (bound lowered) comes down below the bound', () => {
  const map = new Map<number, number>()
  for (let i = 0; i < 500; i++) map.set(i, i)
  makeRoomFor(map, 200)
  assert.equal(map.size, 198)
  assert.equal(map.keys().next().value, 302)
})
