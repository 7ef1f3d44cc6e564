/**
 * Word keys: a second, word-level way for the campaign index to find candidates of short texts.
 *
 * Why: on a short text (an SMS, a chat one-liner: 40–100 character 4-grams) one attack changes a
 * large share of the 4-grams, and one-permutation MinHash with densification over so few of them
 * is noisy, so a copy can share no LSH band with its base (see ./index.ts) and is never compared
 * with it. Whole words survive what breaks 4-grams across the text: a reorder or a cut keeps the
 * words, a tail of tags or a synonym adds or changes one or two of them.
 *
 * Keys: the distinct words of the normalized text (a link, a masked number or handle is not a
 * word; `l` folded into `i` and Cyrillic `з` into `е`, as the skeleton folds them), each hashed once
 * (FNV-1a over UTF-16 units, then fmix32); WORD_BANDS × WORD_ROWS min-hashes of that set, one
 * seeded multiply-xorshift each; a key is a hash of the band number and its WORD_ROWS minima. Two texts whose
 * word sets have Jaccard similarity w share a given key with probability w^WORD_ROWS, some key with
 * 1 - (1 - w²)^6: 0.83 at w = 0.5, 0.93 at 0.6, 0.98 at 0.7; two rows a key so that two texts
 * sharing one common word ("the", "и") are not candidates by it. Texts with fewer than
 * MIN_WORDS distinct words get none: on two words a key is almost the words themselves.
 *
 * Pure: no allocation per call beyond the caller's output array.
 */
import { fmix32 } from './hash.js'

export const WORD_BANDS = 6
export const WORD_ROWS = 2
const HASHES = WORD_BANDS * WORD_ROWS
export const MIN_WORDS = 3

/** Odd multipliers and offsets of the min-hash functions (fixed: keys must agree across runs and instances). */
const MUL = new Uint32Array(HASHES)
const ADD = new Uint32Array(HASHES)
for (let f = 0; f < HASHES; f++) {
  MUL[f] = (fmix32(0x6a09e667 + f) | 1) >>> 0
  ADD[f] = fmix32(0xbb67ae85 ^ Math.imul(f + 1, 0x9e3779b1))
}

const mins = new Uint32Array(HASHES)

/**
 * Writes the WORD_BANDS word keys of a normalized text into `out` and returns true, or returns
 * false (leaving `out` as it was) when the text has fewer than MIN_WORDS distinct words.
 */
export function wordKeysOf(text: string, out: Uint32Array): boolean {
  mins.fill(0xffffffff)
  const n = text.length
  let words = 0
  // distinct words are counted approximately (a repeat of the previous word is not new); the min-hashes are exact
  let prev = -1
  let start = 0
  while (start < n) {
    let end = start
    let dot = false
    let content = false
    let h = 0x811c9dc5
    for (; end < n; end++) {
      let c = text.charCodeAt(end)
      if (c === 0x20) break
      if (c === 0x2e) dot = true
      else if (c !== 0x23 && c !== 0x40) content = true
      if (c === 0x6c) c = 0x69
      else if (c === 0x437) c = 0x435
      h = Math.imul(h ^ c, 0x01000193)
    }
    // a link (a dot inside the token) or a bare mask is not a word
    const link = dot && text.charCodeAt(end - 1) !== 0x2e
    if (end > start && content && !link) {
      const w = fmix32(h)
      if (w !== prev) {
        words++
        prev = w
        // w is mixed already: one multiply and xor-shift a function is enough (a full fmix32 each cost ~2x)
        for (let f = 0; f < HASHES; f++) {
          let v = Math.imul(w ^ ADD[f]!, MUL[f]!)
          v = (v ^ (v >>> 16)) >>> 0
          if (v < mins[f]!) mins[f] = v
        }
      }
    }
    start = end + 1
  }
  if (words < MIN_WORDS) return false
  for (let b = 0; b < WORD_BANDS; b++) {
    let k = Math.imul(b + 1, 0x85ebca6b) ^ 0x3c6ef372
    for (let r = 0; r < WORD_ROWS; r++) k = Math.imul(k ^ mins[b * WORD_ROWS + r]!, 0x01000193)
    out[b] = fmix32(k)
  }
  return true
}
