/**
 * The near-duplicate campaign index: pure, in memory, bounded.
 *
 * Entries. Every live message is one entry: its signature (64 bins, 8 bits of each kept: two
 * different bins agree by chance 1 time in 256, a bias under 0.4%), exact
 * hash, campaign, event time and, while the bounded text cache holds it, its skeleton (see
 * ../fingerprint). Entries live in struct-of-arrays typed storage (no per-message objects: about 0.6
 * KB per entry all told), are found again through an LSH table (NUM_BANDS bands of the signature
 * plus the exact hash, doubly-linked bucket chains in one Int32Array) and leave by age (`windowMs`,
 * via `evict(now)`), by size (`maxEntries`: the oldest entry goes first), by `remove` (a delete) or
 * by being assigned again (an edit: the old entry leaves its campaign, the new text is matched
 * afresh and may join another one).
 *
 * Matching (`assign`, `match`). An entry with the same exact hash is a match at once. Otherwise
 * the candidates are the entries sharing a band key (at most `maxCandidatesPerBand` per band, the
 * most recent first), ordered by signature similarity; the first that passes verification is the
 * match and the message joins its campaign (single link), else it opens a new campaign.
 * Verification, when both skeletons are in memory:
 *   - long texts: J = exact Jaccard of the two shingle sets, E = edit similarity of the skeletons
 *     (1 - Levenshtein / longer length, `fastest-levenshtein`); accept when
 *     (E >= 0.75 and J >= 0.3): the same text with scattered small changes (homoglyphs or leet the
 *     normalizer could not undo, changed numbers, a swapped word), or
 *     (J >= 0.7 and E >= 0.5): the same text with a block changed (truncated, a greeting or a
 *     paragraph added, a sentence moved). Both bounds are cheap to rule out from the lengths first.
 *     The signature itself is computed on the number-masked template, so texts that differ only in
 *     numbers are always candidates; the skeleton keeps short numbers, so J and E tell a price list
 *     from its copy with other prices.
 *   - short texts (skeleton under SHORT_SKELETON_CHARS = 40 characters, a few words): a Jaccard of a
 *     handful of shingles says little and one changed word is a large part of the text, so only
 *     the edit similarity counts: E >= 0.7 (`minShortEditSimilarity`). A short text can join a long
 *     one only that way, which their lengths make impossible in practice.
 * When a skeleton is not in memory (a restored entry, or one whose text the bounded cache dropped),
 * the signature alone decides: at least 70% equal bins (85% for short texts) and shingle counts
 * within a factor of two.
 *
 * Campaign ids are `c` + the 16-hex exact hash of the founding message: deterministic, so a
 * restart, another instance or a replay that sees the same founding message names the campaign the
 * same way. A campaign lives as long as it has a live member; a message whose exact hash founded a
 * still-live campaign rejoins it even when it matches nothing else. An entry with no text at all
 * (`fp.empty`) is a campaign of its own named after its message key.
 *
 * Several instances (`addShared`): each instance fingerprints the messages of its own partitions and
 * shares every entry it assigns (see ../pipeline/analysis.ts); another instance's entry is added with
 * its campaign id, after matching it against the local entries exactly as `assign` would. Two
 * instances that saw the first copies of one campaign at the same time found it twice under two
 * ids; when the founding entry of one matches an entry of the other, the two merge under the smaller
 * id (a rule every instance applies alike, whichever notices first), and `drainMerges` reports the
 * other id as its alias. Merging is union-find over campaign slots: an alias slot points at the
 * campaign it joined and lives as long as members or aliases still refer to it.
 *
 * Restart (`restore`): entries are rebuilt from stored rows (exact hash, signature, campaign id,
 * time), oldest first, keeping their campaign ids; the normalized text is not stored (privacy), so
 * restored entries are matched by exact hash and signature only (see above), and a restart does not
 * split a campaign.
 */
import { distance } from 'fastest-levenshtein'
import {
  NUM_BANDS,
  SHORT_SKELETON_CHARS,
  SIG_BINS,
  SIG_LENGTH,
  bandKeysOf,
  jaccardSorted,
  shingleSet,
  skeletonOf,
  type TextFingerprint,
} from '../fingerprint/index.js'
import * as H from '../fingerprint/hash.js'
import { U64Map } from './u64map.js'
import { AbuseRadarError } from '../domain/errors.js'

export interface CampaignIndexOptions {
  /** sliding window: entries older than now - windowMs are evicted by `evict(now)` */
  windowMs: number
  /** hard bound on live entries: the oldest are evicted first */
  maxEntries: number
  /**
   * Acceptance rule for two long texts whose skeletons are both in memory (J: exact Jaccard of the
   * shingle sets, E: edit similarity of the skeletons): accept when
   *   (E >= minEditSimilarity and J >= minJaccardWithEdit)   -- scattered small edits
   *   or (J >= minSimilarity and E >= minEditWithJaccard)    -- block edits: truncation, insertions
   * Defaults 0.75, 0.3, 0.7, 0.5.
   */
  minEditSimilarity?: number
  minJaccardWithEdit?: number
  minSimilarity?: number
  minEditWithJaccard?: number
  /** minimum edit similarity of skeletons when a short text is involved; default 0.7 */
  minShortEditSimilarity?: number
  /**
   * When either side has no text in memory (a restored entry, or its text dropped from the bounded
   * text cache): minimum signature similarity (fraction of equal bins), with shingle counts within a
   * factor of two; short texts need `minShortSignatureSimilarity`. Defaults 0.7 and 0.85.
   */
  minSignatureSimilarity?: number
  minShortSignatureSimilarity?: number
  /** total skeleton characters kept in memory for verification (oldest dropped first); default 32M (about 64 MB) */
  maxTextChars?: number
  /** entries examined per band key at most (the most recent first); default 8 */
  maxCandidatesPerBand?: number
  /** candidates verified by edit distance per message at most (highest signature similarity first); default 8 */
  maxVerifications?: number
}

export interface MessageKey {
  chatId: string
  messageId: string
}

export interface Assignment {
  campaignId: string
  /** true when the message opened a new campaign */
  created: boolean
  /**
   * Similarity to the entry it was matched to: 1 for an exact copy, the Jaccard similarity of the
   * skeletons for a long text, their edit similarity for a short one, the signature similarity
   * against an entry without text; 0 for a new campaign (1 when it rejoined the campaign its exact
   * hash founded).
   */
  similarity: number
}

/** A campaign id found to be the same campaign as another (see `addShared`). */
export interface CampaignMerge {
  alias: string
  canonical: string
}

/** An entry assigned by another instance (see `addShared`). */
export interface SharedEntry {
  key: MessageKey
  campaignId: string
  exactHash: string
  signature: Uint32Array
  /** the skeleton the other instance verified with ('' when unknown: matched by signature only) */
  skeleton: string
  tsMs: number
}

export interface RestoredEntry {
  key: MessageKey
  campaignId: string
  exactHash: string
  signature: Uint32Array
  tsMs: number
}

const NB = NUM_BANDS + 1 // LSH bands + the exact-hash "band"
const EXACT_BAND = NUM_BANDS
const F_LIVE = 1
const F_SHORT = 2
const F_HAS_TEXT = 4

const HEX_RE = /^c[0-9a-f]{16}$/
/** "previous" of a node that is in no bucket chain (otherwise >= 0: the previous node; -1 - h: first node of bucket h) */
const NOT_LINKED = -2147483648

function parseHex32(s: string, from: number): number {
  return parseInt(s.slice(from, from + 8), 16) >>> 0
}

function hex32(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0')
}

export class CampaignIndex {
  private readonly windowMs: number
  private readonly maxEntries: number
  private readonly minEdit: number
  private readonly minJWithEdit: number
  private readonly minJ: number
  private readonly minEditWithJ: number
  private readonly minShortEdit: number
  private readonly minSig: number
  private readonly minShortSig: number
  private readonly maxTextChars: number
  private readonly maxPerBand: number
  private readonly maxVerify: number

  // ---- entries (struct of arrays) ----
  private cap = 0
  /** SIG_BINS bytes per entry: bits 6..13 of each bin (the low 6 bits are the bin number; these are uniform) */
  private sig = new Uint8Array(0)
  private exact = new Uint32Array(0) // hi, lo
  private keyHash = new Uint32Array(0) // hi, lo
  private ts = new Float64Array(0)
  private camp = new Int32Array(0)
  private flags = new Uint8Array(0)
  private shingles = new Int32Array(0)
  private gen = new Uint32Array(0)
  private stamp = new Uint32Array(0)
  private skel: (string | undefined)[] = []
  private freeSlots: number[] = []
  private nextSlot = 0
  private live = 0
  private stampNow = 0

  // ---- LSH nodes: node = slot * NB + band ----
  /** per node, interleaved (one cache line per visit): [3n] band key (as int32), [3n+1] next node, [3n+2] previous node */
  private nodes = new Int32Array(0)
  private heads = new Int32Array(0)
  private headMask = 0

  // ---- message keys ----
  private keys = new U64Map(1024)

  // ---- arrival-order queue for eviction (slot, generation) ----
  private qSlot = new Int32Array(1024)
  private qGen = new Uint32Array(1024)
  private qHead = 0
  private qLen = 0

  // ---- campaigns ----
  private cHi = new Uint32Array(0)
  private cLo = new Uint32Array(0)
  /** live members, counted at the root of a merged campaign */
  private cSize = new Int32Array(0)
  /** the campaign a slot was merged into (itself for a root) */
  private cParent = new Int32Array(0)
  /** members and aliases referring to a slot directly; the slot is freed at zero */
  private cRefs = new Int32Array(0)
  /** ids merged into a root, so a later merge of that root re-points them all */
  private aliasesOf = new Map<number, string[]>()
  private merges: CampaignMerge[] = []
  private cForeign: (string | undefined)[] = []
  private cFree: number[] = []
  private cNext = 0
  private cLive = 0
  private byFounder = new U64Map(1024)
  private byForeignId = new Map<string, number>()

  // ---- bounded text cache (skeletons for verification), FIFO ----
  private textChars = 0
  private tqSlot: number[] = []
  private tqGen: number[] = []
  private tqHead = 0

  private evictions = 0
  private readonly rebuilt: TextFingerprint = {
    exactHash: '',
    exactHi: 0,
    exactLo: 0,
    signature: new Uint32Array(SIG_LENGTH),
    bandKeys: new Uint32Array(NUM_BANDS),
    shingles: 0,
    skeletonLength: 0,
    short: false,
    empty: false,
  }
  private readonly qsig = new Uint8Array(SIG_BINS)
  private readonly candSlots = new Int32Array(4096)
  private readonly candEst = new Float64Array(4096)
  private readonly candOrder = new Int32Array(4096)

  constructor(opts: CampaignIndexOptions) {
    if (!(opts.windowMs > 0)) throw new AbuseRadarError('AR_INTERNAL', 'CampaignIndex: windowMs must be > 0')
    if (!(opts.maxEntries >= 1)) throw new AbuseRadarError('AR_INTERNAL', 'CampaignIndex: maxEntries must be >= 1')
    this.windowMs = opts.windowMs
    this.maxEntries = Math.floor(opts.maxEntries)
    this.minEdit = opts.minEditSimilarity ?? 0.75
    this.minJWithEdit = opts.minJaccardWithEdit ?? 0.3
    this.minJ = opts.minSimilarity ?? 0.7
    this.minEditWithJ = opts.minEditWithJaccard ?? 0.5
    this.minShortEdit = opts.minShortEditSimilarity ?? 0.7
    this.minSig = opts.minSignatureSimilarity ?? 0.7
    this.minShortSig = opts.minShortSignatureSimilarity ?? 0.85
    this.maxTextChars = opts.maxTextChars ?? 32 * 1024 * 1024
    this.maxPerBand = opts.maxCandidatesPerBand ?? 8
    this.maxVerify = opts.maxVerifications ?? 8
    this.growEntries(Math.min(1024, this.maxEntries))
    this.growCampaigns(1024)
  }

  get size(): number {
    return this.live
  }

  stats(): { entries: number; campaigns: number; evictions: number } {
    return { entries: this.live, campaigns: this.cLive, evictions: this.evictions }
  }

  /** Live members of a campaign (0 when unknown or gone). */
  campaignSize(campaignId: string): number {
    const c = this.campaignSlotOf(campaignId)
    return c < 0 ? 0 : this.cSize[this.root(c)]!
  }

  /** Campaign of a live message, or null. */
  campaignOf(key: MessageKey): string | null {
    const [hi, lo] = keyHashOf(key)
    const slot = this.keys.get(hi, lo)
    return slot < 0 ? null : this.campaignIdOf(this.camp[slot]!)
  }

  /** Assigns (or re-assigns, for an edit) a message to a campaign. */
  assign(key: MessageKey, fp: TextFingerprint, normalized: string, tsMs: number): Assignment {
    const [khi, klo] = keyHashOf(key)
    const old = this.keys.get(khi, klo)
    if (old >= 0) this.removeSlot(old)

    if (fp.empty) {
      // nothing to compare: a campaign of its own, named after the message key
      const c = this.campaignFor(khi ^ 0x5bd1e995, klo, true)
      this.makeRoom()
      this.insert(khi, klo, fp, '', tsMs, c.slot, false)
      return { campaignId: this.campaignIdOf(c.slot), created: c.created, similarity: 0 }
    }

    // make room first: evicting after matching could free the campaign just matched
    this.makeRoom()
    const sk = fp.skeleton ?? skeletonOf(normalized)
    const q = this.qsig
    for (let i = 0; i < SIG_BINS; i++) q[i] = (fp.signature[i + 1]! >>> 6) & 0xff
    const match = this.query(fp.exactHi, fp.exactLo, fp.bandKeys, fp.short, sk, fp.shingles)
    let cslot: number
    let created = false
    let similarity: number
    if (match.slot >= 0) {
      cslot = this.root(this.camp[match.slot]!)
      similarity = match.score
    } else {
      const c = this.campaignFor(fp.exactHi, fp.exactLo, false)
      cslot = c.slot
      created = c.created
      similarity = c.created ? 0 : 1
    }
    this.insert(khi, klo, fp, sk, tsMs, cslot, true)
    return { campaignId: this.campaignIdOf(cslot), created, similarity }
  }

  /**
   * The campaign a message would join, without adding it (null: it would open a new campaign).
   * Same matching as `assign`.
   */
  match(fp: TextFingerprint, normalized: string): { campaignId: string; similarity: number } | null {
    if (fp.empty) return null
    const sk = fp.skeleton ?? skeletonOf(normalized)
    const q = this.qsig
    for (let i = 0; i < SIG_BINS; i++) q[i] = (fp.signature[i + 1]! >>> 6) & 0xff
    const m = this.query(fp.exactHi, fp.exactLo, fp.bandKeys, fp.short, sk, fp.shingles)
    if (m.slot >= 0) return { campaignId: this.campaignIdOf(this.camp[m.slot]!), similarity: m.score }
    const founder = this.byFounder.get(fp.exactHi, fp.exactLo)
    return founder >= 0 ? { campaignId: this.campaignIdOf(founder), similarity: 1 } : null
  }

  /** Removes a message (a delete). Returns the campaign it left, or null if it was not live. */
  remove(key: MessageKey): string | null {
    const [hi, lo] = keyHashOf(key)
    const slot = this.keys.get(hi, lo)
    if (slot < 0) return null
    const id = this.campaignIdOf(this.camp[slot]!)
    this.removeSlot(slot)
    return id
  }

  /**
   * Adds an entry another instance assigned, under its campaign id. It is matched against the local
   * entries first (as `assign` matches): when the entry founded its campaign and matches an entry of
   * another campaign, the two campaigns merge under the smaller id. An entry already known (same key and exact hash) only
   * merges; a different one under the same key replaces it (an edit).
   */
  addShared(entry: SharedEntry): void {
    if (!/^[0-9a-f]{16}$/.test(entry.exactHash) || entry.signature.length < SIG_LENGTH) return
    const fp = this.fingerprintOf(entry.exactHash, entry.signature, entry.skeleton)
    const [khi, klo] = keyHashOf(entry.key)
    const old = this.keys.get(khi, klo)
    if (old >= 0) {
      if (this.exact[2 * old] === fp.exactHi && this.exact[2 * old + 1] === fp.exactLo) {
        this.mergeRoots(this.root(this.camp[old]!), this.root(this.campaignForId(entry.campaignId)))
        return
      }
      this.removeSlot(old)
    }
    this.makeRoom()
    const own = this.campaignForId(entry.campaignId)
    const q = this.qsig
    for (let i = 0; i < SIG_BINS; i++) q[i] = (fp.signature[i + 1]! >>> 6) & 0xff
    const match = this.query(fp.exactHi, fp.exactLo, fp.bandKeys, fp.short, entry.skeleton, fp.shingles)
    this.insert(khi, klo, fp, entry.skeleton, entry.tsMs, own, entry.skeleton.length > 0)
    // Only the entry that founded its campaign merges: it is the message that, on one instance,
    // would have joined the matching campaign instead of founding one. A later member that also
    // resembles another campaign is what one instance keeps apart too (a message joins one campaign,
    // it does not merge two).
    if (match.slot >= 0 && entry.campaignId === 'c' + entry.exactHash) this.mergeRoots(this.root(this.camp[match.slot]!), this.root(own))
  }

  /** Campaign ids merged into others since the last call (each alias with the id it now resolves to). */
  drainMerges(): CampaignMerge[] {
    const merges = this.merges
    this.merges = []
    return merges
  }

  /**
   * Rebuilds entries from stored rows after a restart. Rows are streamed (never held all at once);
   * give them oldest first (ORDER BY ts), as eviction follows arrival order; a later row for the
   * same message key replaces an earlier one (an edit). Rows with a malformed hash or signature are
   * skipped.
   */
  restore(entries: Iterable<RestoredEntry>): void {
    for (const e of entries) {
      if (!/^[0-9a-f]{16}$/.test(e.exactHash) || e.signature.length < SIG_LENGTH) continue
      const [khi, klo] = keyHashOf(e.key)
      const old = this.keys.get(khi, klo)
      if (old >= 0) this.removeSlot(old)
      const fp = this.fingerprintOf(e.exactHash, e.signature, '')
      this.makeRoom()
      const cslot = this.campaignForId(e.campaignId)
      this.insert(khi, klo, fp, '', e.tsMs, cslot, false)
    }
  }

  /** Evicts entries older than nowMs - windowMs, and the oldest beyond maxEntries. Returns the count. */
  evict(nowMs: number): number {
    const cutoff = nowMs - this.windowMs
    let n = 0
    while (this.qLen > 0) {
      const slot = this.qSlot[this.qHead]!
      const g = this.qGen[this.qHead]!
      if (this.gen[slot] !== g || (this.flags[slot]! & F_LIVE) === 0) {
        this.qPop()
        continue
      }
      if (this.ts[slot]! >= cutoff && this.live <= this.maxEntries) break
      this.qPop()
      this.removeSlot(slot)
      n++
    }
    this.evictions += n
    return n
  }

  // ------------------------------------------------------------------------------------------

  /** The fingerprint fields the index uses, rebuilt from a stored or shared entry (one object reused). */
  private fingerprintOf(exactHash: string, signature: Uint32Array, skeleton: string): TextFingerprint {
    const fp = this.rebuilt
    fp.exactHi = parseHex32(exactHash, 0)
    fp.exactLo = parseHex32(exactHash, 8)
    fp.signature.set(signature.subarray(0, SIG_LENGTH))
    bandKeysOf(fp.signature, fp.bandKeys)
    const shingles = signature[0]! & 0xffffff
    fp.shingles = shingles
    if (skeleton.length > 0) {
      fp.short = skeleton.length < SHORT_SKELETON_CHARS
      fp.skeletonLength = skeleton.length
    } else {
      // the skeleton length is not stored: a signature with few distinct shingles is a short text
      fp.short = shingles < SHORT_SKELETON_CHARS - 3
      fp.skeletonLength = fp.short ? shingles + 3 : shingles
    }
    return fp
  }

  private makeRoom(): void {
    while (this.live >= this.maxEntries && this.qLen > 0) {
      const slot = this.qSlot[this.qHead]!
      const g = this.qGen[this.qHead]!
      this.qPop()
      if (this.gen[slot] === g && (this.flags[slot]! & F_LIVE) !== 0) {
        this.removeSlot(slot)
        this.evictions++
      }
    }
  }

  /**
   * Finds the best acceptable candidate for the query (signature in this.qsig, skeleton `sk` or ''
   * when not at hand). Returns slot -1 when none.
   */
  private query(
    ehi: number,
    elo: number,
    bandKeys: Uint32Array,
    short: boolean,
    sk: string,
    shingles: number,
  ): { slot: number; score: number } {
    const heads = this.heads
    const mask = this.headMask
    const nodes = this.nodes
    // an exact copy
    const ek = exactKey(elo) | 0
    for (let node = heads[ek & mask]!; node >= 0; node = nodes[3 * node + 1]!) {
      if (nodes[3 * node] !== ek) continue
      const slot = (node / NB) | 0
      if (this.exact[2 * slot] === ehi && this.exact[2 * slot + 1] === elo) return { slot, score: 1 }
    }
    let stamp = ++this.stampNow
    if (stamp === 0xffffffff) {
      this.stamp.fill(0)
      stamp = this.stampNow = 1
    }
    // candidates: entries sharing a band key, with their signature similarity
    const cs = this.candSlots
    const ce = this.candEst
    let nc = 0
    const sig = this.sig
    const q = this.qsig
    for (let b = 0; b < NUM_BANDS; b++) {
      const key = bandKeys[b]! | 0
      let seen = 0
      for (let node = heads[key & mask]!; node >= 0 && seen < this.maxPerBand; node = nodes[3 * node + 1]!) {
        if (nodes[3 * node] !== key || node % NB !== b) continue
        seen++
        const slot = (node / NB) | 0
        if (this.stamp[slot] === stamp) continue
        this.stamp[slot] = stamp
        const base = slot * SIG_BINS
        let eq = 0
        for (let i = 0; i < SIG_BINS; i++) if (sig[base + i] === q[i]) eq++
        if (nc === cs.length) break
        cs[nc] = slot
        ce[nc] = eq / SIG_BINS
        nc++
      }
    }
    if (nc === 0) return { slot: -1, score: 0 }
    // verify in order of signature similarity; the first candidate that passes wins
    const order = this.candOrder
    for (let i = 0; i < nc; i++) order[i] = i
    sortByEstDesc(order, ce, nc)
    let verified = 0
    let qset: Uint32Array | null = null
    for (let t = 0; t < nc; t++) {
      const c = order[t]!
      const slot = cs[c]!
      const est = ce[c]!
      const other = this.skel[slot]
      const otherShort = (this.flags[slot]! & F_SHORT) !== 0
      if (sk.length > 0 && other !== undefined) {
        if (est < 0.15) break // sorted: the rest are lower
        const la = sk.length
        const lb = other.length
        const lenRatio = la < lb ? la / lb : lb / la
        if (short || otherShort) {
          if (lenRatio < this.minShortEdit) continue
          if (verified++ >= this.maxVerify) break
          const ed = 1 - distance(sk, other) / Math.max(la, lb)
          if (ed >= this.minShortEdit) return { slot, score: ed }
          continue
        }
        if (lenRatio < this.minEditWithJ) continue // edit similarity cannot reach the floor
        if (verified++ >= this.maxVerify) break
        qset ??= shingleSet(sk)
        const j = jaccardSorted(qset, shingleSet(other))
        let needEd: number
        if (j >= this.minJ) needEd = this.minEditWithJ
        else if (j >= this.minJWithEdit) needEd = this.minEdit
        else continue
        if (lenRatio < needEd) continue
        const ed = 1 - distance(sk, other) / Math.max(la, lb)
        if (ed >= needEd) return { slot, score: j }
      } else {
        // signature only (restored entry, or text not in memory)
        const os = this.shingles[slot]!
        const ratio = Math.min(os, shingles) / Math.max(os, shingles, 1)
        const need = short || otherShort ? this.minShortSig : this.minSig
        if (est >= need && ratio >= 0.5) return { slot, score: est }
      }
    }
    return { slot: -1, score: 0 }
  }

  private insert(khi: number, klo: number, fp: TextFingerprint, sk: string, tsMs: number, cslot: number, hasText: boolean): number {
    let slot: number
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop()!
    else {
      if (this.nextSlot >= this.cap) this.growEntries(Math.min(this.cap * 2, Math.max(this.maxEntries, 16)))
      slot = this.nextSlot++
    }
    const base = slot * SIG_BINS
    for (let i = 0; i < SIG_BINS; i++) this.sig[base + i] = (fp.signature[i + 1]! >>> 6) & 0xff
    this.exact[2 * slot] = fp.exactHi
    this.exact[2 * slot + 1] = fp.exactLo
    this.keyHash[2 * slot] = khi
    this.keyHash[2 * slot + 1] = klo
    this.ts[slot] = tsMs
    const root = this.root(cslot)
    this.camp[slot] = root
    this.cRefs[root]!++
    this.shingles[slot] = fp.shingles
    this.flags[slot] = F_LIVE | (fp.short ? F_SHORT : 0) | (hasText ? F_HAS_TEXT : 0)
    this.gen[slot] = (this.gen[slot]! + 1) >>> 0
    if (hasText && sk.length > 0) this.cacheText(slot, sk)
    else this.skel[slot] = undefined
    this.cSize[root]!++
    this.keys.set(khi, klo, slot)
    this.live++
    // LSH nodes
    if (!fp.empty) {
      for (let b = 0; b < NUM_BANDS; b++) this.link(slot * NB + b, fp.bandKeys[b]! | 0)
      this.link(slot * NB + EXACT_BAND, exactKey(fp.exactLo) | 0)
    } else {
      for (let b = 0; b < NB; b++) this.nodes[3 * (slot * NB + b) + 2] = NOT_LINKED
    }
    this.qPush(slot, this.gen[slot]!)
    return slot
  }

  private cacheText(slot: number, sk: string): void {
    this.skel[slot] = sk
    this.textChars += sk.length
    this.tqSlot.push(slot)
    this.tqGen.push(this.gen[slot]!)
    while (this.textChars > this.maxTextChars && this.tqHead < this.tqSlot.length) {
      const s = this.tqSlot[this.tqHead]!
      const g = this.tqGen[this.tqHead]!
      this.tqHead++
      if (this.gen[s] === g && this.skel[s] !== undefined) {
        this.textChars -= this.skel[s].length
        this.skel[s] = undefined
      }
    }
    if (this.tqHead > 4096 && this.tqHead * 2 > this.tqSlot.length) {
      this.tqSlot = this.tqSlot.slice(this.tqHead)
      this.tqGen = this.tqGen.slice(this.tqHead)
      this.tqHead = 0
    }
  }

  private removeSlot(slot: number): void {
    if ((this.flags[slot]! & F_LIVE) === 0) return
    for (let b = 0; b < NB; b++) this.unlink(slot * NB + b)
    this.keys.delete(this.keyHash[2 * slot]!, this.keyHash[2 * slot + 1]!)
    const c = this.camp[slot]!
    this.cSize[this.root(c)]!--
    this.release(c)
    this.flags[slot] = 0
    const old = this.skel[slot]
    if (old !== undefined) {
      this.textChars -= old.length
      this.skel[slot] = undefined
    }
    this.gen[slot] = (this.gen[slot]! + 1) >>> 0
    this.freeSlots.push(slot)
    this.live--
  }

  private link(node: number, key: number): void {
    const nodes = this.nodes
    const h = key & this.headMask
    const head = this.heads[h]!
    nodes[3 * node] = key
    nodes[3 * node + 1] = head
    nodes[3 * node + 2] = -1 - h // negative: first node of bucket h
    if (head >= 0) nodes[3 * head + 2] = node
    this.heads[h] = node
  }

  private unlink(node: number): void {
    const nodes = this.nodes
    const prev = nodes[3 * node + 2]!
    if (prev === NOT_LINKED) return
    const next = nodes[3 * node + 1]!
    if (prev >= 0) nodes[3 * prev + 1] = next
    else this.heads[-1 - prev] = next
    if (next >= 0) nodes[3 * next + 2] = prev
    nodes[3 * node + 2] = NOT_LINKED
  }

  // ---- campaigns ----

  private campaignFor(hi: number, lo: number, unique: boolean): { slot: number; created: boolean } {
    if (!unique) {
      const existing = this.byFounder.get(hi, lo)
      if (existing >= 0) return { slot: this.root(existing), created: false }
    }
    return { slot: this.newCampaign(hi, lo, undefined), created: true }
  }

  private campaignForId(id: string): number {
    const c = this.campaignSlotOf(id)
    if (c >= 0) return c
    if (HEX_RE.test(id)) return this.newCampaign(parseHex32(id, 1), parseHex32(id, 9), undefined)
    return this.newCampaign(0, 0, id)
  }

  private campaignSlotOf(id: string): number {
    if (HEX_RE.test(id)) return this.byFounder.get(parseHex32(id, 1), parseHex32(id, 9))
    return this.byForeignId.get(id) ?? -1
  }

  private newCampaign(hi: number, lo: number, foreign: string | undefined): number {
    let c: number
    if (this.cFree.length > 0) c = this.cFree.pop()!
    else {
      if (this.cNext >= this.cHi.length) this.growCampaigns(this.cHi.length * 2)
      c = this.cNext++
    }
    this.cHi[c] = hi
    this.cLo[c] = lo
    this.cSize[c] = 0
    this.cParent[c] = c
    this.cRefs[c] = 0
    this.cForeign[c] = foreign
    if (foreign === undefined) this.byFounder.set(hi, lo, c)
    else this.byForeignId.set(foreign, c)
    this.cLive++
    return c
  }

  /** Drops one reference to a campaign slot; at zero the slot is freed and lets go of the campaign it was merged into. */
  private release(c: number): void {
    if (--this.cRefs[c]! > 0) return
    const parent = this.cParent[c]!
    const foreign = this.cForeign[c]
    if (foreign === undefined) this.byFounder.delete(this.cHi[c]!, this.cLo[c]!)
    else this.byForeignId.delete(foreign)
    this.cForeign[c] = undefined
    this.aliasesOf.delete(c)
    this.cFree.push(c)
    if (parent === c) this.cLive--
    else this.release(parent)
  }

  private root(c: number): number {
    while (this.cParent[c] !== c) c = this.cParent[c]!
    return c
  }

  /** Merges two live campaigns under the smaller id; the other id becomes its alias (and so do its own aliases). */
  private mergeRoots(a: number, b: number): void {
    if (a === b) return
    const [winner, loser] = this.ownIdOf(a) < this.ownIdOf(b) ? [a, b] : [b, a]
    this.cParent[loser] = winner
    this.cRefs[winner]!++
    this.cSize[winner]! += this.cSize[loser]!
    this.cSize[loser] = 0
    this.cLive--
    const canonical = this.ownIdOf(winner)
    const moved = [this.ownIdOf(loser), ...(this.aliasesOf.get(loser) ?? [])]
    this.aliasesOf.delete(loser)
    const aliases = this.aliasesOf.get(winner) ?? []
    for (const alias of moved) {
      aliases.push(alias)
      this.merges.push({ alias, canonical })
    }
    this.aliasesOf.set(winner, aliases)
    // a campaign known only by the id an entry carried (no member here yet) is an alias and nothing more
    if (this.cRefs[loser] === 0) {
      this.cRefs[loser] = 1
      this.release(loser)
    }
  }

  /** The id a campaign slot resolves to (its root's). */
  private campaignIdOf(c: number): string {
    return this.ownIdOf(this.root(c))
  }

  private ownIdOf(c: number): string {
    const foreign = this.cForeign[c]
    if (foreign !== undefined) return foreign
    return 'c' + hex32(this.cHi[c]!) + hex32(this.cLo[c]!)
  }

  // ---- storage growth ----

  private growEntries(newCap: number): void {
    const cap = Math.max(16, newCap)
    const copy = <T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(a: T, n: number, make: (n: number) => T): T => {
      const b = make(n)
      b.set(a)
      return b
    }
    this.sig = copy(this.sig, cap * SIG_BINS, (n) => new Uint8Array(n))
    this.exact = copy(this.exact, cap * 2, (n) => new Uint32Array(n))
    this.keyHash = copy(this.keyHash, cap * 2, (n) => new Uint32Array(n))
    this.ts = copy(this.ts, cap, (n) => new Float64Array(n))
    this.camp = copy(this.camp, cap, (n) => new Int32Array(n))
    this.flags = copy(this.flags, cap, (n) => new Uint8Array(n))
    this.shingles = copy(this.shingles, cap, (n) => new Int32Array(n))
    this.gen = copy(this.gen, cap, (n) => new Uint32Array(n))
    this.stamp = copy(this.stamp, cap, (n) => new Uint32Array(n))
    this.nodes = copy(this.nodes, cap * NB * 3, (n) => new Int32Array(n))
    this.cap = cap
    // rebuild the bucket heads at the new size
    // one to two nodes per bucket
    let size = 16
    while (size < cap * NB) size *= 2
    this.heads = new Int32Array(size).fill(-1)
    this.headMask = size - 1
    for (let slot = 0; slot < this.nextSlot; slot++) {
      if ((this.flags[slot]! & F_LIVE) === 0) continue
      for (let b = 0; b < NB; b++) {
        const node = slot * NB + b
        if (this.nodes[3 * node + 2] === NOT_LINKED) continue
        this.link(node, this.nodes[3 * node]!)
      }
    }
  }

  private growCampaigns(newCap: number): void {
    const cap = Math.max(16, newCap)
    const hi = new Uint32Array(cap)
    hi.set(this.cHi)
    this.cHi = hi
    const lo = new Uint32Array(cap)
    lo.set(this.cLo)
    this.cLo = lo
    const size = new Int32Array(cap)
    size.set(this.cSize)
    this.cSize = size
    const parent = new Int32Array(cap)
    parent.set(this.cParent)
    this.cParent = parent
    const refs = new Int32Array(cap)
    refs.set(this.cRefs)
    this.cRefs = refs
  }

  // ---- queue ----

  private qPush(slot: number, g: number): void {
    if (this.qLen === this.qSlot.length) {
      // compact stale items first; grow if still full
      this.qCompact()
      if (this.qLen === this.qSlot.length) {
        const n = this.qSlot.length * 2
        const s = new Int32Array(n)
        const gg = new Uint32Array(n)
        for (let i = 0; i < this.qLen; i++) {
          const j = (this.qHead + i) % this.qSlot.length
          s[i] = this.qSlot[j]!
          gg[i] = this.qGen[j]!
        }
        this.qSlot = s
        this.qGen = gg
        this.qHead = 0
      }
    }
    const j = (this.qHead + this.qLen) % this.qSlot.length
    this.qSlot[j] = slot
    this.qGen[j] = g
    this.qLen++
  }

  private qPop(): void {
    this.qHead = (this.qHead + 1) % this.qSlot.length
    this.qLen--
  }

  private qCompact(): void {
    const n = this.qSlot.length
    let w = 0
    const s = new Int32Array(n)
    const gg = new Uint32Array(n)
    for (let i = 0; i < this.qLen; i++) {
      const j = (this.qHead + i) % n
      const slot = this.qSlot[j]!
      if (this.gen[slot] === this.qGen[j] && (this.flags[slot]! & F_LIVE) !== 0) {
        s[w] = slot
        gg[w] = this.qGen[j]!
        w++
      }
    }
    this.qSlot = s
    this.qGen = gg
    this.qHead = 0
    this.qLen = w
  }
}

function exactKey(lo: number): number {
  return (lo ^ 0x7f4a7c15) >>> 0
}

function keyHashOf(key: MessageKey): [number, number] {
  H.murmur3Utf16Pair(key.chatId + '\u0000' + key.messageId, 0x1b873593, 0xcc9e2d51)
  return [H.PAIR[0]!, H.PAIR[1]!]
}

/** Insertion sort of candidate indices by descending estimate (candidate lists are short). */
function sortByEstDesc(order: Int32Array, est: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = order[i]!
    const v = est[x]!
    let j = i - 1
    while (j >= 0 && est[order[j]!]! < v) {
      order[j + 1] = order[j]!
      j--
    }
    order[j + 1] = x
  }
}
