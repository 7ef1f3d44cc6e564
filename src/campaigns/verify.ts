/**
 * Verification of candidates, in order of signature similarity: the first that passes is the match.
 * When both skeletons are in memory:
 *   - long texts: J = exact Jaccard of the two shingle sets, E = edit similarity of the skeletons
 *     (1 - Levenshtein / longer length, `fastest-levenshtein`); accept when (E >= minEditSimilarity
 *     and J >= minJaccardWithEdit) or (J >= minSimilarity and E >= minEditWithJaccard). E cannot
 *     exceed the ratio of the lengths, which rules most pairs out before any work; J is measured
 *     against the query's shingle table (../fingerprint/shingles.ts) with the candidate's distinct
 *     shingle count kept since it was added, and stops as soon as J cannot reach what the lengths
 *     still allow: no candidate's shingle set is ever built, and the answer is the exact J.
 *   - a short text on either side: the edit similarity alone, E >= minShortEditSimilarity.
 * Otherwise (a restored entry, or one whose skeleton the text cache dropped) the signature decides.
 */
import { distance } from 'fastest-levenshtein'
import { ShingleTable } from '../fingerprint/index.js'
import type { Candidates, Query } from './candidates.js'
import { F_SHORT, type Entries } from './entries.js'
import type { TextCache } from './text-cache.js'
import type { CampaignIndexOptions } from './types.js'

export class Verifier {
  private readonly minEdit: number
  private readonly minJWithEdit: number
  private readonly minJ: number
  private readonly minEditWithJ: number
  private readonly minShortEdit: number
  private readonly minSig: number
  private readonly minShortSig: number
  private readonly maxVerify: number
  /** the query's shingles (or, while an entry is added, that entry's) */
  private readonly queryShingles = new ShingleTable()
  /** similarity of the last match found (see Assignment.similarity) */
  score = 0

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
  }

  /** Distinct shingles of a skeleton being added (the query's table is reused when it holds that text). */
  distinctShingles(skeleton: string): number {
    return this.queryShingles.loaded === skeleton ? this.queryShingles.size : this.queryShingles.fill(skeleton)
  }

  /** The first candidate (in the candidates' order) that passes, or -1; its similarity in `score`. */
  firstAccepted(c: Candidates, q: Query): number {
    const sk = q.skeleton
    const { flags } = this.entries
    let verified = 0
    for (let t = 0; t < c.count; t++) {
      const i = c.order[t]!
      const slot = c.slots[i]!
      const est = c.estimates[i]!
      const other = this.texts.get(slot)
      const eitherShort = q.short || (flags[slot]! & F_SHORT) !== 0
      if (sk.length === 0 || other === undefined) {
        if (this.signatureAccepts(slot, est, q.shingles, eitherShort)) return this.found(slot, est)
        continue
      }
      if (est < 0.15) break // sorted: the rest are lower
      const la = sk.length
      const lb = other.length
      const lenRatio = la < lb ? la / lb : lb / la
      if (eitherShort) {
        if (lenRatio < this.minShortEdit) continue
        if (verified++ >= this.maxVerify) break
        const ed = 1 - distance(sk, other) / Math.max(la, lb)
        if (ed >= this.minShortEdit) return this.found(slot, ed)
        continue
      }
      if (lenRatio < this.minEditWithJ) continue // edit similarity cannot reach the floor
      if (verified++ >= this.maxVerify) break
      if (this.queryShingles.loaded !== sk) this.queryShingles.fill(sk)
      // below minJ only the scattered-edits rule can accept, and only if the lengths allow its E
      const floor = lenRatio >= this.minEdit ? Math.min(this.minJ, this.minJWithEdit) : this.minJ
      const j = this.queryShingles.jaccard(other, this.entries.distinct[slot]!, floor)
      let needEd: number
      if (j < 0) continue
      else if (j >= this.minJ) needEd = this.minEditWithJ
      else if (j >= this.minJWithEdit) needEd = this.minEdit
      else continue
      if (lenRatio < needEd) continue
      const ed = 1 - distance(sk, other) / Math.max(la, lb)
      if (ed >= needEd) return this.found(slot, j)
    }
    return -1
  }

  /** Without both texts: enough equal bins, and shingle counts within a factor of two. */
  private signatureAccepts(slot: number, est: number, shingles: number, eitherShort: boolean): boolean {
    const os = this.entries.shingles[slot]!
    const ratio = Math.min(os, shingles) / Math.max(os, shingles, 1)
    return est >= (eitherShort ? this.minShortSig : this.minSig) && ratio >= 0.5
  }

  private found(slot: number, score: number): number {
    this.score = score
    return slot
  }
}
