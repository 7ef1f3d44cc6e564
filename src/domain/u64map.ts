/**
 * Open-addressing hash map from a 64-bit key (two uint32 halves) to a non-negative int32 value.
 * Linear probing with backward-shift deletion (no tombstones), typed arrays only: about 12 bytes
 * per slot at load factor <= 0.5, no per-entry objects for the garbage collector to trace.
 */
export class U64Map {
  private keys: Uint32Array
  private vals: Int32Array
  private mask: number
  private count = 0

  constructor(initialCapacity = 1024) {
    let cap = 16
    while (cap < initialCapacity * 2) cap *= 2
    this.keys = new Uint32Array(cap * 2)
    this.vals = new Int32Array(cap).fill(-1)
    this.mask = cap - 1
  }

  get size(): number {
    return this.count
  }

  private slotOf(hi: number, lo: number): number {
    let h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b)
    h ^= h >>> 15
    return h & this.mask
  }

  get(hi: number, lo: number): number {
    const keys = this.keys
    const vals = this.vals
    for (let i = this.slotOf(hi, lo); ; i = (i + 1) & this.mask) {
      const v = vals[i]!
      if (v < 0) return -1
      if (keys[2 * i] === hi && keys[2 * i + 1] === lo) return v
    }
  }

  set(hi: number, lo: number, value: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow()
    const keys = this.keys
    const vals = this.vals
    for (let i = this.slotOf(hi, lo); ; i = (i + 1) & this.mask) {
      const v = vals[i]!
      if (v < 0) {
        keys[2 * i] = hi
        keys[2 * i + 1] = lo
        vals[i] = value
        this.count++
        return
      }
      if (keys[2 * i] === hi && keys[2 * i + 1] === lo) {
        vals[i] = value
        return
      }
    }
  }

  delete(hi: number, lo: number): boolean {
    const keys = this.keys
    const vals = this.vals
    const mask = this.mask
    let i = this.slotOf(hi, lo)
    for (; ; i = (i + 1) & mask) {
      if (vals[i]! < 0) return false
      if (keys[2 * i] === hi && keys[2 * i + 1] === lo) break
    }
    // backward-shift deletion
    let j = i
    for (;;) {
      j = (j + 1) & mask
      if (vals[j]! < 0) break
      const home = this.slotOf(keys[2 * j]!, keys[2 * j + 1]!)
      // can the entry at j move to i? (home not cyclically in (i, j])
      const movable = i <= j ? home <= i || home > j : home <= i && home > j
      if (movable) {
        keys[2 * i] = keys[2 * j]!
        keys[2 * i + 1] = keys[2 * j + 1]!
        vals[i] = vals[j]!
        i = j
      }
    }
    vals[i] = -1
    this.count--
    return true
  }

  clear(): void {
    this.vals.fill(-1)
    this.count = 0
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldVals = this.vals
    const cap = (this.mask + 1) * 2
    this.keys = new Uint32Array(cap * 2)
    this.vals = new Int32Array(cap).fill(-1)
    this.mask = cap - 1
    this.count = 0
    for (let i = 0; i < oldVals.length; i++) {
      const v = oldVals[i]!
      if (v >= 0) this.set(oldKeys[2 * i]!, oldKeys[2 * i + 1]!, v)
    }
  }

  /** Approximate bytes held. */
  bytes(): number {
    return this.keys.byteLength + this.vals.byteLength
  }
}
