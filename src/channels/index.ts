/**
 * Chat similarity: clone channels (kind `content`) and look-alike names (kind `name`), both as
 * rows of `chat_similarity`. Pure and in memory: no clock, no I/O; times come in as arguments.
 *
 * Modules:
 *  - ./content-index.ts: per-chat content signatures over the sliding window (exact hashes,
 *    campaign ids and text keys of the posts) and the candidate search: only chats that posted a
 *    common item are ever paired, and an item spread over many chats (a campaign) is broad, never
 *    evidence.
 *  - ./clone-score.ts: the content score of a pair (directional containment) and which chat is the copy.
 *  - ./name-index.ts with ./names.ts: look-alike titles and @handles, against each other and against
 *    the protected names (./protected.ts).
 *  - ./pair-table.ts: pair lifecycle (reported kinds, sibling copies, retirement, the pair bound).
 *  - ./rows.ts: a pair's evidence and explanation as a row.
 *
 * A pair is a clone pair when its net shared items >= minShared and its score >= minScore, or its
 * exclusive items (no third chat posted them) >= minSharedExclusive and its score >= minScoreExclusive; the
 * original is the chat that posted the shared items first more often. Only `contentChatTypes`
 * (default: channels) enter signatures: group members and bots do not "repost" (bots answer with
 * canned texts). A network of more than `maxItemChats` verbatim copies of one channel (or of more
 * than `maxCampaignChats` near-copies within an hour) looks like a campaign: a known limit.
 *
 * Rows: drainChanged returns the pairs whose state changed, latest state, only for pairs that are
 * or were reported. A pair that stops being a kind (superseded by another kind, decayed out of the
 * window, or dropped with a forgotten chat) gets a last row of that kind with score 0.
 *
 * Memory, bounded whatever the stream: at most `maxChats` chats of any type (beyond: the least
 * recently active tenth is forgotten, protected names excepted); per chat at most `maxItemsPerChat`
 * posts (an index node per item kind each) and its title and handle cut to MAX_NAME_LENGTH
 * characters (a few index keys each); at most `maxPairs` pairs with no more than weak evidence.
 * Idle chats leave once their items left the window, and broad items once not seen for a window (a
 * sweep every windowMs / 16 of event time, at most every 10 minutes).
 */
import { DEFAULT_AFFIXES, foldAffixes } from './names.js'
import { ContentIndex, itemKey, parseItemKey } from './content-index.js'
import { judgeContent, type CloneThresholds } from './clone-score.js'
import { NameIndex, protectedFromString } from './name-index.js'
import { PairTable } from './pair-table.js'
import {
  ChatTable,
  ITEM_KINDS,
  SP_CAMP,
  SP_EXACT,
  SP_HEAD,
  SP_TAIL,
  firstsOf,
  type Chat,
  type ChatPost,
  type ChatSimilarityOptions,
  type SimilarityRow,
} from './model.js'
import { AbuseRadarError } from '../domain/errors.js'

export { nameForm, nameSkeleton, matchNames, type NameForm, type NameMatch, type NameField, DEFAULT_AFFIXES } from './names.js'
export { compileProtectedNames, type ProtectedName } from './protected.js'
export type { ChatPost, ChatSimilarityOptions, SimilarityRow } from './model.js'

/**
 * Titles and handles are cut to this many UTF-16 units before they are matched or kept: Telegram
 * allows 128 (titles) and 32 (handles), so only malformed input is cut, and a megabyte-long title
 * costs no more memory or matching than a real one.
 */
export const MAX_NAME_LENGTH = 256

const CAMP_SALT = 0x5bd1e995
const HEAD_SALT = 0x27d4eb2f
const TAIL_SALT = 0x165667b1

function clipName(name: string | undefined): string | undefined {
  if (name === undefined || name.length <= MAX_NAME_LENGTH) return name
  // never half a surrogate pair
  const end = (name.charCodeAt(MAX_NAME_LENGTH - 1) & 0xfc00) === 0xd800 ? MAX_NAME_LENGTH - 1 : MAX_NAME_LENGTH
  return name.slice(0, end)
}

export class ChatSimilarity {
  private readonly windowMs: number
  private readonly maxChats: number
  private readonly maxCampaignChats: number
  private readonly thresholds: CloneThresholds
  private readonly sweepEveryMs: number
  private readonly contentTypes: ReadonlySet<string>

  private readonly chats = new ChatTable()
  private readonly pairs: PairTable
  private readonly content: ContentIndex
  private readonly names: NameIndex

  private lastSweep = -Infinity
  private maxTs = -Infinity

  constructor(opts: ChatSimilarityOptions) {
    if (!(opts.windowMs > 0)) throw new AbuseRadarError('AR_INTERNAL', 'ChatSimilarity: windowMs must be > 0')
    if (!(opts.maxChats >= 1)) throw new AbuseRadarError('AR_INTERNAL', 'ChatSimilarity: maxChats must be >= 1')
    this.windowMs = opts.windowMs
    this.maxChats = Math.floor(opts.maxChats)
    this.maxCampaignChats = Math.max(2, opts.maxCampaignChats ?? 10)
    this.thresholds = {
      minShared: Math.max(1, opts.minShared ?? 3),
      minScore: opts.minScore ?? 0.5,
      minSharedExclusive: Math.max(1, opts.minSharedExclusive ?? 2),
      minScoreExclusive: opts.minScoreExclusive ?? 0.4,
    }
    this.contentTypes = new Set(opts.contentChatTypes ?? ['channel'])
    this.sweepEveryMs = Math.max(1000, Math.min(this.windowMs / 16, 600_000))
    this.pairs = new PairTable(this.chats, opts.maxPairs ?? 20 * this.maxChats, this.thresholds)
    const maxItemChats = Math.max(2, opts.maxItemChats ?? 50)
    const maxNodesPerChat = ITEM_KINDS * Math.max(1, opts.maxItemsPerChat ?? 256)
    this.content = new ContentIndex(this.chats, this.pairs, maxItemChats, maxNodesPerChat)
    this.names = new NameIndex(this.chats, this.pairs, foldAffixes(opts.affixes ?? DEFAULT_AFFIXES), opts.maxNameBucket ?? 32)
    for (const p of opts.protectedNames) this.names.addProtected(typeof p === 'string' ? protectedFromString(p) : p)
  }

  /** Whether posts of this chat type enter the content signatures (`contentChatTypes`): only theirs need text keys. */
  comparesContentOf(chatType: string): boolean {
    return this.contentTypes.has(chatType)
  }

  observe(post: ChatPost): void {
    if (post.chatType === 'private') return
    const ts = post.tsMs
    if (ts > this.maxTs) this.maxTs = ts
    if (this.maxTs - this.lastSweep >= this.sweepEveryMs) this.sweep(this.maxTs)
    const chat = this.chats.byId.get(post.chatId) ?? this.chats.add(post.chatId)
    if (ts > chat.lastTs) chat.lastTs = ts
    const title = clipName(post.title)
    const username = clipName(post.username)
    if (title !== chat.title || username !== chat.username) this.names.update(chat, title, username, ts)
    this.content.expire(chat, this.maxTs - this.windowMs)
    if (this.contentTypes.has(post.chatType)) this.addContent(chat, post, ts)
    if (this.chats.byId.size > this.maxChats) this.evictChats(ts)
  }

  private addContent(chat: Chat, post: ChatPost, ts: number): void {
    // a campaign past maxCampaignChats is a wave, and so are its texts' beginnings and ends
    const spread = post.campaignChats > this.maxCampaignChats ? Infinity : 0
    const mayBeExclusive = post.campaignChats <= 2
    if (post.exactHash.length > 0) {
      parseItemKey(post.exactHash, 0)
      this.content.add(chat, SP_EXACT, itemKey.hi, itemKey.lo, ts, 0, mayBeExclusive)
    }
    if (post.campaignId.length > 0) {
      parseItemKey(post.campaignId, post.campaignId.charCodeAt(0) === 0x63 ? 1 : 0)
      this.content.add(chat, SP_CAMP, (itemKey.hi ^ CAMP_SALT) >>> 0, itemKey.lo, ts, spread, mayBeExclusive)
    }
    if (post.headKey.length > 0) {
      parseItemKey(post.headKey, 0)
      this.content.add(chat, SP_HEAD, (itemKey.hi ^ HEAD_SALT) >>> 0, itemKey.lo, ts, spread, mayBeExclusive)
    }
    if (post.tailKey.length > 0) {
      parseItemKey(post.tailKey, 0)
      this.content.add(chat, SP_TAIL, (itemKey.hi ^ TAIL_SALT) >>> 0, itemKey.lo, ts, spread, mayBeExclusive)
    }
  }

  /** Pairs whose state changed since the last call, with their latest state (only pairs that are, or were, reported). */
  drainChanged(nowMs: number): SimilarityRow[] {
    return this.pairs.drainChanged(nowMs)
  }

  /**
   * A pair's internals (tests, debugging): shared items per kind (`shared`, by SP_EXACT, SP_CAMP,
   * SP_HEAD, SP_TAIL), how many of them each chat posted first, each chat's live items per kind.
   */
  inspect(
    chatA: string,
    chatB: string,
  ): { shared: number[]; firsts: [number, number]; sizes: [number[], number[]]; score: number; ok: boolean } | null {
    const a = this.chats.byId.get(chatA)
    const b = this.chats.byId.get(chatB)
    if (!a || !b) return null
    const p = this.pairs.get(a.slot, b.slot)
    if (!p) return null
    const aLo = a.slot === p.lo
    judgeContent(p, this.chats, this.thresholds)
    const shared: number[] = []
    for (let sp = 0; sp < ITEM_KINDS; sp++) shared.push(p.firsts[2 * sp]! + p.firsts[2 * sp + 1]!)
    return {
      shared,
      firsts: [firstsOf(p, aLo), firstsOf(p, !aLo)],
      sizes: [[...a.sizes], [...b.sizes]],
      score: p.contentScore,
      ok: p.contentOk,
    }
  }

  /** The chat is the copy in at least one clone pair (as of the last drainChanged). */
  isClone(chatId: string): boolean {
    const c = this.chats.byId.get(chatId)
    return c !== undefined && c.clones > 0
  }

  stats(): { chats: number; contentPairs: number; namePairs: number; pairs: number; items: number; broadItems: number; nameKeys: number } {
    let silentProtected = 0
    for (const c of this.names.protectedChats) if (c.lastTs === 0) silentProtected++
    return {
      chats: this.chats.byId.size - silentProtected,
      contentPairs: this.pairs.reportedContent,
      namePairs: this.pairs.reportedName,
      pairs: this.pairs.byKey.size,
      items: this.content.live,
      broadItems: this.content.broad.size,
      nameKeys: this.names.keys,
    }
  }

  private removeChat(c: Chat): void {
    this.content.clear(c)
    this.names.unindex(c)
    if (c.pairs !== null)
      for (const key of [...c.pairs]) {
        const p = this.pairs.byKey.get(key)
        if (p !== undefined) this.pairs.delete(p)
      }
    this.chats.release(c)
  }

  /** Periodic: expire idle chats' items, forget chats whose items all left the window, drop stale broad items. */
  private sweep(now: number): void {
    this.lastSweep = now
    const horizon = now - this.windowMs
    for (const c of this.chats.byId.values()) {
      this.content.expire(c, horizon)
      if (!c.permanent && c.nodes === 0 && c.lastTs < horizon) this.removeChat(c)
    }
    this.content.expireBroad(horizon)
  }

  /** Over maxChats: forget the least recently active tenth. */
  private evictChats(now: number): void {
    this.sweep(now)
    if (this.chats.byId.size <= this.maxChats) return
    const list = [...this.chats.byId.values()].filter((c) => !c.permanent).sort((a, b) => a.lastTs - b.lastTs)
    const drop = this.chats.byId.size - Math.floor(this.maxChats * 0.9)
    for (let i = 0; i < drop && i < list.length; i++) this.removeChat(list[i] as Chat)
  }
}
