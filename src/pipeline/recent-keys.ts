/**
 * The duplicate filter of one partition: event keys accepted within the horizon (processing time).
 *
 * Cost: a Map entry per event, about 70 bytes, so 1 million events per partition per horizon is about
 * 70 MB; storage is one `seen_events` row per event (about 20 bytes compressed) for the same horizon.
 * Keys are 53-bit hashes of event_id: the chance that two different events of one partition collide
 * within a horizon of n events is about n²/2^54 (n = 10 million: 0.5 %; n = 1 million: 0.005 %).
 */
export class RecentKeys {
  /** key → expiry (ms); insertion order is expiry order, so eviction reads from the front. */
  private readonly expiries = new Map<number, number>()

  constructor(private readonly horizonMs: number) {}

  get size(): number {
    return this.expiries.size
  }

  /** Records the key; returns false if it was already there (a duplicate). */
  add(key: number, nowMs: number): boolean {
    this.evict(nowMs)
    if (this.expiries.has(key)) return false
    this.expiries.set(key, nowMs + this.horizonMs)
    return true
  }

  /** Restores keys remembered by a previous owner (seen at `seenAtMs`). Call before any add(). */
  restore(key: number, seenAtMs: number): void {
    this.expiries.set(key, seenAtMs + this.horizonMs)
  }

  private evict(nowMs: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > nowMs) return
      this.expiries.delete(key)
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
