/**
 * Step 9: a text that is one text posted two or more times in a row keeps its first copy.
 */
import { distance } from 'fastest-levenshtein'

/**
 * Whole-text repetition ("A A", "A A A", "A A-truncated"): the length of the first copy, or the
 * text's length when it is not a repetition. A copy may differ from the first in up to 10% of its
 * characters (obfuscation applied to each copy separately). Cheap when there is no repetition:
 * one indexOf; the edit distance runs only when the opening of the text recurs.
 */
export function collapseRepetition(text: string): number {
  const n = text.length
  if (n < 40) return n
  const probe = text.slice(0, 12)
  let tries = 0
  for (let p = text.indexOf(probe, Math.floor(n / 3) - 2); p > 0 && tries < 3; p = text.indexOf(probe, p + 1), tries++) {
    if (p < 20) continue
    const copyLength = n - p
    if (copyLength < 8) break
    // distance <= 10% of the length; the distance is an integer, so <= its floor
    const maxEdits = Math.floor(copyLength * 0.1)
    if (bigramLowerBound(text, p, copyLength) <= maxEdits && withinEditDistance(text, p, copyLength, maxEdits)) {
      let q = p
      while (q > 0 && text.charCodeAt(q - 1) === 0x20) q--
      return q
    }
  }
  return n
}

const BIGRAM_BUCKETS = 1024
const bigramCounts = new Int32Array(BIGRAM_BUCKETS)

/**
 * A lower bound of the edit distance between text[from, from + length) and text[0, length), in
 * O(length): an edit changes at most two of the first string's bigrams, so d >= (bigrams of the
 * first missing from the second) / 2. Bigrams are counted in hashed buckets, which can only lower
 * the count of missing ones: still a bound. It rules out most texts whose opening merely recurs
 * before the exact (and costlier) distance runs.
 */
export function bigramLowerBound(text: string, from: number, length: number): number {
  const counts = bigramCounts
  counts.fill(0)
  for (let i = 1; i < length; i++) {
    counts[(text.charCodeAt(from + i - 1) * 31 + text.charCodeAt(from + i)) & (BIGRAM_BUCKETS - 1)]!++
    counts[(text.charCodeAt(i - 1) * 31 + text.charCodeAt(i)) & (BIGRAM_BUCKETS - 1)]!--
  }
  let missing = 0
  for (let b = 0; b < BIGRAM_BUCKETS; b++) if (counts[b]! > 0) missing += counts[b]!
  return Math.ceil(missing / 2)
}

let diagonals = new Int32Array(64)
let previousDiagonals = new Int32Array(64)
const UNREACHED = -0x40000000

/**
 * Whether the Levenshtein distance (UTF-16 units) between text[from, from + length) and
 * text[0, length) is at most `maxEdits`. Landau-Vishkin: for e = 0, 1, ... edits, the furthest row
 * reached on each diagonal, extended along equal characters; it stops at the first e that reaches
 * the end or at maxEdits + 1. O(length + e²) on copies, instead of the O(length²/32) of the
 * bit-parallel full distance (fastest-levenshtein); but up to O(length · maxEdits) on texts made of
 * one phrase repeated, where every diagonal extends far: past that much work, the full distance
 * decides.
 */
export function withinEditDistance(text: string, from: number, length: number, maxEdits: number): boolean {
  // diagonal d = column - row, in [-maxEdits, maxEdits], stored at d + maxEdits + 1 (a guard on each side)
  const size = 2 * maxEdits + 3
  if (diagonals.length < size) {
    diagonals = new Int32Array(size * 2)
    previousDiagonals = new Int32Array(size * 2)
  }
  let current = diagonals
  let previous = previousDiagonals
  const mid = maxEdits + 1
  // about the cost of the full bit-parallel distance, in character comparisons
  let budget = 4 * length * Math.ceil(length / 32)
  previous.fill(UNREACHED, 0, size)
  for (let e = 0; e <= maxEdits; e++) {
    current.fill(UNREACHED, 0, size)
    for (let d = -e; d <= e; d++) {
      let row: number
      if (e === 0) row = 0
      else {
        // substitution (same diagonal, next row), insertion (from d - 1, same row), deletion (from d + 1, next row)
        row = previous[mid + d]! + 1
        const fromLeft = previous[mid + d - 1]!
        if (fromLeft > row) row = fromLeft
        const fromAbove = previous[mid + d + 1]! + 1
        if (fromAbove > row) row = fromAbove
      }
      const rowLimit = d > 0 ? length - d : length
      if (row > rowLimit) row = rowLimit
      if (row < 0) continue
      const rowBefore = row
      while (row < rowLimit && text.charCodeAt(from + row) === text.charCodeAt(row + d)) row++
      current[mid + d] = row
      budget -= row - rowBefore + 1
    }
    if (budget < 0) return distance(text.slice(from, from + length), text.slice(0, length)) <= maxEdits
    if (current[mid]! >= length) return true
    const swap = previous
    previous = current
    current = swap
  }
  return false
}
