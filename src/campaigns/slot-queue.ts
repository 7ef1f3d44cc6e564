/**
 * A first-in first-out queue of (entry slot, generation) pairs in a ring buffer: the order entries
 * arrived (eviction) or had their text cached (the text cache). Slots are reused, so an item is only
 * current while its slot still has that generation; stale items are skipped by the reader, and
 * dropped when the ring is full before it grows.
 */
export class SlotQueue {
  private slots: Int32Array
  private gens: Uint32Array
  private head = 0
  length = 0

  constructor(
    capacity: number,
    /** whether an item still stands for its entry */
    private readonly isCurrent: (slot: number, gen: number) => boolean,
  ) {
    this.slots = new Int32Array(capacity)
    this.gens = new Uint32Array(capacity)
  }

  get firstSlot(): number {
    return this.slots[this.head]!
  }

  get firstGen(): number {
    return this.gens[this.head]!
  }

  shift(): void {
    this.head = (this.head + 1) % this.slots.length
    this.length--
  }

  push(slot: number, gen: number): void {
    if (this.length === this.slots.length) {
      this.copyCurrent(this.slots.length)
      if (this.length === this.slots.length) this.copyCurrent(this.slots.length * 2)
    }
    const at = (this.head + this.length) % this.slots.length
    this.slots[at] = slot
    this.gens[at] = gen
    this.length++
  }

  /** Copies the items still current, in order, to the front of new arrays of `capacity` items. */
  private copyCurrent(capacity: number): void {
    const n = this.slots.length
    const slots = new Int32Array(capacity)
    const gens = new Uint32Array(capacity)
    let w = 0
    for (let i = 0; i < this.length; i++) {
      const at = (this.head + i) % n
      if (!this.isCurrent(this.slots[at]!, this.gens[at]!)) continue
      slots[w] = this.slots[at]!
      gens[w] = this.gens[at]!
      w++
    }
    this.slots = slots
    this.gens = gens
    this.head = 0
    this.length = w
  }
}
