/**
 * Bounded, clock-free rate trackers for the scoring inputs. Times are event times passed in.
 */
import { makeRoomFor } from '../domain/bounded.js'

/**
 * Messages per minute per (pseudonymous) sender, across chats. Two fixed one-minute buckets per
 * sender; the count over the last minute is the current bucket plus the previous one weighted by
 * how much of it still overlaps the last minute (the sliding-window estimate that rate limiters
 * use: exact for steady rates, within one bucket's count for bursts). Memory: at most `maxSenders`
 * senders, the least recently active forgotten first.
 */
export class SenderBurst {
  private readonly windowMs: number
  private readonly maxSenders: number
  private readonly map = new Map<string, { start: number; cur: number; prev: number }>()

  constructor(opts: { windowMs?: number; maxSenders?: number } = {}) {
    this.windowMs = opts.windowMs ?? 60_000
    this.maxSenders = opts.maxSenders ?? 500_000
  }

  /** Counts one message of `sender` at `tsMs`; returns its messages in the last minute (this one included). */
  observe(sender: string, tsMs: number): number {
    const w = this.windowMs
    const start = tsMs - (tsMs % w)
    let s = this.map.get(sender)
    if (s === undefined) {
      s = { start, cur: 0, prev: 0 }
      makeRoomFor(this.map, this.maxSenders)
    } else {
      this.map.delete(sender) // re-inserted: the map's order is recency
      if (start > s.start) {
        s.prev = start - s.start === w ? s.cur : 0
        s.cur = 0
        s.start = start
      }
    }
    this.map.set(sender, s)
    if (start >= s.start) s.cur++
    return this.estimate(s, tsMs)
  }

  /** Messages of `sender` in the minute before `tsMs` (without counting one). */
  rate(sender: string, tsMs: number): number {
    const s = this.map.get(sender)
    return s === undefined ? 0 : this.estimate(s, tsMs)
  }

  get size(): number {
    return this.map.size
  }

  private estimate(s: { start: number; cur: number; prev: number }, tsMs: number): number {
    const w = this.windowMs
    const start = tsMs - (tsMs % w)
    if (start > s.start + w) return 0
    if (start > s.start) return Math.round(s.cur * (1 - (tsMs - start) / w))
    return Math.round(s.cur + s.prev * Math.max(0, Math.min(1, 1 - (tsMs - s.start) / w)))
  }
}

/** A campaign seen in one chat only: most campaigns (a message is its own campaign until a copy arrives). */
interface OneChat {
  chat: string
  lastMs: number
}

/** The chats a campaign was seen in, with the time last seen in each, in recency order. */
type ChatsSeen = OneChat | Map<string, number>

/**
 * Distinct chats per campaign in the last hour. Per campaign, the chats it was seen in with the
 * time last seen, in recency order (older than the window are dropped from the front). Bounded:
 * at most `maxChatsPerCampaign` chats per campaign (the count saturates there: "at least") and
 * `maxCampaigns` campaigns (least recently seen forgotten first).
 *
 * A campaign seen in a single chat is held as one small object, and becomes a Map at its second
 * chat: the 200,000 campaigns of the default bound are nearly all single messages, and one Map each
 * cost about 25 MB more live heap (analysis alone, 600,000 to 800,000 generated messages).
 */
export class CampaignSpread {
  private readonly windowMs: number
  private readonly maxCampaigns: number
  private readonly maxChats: number
  private readonly map = new Map<string, ChatsSeen>()

  constructor(opts: { windowMs?: number; maxCampaigns?: number; maxChatsPerCampaign?: number } = {}) {
    this.windowMs = opts.windowMs ?? 3_600_000
    this.maxCampaigns = opts.maxCampaigns ?? 200_000
    this.maxChats = opts.maxChatsPerCampaign ?? 1000
  }

  /** Records the campaign in `chatId` at `tsMs`; returns its distinct chats in the last hour (this one included). */
  observe(campaignId: string, chatId: string, tsMs: number): number {
    const seen = this.map.get(campaignId)
    if (seen === undefined) makeRoomFor(this.map, this.maxCampaigns)
    else this.map.delete(campaignId)
    const chats = this.withChat(seen === undefined ? undefined : this.pruned(seen, tsMs), chatId, tsMs)
    this.map.set(campaignId, chats)
    return chats instanceof Map ? chats.size : 1
  }

  /** Distinct chats of the campaign in the hour before `tsMs`. */
  chats(campaignId: string, tsMs: number): number {
    const seen = this.map.get(campaignId)
    if (seen === undefined) return 0
    const chats = this.pruned(seen, tsMs)
    if (chats === undefined) {
      this.map.delete(campaignId)
      return 0
    }
    return chats instanceof Map ? chats.size : 1
  }

  get size(): number {
    return this.map.size
  }

  /** `chats` with `chatId` seen at `tsMs` (moved to the most recent end), unless the campaign is saturated. */
  private withChat(chats: ChatsSeen | undefined, chatId: string, tsMs: number): ChatsSeen {
    if (chats === undefined) return { chat: chatId, lastMs: tsMs }
    if (!(chats instanceof Map)) {
      if (chats.chat === chatId) {
        chats.lastMs = Math.max(chats.lastMs, tsMs)
        return chats
      }
      if (this.maxChats < 2) return chats
      return new Map([
        [chats.chat, chats.lastMs],
        [chatId, tsMs],
      ])
    }
    const had = chats.get(chatId)
    if (had !== undefined) {
      chats.delete(chatId)
      chats.set(chatId, Math.max(had, tsMs))
    } else if (chats.size < this.maxChats) chats.set(chatId, tsMs)
    return chats
  }

  /** `chats` without those not seen within the hour before `tsMs` (undefined when none is left). */
  private pruned(chats: ChatsSeen, tsMs: number): ChatsSeen | undefined {
    const horizon = tsMs - this.windowMs
    if (!(chats instanceof Map)) return chats.lastMs >= horizon ? chats : undefined
    for (const [chat, t] of chats) {
      if (t >= horizon) break
      chats.delete(chat)
    }
    return chats.size > 0 ? chats : undefined
  }
}
