/**
 * The latest spam score of each recent message, for the rule on edits that raise a score
 * (../scoring/index.ts previousScore): at most `maxMessages` messages, the least recently scored
 * forgotten first. Keyed by a 64-bit hash of (chat id, message id) in typed storage
 * (../domain/recency-slots.ts): the Map of strings this replaced held about 150 bytes of heap per
 * message (the key strings, the boxed score, the table), 80 MB at its 500,000 messages. Two messages share
 * a hash with probability about n²/2^65 (n = 500,000: 10^-8); an edit of one would then be compared
 * with the other's score.
 */
import { hashKey } from '../campaigns/entries.js'
import { grownFrom } from '../domain/typed-arrays.js'
import type { MessageKey } from '../campaigns/index.js'
import { PAIR } from '../fingerprint/hash.js'
import { RecencySlots } from '../domain/recency-slots.js'

export class LastScores {
  private scores = new Float64Array(0)
  private readonly slots = new RecencySlots((capacity) => {
    this.scores = grownFrom(this.scores, new Float64Array(capacity))
  })

  constructor(private readonly maxMessages: number) {}

  get size(): number {
    return this.slots.size
  }

  /** The message's last score, or null when it was not scored here (or was forgotten). */
  get(key: MessageKey): number | null {
    hashKey(key)
    const slot = this.slots.find(PAIR[0]!, PAIR[1]!)
    return slot < 0 ? null : this.scores[slot]!
  }

  /** Keeps the message's score, as its most recent. */
  set(key: MessageKey, score: number): void {
    hashKey(key)
    const hi = PAIR[0]!
    const lo = PAIR[1]!
    const had = this.slots.find(hi, lo)
    if (had >= 0) {
      this.slots.touch(had)
      this.scores[had] = score
      return
    }
    if (this.slots.size >= this.maxMessages) this.slots.free(this.slots.leastRecentlyTouched())
    this.scores[this.slots.insert(hi, lo)] = score
  }
}
