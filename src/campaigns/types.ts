/** The campaign index's public types: its options, what it is given and what it answers (see ./campaign-index.ts). */

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
  /**
   * Containment rule, for a copy cut short, extended by a tail or a greeting, repeated or reordered
   * (its shingles stay those of the other text while its edit similarity falls): accept when the
   * smaller text has at least `minContainmentShingles` distinct shingles, at least `minContainment`
   * of them are the other's, and the shorter skeleton is at least `minContainmentLengthRatio` of the
   * longer one, and it is the longer one's beginning or end (edit similarity >= minEditSimilarity
   * against that part): a long passage shared by two texts that differ around it is not enough.
   * A cut that kept most of the text (the shorter at least `closeContainmentLengthRatio` of the
   * longer) needs only `minCloseContainmentShingles`: the shorter the kept part, the more shared text
   * it takes, because the public set labels some longer texts that begin or end with another text (a
   * second message, about as long as the first, joined to it) as other campaigns (docs/detection.md).
   * Defaults 0.95, 400, 0.5, 30, 0.6 (30: a cut SMS or chat one-liner of 40–100 characters has
   * 35–95 shingles; at 100 every cut or tagged copy of one was left to J >= 0.7).
   */
  minContainment?: number
  minCloseContainmentShingles?: number
  closeContainmentLengthRatio?: number
  /**
   * Order-insensitive rules: a copy with its sentences reordered or repeated keeps its shingles but
   * not its edit similarity. Accept on Jaccard alone at `minJaccardAlone`, or at
   * `minJaccardSameLength` when the skeletons' lengths are within `sameLengthRatio` (a reordered
   * copy keeps its length). Defaults 0.88, 0.7, 0.9.
   */
  minJaccardAlone?: number
  minJaccardSameLength?: number
  sameLengthRatio?: number
  /**
   * Order-insensitive rule for short texts: when the longer skeleton has at most
   * `unalignedContainmentMaxChars` characters and the shorter is at least
   * `unalignedContainmentLengthRatio` of it, accept at J >= `minUnalignedJaccard` with at least
   * `minUnalignedContainment` of the smaller text's shingles in the other, wherever they are. On a
   * text of one or two sentences a reorder, or a tail of tags with one more edit, breaks enough
   * shingles to fall under J 0.7 while the shorter text stays almost whole inside the longer one.
   * The length bound keeps it off long texts: the public set labels two reordered long Chinese
   * adverts as two campaigns, and the length ratio a text with a sentence put in front of another
   * (ratio about 0.68). Defaults 0.6, 0.85, 0.75, 400.
   */
  minUnalignedJaccard?: number
  minUnalignedContainment?: number
  unalignedContainmentLengthRatio?: number
  unalignedContainmentMaxChars?: number
  minContainmentShingles?: number
  minContainmentLengthRatio?: number
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
  /**
   * Word keys (../fingerprint/word-keys.ts) are computed, kept and looked up for texts whose skeleton
   * has at most this many characters: a second way to find copies of a short text, whose signature
   * over 40–100 shingles may share no band with its base's. 0 turns them off. Default 400.
   */
  wordKeyMaxChars?: number
  /**
   * A candidate found by word keys alone passes the scattered-edits rule (J >= minJaccardWithEdit)
   * only at E >= this. Default 0.77: at 0.75 it joined two campaigns the public set labels apart
   * (the same Russian one-liner with three words changed, J 0.50, E 0.76: public precision 0.978);
   * 0.77 costs 0.02 points of tune-half recall.
   */
  wordOnlyMinEditSimilarity?: number
  /**
   * Containment of a short text cut short: when the longer skeleton has at most
   * `shortCutContainmentMaxChars` characters and the shorter is between
   * `shortCutContainmentLengthRatio` and `closeContainmentLengthRatio` of it, the containment rule
   * takes `minCloseContainmentShingles` (not `minContainmentShingles`), and the shorter text must be
   * the longer one's beginning: a cut keeps the beginning, and a text that is the end of another is
   * what a second message appended to a first looks like (public precision 0.973 with ends allowed
   * at 200 characters and 0.45). Defaults 250 and 0.5, chosen on the adversarial tune half under
   * public precision >= 0.98 (at 300 characters public precision is 0.978, at 0.45 and 200 0.979).
   */
  shortCutContainmentMaxChars?: number
  shortCutContainmentLengthRatio?: number
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
