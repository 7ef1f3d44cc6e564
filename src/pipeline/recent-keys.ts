import { grownFrom } from '../domain/typed-arrays.js'
import { RecencySlots } from '../domain/recency-slots.js'

/**
 * The duplicate filter: event keys accepted within the horizon (processing time), across all the
 * partitions this instance holds, each with the position (partition slot and offset) where it was
 * accepted. A key seen again at a different position is a duplicate, whatever its partition (copies
 * of a keyless event land on different partitions); seen again at the same position, it is the same
 * record delivered again after a restart or rebalance, and is accepted again.
 *
 * It also knows which keys the sink holds (restored from `seen_events`): `writtenAt` tells the
 * processor that a record is read again although it was written, which outside a range left in
 * flight means the group's offsets went back (a reset, or a lost commit): the batches cut now differ
 * from the ones written, so the sink's deduplication tokens cannot recognise them, and only skipping
 * the record keeps the counts exact.
 *
 * Storage: typed arrays only (an open-addressing key map, a slot per key with its expiry and position,
 * and the arrival order), 60 to 120 bytes per event as the arrays stand in their doubling, and no
 * per-event object for the garbage collector to trace: the two Maps of numbers this replaced held
 * about 110 bytes per event, half of it in boxed numbers (53-bit keys, positions and expiries are
 * not small integers). 1 million events per horizon is 60 to 120 MB. The sink keeps one
 * `seen_events` row per event (about 20 bytes compressed) for the same horizon. Keys are 53-bit
 * hashes of event_id: the chance that two different events collide within a horizon of n events is
 * about n²/2^54 (n = 10 million: 0.5 %; n = 1 million: 0.005 %).
 */
export class RecentKeys {
  private expiry = new Float64Array(0)
  /** the position, or -(position + 1) once the sink holds it (positions use all 53 bits: no room for a flag bit) */
  private position = new Float64Array(0)
  /** the keys in arrival order (never touched after): mostly expiry order, so eviction reads from the front */
  private readonly slots = new RecencySlots((capacity) => {
    this.expiry = grownFrom(this.expiry, new Float64Array(capacity))
    this.position = grownFrom(this.position, new Float64Array(capacity))
  })

  constructor(private readonly horizonMs: number) {}

  get size(): number {
    return this.slots.size
  }

  /** Records the key at a position; returns false if it was accepted before at another position. */
  add(key: number, position: number, nowMs: number): boolean {
    this.evict(nowMs)
    const slot = this.find(key)
    if (slot >= 0) {
      if (this.expiry[slot]! > nowMs) return this.positionAt(slot) === position
      this.slots.free(slot)
    }
    this.insert(key, nowMs + this.horizonMs, position)
    return true
  }

  /** True if the sink holds the key from exactly this position. */
  writtenAt(key: number, position: number): boolean {
    const slot = this.find(key)
    return slot >= 0 && this.position[slot] === -(position + 1)
  }

  /** Restores a key the sink holds, written at `seenAtMs`; one accepted here at the same position is now known written. */
  restore(key: number, position: number, seenAtMs: number): void {
    const slot = this.find(key)
    if (slot >= 0) {
      if (this.position[slot] === position) this.position[slot] = -(position + 1)
      return
    }
    this.insert(key, seenAtMs + this.horizonMs, -(position + 1))
  }

  private find(key: number): number {
    return this.slots.find(hiOf(key), key >>> 0)
  }

  private positionAt(slot: number): number {
    const stored = this.position[slot]!
    return stored < 0 ? -stored - 1 : stored
  }

  private insert(key: number, expiryMs: number, position: number): void {
    const slot = this.slots.insert(hiOf(key), key >>> 0)
    this.expiry[slot] = expiryMs
    this.position[slot] = position
  }

  private evict(nowMs: number): void {
    for (let slot = this.slots.leastRecentlyTouched(); slot >= 0 && this.expiry[slot]! <= nowMs; slot = this.slots.leastRecentlyTouched())
      this.slots.free(slot)
  }
}

/** The high 21 bits of a 53-bit key. */
function hiOf(key: number): number {
  return Math.floor(key / 4294967296)
}

/** A 53-bit hash of a string (two 32-bit FNV-1a variants), exact as a JS number and as UInt64. */
export function eventKey(id: string): number {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193 ^ id.length
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  h1 ^= h1 >>> 13
  h1 = Math.imul(h1, 0xc2b2ae35)
  h1 ^= h1 >>> 16
  return (h2 >>> 11) * 4294967296 + (h1 >>> 0)
}

/**
 * Record positions as one number: a slot per (topic, partition), assigned in order of first sight,
 * times 2^40, plus the offset (offsets stay below 2^40 ≈ 10^12, slots below 8192).
 */
export class PositionCodec {
  private readonly slots = new Map<string, number>()

  encode(topic: string, partition: number, offset: number): number {
    const id = `${topic}\u0000${partition}`
    let slot = this.slots.get(id)
    if (slot === undefined) {
      slot = this.slots.size
      if (slot >= 8192) throw new Error('more than 8192 partitions in one instance')
      this.slots.set(id, slot)
    }
    return slot * 2 ** 40 + offset
  }
}
