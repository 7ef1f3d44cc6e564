/**
 * A table of 64-bit keys, each with a slot for the caller's per-slot typed arrays, kept in the order
 * the keys arrived: the storage under the duplicate filter (./recent-keys.ts) and the scores kept for
 * edits (./last-scores.ts). Typed arrays only (an open-addressing key map, the slots' keys and
 * generations, a ring of arrivals), so millions of keys are no objects for the garbage collector to
 * trace. A key taken again gets a new slot at the end of the order; `oldest` reads from the front.
 */
import { SlotQueue } from '../campaigns/slot-queue.js'
import { grownFrom } from '../domain/typed-arrays.js'
import { U64Map } from '../domain/u64map.js'

const INITIAL_SLOTS = 1024

export class ArrivalSlots {
  private readonly slotOf = new U64Map(INITIAL_SLOTS)
  private keyHi = new Uint32Array(0)
  private keyLo = new Uint32Array(0)
  /** bumped when a slot is freed, so that an arrival item of its earlier key reads as stale */
  private gen = new Uint32Array(0)
  private freeSlots: number[] = []
  private nextSlot = 0
  private readonly arrivals = new SlotQueue(INITIAL_SLOTS, (slot, gen) => this.gen[slot] === gen)

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

  /** A slot for a key not in the table, last in the order. */
  insert(hi: number, lo: number): number {
    if (this.freeSlots.length === 0 && this.nextSlot === this.gen.length) this.growTo(this.gen.length * 2)
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.nextSlot++
    this.keyHi[slot] = hi
    this.keyLo[slot] = lo
    this.slotOf.set(hi, lo, slot)
    this.arrivals.push(slot, this.gen[slot]!)
    return slot
  }

  free(slot: number): void {
    this.slotOf.delete(this.keyHi[slot]!, this.keyLo[slot]!)
    this.gen[slot] = (this.gen[slot]! + 1) >>> 0
    this.freeSlots.push(slot)
  }

  /** The slot of the key that arrived first among those in the table, or -1 when it is empty. */
  oldest(): number {
    const arrivals = this.arrivals
    while (arrivals.length > 0) {
      if (this.gen[arrivals.firstSlot] === arrivals.firstGen) return arrivals.firstSlot
      arrivals.shift()
    }
    return -1
  }

  private growTo(capacity: number): void {
    this.keyHi = grownFrom(this.keyHi, new Uint32Array(capacity))
    this.keyLo = grownFrom(this.keyLo, new Uint32Array(capacity))
    this.gen = grownFrom(this.gen, new Uint32Array(capacity))
    this.grow(capacity)
  }
}
