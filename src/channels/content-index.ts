/**
 * Per-chat content signatures over the sliding window, and the candidate search for clone pairs.
 *
 * A chat's signature is the set of *items* it posted: the exact hashes of its normalized texts and,
 * separately, their campaign ids (so a copy with an emoji or a footer added still meets its
 * original) and their text keys, the beginning and the end of the text (so does a copy cut short,
 * with a greeting, or posted after the campaign index forgot the original). Candidates come from an inverted index over these 64-bit item keys (a typed-array node
 * pool with hash chains; each item key is one bucket, i.e. LSH with one band per item), so the only
 * pairs ever looked at are chats that posted a common item; all pairs are never compared. When chat
 * C posts item k, every chat that posted k earlier in the window is counted as having posted it
 * first in its pair with C; the count is attached to C's post and taken back when that post leaves
 * the window (age or the per-chat cap), so a shared item counts while the copy is in the window,
 * even after the original post left it. Pair counts are exact for the window and move with it.
 *
 * Exclusive items: a post of an item that exactly one other chat posted before also counts for its
 * pair as exclusive, until a third chat posts the item or the post leaves (a clone's reposts are its
 * original's alone, spam reaches many chats), so a pair can be judged on fewer exclusive items. A
 * post whose campaign reached more than the two chats is not exclusive, whatever its exact text:
 * two spam channels posting the same variants of a wider campaign are not a clone pair.
 *
 * Broad items: an item posted in more than `maxItemChats` chats of the window, or whose campaign
 * reached more than `maxCampaignChats` chats (the caller's `spread`), is a campaign's spread, not
 * evidence that chats copy each other. When an item turns broad what it had counted is taken back,
 * its nodes are dropped, and it is never counted again while it is seen in the window. So one post
 * costs at most `maxItemChats` pair updates, whatever its campaign's size.
 *
 * Layout: a node's hash-chain fields (key, next, chat slot, kind, liveness) sit in one 16-byte
 * record, so a step along a chain touches one cache line; the per-chat list and the time, read
 * only when a post leaves, are separate arrays.
 */
import { murmur3Utf16Pair, PAIR } from '../fingerprint/hash.js'
import type { Chat, ChatTable, Pair } from './model.js'
import type { PairTable } from './pair-table.js'

/** Int32 fields of a node record */
const REC = 4
const R_LO = 0
const R_HI = 1
const R_NEXT = 2
/** slot * 8 + live * 4 + kind (two bits: SP_EXACT, SP_CAMP, SP_HEAD, SP_TAIL) */
const R_META = 3
const KIND_BITS = 3
const LIVE_BIT = 4
const SLOT_SHIFT = 3

/** The 64-bit key of an item, set by parseItemKey (no allocation per post). */
export const itemKey = { hi: 0, lo: 0 }

/** The value of 8 hex digits at `from`, or -1 when one is not a hex digit. */
function hexWord(s: string, from: number): number {
  let v = 0
  for (let i = from; i < from + 8; i++) {
    const c = s.charCodeAt(i)
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1
    if (d < 0) return -1
    v = v * 16 + d
  }
  return v
}

/**
 * The 64-bit key of an id: 16 hex digits from `from` as they are (what parseInt reads of them),
 * anything else hashed.
 */
export function parseItemKey(s: string, from: number): void {
  if (s.length - from === 16) {
    const hi = hexWord(s, from)
    const lo = hexWord(s, from + 8)
    if (hi >= 0 && lo >= 0) {
      itemKey.hi = hi
      itemKey.lo = lo
      return
    }
    // not plain hex: parseInt's reading of it (a prefix of hex digits, a sign, a 0x) keeps keys stable
    const phi = parseInt(s.slice(from, from + 8), 16)
    const plo = parseInt(s.slice(from + 8), 16)
    if (phi === phi && plo === plo) {
      itemKey.hi = phi >>> 0
      itemKey.lo = plo >>> 0
      return
    }
  }
  murmur3Utf16Pair(s, 0x9747b28c, 0x2f1a5d3b)
  itemKey.hi = PAIR[0]!
  itemKey.lo = PAIR[1]!
}

/** Counts a shared item of kind `sp` for pair `p` (by 1, or -1 to take it back), `first` the chat that posted it first. */
function countShared(p: Pair, sp: number, first: number, by: number): void {
  p.firsts[2 * sp + (first === p.lo ? 0 : 1)]! += by
}

export class ContentIndex {
  private cap = 0
  private rec = new Int32Array(0)
  /** next node of the same chat (oldest first) */
  private nChat = new Int32Array(0)
  private nTs = new Float64Array(0)
  private freeNodes = new Int32Array(0)
  private freeCount = 0
  private nextNode = 0
  /** live item nodes */
  live = 0
  private heads = new Int32Array(0)
  /** 32 - log2(heads.length) */
  private shift = 32
  private readonly scratch: Int32Array
  /** node → the pairs it counted when it was posted (it is the later post of each) */
  private readonly counted = new Map<number, Pair[]>()
  /** nodes whose one counted pair still counts them as exclusive */
  private readonly exclusive = new Set<number>()
  /** broad items: key → last time posted */
  readonly broad = new Map<number, number>()

  constructor(
    private readonly chats: ChatTable,
    private readonly pairs: PairTable,
    private readonly maxItemChats: number,
    private readonly maxNodesPerChat: number,
  ) {
    this.scratch = new Int32Array(maxItemChats + 8)
    this.grow(1024)
  }

  /**
   * Chat `chat` posted item (kind `sp`, key hi:lo) at `ts`; `spread` > maxItemChats makes it broad at
   * once; `mayBeExclusive` false when the post's campaign is known to have reached other chats.
   */
  add(chat: Chat, sp: number, hi: number, lo: number, ts: number, spread: number, mayBeExclusive: boolean): void {
    const bk = hi * 1048576 + (lo & 0xfffff) // 52-bit key (campaign keys are salted in hi)
    if (this.broad.has(bk)) {
      this.broad.set(bk, ts)
      return
    }
    const rec = this.rec
    const b = this.bucketOf(lo, hi)
    const lo32 = lo | 0
    const hi32 = hi | 0
    const mine = chat.slot * 8 + LIVE_BIT + sp
    let count = 0
    const scratch = this.scratch
    for (let n = this.heads[b]!; n >= 0; n = rec[n * REC + R_NEXT]!) {
      const r = n * REC
      if (rec[r + R_LO] !== lo32 || rec[r + R_HI] !== hi32 || (rec[r + R_META]! & KIND_BITS) !== sp) continue
      if (rec[r + R_META] === mine) return // a repeat: the first post counts
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
    // the chain again: allocNode may have grown and rehashed the table (a node linked into its
    // old chain would be lost to lookups, and still linked when its slot is reused)
    const chain = this.bucketOf(lo, hi)
    const r = x * REC
    this.rec[r + R_LO] = lo32
    this.rec[r + R_HI] = hi32
    this.rec[r + R_META] = mine
    this.rec[r + R_NEXT] = this.heads[chain]!
    this.heads[chain] = x
    this.nTs[x] = ts
    this.nChat[x] = -1
    if (chat.tail >= 0) this.nChat[chat.tail] = x
    else chat.head = x
    chat.tail = x
    chat.nodes++
    this.live++
    chat.sizes[sp]!++
    if (count === 0) return
    const list: Pair[] = []
    for (let i = 0; i < count; i++) {
      const other = this.rec[scratch[i]! * REC + R_META]! >>> SLOT_SHIFT
      const p = this.pairs.getOrCreate(chat.slot, other)
      list.push(p)
      countShared(p, sp, other, 1)
      if (count === 1 && mayBeExclusive) this.countExclusive(p, sp, other, 1)
      if (p.firstSeen === 0) p.firstSeen = ts
      if (ts > p.lastSeen) p.lastSeen = ts
      this.pairs.markDirty(p)
    }
    this.counted.set(x, list)
    if (count === 1 && mayBeExclusive) this.exclusive.add(x)
    // a third chat: the item's earlier copy is no longer its pair's alone
    else if (count === 2) for (let i = 0; i < 2; i++) this.dropExclusive(scratch[i]!)
  }

  /** Drops the chat's posts older than `horizon`. */
  expire(chat: Chat, horizon: number): void {
    while (chat.head >= 0 && this.nTs[chat.head]! < horizon) this.popOldest(chat)
  }

  /** Drops all of the chat's posts. */
  clear(chat: Chat): void {
    while (chat.head >= 0) this.popOldest(chat)
  }

  /** Forgets broad items not seen since `horizon`. */
  expireBroad(horizon: number): void {
    for (const [k, t] of this.broad) if (t < horizon) this.broad.delete(k)
  }

  /** The item (its live nodes are scratch[0..count)) turned broad: take back its pair counts and drop its nodes. */
  private makeBroad(count: number): void {
    for (let i = 0; i < count; i++) this.removeNode(this.scratch[i]!)
  }

  /** Removes a live node from its hash chain and its chat's size (its chat list entry stays until popped). */
  private unlinkNode(x: number): void {
    const rec = this.rec
    const b = this.bucketOf(rec[x * REC + R_LO]!, rec[x * REC + R_HI]!)
    let prev = -1
    for (let n = this.heads[b]!; n >= 0; prev = n, n = rec[n * REC + R_NEXT]!) {
      if (n !== x) continue
      if (prev < 0) this.heads[b] = rec[n * REC + R_NEXT]!
      else rec[prev * REC + R_NEXT] = rec[n * REC + R_NEXT]!
      break
    }
    const meta = rec[x * REC + R_META]!
    rec[x * REC + R_META] = meta & ~LIVE_BIT
    this.live--
    const chat = this.chats.at(meta >>> SLOT_SHIFT)
    if (chat !== undefined) chat.sizes[meta & KIND_BITS]!--
  }

  /**
   * A live node leaves (the window, the per-chat cap, or its item turned broad): the pairs it counted
   * when it was posted are counted down. A shared item thus counts while its later post (the copy)
   * is in the window, even after the original post left it.
   */
  private removeNode(x: number): void {
    this.dropExclusive(x)
    const list = this.counted.get(x)
    if (list !== undefined) {
      this.counted.delete(x)
      const meta = this.rec[x * REC + R_META]!
      const slot = meta >>> SLOT_SHIFT
      const sp = meta & KIND_BITS
      for (const p of list)
        if (!p.gone) {
          countShared(p, sp, p.lo === slot ? p.hi : p.lo, -1)
          this.pairs.markDirty(p)
        }
    }
    this.unlinkNode(x)
  }

  private popOldest(chat: Chat): void {
    const x = chat.head
    if (x < 0) return
    chat.head = this.nChat[x]!
    if (chat.head < 0) chat.tail = -1
    chat.nodes--
    if ((this.rec[x * REC + R_META]! & LIVE_BIT) !== 0) this.removeNode(x)
    this.freeNode(x)
  }

  /** The node's pair no longer counts it as exclusive (a no-op for a node that is not). */
  private dropExclusive(x: number): void {
    if (!this.exclusive.delete(x)) return
    const p = this.counted.get(x)![0]!
    if (p.gone) return
    const slot = this.rec[x * REC + R_META]! >>> SLOT_SHIFT
    this.countExclusive(p, this.rec[x * REC + R_META]! & KIND_BITS, p.lo === slot ? p.hi : p.lo, -1)
    this.pairs.markDirty(p)
  }

  private countExclusive(p: Pair, sp: number, first: number, by: number): void {
    p.exclusives[2 * sp + (first === p.lo ? 0 : 1)]! += by
  }

  /**
   * The hash chain of a key: Fibonacci hashing of lo ^ hi, its high bits, so that keys with a
   * pattern in their low bits (ids that are counters, not hashes) still spread over all chains.
   */
  private bucketOf(lo: number, hi: number): number {
    return Math.imul(lo ^ hi, 0x9e3779b1) >>> this.shift
  }

  private allocNode(): number {
    if (this.freeCount > 0) return this.freeNodes[--this.freeCount]!
    if (this.nextNode >= this.cap) this.grow(this.cap * 2)
    return this.nextNode++
  }

  private freeNode(x: number): void {
    this.rec[x * REC + R_META] = 0
    this.freeNodes[this.freeCount++] = x
  }

  private grow(size: number): void {
    // a copy of `a`, of the same kind, with room for `length` elements
    const grown = <A extends Int32Array | Float64Array>(a: A, length: number): A => {
      const b = new (a.constructor as new (length: number) => A)(length)
      b.set(a)
      return b
    }
    this.rec = grown(this.rec, size * REC)
    this.nChat = grown(this.nChat, size)
    this.nTs = grown(this.nTs, size)
    this.freeNodes = grown(this.freeNodes, size)
    this.cap = size
    // hash heads: twice the node capacity (a power of two), rehashed
    const heads = new Int32Array(size * 2).fill(-1)
    this.heads = heads
    this.shift = 32 - Math.log2(heads.length)
    const rec = this.rec
    for (let n = 0; n < this.nextNode; n++) {
      if ((rec[n * REC + R_META]! & LIVE_BIT) === 0) continue
      const b = this.bucketOf(rec[n * REC + R_LO]!, rec[n * REC + R_HI]!)
      rec[n * REC + R_NEXT] = heads[b]!
      heads[b] = n
    }
  }
}
