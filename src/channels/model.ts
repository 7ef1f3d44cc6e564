/**
 * The shapes ChatSimilarity works with: its input (ChatPost), its output (SimilarityRow), its
 * options, and the per-chat and per-pair state the other modules of src/channels share.
 */
import type { NameForm, NameMatch } from './names.js'
import type { ProtectedName } from './protected.js'
import { AbuseRadarError } from '../domain/errors.js'

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
  /** text keys of the post (../fingerprint/text-key.ts, 16 hex each); '' when its text is too short to have them */
  headKey: string
  tailKey: string
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
  /** chats tracked at most, whatever their type (the least recently active are forgotten beyond) */
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
  /**
   * shared items needed when no third chat of the window posted them (a clone's reposts are its
   * original's alone; chats that receive the same spam share items with many); default 2
   */
  minSharedExclusive?: number
  /** content score needed for a clone pair; default 0.5 */
  minScore?: number
  /**
   * content score needed when the evidence is exclusive items (minSharedExclusive); default 0.4. A
   * clone that reposted two posts and one advert of its own has containment 2/3 and score 0.44:
   * lower than minScore, yet two reposts only the two chats posted are evidence enough. Chosen on
   * the tune half of the adversarial channel set (docs/detection.md); the public set and generated
   * streams keep precision 1.00 with it.
   */
  minScoreExclusive?: number
  /** chat types whose posts enter the content signatures; default ['channel'] (group members and bots do not "repost") */
  contentChatTypes?: readonly string[]
  /** pair table bound; default 20 * maxChats */
  maxPairs?: number
  /** chats per name-index bucket at most; default 32 */
  maxNameBucket?: number
}

export type Kind = SimilarityRow['kind']

/**
 * Item kinds of the content signature: the exact hash of a text, its campaign, and its text keys
 * (the beginning and the end of its skeleton, ../fingerprint/text-key.ts: a repost cut short, with
 * a tail or a greeting, or posted after the campaign index forgot the original, still meets it).
 */
export const SP_EXACT = 0
export const SP_CAMP = 1
export const SP_HEAD = 2
export const SP_TAIL = 3
export const ITEM_KINDS = 4

/** 2^26 chat slots at most: a pair's key is lo * SLOT_SPAN + hi. */
export const SLOT_SPAN = 67_108_864

export const pairKeyOf = (a: number, b: number): number => (a < b ? a * SLOT_SPAN + b : b * SLOT_SPAN + a)

export interface NameInfo {
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

/** A title or @handle of a chat as matched, and whether it is a protected name's own (then matched through the protected entry). */
export interface ChatName {
  form: NameForm
  isProtected: boolean
}

export class Chat {
  lastTs = 0
  /** its item nodes, oldest first (a list through the node pool) */
  head = -1
  tail = -1
  nodes = 0
  /** live items per kind (SP_EXACT, SP_CAMP, SP_HEAD, SP_TAIL) */
  readonly sizes = new Int32Array(ITEM_KINDS)
  title: string | undefined = undefined
  username: string | undefined = undefined
  names: ChatName[] = []
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

export class Pair {
  /**
   * Shared items per kind and which chat posted them first: [kind * 2] chat lo first, [kind * 2 + 1]
   * chat hi first.
   */
  readonly firsts = new Int32Array(2 * ITEM_KINDS)
  /** of those, the items no third chat posted (see ContentIndex), in the same layout */
  readonly exclusives = new Int32Array(2 * ITEM_KINDS)
  firstSeen = 0
  lastSeen = 0
  name: NameInfo | null = null
  reported: Kind | null = null
  cloneSlot = -1
  dirty = false
  gone = false
  /** the content verdict of the drain in progress (see ChatSimilarity.drainChanged) */
  contentOk = false
  contentScore = 0
  constructor(
    readonly lo: number,
    readonly hi: number,
    readonly key: number,
  ) {}
}

/** Shared items of all kinds that chat lo (`lo` true) or chat hi posted first. */
export function firstsOf(p: Pair, lo: boolean): number {
  let n = 0
  for (let i = lo ? 0 : 1; i < 2 * ITEM_KINDS; i += 2) n += p.firsts[i]!
  return n
}

/** Shared items of all kinds. */
export function sharedOf(p: Pair): number {
  return firstsOf(p, true) + firstsOf(p, false)
}

/** The live slots of the chats, and their ids. */
export class ChatTable {
  readonly byId = new Map<string, Chat>()
  readonly slots: (Chat | undefined)[] = []
  private readonly freeSlots: number[] = []

  at(slot: number): Chat | undefined {
    return this.slots[slot]
  }

  add(id: string): Chat {
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.slots.length
    if (slot >= SLOT_SPAN) throw new AbuseRadarError('AR_INTERNAL', 'ChatSimilarity: too many chat slots')
    const c = new Chat(slot, id)
    this.slots[slot] = c
    this.byId.set(id, c)
    return c
  }

  release(c: Chat): void {
    this.byId.delete(c.id)
    this.slots[c.slot] = undefined
    this.freeSlots.push(c.slot)
  }
}
