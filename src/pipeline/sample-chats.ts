/**
 * The count behind the privacy rule on campaign samples (privacy.sample_min_chats): per campaign
 * waiting for its sample, the distinct public chats it was seen in. At most `maxCampaigns`
 * campaigns, the first seen forgotten first.
 *
 * Typed, as the scoring trackers (../scoring/trackers.ts): campaigns keyed by a 64-bit hash of their
 * id (../domain/recency-slots.ts, never touched again: the order is first sight), the first chat's
 * 53-bit key in the campaign's slot, a Set of keys from its second chat on. The Map of Sets of chat
 * ids this replaced held 11 to 13 MB of live heap at the end of the bench's million messages (42,000
 * campaigns waiting, nearly all seen in one chat).
 */
import { RecencySlots } from '../domain/recency-slots.js'
import { grownFrom } from '../domain/typed-arrays.js'
import { idKey53, idKey64, PAIR } from '../fingerprint/hash.js'

export class PublicChatsSeen {
  private firstChat = new Float64Array(0)
  /** the campaigns seen in two chats or more, by slot */
  private readonly chatsOf = new Map<number, Set<number>>()
  private readonly slots = new RecencySlots((capacity) => {
    this.firstChat = grownFrom(this.firstChat, new Float64Array(capacity))
  })

  constructor(private readonly maxCampaigns: number) {}

  get size(): number {
    return this.slots.size
  }

  /** Records the campaign in the chat; returns the distinct chats recorded for it. */
  add(campaignId: string, chatId: string): number {
    const chat = idKey53(chatId)
    idKey64(campaignId)
    const hi = PAIR[0]!
    const lo = PAIR[1]!
    const slot = this.slots.find(hi, lo)
    if (slot < 0) {
      if (this.slots.size >= this.maxCampaigns) this.drop(this.slots.leastRecentlyTouched())
      this.firstChat[this.slots.insert(hi, lo)] = chat
      return 1
    }
    let chats = this.chatsOf.get(slot)
    if (chats === undefined) {
      if (this.firstChat[slot] === chat) return 1
      chats = new Set([this.firstChat[slot]!])
      this.chatsOf.set(slot, chats)
    }
    return chats.add(chat).size
  }

  forget(campaignId: string): void {
    idKey64(campaignId)
    const slot = this.slots.find(PAIR[0]!, PAIR[1]!)
    if (slot >= 0) this.drop(slot)
  }

  private drop(slot: number): void {
    this.chatsOf.delete(slot)
    this.slots.free(slot)
  }
}
