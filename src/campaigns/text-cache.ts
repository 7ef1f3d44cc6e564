/**
 * The skeletons the index verifies candidates on, kept for as long as a bounded budget of characters
 * allows: the oldest cached go first (an entry whose skeleton is gone is matched by its signature).
 */
import type { Entries } from './entries.js'
import { SlotQueue } from './slot-queue.js'

export class TextCache {
  private readonly texts: (string | undefined)[] = []
  private chars = 0
  private readonly order: SlotQueue

  constructor(
    private readonly maxChars: number,
    private readonly entries: Entries,
  ) {
    this.order = new SlotQueue(1024, (slot, gen) => entries.gen[slot] === gen && this.texts[slot] !== undefined)
  }

  get(slot: number): string | undefined {
    return this.texts[slot]
  }

  /** Keeps the skeleton of a slot just taken, then drops the oldest beyond the budget (possibly this one). */
  put(slot: number, skeleton: string): void {
    this.texts[slot] = skeleton
    this.chars += skeleton.length
    this.order.push(slot, this.entries.gen[slot]!)
    while (this.chars > this.maxChars && this.order.length > 0) {
      const s = this.order.firstSlot
      const g = this.order.firstGen
      this.order.shift()
      if (this.entries.gen[s] === g) this.drop(s)
    }
  }

  drop(slot: number): void {
    const text = this.texts[slot]
    if (text === undefined) return
    this.chars -= text.length
    this.texts[slot] = undefined
  }
}
