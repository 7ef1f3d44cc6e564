/**
 * Entry storage of the campaign index: one slot per live message in struct-of-arrays typed storage
 * (no per-message objects for the garbage collector to trace), slot reuse, growth, the message-key
 * map and the arrival order that eviction follows. What an entry holds besides (its LSH nodes, its
 * skeleton, its campaign's slot bookkeeping) lives in ./lsh.ts, ./text-cache.ts and ./campaigns.ts.
 */
import { SIG_BINS } from '../fingerprint/index.js'
import * as H from '../fingerprint/hash.js'
import type { MessageKey } from './types.js'
import { SlotQueue } from './slot-queue.js'
import { grownFrom } from '../domain/typed-arrays.js'
import { U64Map } from '../domain/u64map.js'

export const F_LIVE = 1
export const F_SHORT = 2

/** Bits 6..13 of a signature bin: the low 6 bits are the bin number, these are uniform (two different bins agree 1 time in 256). */
export function packedBin(signature: Uint32Array, bin: number): number {
  return (signature[bin + 1]! >>> 6) & 0xff
}

/** The 64-bit hash of a message key, into H.PAIR. */
export function hashKey(key: MessageKey): void {
  H.murmur3Utf16Pair(key.chatId + '\u0000' + key.messageId, 0x1b873593, 0xcc9e2d51)
}

/**
 * The share of the largest capacity from which storage is sized for the largest: the entries (see
 * `nextCapacity`) and the LSH tables' bucket heads (./lsh.ts) follow the same rule, so in the index
 * the heads' one relink comes with the entries' one jump.
 */
export const RESERVE_FROM_ONE_IN = 16

export class Entries {
  cap = 0
  /** SIG_BINS bytes per entry (see packedBin) */
  sig = new Uint8Array(0)
  /** the same bytes as 32-bit words, for comparing four bins at once (../campaigns/candidates.ts) */
  sigWords = new Uint32Array(0)
  /** exact hash: hi, lo */
  exact = new Uint32Array(0)
  /** message key hash: hi, lo (to leave the key map) */
  keyHash = new Uint32Array(0)
  ts = new Float64Array(0)
  /** the campaign slot the entry joined (see ./campaigns.ts) */
  camp = new Int32Array(0)
  flags = new Uint8Array(0)
  /** estimated distinct shingles, from the signature header (for entries matched by signature) */
  shingles = new Int32Array(0)
  /** exact distinct shingles of the skeleton, for the exact Jaccard (long texts with a skeleton) */
  distinct = new Int32Array(0)
  /** bumped when the slot is taken or freed, so queue items can tell they are stale */
  gen = new Uint32Array(0)
  /** the query that last met the entry as a candidate (a candidate counts once per query) */
  stamp = new Uint32Array(0)
  nextSlot = 0
  live = 0
  /** message key hash → slot */
  readonly byKey = new U64Map(1024)
  readonly arrivals = new SlotQueue(1024, (slot, gen) => this.isCurrent(slot, gen))
  private freeSlots: number[] = []
  private stampNow = 0

  constructor(private readonly maxEntries: number) {
    this.grow(Math.min(1024, maxEntries))
  }

  isCurrent(slot: number, gen: number): boolean {
    return this.gen[slot] === gen && (this.flags[slot]! & F_LIVE) !== 0
  }

  /** Whether the next `take` has to grow the storage first (then every per-slot array elsewhere grows too). */
  get full(): boolean {
    return this.freeSlots.length === 0 && this.nextSlot >= this.cap
  }

  /**
   * The capacity the next growth goes to: double, and straight to maxEntries once a doubling would
   * reach a sixteenth of it. New arrays are not written beyond what is copied in (the operating system
   * commits a page when a slot on it is first taken), so the reservation costs memory only as the
   * index fills, and no later growth copies the index: the last doubling, to a million entries, held
   * old and new arrays at once (typed arrays 535 → 751 MB) and the event loop for the copy.
   */
  get nextCapacity(): number {
    const doubled = this.cap * 2
    const largest = Math.max(this.maxEntries, 16)
    return doubled * RESERVE_FROM_ONE_IN >= largest ? largest : doubled
  }

  /** A free slot (a freed one first), with a new generation, arrival queued. */
  take(tsMs: number, flags: number): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.nextSlot++
    this.ts[slot] = tsMs
    this.flags[slot] = F_LIVE | flags
    this.gen[slot] = (this.gen[slot]! + 1) >>> 0
    this.live++
    this.arrivals.push(slot, this.gen[slot])
    return slot
  }

  free(slot: number): void {
    this.byKey.delete(this.keyHash[2 * slot]!, this.keyHash[2 * slot + 1]!)
    this.flags[slot] = 0
    this.gen[slot] = (this.gen[slot]! + 1) >>> 0
    this.freeSlots.push(slot)
    this.live--
  }

  /** A new stamp for one query's candidates. */
  nextStamp(): number {
    if (++this.stampNow === 0xffffffff) {
      this.stamp.fill(0)
      this.stampNow = 1
    }
    return this.stampNow
  }

  grow(newCap: number): void {
    const cap = Math.max(16, newCap)
    this.sig = grownFrom(this.sig, new Uint8Array(cap * SIG_BINS))
    this.sigWords = new Uint32Array(this.sig.buffer)
    this.exact = grownFrom(this.exact, new Uint32Array(cap * 2))
    this.keyHash = grownFrom(this.keyHash, new Uint32Array(cap * 2))
    this.ts = grownFrom(this.ts, new Float64Array(cap))
    this.camp = grownFrom(this.camp, new Int32Array(cap))
    this.flags = grownFrom(this.flags, new Uint8Array(cap))
    this.shingles = grownFrom(this.shingles, new Int32Array(cap))
    this.distinct = grownFrom(this.distinct, new Int32Array(cap))
    this.gen = grownFrom(this.gen, new Uint32Array(cap))
    this.stamp = grownFrom(this.stamp, new Uint32Array(cap))
    this.cap = cap
  }
}
