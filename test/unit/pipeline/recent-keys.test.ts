import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RecentKeys } from '../../../src/pipeline/recent-keys.js'

test('a key restored from the sink is known written at its position only; one accepted here becomes written when restored', () => {
  const keys = new RecentKeys(60_000)
  keys.restore(7, 0, 1000)
  assert.equal(keys.add(7, 0, 2000), true, 'the same record again is not a duplicate')
  assert.equal(keys.writtenAt(7, 0), true)
  assert.equal(keys.writtenAt(7, 1), false)
  assert.equal(keys.add(7, 5, 2000), false, 'a copy at another position is a duplicate')

  assert.equal(keys.add(9, 2 ** 45 + 3, 2000), true)
  assert.equal(keys.writtenAt(9, 2 ** 45 + 3), false, 'accepted, not yet written')
  keys.restore(9, 2 ** 45 + 3, 2500)
  assert.equal(keys.writtenAt(9, 2 ** 45 + 3), true)
  assert.equal(keys.add(9, 2 ** 45 + 3, 3000), true)
})

test('a key is a duplicate at another position within the horizon, and new again after it', () => {
  const keys = new RecentKeys(60_000)
  assert.equal(keys.add(1, 10, 0), true)
  assert.equal(keys.add(1, 11, 59_999), false, 'another position within the horizon: a duplicate')
  assert.equal(keys.add(1, 10, 59_999), true, 'the same position: delivered again')
  assert.equal(keys.add(1, 11, 60_000), true, 'past the horizon: a new event')
  assert.equal(keys.add(1, 10, 60_001), false, 'now at its new position')
  assert.equal(keys.size, 1)
})

/** The filter as two insertion-ordered Maps: the plain model the typed storage must behave as. */
class ModelKeys {
  private readonly expiries = new Map<number, number>()
  private readonly positions = new Map<number, number>()
  constructor(private readonly horizonMs: number) {}
  add(key: number, position: number, nowMs: number): boolean {
    for (const [k, expiry] of this.expiries) {
      if (expiry > nowMs) break
      this.expiries.delete(k)
      this.positions.delete(k)
    }
    const expiry = this.expiries.get(key)
    if (expiry !== undefined && expiry > nowMs) {
      const stored = this.positions.get(key)!
      return (stored < 0 ? -stored - 1 : stored) === position
    }
    this.expiries.delete(key)
    this.expiries.set(key, nowMs + this.horizonMs)
    this.positions.set(key, position)
    return true
  }
  writtenAt(key: number, position: number): boolean {
    return this.positions.get(key) === -(position + 1)
  }
  restore(key: number, position: number, seenAtMs: number): void {
    const stored = this.positions.get(key)
    if (stored === position) this.positions.set(key, -(position + 1))
    if (stored !== undefined) return
    this.expiries.set(key, seenAtMs + this.horizonMs)
    this.positions.set(key, -(position + 1))
  }
  get size(): number {
    return this.expiries.size
  }
}

test('behaves as the plain two-Map model over 200,000 random operations (53-bit keys, growth, eviction, restores)', () => {
  let seed = 12345
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed / 4294967296
  }
  const horizon = 5_000
  const keys = new RecentKeys(horizon)
  const model = new ModelKeys(horizon)
  // keys drawn from a pool large enough to grow the storage past its first 1024 slots many times
  const pool = Array.from({ length: 20_000 }, () => Math.floor(random() * 2 ** 21) * 2 ** 32 + Math.floor(random() * 2 ** 32))
  let now = 1_000_000
  const restoredUntil = 2_000
  for (let i = 0; i < 200_000; i++) {
    const key = pool[Math.floor(random() * pool.length)]!
    const position = 2 ** 40 * Math.floor(random() * 3) + Math.floor(random() * 4)
    if (i < restoredUntil) {
      const seenAt = now - Math.floor(random() * horizon)
      keys.restore(key, position, seenAt)
      model.restore(key, position, seenAt)
      continue
    }
    now += Math.floor(random() * 3)
    assert.equal(keys.add(key, position, now), model.add(key, position, now), `add #${i}`)
    assert.equal(keys.writtenAt(key, position), model.writtenAt(key, position), `writtenAt #${i}`)
    if (random() < 0.05) {
      keys.restore(key, position, now)
      model.restore(key, position, now)
    }
  }
  assert.equal(keys.size, model.size)
})
