/**
 * The LSH table's singly-linked bucket chains against a model: per key and band, the linked nodes
 * newest first, at most `visiblePerKey` of them (linking trims the older ones), under random links,
 * unlinks, growths and a rebuild after a mass eviction, with few keys and few buckets so that chains
 * collide and trim.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Entries } from '../../../src/campaigns/entries.js'
import { LshTable } from '../../../src/campaigns/lsh.js'
import { xorshift32 } from '../../support/xorshift.js'

const PER_ENTRY = 3
const VISIBLE = 4

/** Every chain of the table as [key, band, node] in chain order; fails on a cycle. */
function chains(table: LshTable): Map<string, number[]> {
  const per = table.perEntry
  const perKey = new Map<string, number[]>()
  const visited = new Set<number>()
  for (let h = 0; h <= table.headMask; h++) {
    for (let node = table.heads[h]!; node >= 0; node = table.nodes[2 * node + 1]!) {
      assert.ok(!visited.has(node), `node ${node} met twice`)
      visited.add(node)
      const key = table.nodes[2 * node]!
      assert.equal(key & table.headMask, h, `node ${node} in the wrong bucket`)
      const id = `${key}/${node % per}`
      perKey.set(id, [...(perKey.get(id) ?? []), node])
    }
  }
  return perKey
}

/** The search's view: the first `VISIBLE` nodes of each key and band, in chain order. */
function visible(perKey: Map<string, number[]>): Map<string, number[]> {
  return new Map([...perKey].map(([id, nodes]) => [id, nodes.slice(0, VISIBLE)]))
}

/**
 * `maxCapacity`: the largest the table may grow to. The entries start at 256 and grow to 512 at step
 * 2000: with a largest capacity of 2^20 that growth resizes the bucket heads and relinks every node
 * in slot order; with 512 (256 is a sixteenth of it or more) the heads were sized for 512 from the
 * start, and the growth leaves every chain as it was.
 */
function modelRun(maxCapacity: number, relinksAtGrowth: boolean): void {
  const r = xorshift32(20261206)
  const entries = new Entries(256)
  const table = new LshTable(PER_ENTRY, VISIBLE, maxCapacity)
  table.grow(entries.cap, entries)
  const model = new Map<string, number[]>()
  const linkedSlots = new Set<number>()
  let trimmed = 0
  for (let step = 0; step < 4000; step++) {
    if (linkedSlots.size > 0 && r() < 0.35) {
      const slots = [...linkedSlots]
      const slot = slots[Math.floor(r() * slots.length)]!
      table.unlinkEntry(slot)
      for (const [id, nodes] of model)
        model.set(
          id,
          nodes.filter((n) => Math.floor(n / PER_ENTRY) !== slot),
        )
      linkedSlots.delete(slot)
      entries.free(slot)
    } else if (!entries.full) {
      const slot = entries.take(step, 0)
      // few keys (six), so that every key has more nodes than are visible
      const keys = Uint32Array.from({ length: PER_ENTRY }, () => 1 + Math.floor(r() * 6) * 97)
      table.linkKeys(slot, keys)
      linkedSlots.add(slot)
      for (let band = 0; band < PER_ENTRY; band++) {
        const id = `${keys[band]}/${band}`
        const nodes = [slot * PER_ENTRY + band, ...(model.get(id) ?? [])]
        trimmed += Math.max(0, nodes.length - VISIBLE)
        model.set(id, nodes.slice(0, VISIBLE))
      }
    }
    if (step === 2000) {
      const headsBefore = table.heads.length
      entries.grow(entries.cap * 2)
      table.grow(entries.cap, entries)
      assert.equal(table.heads.length !== headsBefore, relinksAtGrowth, 'the heads were resized at the growth')
      if (relinksAtGrowth) {
        // every linked node relinked, in slot order
        const before = [...model].map(([id, nodes]) => [id, [...nodes].sort((a, b) => b - a)] as const)
        model.clear()
        for (const [id, nodes] of before) if (nodes.length > 0) model.set(id, nodes)
      }
    }
    if (step === 3000) {
      // a mass eviction: half the entries leave their chains unwalked, the chains are rebuilt from the rest
      const slots = [...linkedSlots].filter(() => r() < 0.5)
      for (const slot of slots) {
        table.leaveUnlinked(slot)
        linkedSlots.delete(slot)
        entries.free(slot)
      }
      table.relink(entries)
      const before = [...model].map(
        ([id, nodes]) => [id, nodes.filter((n) => !slots.includes(Math.floor(n / PER_ENTRY))).sort((a, b) => b - a)] as const,
      )
      model.clear()
      for (const [id, nodes] of before) if (nodes.length > 0) model.set(id, nodes)
    }
    if (step % 97 === 0 || step === 2000 || step === 3000) {
      const expected = new Map([...model].filter(([, nodes]) => nodes.length > 0))
      assert.deepEqual(visible(chains(table)), expected, `step ${step}`)
      assert.ok(
        [...chains(table).values()].every((nodes) => nodes.length <= VISIBLE),
        `step ${step}: a chain keeps more than the visible nodes`,
      )
    }
  }
  assert.ok(trimmed > 1000, `the keys were too few to trim: ${trimmed}`)
}

test('chains hold the newest nodes of each key and band, at most visiblePerKey, through links, unlinks, growth and a rebuild', () => {
  modelRun(2 ** 20, true)
})

test('once the heads are sized for the largest capacity, a growth relinks nothing and every chain keeps its order', () => {
  modelRun(512, false)
})

test('a removed newer node does not bring back a trimmed older one', () => {
  const entries = new Entries(16)
  const table = new LshTable(1, 2, 16)
  table.grow(entries.cap, entries)
  const key = Uint32Array.of(42)
  const slots = [0, 1, 2].map((i) => {
    const slot = entries.take(i, 0)
    table.linkKeys(slot, key)
    return slot
  })
  assert.deepEqual([...chains(table).values()], [[2, 1]], 'the oldest is trimmed at the third link')
  table.unlinkEntry(slots[2]!)
  assert.deepEqual([...chains(table).values()], [[1]])
  table.unlinkEntry(slots[0]!) // trimmed already: nothing to do
  assert.deepEqual([...chains(table).values()], [[1]])
})

test('a linked node missing from its chain is an internal error, not an endless walk', () => {
  const entries = new Entries(16)
  const table = new LshTable(1, 2, 16)
  table.grow(entries.cap, entries)
  const a = entries.take(0, 0)
  const b = entries.take(1, 0)
  table.linkKeys(a, Uint32Array.of(7))
  table.linkKeys(b, Uint32Array.of(7))
  table.nodes[2 * b + 1] = -1 // corrupt: the chain now ends before node a
  assert.throws(() => table.unlinkEntry(a), { code: 'AR_INTERNAL' })
})

test('a walk that goes round a cycle (a node read as linked that never was) is an internal error, not an endless loop', () => {
  const entries = new Entries(16)
  const table = new LshTable(1, 2, 16)
  table.grow(entries.cap, entries)
  const [a, b, c] = [entries.take(0, 0), entries.take(1, 0), entries.take(2, 0)]
  table.linkKeys(a, Uint32Array.of(7))
  table.linkKeys(b, Uint32Array.of(7))
  table.nodes[2 * a + 1] = b // corrupt: b → a → b → …
  table.nodes[2 * c] = 7 // c claims to be linked under key 7, in no chain
  table.nodes[2 * c + 1] = a
  assert.throws(() => table.unlinkEntry(c), { code: 'AR_INTERNAL' })
})

test('the entries double until a doubling would reach a sixteenth of the largest capacity, then go straight to it', () => {
  const entries = new Entries(1_000_000)
  const capacities = [entries.cap]
  while (entries.cap < 1_000_000) {
    entries.grow(entries.nextCapacity)
    capacities.push(entries.cap)
  }
  assert.deepEqual(capacities, [1024, 2048, 4096, 8192, 16384, 32768, 1_000_000])
  const table = new LshTable(2, 2, 1_000_000)
  table.grow(entries.cap, entries)
  // nothing is written past what was copied: the nodes of slots never taken are zero (not committed)
  assert.equal(table.nodes.length, 4_000_000)
  assert.equal(
    table.nodes.findIndex((v) => v !== 0),
    -1,
  )
})
