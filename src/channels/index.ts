/**
 * Chat similarity: clone channels (kind `content`) and look-alike names (kind `name`), both as
 * rows of `chat_similarity`. Pure and in memory: no clock, no I/O; times come in as arguments.
 *
 * Content (clones). A chat's content signature over the sliding window is the set of *items* it
 * posted: the exact hashes of its normalized texts and, separately, their campaign ids (so a copy
 * with an emoji or a footer added still meets its original). Candidates come from an inverted
 * index over these 64-bit item keys (a typed-array node pool with hash chains; each item key is
 * one bucket, i.e. LSH with one band per item), so the only pairs ever looked at are chats that
 * posted a common item; all pairs are never compared. When chat C posts item k, every chat that
 * posted k earlier in the window is counted as having posted it first in its pair with C; the
 * count is attached to C's post and taken back when that post leaves the window (age or the
 * per-chat cap), so a shared item counts while the copy is in the window, even after the original
 * post left it. Pair counts are exact for the window and move with it.
 *
 *   net  = |copies one way - copies the other way|   (per item kind: exact, campaign)
 *   score = max over the two kinds of  min(1, net / min(items of A, items of B)) * net / (net + 1)
 *
 * Containment (over the smaller chat) is what counts: a clone that copies a big channel's posts
 * and little else has containment 1 whatever the sizes. Direction is what tells a copy from two
 * chats that merely receive the same campaigns: those post them in no consistent order. A pair is
 * a clone pair when net >= minShared and score >= minScore; the original is the chat that posted
 * the shared items first more often. Two copies of one original are not reported as clones of each
 * other (they resemble each other through it). Only `contentChatTypes` (default: channels) enter
 * signatures: group members and bots do not "repost" (bots answer with canned texts).
 *
 * Spam campaigns vs clone networks, and the bound on pairs. An item posted in more than
 * `maxItemChats` chats of the window, or whose campaign the caller says reached more than
 * `maxCampaignChats` chats in the last hour (ChatPost.campaignChats), is *broad*: a campaign's
 * spread, reported by the campaign tables, not evidence that chats copy each other. When an item
 * turns broad what it had counted is taken back, its nodes are dropped, and it is never counted
 * again while it is seen in the window. So one post costs at most `maxItemChats` pair updates and
 * one item makes at most maxItemChats² / 2 pairs, whatever its campaign's size: a campaign over
 * 10,000 chats makes no pairs at all instead of 50 million. Clone networks (the same few chats
 * sharing many items) are unaffected; a network of more than `maxItemChats` verbatim copies of one
 * channel (or of more than `maxCampaignChats` near-copies within an hour) looks like a campaign: a
 * known limit. `maxPairs` bounds the pair table: beyond it, never-reported pairs with the least
 * evidence are dropped first.
 *
 * Names (look-alikes): see ./names.ts. Each chat's title and @handle are indexed by skeleton, by
 * half-skeleton keys that find every skeleton one edit away (pigeonhole), and by the skeleton
 * stripped of impersonation words and a trailing number; a new or renamed chat probes a constant
 * number of buckets (each capped at `maxNameBucket`) and is checked against the protected names.
 * No all-pairs. An imitating chat keeps only its best explanation per field (protected name >
 * equal skeleton > one edit > affix), two imitators of one protected name are not paired, and a
 * title imitating a title several chats bear is ambiguous (weak).
 *
 * Rows: drainChanged returns the pairs whose state changed, latest state, only for pairs that are
 * or were reported. A pair that stops being a kind (superseded by another kind, decayed out of the
 * window, or dropped with a forgotten chat) gets a last row of that kind with score 0.
 *
 * Memory: per chat at most `maxItemsPerChat` posts (two index nodes each); at most `maxChats`
 * chats (beyond: the least recently active tenth is forgotten); idle chats leave once their items
 * left the window (a sweep every windowMs / 16 of event time, at most every 10 minutes).
 */
import { murmur3Utf16Pair, PAIR } from '../fingerprint/hash.js'
import {
  baseSkeletons,
  DEFAULT_AFFIXES,
  foldAffixes,
  matchNames,
  nameForm,
  probeEditKeys,
  storedEditKeys,
  type NameForm,
  type NameMatch,
} from './names.js'
import type { ProtectedName } from './protected.js'
import { AbuseRadarError } from '../domain/errors.js'

export { nameForm, nameSkeleton, matchNames, type NameForm, type NameMatch, type NameField, DEFAULT_AFFIXES } from './names.js'
export { compileProtectedNames, type ProtectedName } from './protected.js'

export interface ChatPost {
  chatId: string
  chatType: string
  title?: string
  username?: string
  tsMs: number
  /** fingerprint exact hash (16 hex); '' when the text fingerprinted to nothing */
  exactHash: string
  /** campaign id from the campaign index; '' when none */
  campaignId: string
  /** distinct chats of the campaign so far (0 when unknown) */
  campaignChats: number
  forwardFromChat?: string
}

export interface SimilarityRow {
  chat_a: string
  chat_b: string
  kind: 'content' | 'name' | 'both'
  score: number
  shared_items: number
  shared_campaigns: number
  original_chat: string
  a_first: number
  b_first: number
  name_a: string
  name_b: string
  first_seen: number
  last_seen: number
  updated_at: number
}

export interface ChatSimilarityOptions {
  /** sliding window of the content signatures */
  windowMs: number
  /** chats tracked at most (the least recently active are forgotten beyond) */
  maxChats: number
  /** protected names: `@handle` / `handle` strings, titles, or full entries */
  protectedNames: (string | ProtectedName)[]
  /** impersonation words for affix matches; default DEFAULT_AFFIXES */
  affixes?: readonly string[]
  /** an item posted in more chats than this is a campaign's spread, not clone evidence; default 50 */
  maxItemChats?: number
  /**
   * a campaign the caller says reached more distinct chats than this (ChatPost.campaignChats, e.g.
   * CampaignSpread's last hour) is a spam wave: its campaign key is broad; default 10
   */
  maxCampaignChats?: number
  /** posts remembered per chat (its most recent); default 256 */
  maxItemsPerChat?: number
  /** shared items needed for a clone pair; default 3 */
  minShared?: number
  /** content score needed for a clone pair; default 0.5 */
  minScore?: number
  /** chat types whose posts enter the content signatures; default ['channel'] (group members and bots do not "repost") */
  contentChatTypes?: readonly string[]
  /** pair table bound; default 20 * maxChats */
  maxPairs?: number
  /** chats per name-index bucket at most; default 32 */
  maxNameBucket?: number
}

type Kind = SimilarityRow['kind']

const SP_EXACT = 0
const SP_CAMP = 1
const CAMP_SALT = 0x5bd1e995
const SLOT_SPAN = 67_108_864 // 2^26: pair key = lo * SLOT_SPAN + hi

interface NameInfo {
  /** fields that matched (1 title, 2 handle) */
  fields: number
  /** the chat that imitates the other, and how good an explanation the match is (protected 4, skeleton 3, edit 2, affix 1) */
  imitator: number
  rank: number
  /** plain title of the imitated chat (title matches): two targets with one plain title make it ambiguous */
  targetTitle: string
  score: number
  kind: NameMatch['kind']
  weak: boolean
  /** the matching names of chats lo and hi, as shown (`@handle` or title) */
  nameLo: string
  nameHi: string
  seen: number
}

class Chat {
  lastTs = 0
  head = -1
  tail = -1
  nodes = 0
  size0 = 0
  size1 = 0
  title: string | undefined = undefined
  username: string | undefined = undefined
  forms: NameForm[] = []
  nameKeys: string[] = []
  pairs: Set<number> | null = null
  /** reported clone pairs in which this chat is the copy */
  clones = 0
  permanent = false
  /** protected entry options (protected chats only) */
  generic = false
  constructor(
    public slot: number,
    public id: string,
  ) {}
}

class Pair {
  /** shared items per kind (exact, campaign) and which chat posted them first */
  eLo = 0
  eHi = 0
  cLo = 0
  cHi = 0
  firstSeen = 0
  lastSeen = 0
  name: NameInfo | null = null
  reported: Kind | null = null
  cloneSlot = -1
  dirty = false
  gone = false
  constructor(
    readonly lo: number,
    readonly hi: number,
    readonly key: number,
  ) {}
}

// key scratch
let kHi = 0
let kLo = 0
function parseKey(s: string, from: number): void {
  if (s.length - from === 16) {
    const hi = parseInt(s.slice(from, from + 8), 16)
    const lo = parseInt(s.slice(from + 8), 16)
    if (hi === hi && lo === lo) {
      kHi = hi >>> 0
      kLo = lo >>> 0
      return
    }
  }
  murmur3Utf16Pair(s, 0x9747b28c, 0x2f1a5d3b)
  kHi = PAIR[0]!
  kLo = PAIR[1]!
}

const display = (f: NameForm): string => (f.field === 'username' ? '@' + f.raw : f.raw)

export class ChatSimilarity {
  private readonly windowMs: number
  private readonly maxChats: number
  private readonly maxItemChats: number
  private readonly maxCampaignChats: number
  private readonly maxNodesPerChat: number
  private readonly minShared: number
  private readonly minScore: number
  private readonly maxPairs: number
  private readonly maxNameBucket: number
  private readonly affixes: Set<string>
  private readonly sweepEveryMs: number
  private readonly contentTypes: ReadonlySet<string>

  // ---- chats ----
  private readonly byId = new Map<string, Chat>()
  private chats: (Chat | undefined)[] = []
  private freeSlots: number[] = []
  private readonly protectedChats: Chat[] = []
  /** field + key of every protected name: chats holding one are matched through the protected entry */
  private readonly protectedKeys = new Set<string>()

  // ---- item nodes (struct of arrays) ----
  private cap = 0
  private nHi = new Uint32Array(0)
  private nLo = new Uint32Array(0)
  private nSp = new Uint8Array(0)
  private nLive = new Uint8Array(0)
  private nSlot = new Int32Array(0)
  private nNext = new Int32Array(0)
  private nChat = new Int32Array(0)
  private nSeq = new Float64Array(0)
  private nTs = new Float64Array(0)
  private freeNodes = new Int32Array(0)
  private freeCount = 0
  private nextNode = 0
  private liveNodes = 0
  private seq = 0
  private heads = new Int32Array(0)
  private mask = 0
  private scratch = new Int32Array(64)
  /** node → the pairs it counted when it was posted (it is the later post of each) */
  private readonly counted = new Map<number, Pair[]>()
  /** broad items: key → last time posted */
  private readonly broad = new Map<number, number>()

  // ---- pairs ----
  private readonly pairs = new Map<number, Pair>()
  private dirty: Pair[] = []
  /** final rows of reported pairs that were dropped with a forgotten chat (written at the next drain) */
  private retired: SimilarityRow[] = []
  private reportedContent = 0
  private reportedName = 0

  // ---- names ----
  private readonly nameIndex = new Map<string, number[]>()

  private lastSweep = -Infinity
  private maxTs = -Infinity

  constructor(opts: ChatSimilarityOptions) {
    if (!(opts.windowMs > 0)) throw new AbuseRadarError('AR_INTERNAL', 'ChatSimilarity: windowMs must be > 0')
    if (!(opts.maxChats >= 1)) throw new AbuseRadarError('AR_INTERNAL', 'ChatSimilarity: maxChats must be >= 1')
    this.windowMs = opts.windowMs
    this.maxChats = Math.floor(opts.maxChats)
    this.maxItemChats = Math.max(2, opts.maxItemChats ?? 50)
    this.maxCampaignChats = Math.max(2, opts.maxCampaignChats ?? 10)
    this.maxNodesPerChat = 2 * Math.max(1, opts.maxItemsPerChat ?? 256)
    this.minShared = Math.max(1, opts.minShared ?? 3)
    this.minScore = opts.minScore ?? 0.5
    this.maxPairs = opts.maxPairs ?? 20 * this.maxChats
    this.maxNameBucket = opts.maxNameBucket ?? 32
    this.affixes = foldAffixes(opts.affixes ?? DEFAULT_AFFIXES)
    this.contentTypes = new Set(opts.contentChatTypes ?? ['channel'])
    this.sweepEveryMs = Math.max(1000, Math.min(this.windowMs / 16, 600_000))
    this.scratch = new Int32Array(this.maxItemChats + 8)
    this.grow(1024)
    for (const p of opts.protectedNames) this.addProtected(typeof p === 'string' ? protectedFromString(p) : p)
  }

  // =============================================================================================
  // public API

  observe(post: ChatPost): void {
    if (post.chatType === 'private') return
    const ts = post.tsMs
    if (ts > this.maxTs) this.maxTs = ts
    if (this.maxTs - this.lastSweep >= this.sweepEveryMs) this.sweep(this.maxTs)
    let chat = this.byId.get(post.chatId)
    if (chat === undefined) chat = this.newChat(post.chatId)
    if (ts > chat.lastTs) chat.lastTs = ts
    if (post.title !== chat.title || post.username !== chat.username) this.updateNames(chat, post.title, post.username, ts)
    this.expireChat(chat, this.maxTs - this.windowMs)
    if (!this.contentTypes.has(post.chatType)) return
    if (post.exactHash.length > 0) {
      parseKey(post.exactHash, 0)
      this.addItem(chat, SP_EXACT, kHi, kLo, ts, 0)
    }
    if (post.campaignId.length > 0) {
      parseKey(post.campaignId, post.campaignId.charCodeAt(0) === 0x63 ? 1 : 0)
      this.addItem(chat, SP_CAMP, (kHi ^ CAMP_SALT) >>> 0, kLo, ts, post.campaignChats > this.maxCampaignChats ? Infinity : 0)
    }
    if (this.byId.size > this.maxChats) this.evictChats(ts)
  }

  /** Pairs whose state changed since the last call, with their latest state (only pairs that are, or were, reported). */
  drainChanged(nowMs: number): SimilarityRow[] {
    const rows: SimilarityRow[] = []
    for (const r of this.retired) rows.push({ ...r, updated_at: nowMs })
    this.retired = []
    const dirty = this.dirty
    this.dirty = []
    // pass 1: clone relations (who copies whom), so that pass 2 can tell sibling copies apart
    const ok: boolean[] = []
    const scores: number[] = []
    for (let i = 0; i < dirty.length; i++) {
      const p = dirty[i]!
      if (p.gone) continue
      const c = this.contentOf(p)
      ok[i] = c.ok
      scores[i] = c.score
      const before = p.cloneSlot
      this.setCloneSide(p, c.ok ? this.copySlot(p) : -1)
      if (p.cloneSlot >= 0 && p.cloneSlot !== before) this.touchPairsOf(p.cloneSlot, p)
    }
    // pass 2: rows
    for (let i = 0; i < dirty.length; i++) {
      const p = dirty[i]!
      p.dirty = false
      if (p.gone) continue
      const contentOk = ok[i] === true && !this.siblingCopies(p)
      if (!contentOk) this.setCloneSide(p, -1)
      const nameOk = p.name !== null && (!p.name.weak || contentOk)
      const kind: Kind | null = contentOk && nameOk ? 'both' : contentOk ? 'content' : nameOk ? 'name' : null
      if (kind !== null) rows.push(this.row(p, kind, scores[i] ?? 0, nowMs))
      if (p.reported !== null && p.reported !== kind) {
        // no longer this kind (superseded by another, or decayed as the window moved): score 0
        rows.push(this.row(p, p.reported, 0, nowMs, true))
      }
      this.setReported(p, kind)
      if (kind === null && p.eLo + p.eHi + p.cLo + p.cHi <= 0 && p.name === null) this.deletePair(p)
    }
    return rows
  }

  /** A chat became a copy in a pair: its other pairs are judged again (sibling copies). */
  private touchPairsOf(slot: number, except: Pair): void {
    const c = this.chats[slot]
    if (c === undefined || c.pairs === null) return
    for (const key of c.pairs) {
      const q = this.pairs.get(key)
      if (q !== undefined && q !== except && q.reported !== null) this.markDirty(q)
    }
  }

  /** A pair's internals (tests, debugging). */
  inspect(
    chatA: string,
    chatB: string,
  ): { e: number; c: number; firsts: [number, number]; sizes: [[number, number], [number, number]]; score: number; ok: boolean } | null {
    const a = this.byId.get(chatA)
    const b = this.byId.get(chatB)
    if (!a || !b) return null
    const p = this.pairs.get(Math.min(a.slot, b.slot) * SLOT_SPAN + Math.max(a.slot, b.slot))
    if (!p) return null
    const aLo = a.slot === p.lo
    const c = this.contentOf(p)
    return {
      e: p.eLo + p.eHi,
      c: p.cLo + p.cHi,
      firsts: aLo ? [p.eLo + p.cLo, p.eHi + p.cHi] : [p.eHi + p.cHi, p.eLo + p.cLo],
      sizes: [
        [a.size0, a.size1],
        [b.size0, b.size1],
      ],
      score: c.score,
      ok: c.ok,
    }
  }

  /** The chat is the copy in at least one clone pair (as of the last drainChanged). */
  isClone(chatId: string): boolean {
    const c = this.byId.get(chatId)
    return c !== undefined && c.clones > 0
  }

  stats(): { chats: number; contentPairs: number; namePairs: number; pairs: number; items: number; broadItems: number } {
    return {
      chats: this.byId.size - this.protectedChats.filter((c) => c.lastTs === 0).length,
      contentPairs: this.reportedContent,
      namePairs: this.reportedName,
      pairs: this.pairs.size,
      items: this.liveNodes,
      broadItems: this.broad.size,
    }
  }

  // =============================================================================================
  // content

  private addItem(chat: Chat, sp: number, hi: number, lo: number, ts: number, spread: number): void {
    const bk = hi * 1048576 + (lo & 0xfffff) // 52-bit key (campaign keys are salted in hi)
    if (this.broad.has(bk)) {
      this.broad.set(bk, ts)
      return
    }
    const b = (lo ^ hi) & this.mask
    let count = 0
    const scratch = this.scratch
    for (let n = this.heads[b]!; n >= 0; n = this.nNext[n]!) {
      if (this.nLo[n] !== lo || this.nHi[n] !== hi || this.nSp[n] !== sp) continue
      if (this.nSlot[n] === chat.slot) return // a repeat: the first post counts
      if (count < scratch.length) scratch[count] = n
      count++
    }
    if (count + 1 > this.maxItemChats || spread > this.maxItemChats) {
      this.makeBroad(Math.min(count, scratch.length))
      this.broad.set(bk, ts)
      return
    }
    while (chat.nodes >= this.maxNodesPerChat) this.popOldest(chat)
    const x = this.allocNode()
    this.nHi[x] = hi
    this.nLo[x] = lo
    this.nSp[x] = sp
    this.nLive[x] = 1
    this.nSlot[x] = chat.slot
    this.nSeq[x] = ++this.seq
    this.nTs[x] = ts
    this.nNext[x] = this.heads[b]!
    this.heads[b] = x
    this.nChat[x] = -1
    if (chat.tail >= 0) this.nChat[chat.tail] = x
    else chat.head = x
    chat.tail = x
    chat.nodes++
    this.liveNodes++
    if (sp === SP_EXACT) chat.size0++
    else chat.size1++
    let list: Pair[] | null = null
    for (let i = 0; i < count; i++) {
      const other = this.nSlot[scratch[i]!]!
      const p = this.pair(chat.slot, other, true) as Pair
      ;(list ??= []).push(p)
      if (sp === SP_EXACT) {
        if (other === p.lo) p.eLo++
        else p.eHi++
      } else if (other === p.lo) p.cLo++
      else p.cHi++
      if (p.firstSeen === 0) p.firstSeen = ts
      if (ts > p.lastSeen) p.lastSeen = ts
      this.markDirty(p)
    }
    if (list !== null) this.counted.set(x, list)
  }

  /** The item (its live nodes are scratch[0..count)) turned broad: take back its pair counts and drop its nodes. */
  private makeBroad(count: number): void {
    for (let i = 0; i < count; i++) this.removeNode(this.scratch[i]!)
  }

  /** Removes a live node from its hash chain and its chat's size (its chat list entry stays until popped). */
  private unlinkNode(x: number): void {
    const b = (this.nLo[x]! ^ this.nHi[x]!) & this.mask
    let prev = -1
    for (let n = this.heads[b]!; n >= 0; prev = n, n = this.nNext[n]!) {
      if (n !== x) continue
      if (prev < 0) this.heads[b] = this.nNext[n]!
      else this.nNext[prev] = this.nNext[n]!
      break
    }
    this.nLive[x] = 0
    this.liveNodes--
    const chat = this.chats[this.nSlot[x]!]
    if (chat !== undefined) {
      if (this.nSp[x] === SP_EXACT) chat.size0--
      else chat.size1--
    }
  }

  /**
   * A live node leaves (the window, the per-chat cap, or its item turned broad): the pairs it counted
   * when it was posted are counted down. A shared item thus counts while its later post (the copy)
   * is in the window, even after the original post left it.
   */
  private removeNode(x: number): void {
    const list = this.counted.get(x)
    if (list !== undefined) {
      this.counted.delete(x)
      const slot = this.nSlot[x]!
      const sp = this.nSp[x]!
      for (const p of list) if (!p.gone) this.decPair(p, sp, p.lo === slot ? p.hi : p.lo)
    }
    this.unlinkNode(x)
  }

  private popOldest(chat: Chat): void {
    const x = chat.head
    if (x < 0) return
    chat.head = this.nChat[x]!
    if (chat.head < 0) chat.tail = -1
    chat.nodes--
    if (this.nLive[x] === 1) this.removeNode(x)
    this.freeNode(x)
  }

  private expireChat(chat: Chat, horizon: number): void {
    while (chat.head >= 0 && this.nTs[chat.head]! < horizon) this.popOldest(chat)
  }

  private decPair(p: Pair, sp: number, first: number): void {
    if (sp === SP_EXACT) {
      if (first === p.lo) p.eLo--
      else p.eHi--
    } else if (first === p.lo) p.cLo--
    else p.cHi--
    this.markDirty(p)
  }

  private contentOf(p: Pair): { ok: boolean; score: number } {
    const lo = this.chats[p.lo]
    const hi = this.chats[p.hi]
    if (lo === undefined || hi === undefined) return { ok: false, score: 0 }
    let best = 0
    let ok = false
    for (let sp = 0; sp < 2; sp++) {
      // net directional evidence: copies one way minus copies the other way (chats that merely share
      // campaigns post them in no consistent order)
      const n = sp === SP_EXACT ? Math.abs(p.eLo - p.eHi) : Math.abs(p.cLo - p.cHi)
      if (n <= 0) continue
      const m = sp === SP_EXACT ? Math.min(lo.size0, hi.size0) : Math.min(lo.size1, hi.size1)
      const containment = Math.min(1, n / Math.max(1, m))
      const s = containment * (n / (n + 1))
      if (s > best) best = s
      if (n >= this.minShared && s >= this.minScore) ok = true
    }
    return { ok, score: best }
  }

  /**
   * Two copies of one original resemble each other through it: the pair (copy X, "original" Y) is
   * not reported when X and Y are both reported copies of a third chat Z.
   */
  private siblingCopies(p: Pair): boolean {
    const x = this.copySlot(p)
    const y = x === p.lo ? p.hi : p.lo
    const cx = this.chats[x]
    const cy = this.chats[y]
    if (cx === undefined || cy === undefined || cy.clones === 0 || cx.pairs === null) return false
    for (const key of cx.pairs) {
      const q = this.pairs.get(key)
      if (q === undefined || q === p || q.cloneSlot !== x) continue
      const z = q.lo === x ? q.hi : q.lo
      if (z === y) continue
      const r = this.pair(y, z, false)
      if (r !== undefined && r.cloneSlot === y) return true
    }
    return false
  }

  /** The copy's slot: the chat that posted the shared items first less often (ties: the one with fewer items). */
  private copySlot(p: Pair): number {
    const loFirst = p.eLo + p.cLo
    const hiFirst = p.eHi + p.cHi
    if (loFirst !== hiFirst) return loFirst > hiFirst ? p.hi : p.lo
    const lo = this.chats[p.lo] as Chat
    const hi = this.chats[p.hi] as Chat
    return lo.size0 + lo.size1 >= hi.size0 + hi.size1 ? p.hi : p.lo
  }

  // =============================================================================================
  // pairs

  private pair(a: number, b: number, create: boolean): Pair | undefined {
    const lo = a < b ? a : b
    const hi = a < b ? b : a
    const key = lo * SLOT_SPAN + hi
    let p = this.pairs.get(key)
    if (p === undefined && create) {
      if (this.pairs.size >= this.maxPairs) this.prunePairs()
      p = new Pair(lo, hi, key)
      this.pairs.set(key, p)
      this.pairSet(lo).add(key)
      this.pairSet(hi).add(key)
    }
    return p
  }

  private pairSet(slot: number): Set<number> {
    const c = this.chats[slot] as Chat
    return (c.pairs ??= new Set())
  }

  private markDirty(p: Pair): void {
    if (p.dirty) return
    p.dirty = true
    this.dirty.push(p)
  }

  private deletePair(p: Pair): void {
    if (p.gone) return
    // a reported pair leaves with a last row: score 0, its evidence gone with a forgotten chat
    if (p.reported !== null) {
      const r = this.row(p, p.reported, 0, 0, true)
      r.shared_items = r.shared_campaigns = r.a_first = r.b_first = 0
      this.retired.push(r)
    }
    this.setReported(p, null)
    this.setCloneSide(p, -1)
    p.gone = true
    this.pairs.delete(p.key)
    this.chats[p.lo]?.pairs?.delete(p.key)
    this.chats[p.hi]?.pairs?.delete(p.key)
  }

  private setReported(p: Pair, kind: Kind | null): void {
    const wasC = p.reported === 'content' || p.reported === 'both'
    const wasN = p.reported === 'name' || p.reported === 'both'
    const isC = kind === 'content' || kind === 'both'
    const isN = kind === 'name' || kind === 'both'
    this.reportedContent += Number(isC) - Number(wasC)
    this.reportedName += Number(isN) - Number(wasN)
    p.reported = kind
  }

  private setCloneSide(p: Pair, slot: number): void {
    if (p.cloneSlot === slot) return
    if (p.cloneSlot >= 0) {
      const c = this.chats[p.cloneSlot]
      if (c !== undefined) c.clones--
    }
    if (slot >= 0) {
      const c = this.chats[slot]
      if (c !== undefined) c.clones++
    }
    p.cloneSlot = slot
  }

  /** Over maxPairs: drop never-reported pairs with the least evidence (1 shared item, then 2, ...). */
  private prunePairs(): void {
    const target = Math.floor(this.maxPairs * 0.9)
    for (let limit = 1; this.pairs.size > target && limit <= this.minShared; limit++) {
      for (const p of this.pairs.values()) {
        if (this.pairs.size <= target) break
        if (p.reported === null && p.name === null && !p.dirty && p.eLo + p.eHi + p.cLo + p.cHi <= limit) this.deletePair(p)
      }
    }
  }

  private row(p: Pair, kind: Kind, contentScore: number, nowMs: number, retired = false): SimilarityRow {
    const lo = this.chats[p.lo] as Chat
    const hi = this.chats[p.hi] as Chat
    const swap = hi.id < lo.id
    const a = swap ? hi : lo
    const b = swap ? lo : hi
    const content = kind !== 'name'
    const nameScore = p.name?.score ?? 0
    const score = retired ? 0 : kind === 'content' ? contentScore : kind === 'name' ? nameScore : Math.max(contentScore, nameScore)
    const nameLo = p.name?.nameLo ?? ''
    const nameHi = p.name?.nameHi ?? ''
    let original = ''
    if (content) original = this.chats[this.copySlot(p) === p.lo ? p.hi : p.lo]!.id
    // A retired name row may come after the name match itself was dropped (p.name null).
    const firstSeen = content
      ? p.name
        ? Math.min(p.firstSeen || p.name.seen, p.name.seen)
        : p.firstSeen
      : (p.name?.seen ?? (p.firstSeen || nowMs))
    const lastSeen = content ? p.lastSeen : Math.max(lo.lastTs, hi.lastTs, firstSeen)
    return {
      chat_a: a.id,
      chat_b: b.id,
      kind,
      score: Math.round(Math.max(0, Math.min(1, score)) * 10000) / 10000,
      shared_items: Math.max(0, p.eLo + p.eHi + p.cLo + p.cHi),
      shared_campaigns: Math.max(0, p.cLo + p.cHi),
      original_chat: original,
      a_first: Math.max(0, swap ? p.eHi + p.cHi : p.eLo + p.cLo),
      b_first: Math.max(0, swap ? p.eLo + p.cLo : p.eHi + p.cHi),
      name_a: kind === 'content' ? '' : swap ? nameHi : nameLo,
      name_b: kind === 'content' ? '' : swap ? nameLo : nameHi,
      first_seen: firstSeen,
      last_seen: Math.max(lastSeen, firstSeen),
      updated_at: nowMs,
    }
  }

  // =============================================================================================
  // chats

  private newChat(id: string): Chat {
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.chats.length
    if (slot >= SLOT_SPAN) throw new AbuseRadarError('AR_INTERNAL', 'ChatSimilarity: too many chat slots')
    const c = new Chat(slot, id)
    this.chats[slot] = c
    this.byId.set(id, c)
    return c
  }

  private removeChat(c: Chat): void {
    while (c.head >= 0) this.popOldest(c)
    this.unindexNames(c)
    if (c.pairs !== null)
      for (const key of [...c.pairs]) {
        const p = this.pairs.get(key)
        if (p !== undefined) this.deletePair(p)
      }
    this.byId.delete(c.id)
    this.chats[c.slot] = undefined
    this.freeSlots.push(c.slot)
  }

  /** Periodic: expire idle chats' items, forget chats whose items all left the window, drop stale broad items. */
  private sweep(now: number): void {
    this.lastSweep = now
    const horizon = now - this.windowMs
    for (const c of this.byId.values()) {
      this.expireChat(c, horizon)
      if (!c.permanent && c.nodes === 0 && c.lastTs < horizon) this.removeChat(c)
    }
    for (const [k, t] of this.broad) if (t < horizon) this.broad.delete(k)
  }

  /** Over maxChats: forget the least recently active tenth. */
  private evictChats(now: number): void {
    this.sweep(now)
    if (this.byId.size <= this.maxChats) return
    const list = [...this.byId.values()].filter((c) => !c.permanent).sort((a, b) => a.lastTs - b.lastTs)
    const drop = this.byId.size - Math.floor(this.maxChats * 0.9)
    for (let i = 0; i < drop && i < list.length; i++) this.removeChat(list[i] as Chat)
  }

  // =============================================================================================
  // names

  private addProtected(p: ProtectedName): void {
    const username = p.username?.replace(/^@/, '')
    const id = p.chatId ?? (username ? '@' + username : 'protected:' + (p.title ?? ''))
    if (this.byId.has(id)) return
    const c = this.newChat(id)
    c.permanent = true
    c.generic = p.generic ?? false
    if (username) c.forms.push(nameForm(username, 'username'))
    if (p.title) c.forms.push(nameForm(p.title, 'title'))
    for (const f of c.forms) this.protectedKeys.add(f.field + '\u0000' + f.key)
    this.protectedChats.push(c)
  }

  private updateNames(chat: Chat, title: string | undefined, username: string | undefined, ts: number): void {
    this.unindexNames(chat)
    chat.title = title
    chat.username = username
    // the chat's name matches are recomputed
    if (chat.pairs !== null)
      for (const key of chat.pairs) {
        const p = this.pairs.get(key)
        if (p !== undefined && p.name !== null) {
          p.name = null
          this.markDirty(p)
        }
      }
    const forms: NameForm[] = []
    if (chat.permanent) forms.push(...chat.forms.filter((f) => this.protectedKeys.has(f.field + '\u0000' + f.key)))
    if (username) forms.push(nameForm(username, 'username'))
    if (title) forms.push(nameForm(title, 'title'))
    chat.forms = forms
    for (const f of forms) {
      if (f.skeleton.length < 4) continue
      // against the protected names: the best match (then the longest protected name)
      if (!chat.permanent) {
        let best: { pc: Chat; g: NameForm; m: NameMatch } | null = null
        for (const pc of this.protectedChats) {
          for (const g of pc.forms) {
            if (g.field !== f.field) continue
            const m = matchNames(f, g, { protectedTarget: true, generic: pc.generic, affixes: this.affixes })
            if (m === null) continue
            if (best === null || m.score > best.m.score || (m.score === best.m.score && g.skeleton.length > best.g.skeleton.length))
              best = { pc, g, m }
          }
        }
        if (best !== null) this.setName(chat, best.pc, f, best.g, best.m, ts, true)
      }
      if (this.protectedKeys.has(f.field + '\u0000' + f.key)) continue
      // against the other chats
      const field = f.field === 'title' ? 'T' : 'U'
      const sk = f.skeleton
      const probes = [field + 'S' + sk, field + 'B' + sk]
      for (const k of probeEditKeys(sk)) probes.push(field + k)
      for (const base of baseSkeletons(f, this.affixes, 5)) probes.push(field + 'S' + base)
      const seen = new Set<number>()
      const found: { other: Chat; g: NameForm; m: NameMatch }[] = []
      for (const key of probes) {
        const bucket = this.nameIndex.get(key)
        if (bucket === undefined) continue
        for (const s of bucket) {
          if (s === chat.slot || seen.has(s)) continue
          seen.add(s)
          const other = this.chats[s]
          if (other === undefined) continue
          for (const g of other.forms) {
            if (g.field !== f.field || this.protectedKeys.has(g.field + '\u0000' + g.key)) continue
            const m = matchNames(f, g, { affixes: this.affixes })
            if (m !== null) found.push({ other, g, m })
          }
        }
      }
      if (f.field === 'title') {
        // titles are not unique: when several chats bear the imitated title, whom it imitates is
        // ambiguous, and each of those matches is weak
        const perTitle = new Map<string, number>()
        for (const x of found) perTitle.set(x.g.visible, (perTitle.get(x.g.visible) ?? 0) + 1)
        for (const x of found) if ((perTitle.get(x.g.visible) ?? 0) > 1) x.m = { ...x.m, weak: true }
      }
      // best explanations first (an imitator keeps only its best-ranked match per field)
      found.sort((x, y) => RANK[y.m.kind] - RANK[x.m.kind])
      for (const x of found) this.setName(chat, x.other, f, x.g, x.m, ts, false)
    }
    this.indexNames(chat)
  }

  private indexNames(chat: Chat): void {
    const keys: string[] = []
    for (const f of chat.forms) {
      if (f.skeleton.length < 4 || this.protectedKeys.has(f.field + '\u0000' + f.key)) continue
      const field = f.field === 'title' ? 'T' : 'U'
      keys.push(field + 'S' + f.skeleton)
      for (const k of storedEditKeys(f.skeleton)) keys.push(field + k)
      for (const base of baseSkeletons(f, this.affixes, 5)) keys.push(field + 'B' + base)
    }
    chat.nameKeys = []
    for (const k of keys) {
      let bucket = this.nameIndex.get(k)
      if (bucket === undefined) {
        bucket = []
        this.nameIndex.set(k, bucket)
      }
      if (bucket.length >= this.maxNameBucket || bucket.includes(chat.slot)) continue
      bucket.push(chat.slot)
      chat.nameKeys.push(k)
    }
  }

  private unindexNames(chat: Chat): void {
    for (const k of chat.nameKeys) {
      const bucket = this.nameIndex.get(k)
      if (bucket === undefined) continue
      const i = bucket.indexOf(chat.slot)
      if (i >= 0) bucket.splice(i, 1)
      if (bucket.length === 0) this.nameIndex.delete(k)
    }
    chat.nameKeys = []
  }

  private setName(chat: Chat, other: Chat, f: NameForm, g: NameForm, match: NameMatch, ts: number, prot: boolean): void {
    let m = match
    const field = f.field === 'title' ? 1 : 2
    const rank = prot ? 4 : RANK[m.kind]
    const imitator = prot ? chat.slot : imitatorOf(chat, other, f, g)
    // one name imitates one target: an imitator keeps its best-ranked match per field
    // (`sydney_deаls905` imitates `sydney_deals905`, not `sydney_deals`)
    const target = chat.slot === imitator ? other.slot : chat.slot
    if (this.imitatorRank(imitator, field, target) > rank) return
    // two imitators of one protected name resemble each other through it: not a pair
    if (!prot && (this.imitatorRank(chat.slot, field, -1) >= 4 || this.imitatorRank(other.slot, field, -1) >= 4)) return
    this.dropWeakerImitations(imitator, field, rank)
    const targetForm = chat.slot === imitator ? g : f
    const targetTitle = field === 1 && !prot ? targetForm.visible : ''
    if (targetTitle !== '' && this.ambiguousTitle(imitator, target, targetTitle)) m = { ...m, weak: true }
    const p = this.pair(chat.slot, other.slot, true) as Pair
    const old = p.name
    const chatIsLo = chat.slot === p.lo
    const fresh: NameInfo = {
      fields: field,
      imitator,
      rank,
      targetTitle,
      score: m.score,
      kind: m.kind,
      weak: m.weak,
      nameLo: display(chatIsLo ? f : g),
      nameHi: display(chatIsLo ? g : f),
      seen: old?.seen ?? ts,
    }
    if (old === null) {
      p.name = fresh
    } else {
      // strong if either match is strong, or if title and handle are both (weakly) alike
      // (`Crypto Signals VIP Official` + @cryptosignals_vip1 vs `Crypto Signals VIP` + @cryptosignals_vip)
      const weak = old.weak && m.weak && (old.fields & field) !== 0
      const better = (old.weak && !m.weak) || (old.weak === m.weak && m.score > old.score)
      const next = better ? fresh : old
      next.fields = old.fields | field
      next.weak = weak
      next.score = Math.max(old.score, m.score)
      next.rank = Math.max(old.rank, rank)
      p.name = next
    }
    this.markDirty(p)
  }

  /** The best rank of the name matches in which `slot` imitates another chat through `field` (other than with `except`). */
  private imitatorRank(slot: number, field: number, except: number): number {
    const c = this.chats[slot]
    if (c === undefined || c.pairs === null) return 0
    let best = 0
    for (const key of c.pairs) {
      const q = this.pairs.get(key)
      if (q === undefined || q.name === null || q.name.imitator !== slot || (q.name.fields & field) === 0) continue
      if (q.lo === except || q.hi === except) continue
      if (q.name.rank > best) best = q.name.rank
    }
    return best
  }

  /**
   * The imitator already imitates another chat bearing the same plain title: whom it imitates is
   * ambiguous; the other match is weakened too (true is returned for this one).
   */
  private ambiguousTitle(slot: number, target: number, title: string): boolean {
    const c = this.chats[slot]
    if (c === undefined || c.pairs === null) return false
    let found = false
    for (const key of c.pairs) {
      const q = this.pairs.get(key)
      if (q === undefined || q.name === null || q.name.imitator !== slot || q.name.targetTitle !== title) continue
      if (q.lo === target || q.hi === target) continue
      found = true
      if (!q.name.weak && (q.name.fields & 2) === 0) {
        q.name.weak = true
        this.markDirty(q)
      }
    }
    return found
  }

  private dropWeakerImitations(slot: number, field: number, rank: number): void {
    const c = this.chats[slot]
    if (c === undefined || c.pairs === null) return
    for (const key of c.pairs) {
      const q = this.pairs.get(key)
      if (q === undefined || q.name === null || q.name.imitator !== slot || q.name.fields !== field || q.name.rank >= rank) continue
      q.name = null
      this.markDirty(q)
    }
  }

  // =============================================================================================
  // node pool

  private allocNode(): number {
    if (this.freeCount > 0) return this.freeNodes[--this.freeCount]!
    if (this.nextNode >= this.cap) this.grow(this.cap * 2)
    return this.nextNode++
  }

  private freeNode(x: number): void {
    this.nLive[x] = 0
    this.freeNodes[this.freeCount++] = x
  }

  private grow(size: number): void {
    // a copy of `a`, of the same kind, with room for `size` elements
    const grown = <A extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: A): A => {
      const b = new (a.constructor as new (length: number) => A)(size)
      b.set(a)
      return b
    }
    this.nHi = grown(this.nHi)
    this.nLo = grown(this.nLo)
    this.nSp = grown(this.nSp)
    this.nLive = grown(this.nLive)
    this.nSlot = grown(this.nSlot)
    this.nNext = grown(this.nNext)
    this.nChat = grown(this.nChat)
    this.nSeq = grown(this.nSeq)
    this.nTs = grown(this.nTs)
    this.freeNodes = grown(this.freeNodes)
    this.cap = size
    // hash heads: twice the node capacity, rehashed
    const hsize = size * 2
    const heads = new Int32Array(hsize).fill(-1)
    const mask = hsize - 1
    for (let n = 0; n < this.nextNode; n++) {
      if (this.nLive[n] !== 1) continue
      const b = (this.nLo[n]! ^ this.nHi[n]!) & mask
      this.nNext[n] = heads[b]!
      heads[b] = n
    }
    this.heads = heads
    this.mask = mask
  }
}

const RANK: Readonly<Record<NameMatch['kind'], number>> = { skeleton: 3, edit: 2, affix: 1 }

/** Which of two look-alike chats imitates the other: the disguised one, the longer one, else the newer one. */
function imitatorOf(chat: Chat, other: Chat, f: NameForm, g: NameForm): number {
  const df = f.confusable || f.badge
  const dg = g.confusable || g.badge
  if (df !== dg) return df ? chat.slot : other.slot
  if (f.skeleton.length !== g.skeleton.length) return f.skeleton.length > g.skeleton.length ? chat.slot : other.slot
  return chat.slot
}

function protectedFromString(s: string): ProtectedName {
  const t = s.trim()
  if (t.startsWith('@') || /^[A-Za-z0-9_]+$/.test(t)) return { username: t.replace(/^@/, '') }
  return { title: t }
}
