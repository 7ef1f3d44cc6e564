/**
 * Bounded, clock-free rate trackers for the scoring inputs. Times are event times passed in.
 */
import { RecencySlots } from '../domain/recency-slots.js'
import { grownFrom } from '../domain/typed-arrays.js'
import { idKey53, idKey64, PAIR } from '../fingerprint/hash.js'

/**
 * Messages per minute per (pseudonymous) sender, across chats. Two fixed one-minute buckets per
 * sender; the count over the last minute is the current bucket plus the previous one weighted by
 * how much of it still overlaps the last minute (the sliding-window estimate that rate limiters
 * use: exact for steady rates, within one bucket's count for bursts). Memory: at most `maxSenders`
 * senders, the least recently active forgotten first; senders are keyed by a 64-bit hash of their
 * pseudonym in typed storage (../domain/recency-slots.ts); two senders that shared one
 * (../fingerprint/hash.ts idKey64) would add up their counts.
 */
export class SenderBurst {
  private readonly windowMs: number
  private readonly maxSenders: number
  /** per slot: the start of the sender's current bucket, its count, the count of the bucket before */
  private bucketStart = new Float64Array(0)
  private current = new Uint32Array(0)
  private previous = new Uint32Array(0)
  private readonly slots = new RecencySlots((capacity) => {
    this.bucketStart = grownFrom(this.bucketStart, new Float64Array(capacity))
    this.current = grownFrom(this.current, new Uint32Array(capacity))
    this.previous = grownFrom(this.previous, new Uint32Array(capacity))
  })

  constructor(opts: { windowMs?: number; maxSenders?: number } = {}) {
    this.windowMs = opts.windowMs ?? 60_000
    this.maxSenders = opts.maxSenders ?? 500_000
  }

  /** Counts one message of `sender` at `tsMs`; returns its messages in the last minute (this one included). */
  observe(sender: string, tsMs: number): number {
    const w = this.windowMs
    const start = tsMs - (tsMs % w)
    idKey64(sender)
    const hi = PAIR[0]!
    const lo = PAIR[1]!
    let slot = this.slots.find(hi, lo)
    if (slot < 0) {
      if (this.slots.size >= this.maxSenders) this.slots.free(this.slots.leastRecentlyTouched())
      slot = this.slots.insert(hi, lo)
      this.bucketStart[slot] = start
      this.current[slot] = 0
      this.previous[slot] = 0
    } else {
      this.slots.touch(slot)
      const had = this.bucketStart[slot]!
      if (start > had) {
        this.previous[slot] = start - had === w ? this.current[slot]! : 0
        this.current[slot] = 0
        this.bucketStart[slot] = start
      }
    }
    if (start >= this.bucketStart[slot]!) this.current[slot]!++
    return this.estimate(slot, tsMs)
  }

  /** Messages of `sender` in the minute before `tsMs` (without counting one). */
  rate(sender: string, tsMs: number): number {
    idKey64(sender)
    const slot = this.slots.find(PAIR[0]!, PAIR[1]!)
    return slot < 0 ? 0 : this.estimate(slot, tsMs)
  }

  get size(): number {
    return this.slots.size
  }

  private estimate(slot: number, tsMs: number): number {
    const w = this.windowMs
    const start = tsMs - (tsMs % w)
    const had = this.bucketStart[slot]!
    const current = this.current[slot]!
    if (start > had + w) return 0
    if (start > had) return Math.round(current * (1 - (tsMs - start) / w))
    return Math.round(current + this.previous[slot]! * Math.max(0, Math.min(1, 1 - (tsMs - had) / w)))
  }
}

/**
 * Distinct chats per campaign in the last hour. Per campaign, the chats it was seen in with the
 * time last seen, in recency order (older than the window are dropped from the front). Bounded:
 * at most `maxChatsPerCampaign` chats per campaign (the count saturates there: "at least") and
 * `maxCampaigns` campaigns (least recently seen forgotten first).
 *
 * Nearly all of the 200,000 campaigns of the default bound are single messages, seen in one chat:
 * that chat and its time are two numbers of the campaign's slot in typed storage (campaigns keyed by
 * a 64-bit hash of their id, ../domain/recency-slots.ts). At its second chat a campaign's chats move
 * to a Map (53-bit chat key, ../fingerprint/hash.ts idKey53, to time last seen).
 */
export class CampaignSpread {
  private readonly windowMs: number
  private readonly maxCampaigns: number
  private readonly maxChats: number
  /** per slot, while the campaign was seen in one chat: its key and the time last seen there */
  private onlyChat = new Float64Array(0)
  private onlyChatLastMs = new Float64Array(0)
  /** the campaigns seen in two chats or more, by slot: chat key to time last seen, in recency order */
  private readonly manyChats = new Map<number, Map<number, number>>()
  private readonly slots = new RecencySlots((capacity) => {
    this.onlyChat = grownFrom(this.onlyChat, new Float64Array(capacity))
    this.onlyChatLastMs = grownFrom(this.onlyChatLastMs, new Float64Array(capacity))
  })

  constructor(opts: { windowMs?: number; maxCampaigns?: number; maxChatsPerCampaign?: number } = {}) {
    this.windowMs = opts.windowMs ?? 3_600_000
    this.maxCampaigns = opts.maxCampaigns ?? 200_000
    this.maxChats = opts.maxChatsPerCampaign ?? 1000
  }

  /** Records the campaign in `chatId` at `tsMs`; returns its distinct chats in the last hour (this one included). */
  observe(campaignId: string, chatId: string, tsMs: number): number {
    const chat = idKey53(chatId)
    idKey64(campaignId)
    const hi = PAIR[0]!
    const lo = PAIR[1]!
    let slot = this.slots.find(hi, lo)
    if (slot >= 0) {
      this.slots.touch(slot)
      if (this.pruned(slot, tsMs)) return this.withChat(slot, chat, tsMs)
    } else {
      if (this.slots.size >= this.maxCampaigns) this.forget(this.slots.leastRecentlyTouched())
      slot = this.slots.insert(hi, lo)
    }
    this.onlyChat[slot] = chat
    this.onlyChatLastMs[slot] = tsMs
    return 1
  }

  /** Distinct chats of the campaign in the hour before `tsMs`. */
  chats(campaignId: string, tsMs: number): number {
    idKey64(campaignId)
    const slot = this.slots.find(PAIR[0]!, PAIR[1]!)
    if (slot < 0) return 0
    if (!this.pruned(slot, tsMs)) {
      this.forget(slot)
      return 0
    }
    return this.manyChats.get(slot)?.size ?? 1
  }

  get size(): number {
    return this.slots.size
  }

  private forget(slot: number): void {
    this.manyChats.delete(slot)
    this.slots.free(slot)
  }

  /** Adds `chat` seen at `tsMs` (moved to the most recent end), unless the campaign is saturated; returns its chats. */
  private withChat(slot: number, chat: number, tsMs: number): number {
    const many = this.manyChats.get(slot)
    if (many === undefined) {
      if (this.onlyChat[slot] === chat) {
        this.onlyChatLastMs[slot] = Math.max(this.onlyChatLastMs[slot]!, tsMs)
        return 1
      }
      if (this.maxChats < 2) return 1
      this.manyChats.set(
        slot,
        new Map([
          [this.onlyChat[slot]!, this.onlyChatLastMs[slot]!],
          [chat, tsMs],
        ]),
      )
      return 2
    }
    const had = many.get(chat)
    if (had !== undefined) {
      many.delete(chat)
      many.set(chat, Math.max(had, tsMs))
    } else if (many.size < this.maxChats) many.set(chat, tsMs)
    return many.size
  }

  /**
   * Drops the campaign's chats not seen within the hour before `tsMs`; whether any is left (when none
   * is, its slot still holds a campaign with no chat, to be forgotten or given a first chat).
   */
  private pruned(slot: number, tsMs: number): boolean {
    const horizon = tsMs - this.windowMs
    const many = this.manyChats.get(slot)
    if (many === undefined) return this.onlyChatLastMs[slot]! >= horizon
    for (const [chat, t] of many) {
      if (t >= horizon) break
      many.delete(chat)
    }
    if (many.size > 0) return true
    this.manyChats.delete(slot)
    return false
  }
}
