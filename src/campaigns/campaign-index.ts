/**
 * The near-duplicate campaign index: pure, in memory, bounded.
 *
 * Entries. Every live message is one entry: its signature (64 bins, 8 bits of each kept: two
 * different bins agree by chance 1 time in 256, a bias under 0.4%), exact
 * hash, campaign, event time and, while the bounded text cache holds it, its skeleton (see
 * ../fingerprint). Entries live in struct-of-arrays typed storage (./entries.ts: no per-message objects), are found
 * again through an LSH table (./lsh.ts: NUM_BANDS bands of the signature plus the exact hash) and leave by age (`windowMs`,
 * via `evict(now)`), by size (`maxEntries`: the oldest entry goes first), by `remove` (a delete,
 * remembered for the window so that a late edit does not bring the message back: ./deleted-keys.ts) or
 * by being assigned again (an edit: the old entry leaves its campaign, the new text is matched
 * afresh and may join another one).
 *
 * Matching (`assign`, `match`). An entry with the same exact hash is a match at once. Otherwise
 * the candidates are the entries sharing a band key (at most `maxCandidatesPerBand` per band, the
 * most recent first) and, for a text whose skeleton has at most `wordKeyMaxChars` characters, the
 * entries sharing a word key with it (../fingerprint/word-keys.ts; only entries added with their
 * normalized text have word keys: not restored ones, nor another instance's), ordered by signature
 * similarity; the first that passes verification is the match and the message joins its campaign
 * (single link), else it opens a new campaign. Verification: see ./verify.ts. A message that joined
 * a campaign also brings in one small campaign it passes against (`adoptSmallCampaign`): a message
 * or two that came earlier, matched nothing of this campaign then, and stayed a campaign of their own.
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
import { SIG_BINS, skeletonOf, type TextFingerprint } from '../fingerprint/index.js'
import { WORD_BANDS, wordKeysOf } from '../fingerprint/word-keys.js'
import * as H from '../fingerprint/hash.js'
import { AbuseRadarError } from '../domain/errors.js'
import { Campaigns } from './campaigns.js'
import { Candidates, newQuery, type Query } from './candidates.js'
import { DeletedKeys } from './deleted-keys.js'
import { Entries, F_LIVE, F_SHORT, hashKey, packedBin } from './entries.js'
import { LshTable, NODES_PER_ENTRY } from './lsh.js'
import { RebuiltFingerprint, isWellFormed } from './stored.js'
import { TextCache } from './text-cache.js'
import type { Assignment, CampaignIndexOptions, CampaignMerge, MessageKey, RestoredEntry, SharedEntry } from './types.js'
import { Verifier } from './verify.js'

/** Entries leaving at once from which the chains are rebuilt rather than unlinked one by one (see `evict`). */
const MASS_EVICTION_MIN = 10_000

/**
 * The largest campaign a matched message brings in (`adoptSmallCampaign`). Chosen on the adversarial
 * set's tune half (F1 0.9647 alone, 0.9680 up to two, 0.9686 up to three, 0.9646 up to five), with
 * the public set's precision >= 0.98 as the bound (0.9802 up to three, 0.9781 up to five: larger
 * groups are label-distinct ads of one advertiser that one message resembles).
 */
const MAX_ADOPTED_CAMPAIGN_SIZE = 3

export class CampaignIndex {
  private readonly windowMs: number
  private readonly maxEntries: number
  private readonly entries: Entries
  private readonly lsh: LshTable
  /** word keys of short texts (see the module comment) */
  private readonly wordTable: LshTable
  private readonly wordKeyMaxChars: number
  private readonly texts: TextCache
  private readonly campaigns = new Campaigns()
  private readonly candidates: Candidates
  private readonly verifier: Verifier
  private readonly rebuilt = new RebuiltFingerprint()
  private readonly deleted: DeletedKeys
  /** the message being matched (one object, refilled per call) */
  private readonly query: Query = newQuery()
  private evictions = 0
  /** whether the last `find` gathered band candidates (not an exact copy): `adoptSmallCampaign` reads them */
  private gathered = false
  /** the campaign `adoptSmallCampaign` is adopting into (read by `smallElsewhere`) */
  private adoptingInto = -1

  constructor(opts: CampaignIndexOptions) {
    if (!(opts.windowMs > 0)) throw new AbuseRadarError('AR_INTERNAL', 'CampaignIndex: windowMs must be > 0')
    if (!(opts.maxEntries >= 1)) throw new AbuseRadarError('AR_INTERNAL', 'CampaignIndex: maxEntries must be >= 1')
    this.windowMs = opts.windowMs
    this.maxEntries = Math.floor(opts.maxEntries)
    this.entries = new Entries(this.maxEntries)
    this.deleted = new DeletedKeys(this.maxEntries)
    const perBand = opts.maxCandidatesPerBand ?? 8
    this.lsh = new LshTable(NODES_PER_ENTRY, perBand, this.maxEntries)
    this.wordTable = new LshTable(WORD_BANDS, perBand, this.maxEntries)
    this.lsh.grow(this.entries.cap, this.entries)
    this.wordTable.grow(this.entries.cap, this.entries)
    this.wordKeyMaxChars = opts.wordKeyMaxChars ?? 400
    this.texts = new TextCache(opts.maxTextChars ?? 32 * 1024 * 1024, this.entries)
    this.candidates = new Candidates(this.lsh, this.wordTable, this.entries, perBand)
    this.verifier = new Verifier(opts, this.entries, this.texts)
  }

  get size(): number {
    return this.entries.live
  }

  stats(): { entries: number; campaigns: number; evictions: number } {
    return { entries: this.entries.live, campaigns: this.campaigns.live, evictions: this.evictions }
  }

  /** Live members of a campaign (0 when unknown or gone). */
  campaignSize(campaignId: string): number {
    const c = this.campaigns.slotOf(campaignId)
    return c < 0 ? 0 : this.campaigns.size(c)
  }

  /** Whether a message is in the index (assigned, not deleted, not evicted). */
  isLive(key: MessageKey): boolean {
    return this.slotOfKey(key) >= 0
  }

  /** Campaign of a live message, or of a deleted one the campaign it left (see `remove`), or null. */
  campaignOf(key: MessageKey): string | null {
    const slot = this.slotOfKey(key)
    if (slot >= 0) return this.campaigns.idOf(this.entries.camp[slot]!)
    return this.deleted.campaignOf(H.PAIR[0]!, H.PAIR[1]!) ?? null
  }

  /**
   * Assigns (or re-assigns, for an edit) a message to a campaign. A message deleted within the window
   * stays out: its late edit is answered with the campaign it left, and nothing is added.
   */
  assign(key: MessageKey, fp: TextFingerprint, normalized: string, tsMs: number): Assignment {
    const old = this.slotOfKey(key)
    const khi = H.PAIR[0]!
    const klo = H.PAIR[1]!
    if (old >= 0) this.removeSlot(old)
    else {
      const left = this.deleted.campaignOf(khi, klo)
      if (left !== undefined) return { campaignId: left, created: false, similarity: 0 }
    }

    if (fp.empty) {
      // nothing to compare: a campaign of its own, named after the message key
      const c = this.campaigns.create(khi ^ 0x5bd1e995, klo, undefined)
      this.makeRoom()
      this.insert(khi, klo, fp, '', tsMs, c, false)
      return { campaignId: this.campaigns.idOf(c), created: true, similarity: 0 }
    }

    // make room first: evicting after matching could free the campaign just matched
    this.makeRoom()
    const sk = fp.skeleton ?? skeletonOf(normalized)
    const match = this.find(fp, sk, normalized)
    let cslot: number
    let created = false
    let similarity: number
    if (match >= 0) {
      cslot = this.campaigns.root(this.entries.camp[match]!)
      similarity = this.verifier.score
      if (this.gathered) this.adoptSmallCampaign(cslot)
    } else {
      const founded = this.campaigns.foundedBy(fp.exactHi, fp.exactLo)
      created = founded < 0
      cslot = created ? this.campaigns.create(fp.exactHi, fp.exactLo, undefined) : this.campaigns.root(founded)
      similarity = created ? 0 : 1
    }
    this.insert(khi, klo, fp, sk, tsMs, cslot, this.query.words)
    return { campaignId: this.campaigns.idOf(cslot), created, similarity }
  }

  /**
   * The campaign a message would join, without adding it (null: it would open a new campaign).
   * Same matching as `assign`.
   */
  match(fp: TextFingerprint, normalized: string): { campaignId: string; similarity: number } | null {
    if (fp.empty) return null
    const m = this.find(fp, fp.skeleton ?? skeletonOf(normalized), normalized)
    if (m >= 0) return { campaignId: this.campaigns.idOf(this.entries.camp[m]!), similarity: this.verifier.score }
    const founder = this.campaigns.foundedBy(fp.exactHi, fp.exactLo)
    return founder >= 0 ? { campaignId: this.campaigns.idOf(founder), similarity: 1 } : null
  }

  /**
   * Removes a message (a delete) and remembers it for the window, so that a later edit of it is not
   * added again. Returns the campaign it left, or null if it was not live.
   */
  remove(key: MessageKey): string | null {
    const slot = this.slotOfKey(key)
    if (slot < 0) return null
    const id = this.campaigns.idOf(this.entries.camp[slot]!)
    this.deleted.add(H.PAIR[0]!, H.PAIR[1]!, id, this.entries.ts[slot]!)
    this.removeSlot(slot)
    return id
  }

  /**
   * Adds an entry another instance assigned, under its campaign id. It is matched against the local
   * entries first (as `assign` matches): when the entry founded its campaign and matches an entry of
   * another campaign, the two campaigns merge under the smaller id. An entry already known (same key
   * and exact hash) only merges; a different one under the same key replaces it (an edit).
   */
  addShared(entry: SharedEntry): void {
    if (!isWellFormed(entry.exactHash, entry.signature)) return
    const fp = this.rebuilt.rebuild(entry.exactHash, entry.signature, entry.skeleton)
    const old = this.slotOfKey(entry.key)
    const khi = H.PAIR[0]!
    const klo = H.PAIR[1]!
    const { campaigns, entries } = this
    if (old >= 0) {
      if (entries.exact[2 * old] === fp.exactHi && entries.exact[2 * old + 1] === fp.exactLo) {
        campaigns.mergeRoots(campaigns.root(entries.camp[old]!), campaigns.root(campaigns.forId(entry.campaignId)))
        return
      }
      this.removeSlot(old)
    }
    this.makeRoom()
    const own = campaigns.forId(entry.campaignId)
    // the skeleton has no spaces: no word keys (another instance's short copies are found by band only)
    const match = this.find(fp, entry.skeleton, '')
    this.insert(khi, klo, fp, entry.skeleton, entry.tsMs, own, false)
    // Only the entry that founded its campaign merges: it is the message that, on one instance,
    // would have joined the matching campaign instead of founding one. A later member that also
    // resembles another campaign is what one instance keeps apart too (a message joins one campaign,
    // it does not merge two; it adopts a small campaign, which addShared cannot tell from a campaign
    // whose other members live on another instance).
    if (match >= 0 && entry.campaignId === 'c' + entry.exactHash)
      campaigns.mergeRoots(campaigns.root(entries.camp[match]!), campaigns.root(own))
  }

  /**
   * A merge the store holds (campaigns.scale_out = merge): `alias` now resolves to `canonical`. A
   * campaign this instance knows under `alias` joins it, so its later members are counted under
   * `canonical`; an alias this instance never saw changes nothing. The store's canonical stays even
   * when it is the larger id (an adopted campaign's alias, `adoptSmallCampaign`): choosing the smaller
   * here made this instance count under one id and the store resolve to the other. Not reported by
   * `drainMerges` (it is written already), unless `alias` had joined another campaign here: that
   * campaign joins too, and the store may not know it yet (this index's row saying so can be written
   * after the merge planned), so its ids are written to `canonical` as well.
   */
  applyAlias(alias: string, canonical: string): void {
    const { campaigns } = this
    const slot = campaigns.slotOf(alias)
    if (slot < 0) return
    const root = campaigns.root(slot)
    campaigns.adopt(root, campaigns.root(campaigns.forId(canonical)), root !== slot)
  }

  /** Campaign ids merged into others since the last call (each alias with the id it now resolves to). */
  drainMerges(): CampaignMerge[] {
    return this.campaigns.drainMerges()
  }

  /**
   * Rebuilds entries from stored rows after a restart. Rows are streamed (never held all at once);
   * give them oldest first (ORDER BY ts), as eviction follows arrival order; a later row for the
   * same message key replaces an earlier one (an edit). Rows with a malformed hash or signature are
   * skipped.
   */
  restore(rows: Iterable<RestoredEntry>): void {
    for (const row of rows) {
      if (!isWellFormed(row.exactHash, row.signature)) continue
      const old = this.slotOfKey(row.key)
      const khi = H.PAIR[0]!
      const klo = H.PAIR[1]!
      if (old >= 0) this.removeSlot(old)
      const fp = this.rebuilt.rebuild(row.exactHash, row.signature, '')
      this.makeRoom()
      this.insert(khi, klo, fp, '', row.tsMs, this.campaigns.forId(row.campaignId), false)
    }
  }

  /** Evicts entries older than nowMs - windowMs, and the oldest beyond maxEntries. Returns the count. */
  evict(nowMs: number): number {
    const cutoff = nowMs - this.windowMs
    this.deleted.expire(cutoff)
    const { entries } = this
    const arrivals = entries.arrivals
    const leaving: number[] = []
    while (arrivals.length > 0) {
      const slot = arrivals.firstSlot
      if (!entries.isCurrent(slot, arrivals.firstGen)) {
        arrivals.shift()
        continue
      }
      if (entries.ts[slot]! >= cutoff && entries.live - leaving.length <= this.maxEntries) break
      arrivals.shift()
      leaving.push(slot)
    }
    // Most of the index at once (event time jumped past the window: a stream resumed after a pause,
    // a backlog days old followed by live traffic): rebuilding the chains of what is left costs less
    // than walking a bucket for each node that leaves (816,000 entries: 3.3 s of one event-loop turn
    // in `npm run bench`'s latency phase, bench/README session 22).
    const rebuild = leaving.length >= MASS_EVICTION_MIN && leaving.length * 2 >= entries.live
    for (const slot of leaving) {
      // nodes marked unlinked are skipped by removeSlot's unlinks, which would each walk a bucket
      if (rebuild) {
        this.lsh.leaveUnlinked(slot)
        this.wordTable.leaveUnlinked(slot)
      }
      this.removeSlot(slot)
    }
    if (rebuild) {
      this.lsh.relink(entries)
      this.wordTable.relink(entries)
    }
    this.evictions += leaving.length
    return leaving.length
  }

  // ------------------------------------------------------------------------------------------

  /** The slot of a live message, or -1; leaves the key's hash in H.PAIR. */
  private slotOfKey(key: MessageKey): number {
    hashKey(key)
    return this.entries.byKey.get(H.PAIR[0]!, H.PAIR[1]!)
  }

  /**
   * The entry a fingerprint matches (see the module comment), or -1; the similarity in verifier.score.
   * `normalized` ('' when not at hand) gives a short text its word keys, left in the query for `insert`.
   */
  private find(fp: TextFingerprint, skeleton: string, normalized: string): number {
    const q = this.query
    q.exactHi = fp.exactHi
    q.exactLo = fp.exactLo
    q.bandKeys = fp.bandKeys
    for (let i = 0; i < SIG_BINS; i++) q.sig[i] = packedBin(fp.signature, i)
    q.shingles = fp.shingles
    q.short = fp.short
    q.skeleton = skeleton
    q.words = normalized.length > 0 && skeleton.length <= this.wordKeyMaxChars && wordKeysOf(normalized, q.wordKeys)
    this.gathered = false
    const copy = this.candidates.exactCopy(q)
    if (copy >= 0) {
      this.verifier.score = 1
      return copy
    }
    if (this.candidates.gather(q) === 0) return -1
    this.gathered = true
    return this.verifier.firstAccepted(this.candidates, q)
  }

  /**
   * After a message joined campaign `root` (a match among gathered candidates): the next candidate
   * in order whose campaign is small (at most MAX_ADOPTED_CAMPAIGN_SIZE members) joins `root` too
   * when the message passes against it as well; between long texts only by a rule that needs most
   * of the text shared (J alone, containment), not by edit similarity. Such a campaign is a copy or
   * two that came earlier and matched nothing of `root` then, often too far from its members of that
   * time (a cut, a reorder, its own opening line); the message at hand is like both. One more
   * verification at most. A larger campaign the message resembles stays apart (docs/detection.md).
   * The merge is reported by drainMerges, as an alias of `root`'s id.
   */
  private adoptSmallCampaign(root: number): void {
    const { campaigns, entries, candidates, verifier } = this
    this.adoptingInto = root
    const t = verifier.nextAccepted(candidates, this.query, verifier.acceptedAt + 1, 1, this.smallElsewhere, false)
    if (t < 0) return
    campaigns.adopt(campaigns.root(entries.camp[candidates.slots[candidates.order[t]!]!]!), root)
  }

  /** Whether an entry is in a small campaign other than `adoptingInto` (made once: the filter runs per matched message). */
  private readonly smallElsewhere = (slot: number): boolean => {
    const c = this.campaigns.root(this.entries.camp[slot]!)
    return c !== this.adoptingInto && this.campaigns.size(c) <= MAX_ADOPTED_CAMPAIGN_SIZE
  }

  private makeRoom(): void {
    const { entries } = this
    const arrivals = entries.arrivals
    while (entries.live >= this.maxEntries && arrivals.length > 0) {
      const slot = arrivals.firstSlot
      const gen = arrivals.firstGen
      arrivals.shift()
      if (entries.isCurrent(slot, gen)) {
        this.removeSlot(slot)
        this.evictions++
      }
    }
  }

  /**
   * Adds an entry to campaign slot `cslot`; `skeleton` is '' when the text is not at hand; `words`:
   * link it under the query's word keys (`find` just computed them for this text).
   */
  private insert(khi: number, klo: number, fp: TextFingerprint, skeleton: string, tsMs: number, cslot: number, words: boolean): void {
    const { entries } = this
    if (entries.full) {
      entries.grow(entries.nextCapacity)
      this.lsh.grow(entries.cap, entries)
      this.wordTable.grow(entries.cap, entries)
    }
    const slot = entries.take(tsMs, fp.short ? F_SHORT : 0)
    const base = slot * SIG_BINS
    for (let i = 0; i < SIG_BINS; i++) entries.sig[base + i] = packedBin(fp.signature, i)
    entries.exact[2 * slot] = fp.exactHi
    entries.exact[2 * slot + 1] = fp.exactLo
    entries.keyHash[2 * slot] = khi
    entries.keyHash[2 * slot + 1] = klo
    entries.camp[slot] = this.campaigns.join(cslot)
    entries.shingles[slot] = fp.shingles
    entries.distinct[slot] = skeleton.length > 0 && !fp.short ? this.verifier.distinctShingles(skeleton) : 0
    if (skeleton.length > 0) this.texts.put(slot, skeleton)
    entries.byKey.set(khi, klo, slot)
    if (fp.empty) this.lsh.leaveUnlinked(slot)
    else this.lsh.linkEntry(slot, fp.bandKeys, fp.exactLo)
    // a slot taken for the first time has zeroed nodes (LshTable.grow), which would read as linked
    if (words) this.wordTable.linkKeys(slot, this.query.wordKeys)
    else this.wordTable.leaveUnlinked(slot)
  }

  private removeSlot(slot: number): void {
    if ((this.entries.flags[slot]! & F_LIVE) === 0) return
    this.lsh.unlinkEntry(slot)
    this.wordTable.unlinkEntry(slot)
    this.campaigns.leave(this.entries.camp[slot]!)
    this.texts.drop(slot)
    this.entries.free(slot)
  }
}
