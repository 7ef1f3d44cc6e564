/**
 * A table of 64-bit keys, each with a slot for the caller's per-slot typed arrays, kept in the order
 * the keys were last touched (least recently touched first): the storage of the scoring trackers
 * (../scoring/trackers.ts), which forget the least recently active sender or campaign first, and,
 * never touched after their insert so that the order is their arrival, of the duplicate filter
 * (../pipeline/recent-keys.ts), the scores kept for edits and the sample rule's chats.
 *
 * Typed arrays only (an open-addressing key map, the slots' keys, a doubly-linked recency list), so
 * hundreds of thousands of keys are no objects for the garbage collector to trace: the Maps of
 * strings and small objects this replaced held 41 and 45 MB of live heap at their bench sizes
 * (161,000 senders, 200,000 campaigns; bench/README, session 26); both now take 28 MB of typed
 * arrays, their own per-slot numbers and unused capacity included. A touch moves a key in place: a
 * key touched a million times still takes one slot.
 */
import { grownFrom } from './typed-arrays.js'
import { U64Map } from './u64map.js'

const INITIAL_SLOTS = 1024
/** "no slot": the end of the recency list */
const NONE = -1

export class RecencySlots {
  private readonly slotOf = new U64Map(INITIAL_SLOTS)
  private keyHi = new Uint32Array(0)
  private keyLo = new Uint32Array(0)
  /** the slot touched just before / after this one (NONE at either end) */
  private before = new Int32Array(0)
  private after = new Int32Array(0)
  private leastRecent = NONE
  private mostRecent = NONE
  private freeSlots: number[] = []
  private nextSlot = 0

  /** `grow(capacity)`: the caller grows its per-slot arrays to `capacity` (called once here, then on each doubling). */
  constructor(private readonly grow: (capacity: number) => void) {
    this.growTo(INITIAL_SLOTS)
  }

  get size(): number {
    return this.slotOf.size
  }

  /** The key's slot, or -1. */
  find(hi: number, lo: number): number {
    return this.slotOf.get(hi, lo)
  }

  /** A slot for a key not in the table, as the most recently touched. */
  insert(hi: number, lo: number): number {
    if (this.freeSlots.length === 0 && this.nextSlot === this.keyHi.length) this.growTo(this.keyHi.length * 2)
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.nextSlot++
    this.keyHi[slot] = hi
    this.keyLo[slot] = lo
    this.slotOf.set(hi, lo, slot)
    this.append(slot)
    return slot
  }

  /** Makes the slot the most recently touched. */
  touch(slot: number): void {
    if (slot === this.mostRecent) return
    this.detach(slot)
    this.append(slot)
  }

  free(slot: number): void {
    this.slotOf.delete(this.keyHi[slot]!, this.keyLo[slot]!)
    this.detach(slot)
    this.freeSlots.push(slot)
  }

  /** The least recently touched slot, or -1 when the table is empty. */
  leastRecentlyTouched(): number {
    return this.leastRecent
  }

  private append(slot: number): void {
    this.before[slot] = this.mostRecent
    this.after[slot] = NONE
    if (this.mostRecent === NONE) this.leastRecent = slot
    else this.after[this.mostRecent] = slot
    this.mostRecent = slot
  }

  private detach(slot: number): void {
    const before = this.before[slot]!
    const after = this.after[slot]!
    if (before === NONE) this.leastRecent = after
    else this.after[before] = after
    if (after === NONE) this.mostRecent = before
    else this.before[after] = before
  }

  private growTo(capacity: number): void {
    this.keyHi = grownFrom(this.keyHi, new Uint32Array(capacity))
    this.keyLo = grownFrom(this.keyLo, new Uint32Array(capacity))
    this.before = grownFrom(this.before, new Int32Array(capacity))
    this.after = grownFrom(this.after, new Int32Array(capacity))
    this.grow(capacity)
  }
}
