/**
 * Verification of candidates, in order of signature similarity: the first that passes is the match.
 * When both skeletons are in memory:
 *   - long texts: J = exact Jaccard of the two shingle sets, E = edit similarity of the skeletons
 *     (1 - Levenshtein / longer length, `fastest-levenshtein`); accept when (E >= minEditSimilarity
 *     and J >= minJaccardWithEdit) or (J >= minSimilarity and E >= minEditWithJaccard); without E,
 *     when order changed (J >= minJaccardAlone, or J >= minJaccardSameLength at lengths within
 *     sameLengthRatio; at lengths under half of each other J alone is all that can accept, a text
 *     pasted twice against the text once, tried when the signatures agree enough) or when one
 *     long text holds the other at its beginning or end (containment, see CampaignIndexOptions),
 *     or, for texts of up to unalignedContainmentMaxChars at lengths within
 *     unalignedContainmentLengthRatio, holds it anywhere (J >= minUnalignedJaccard and containment
 *     >= minUnalignedContainment: a short text reordered, or with a tail or greeting and one more
 *     edit). E cannot exceed the ratio of the lengths, which rules most pairs out before any work; the shared shingles are counted against the query's shingle table
 *     (../fingerprint/shingles.ts) with the candidate's distinct shingle count kept since it was
 *     added, and the count stops as soon as no rule can be reached: no candidate's shingle set is
 *     ever built, and J and containment are exact.
 *     Two rules for short texts besides: a text of up to shortCutContainmentMaxChars cut to between
 *     shortCutContainmentLengthRatio and closeContainmentLengthRatio of its length is contained from
 *     minCloseContainmentShingles on, when it is the other's beginning (what a cut keeps: a text
 *     that is another's end is what a second message appended to a first one looks like); and a
 *     candidate only the word keys found (its signature shares no band with the query's) passes
 *     the scattered-edits rule only at E >= wordOnlyMinEditSimilarity.
 *   - a short text on either side: the edit similarity alone, E >= minShortEditSimilarity.
 * Otherwise (a restored entry, or one whose skeleton the text cache dropped) the signature decides.
 */
import { distance } from 'fastest-levenshtein'
import { ShingleTable, minIntersection } from '../fingerprint/index.js'
import type { Candidates, Query } from './candidates.js'
import { F_SHORT, type Entries } from './entries.js'
import type { TextCache } from './text-cache.js'
import type { CampaignIndexOptions } from './types.js'

const ANY_SLOT = () => true
/**
 * The signature estimate below which a text of about half or twice the other's length is not
 * verified: only J alone (minJaccardAlone, 0.88) could accept it, and a pair at J 0.88 shows an
 * estimate under this about once in 900 (64 bins, binomial).
 */
const REPEAT_MIN_ESTIMATE = 0.75

export class Verifier {
  private readonly minEdit: number
  private readonly minJWithEdit: number
  private readonly minJ: number
  private readonly minEditWithJ: number
  private readonly minShortEdit: number
  private readonly minSig: number
  private readonly minShortSig: number
  private readonly maxVerify: number
  private readonly minContainment: number
  private readonly minContainShingles: number
  private readonly minContainLength: number
  private readonly minCloseContainShingles: number
  private readonly closeContainLength: number
  private readonly minJAlone: number
  private readonly minJSameLength: number
  private readonly sameLength: number
  private readonly minUnalignedJ: number
  private readonly minUnalignedContainment: number
  private readonly unalignedLength: number
  private readonly unalignedMaxChars: number
  private readonly wordOnlyMinEdit: number
  private readonly shortCutMaxChars: number
  private readonly shortCutLength: number
  /** the query's shingles (or, while an entry is added, that entry's) */
  private readonly queryShingles = new ShingleTable()
  /** similarity of the last match found (see Assignment.similarity) */
  score = 0
  /** position of firstAccepted's match in the candidates' order (-1: none) */
  acceptedAt = -1

  constructor(
    opts: CampaignIndexOptions,
    private readonly entries: Entries,
    private readonly texts: TextCache,
  ) {
    this.minEdit = opts.minEditSimilarity ?? 0.75
    this.minJWithEdit = opts.minJaccardWithEdit ?? 0.3
    this.minJ = opts.minSimilarity ?? 0.7
    this.minEditWithJ = opts.minEditWithJaccard ?? 0.5
    this.minShortEdit = opts.minShortEditSimilarity ?? 0.7
    this.minSig = opts.minSignatureSimilarity ?? 0.7
    this.minShortSig = opts.minShortSignatureSimilarity ?? 0.85
    this.maxVerify = opts.maxVerifications ?? 8
    this.minContainment = opts.minContainment ?? 0.95
    this.minContainShingles = opts.minContainmentShingles ?? 400
    this.minContainLength = opts.minContainmentLengthRatio ?? 0.5
    this.minCloseContainShingles = opts.minCloseContainmentShingles ?? 30
    this.closeContainLength = opts.closeContainmentLengthRatio ?? 0.6
    this.minJAlone = opts.minJaccardAlone ?? 0.88
    this.minJSameLength = opts.minJaccardSameLength ?? 0.7
    this.sameLength = opts.sameLengthRatio ?? 0.9
    this.minUnalignedJ = opts.minUnalignedJaccard ?? 0.6
    this.minUnalignedContainment = opts.minUnalignedContainment ?? 0.85
    this.unalignedLength = opts.unalignedContainmentLengthRatio ?? 0.75
    this.unalignedMaxChars = opts.unalignedContainmentMaxChars ?? 400
    this.wordOnlyMinEdit = opts.wordOnlyMinEditSimilarity ?? 0.77
    this.shortCutMaxChars = opts.shortCutContainmentMaxChars ?? 250
    this.shortCutLength = opts.shortCutContainmentLengthRatio ?? 0.5
  }

  /** Distinct shingles of a skeleton being added (the query's table is reused when it holds that text). */
  distinctShingles(skeleton: string): number {
    return this.queryShingles.loaded === skeleton ? this.queryShingles.size : this.queryShingles.fill(skeleton)
  }

  /** The first candidate (in the candidates' order) that passes, or -1; its similarity in `score`. */
  firstAccepted(c: Candidates, q: Query): number {
    const t = this.nextAccepted(c, q, 0, this.maxVerify, ANY_SLOT)
    this.acceptedAt = t
    return t < 0 ? -1 : c.slots[c.order[t]!]!
  }

  /**
   * The position (in the candidates' order, from `from` on) of the first candidate that `wanted`
   * lets through and that passes, verifying at most `budget` of them; -1 if none. Its similarity
   * in `score`. `edits` false: long texts pass only by the rules that need most of their shingles
   * shared (J alone, containment), not by edit similarity, which then costs no Levenshtein either.
   */
  nextAccepted(c: Candidates, q: Query, from: number, budget: number, wanted: (slot: number) => boolean, edits = true): number {
    const sk = q.skeleton
    const { flags } = this.entries
    let verified = 0
    for (let t = from; t < c.count; t++) {
      const i = c.order[t]!
      const slot = c.slots[i]!
      if (!wanted(slot)) continue
      const est = c.estimate(i)
      // found by word keys alone: its signature is far from the query's (see wordOnlyMinEditSimilarity)
      const wordOnly = i >= c.fromWords
      const other = this.texts.get(slot)
      const eitherShort = q.short || (flags[slot]! & F_SHORT) !== 0
      if (sk.length === 0 || other === undefined) {
        if (this.signatureAccepts(slot, est, q.shingles, eitherShort)) return this.found(t, est)
        continue
      }
      if (est < 0.15) break // sorted: the rest are lower
      const la = sk.length
      const lb = other.length
      const lenRatio = la < lb ? la / lb : lb / la
      if (eitherShort) {
        if (lenRatio < this.minShortEdit) continue
        if (verified++ >= budget) break
        const ed = 1 - distance(sk, other) / Math.max(la, lb)
        if (ed >= this.minShortEdit) return this.found(t, ed)
        continue
      }
      const longer = la > lb ? la : lb
      // a short text cut to half to 60 %: containment from few shingles, at its beginning only
      const shortCut = lenRatio < this.closeContainLength && lenRatio >= this.shortCutLength && longer <= this.shortCutMaxChars
      const containFloor = shortCut ? this.minCloseContainShingles : this.containmentFloor(lenRatio)
      const unaligned = lenRatio >= this.unalignedLength && longer <= this.unalignedMaxChars
      // Lengths this far apart leave no rule but J alone, and J alone only to a text that repeats
      // itself (a copy pasted twice has the distinct shingles of one): its signature is then close.
      const repeatOnly = lenRatio < this.minEditWithJ && containFloor === Infinity && !unaligned
      if (repeatOnly && est < REPEAT_MIN_ESTIMATE) continue // no rule can accept
      if (verified++ >= budget) break
      if (this.queryShingles.loaded !== sk) this.queryShingles.fill(sk)
      const qn = this.queryShingles.size
      const on = this.entries.distinct[slot]!
      const smaller = qn < on ? qn : on
      // the fewest shared shingles any rule could accept with: Jaccard floors by what the lengths
      // still allow the edit rules, containment when the smaller text is long enough to tell
      let jFloor = lenRatio >= this.minEdit ? Math.min(this.minJ, this.minJWithEdit) : this.minJ
      if (!edits) jFloor = lenRatio >= this.sameLength ? this.minJSameLength : this.minJAlone
      if (repeatOnly) jFloor = this.minJAlone
      let need = lenRatio >= this.minEditWithJ || repeatOnly ? minIntersection(qn + on, smaller, jFloor) : -1
      if (need < 0) need = Infinity
      const containable = smaller >= containFloor
      if (containable) need = Math.min(need, Math.ceil(this.minContainment * smaller))
      if (unaligned) {
        const n = minIntersection(qn + on, smaller, this.minUnalignedJ)
        if (n >= 0) need = Math.min(need, Math.max(n, Math.ceil(this.minUnalignedContainment * smaller)))
      }
      if (need === Infinity) continue
      const shared = this.queryShingles.shared(other, need)
      if (shared < 0) continue
      const j = shared / (qn + on - shared)
      if (j >= this.minJAlone || (j >= this.minJSameLength && lenRatio >= this.sameLength)) return this.found(t, j)
      if (containable && shared >= this.minContainment * smaller && this.aligned(sk, other, shortCut)) return this.found(t, j)
      if (unaligned && j >= this.minUnalignedJ && shared >= this.minUnalignedContainment * smaller) return this.found(t, j)
      if (!edits) continue
      let needEd: number
      if (j >= this.minJ) needEd = this.minEditWithJ
      else if (j >= this.minJWithEdit) needEd = wordOnly ? this.wordOnlyMinEdit : this.minEdit
      else continue
      if (lenRatio < needEd) continue
      const ed = 1 - distance(sk, other) / Math.max(la, lb)
      if (ed >= needEd) return this.found(t, j)
    }
    return -1
  }

  /**
   * The fewest distinct shingles the smaller text needs for containment at this length ratio
   * (Infinity: none is enough): a cut that kept most of the text needs less shared text than one
   * that kept about half, which is also what a second message appended to a first one looks like.
   */
  private containmentFloor(lenRatio: number): number {
    if (lenRatio >= this.closeContainLength) return this.minCloseContainShingles
    return lenRatio >= this.minContainLength ? this.minContainShingles : Infinity
  }

  /**
   * Whether the shorter skeleton is the longer one's beginning or end (`prefixOnly`: its beginning),
   * up to scattered edits: a copy cut short, or one with a greeting before it or a tail after it.
   * Containment alone would also join two texts that share a long passage and say different things
   * around it.
   */
  private aligned(a: string, b: string, prefixOnly: boolean): boolean {
    const [short, long] = a.length <= b.length ? [a, b] : [b, a]
    const n = short.length
    if (1 - distance(short, long.slice(0, n)) / n >= this.minEdit) return true
    if (prefixOnly) return false
    return 1 - distance(short, long.slice(long.length - n)) / n >= this.minEdit
  }

  /** Without both texts: enough equal bins, and shingle counts within a factor of two. */
  private signatureAccepts(slot: number, est: number, shingles: number, eitherShort: boolean): boolean {
    const os = this.entries.shingles[slot]!
    const ratio = Math.min(os, shingles) / Math.max(os, shingles, 1)
    return est >= (eitherShort ? this.minShortSig : this.minSig) && ratio >= 0.5
  }

  private found(at: number, score: number): number {
    this.score = score
    return at
  }
}
