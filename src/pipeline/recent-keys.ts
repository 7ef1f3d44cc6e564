/**
 * The duplicate filter: event keys accepted within the horizon (processing time), across all the
 * partitions this instance holds, each with the position (partition slot and offset) where it was
 * accepted. A key seen again at a different position is a duplicate, whatever its partition (copies
 * of a keyless event land on different partitions); seen again at the same position, it is the same
 * record replayed after a restart or rebalance, and is accepted again.
 *
 * Cost: two Map entries per event, about 100 bytes, so 1 million events per horizon is about 100 MB;
 * storage is one `seen_events` row per event (about 20 bytes compressed) for the same horizon.
 * Keys are 53-bit hashes of event_id: the chance that two different events collide within a horizon
 * of n events is about n²/2^54 (n = 10 million: 0.5 %; n = 1 million: 0.005 %).
 */
export class RecentKeys {
  /** key → expiry (ms); mostly in expiry order, so eviction reads from the front. */
  private readonly expiries = new Map<number, number>()
  private readonly positions = new Map<number, number>()

  constructor(private readonly horizonMs: number) {}

  get size(): number {
    return this.expiries.size
  }

  /** Records the key at a position; returns false if it was accepted before at another position. */
  add(key: number, position: number, nowMs: number): boolean {
    this.evict(nowMs)
    const expiry = this.expiries.get(key)
    if (expiry !== undefined && expiry > nowMs) return this.positions.get(key) === position
    this.expiries.delete(key)
    this.expiries.set(key, nowMs + this.horizonMs)
    this.positions.set(key, position)
    return true
  }

  /** Restores a key accepted earlier (from the sink) at `seenAtMs`. */
  restore(key: number, position: number, seenAtMs: number): void {
    if (this.expiries.has(key)) return
    this.expiries.set(key, seenAtMs + this.horizonMs)
    this.positions.set(key, position)
  }

  private evict(nowMs: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > nowMs) return
      this.expiries.delete(key)
      this.positions.delete(key)
    }
  }
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
