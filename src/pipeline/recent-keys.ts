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
 * Cost: two Map entries per event, about 100 bytes, so 1 million events per horizon is about 100 MB;
 * storage is one `seen_events` row per event (about 20 bytes compressed) for the same horizon.
 * Keys are 53-bit hashes of event_id: the chance that two different events collide within a horizon
 * of n events is about n²/2^54 (n = 10 million: 0.5 %; n = 1 million: 0.005 %).
 */
export class RecentKeys {
  /** key → expiry (ms); mostly in expiry order, so eviction reads from the front. */
  private readonly expiries = new Map<number, number>()
  /** key → position, or -(position + 1) once the sink holds it (positions use all 53 bits: no room for a flag bit). */
  private readonly positions = new Map<number, number>()

  constructor(private readonly horizonMs: number) {}

  get size(): number {
    return this.expiries.size
  }

  /** Records the key at a position; returns false if it was accepted before at another position. */
  add(key: number, position: number, nowMs: number): boolean {
    this.evict(nowMs)
    const expiry = this.expiries.get(key)
    if (expiry !== undefined && expiry > nowMs) return this.positionOf(key) === position
    this.expiries.delete(key)
    this.expiries.set(key, nowMs + this.horizonMs)
    this.positions.set(key, position)
    return true
  }

  /** True if the sink holds the key from exactly this position. */
  writtenAt(key: number, position: number): boolean {
    return this.positions.get(key) === -(position + 1)
  }

  /** Restores a key the sink holds, written at `seenAtMs`; one accepted here at the same position is now known written. */
  restore(key: number, position: number, seenAtMs: number): void {
    const stored = this.positions.get(key)
    if (stored === position) this.positions.set(key, -(position + 1))
    if (stored !== undefined) return
    this.expiries.set(key, seenAtMs + this.horizonMs)
    this.positions.set(key, -(position + 1))
  }

  private positionOf(key: number): number | undefined {
    const stored = this.positions.get(key)
    return stored !== undefined && stored < 0 ? -stored - 1 : stored
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
