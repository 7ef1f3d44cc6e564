/**
 * The shingles of a skeleton: its SHINGLE_K-grams (the whole skeleton when shorter), hashed as the
 * signature hashes them (see ./index.ts), for the exact Jaccard similarity the campaign index
 * verifies candidates with. Two forms: a sorted array of distinct hashes (`shingleSet`), and a
 * reusable hash table (`ShingleTable`) that compares one text with many without allocating or
 * sorting anything and gives up as soon as a comparison cannot reach the shared count it needs.
 */
import { fmix32 } from './hash.js'

export const SHINGLE_K = 4

/** Scratch the shingle hashes of one skeleton are written to (grown on demand, never shrunk). */
let hashes = new Uint32Array(1024)

/**
 * The rolling hash of a skeleton's shingles, one definition for every reader of it (hashShingles,
 * ShingleTable.shared): the window's polynomial hash in base ROLL_BASE, mixed by `shingleHash`. The
 * signature (./index.ts) hashes its shingles the same way.
 */
const ROLL_BASE = 0x01000193

/** ROLL_BASE^(kk - 1) mod 2^32: what the character leaving a window of kk weighs. */
function leavingWeight(kk: number): number {
  let w = 1
  for (let i = 1; i < kk; i++) w = Math.imul(w, ROLL_BASE)
  return w
}

/** The rolling value of the first window, sk[0, kk). */
function firstWindow(sk: string, kk: number): number {
  let h = 0
  for (let i = 0; i < kk; i++) h = (Math.imul(h, ROLL_BASE) + sk.charCodeAt(i)) | 0
  return h
}

/** The rolling value of the window moved one character: sk[start] leaves, sk[start + kk] enters. */
function slideWindow(h: number, sk: string, start: number, kk: number, weight: number): number {
  return (Math.imul(h - Math.imul(sk.charCodeAt(start), weight), ROLL_BASE) + sk.charCodeAt(start + kk)) | 0
}

const shingleHash = (rolling: number): number => fmix32(rolling ^ 0x2545f491)

/** Writes the hash of every shingle of `sk`, in text order and with repeats, into `hashes`; returns their count. */
function hashShingles(sk: string, k: number): number {
  const n = sk.length
  if (n === 0) return 0
  const kk = n < k ? n : k
  if (hashes.length < n) hashes = new Uint32Array(n * 2)
  const out = hashes
  const weight = leavingWeight(kk)
  let h = firstWindow(sk, kk)
  let m = 0
  for (let start = 0; ; start++) {
    out[m++] = shingleHash(h)
    if (start + kk >= n) break
    h = slideWindow(h, sk, start, kk, weight)
  }
  return m
}

/** The distinct shingle hashes of a skeleton, sorted (for exact Jaccard when both texts are at hand). */
export function shingleSet(sk: string, k: number = SHINGLE_K): Uint32Array {
  const m = hashShingles(sk, k)
  const out = hashes.slice(0, m).sort()
  let w = 0
  for (let i = 0; i < m; i++) if (i === 0 || out[i] !== out[i - 1]) out[w++] = out[i]!
  return out.subarray(0, w)
}

/** Jaccard similarity of two sorted sets of distinct uint32. */
export function jaccardSorted(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1
  let i = 0
  let j = 0
  let inter = 0
  while (i < a.length && j < b.length) {
    const x = a[i]!
    const y = b[j]!
    if (x === y) {
      inter++
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return inter / (a.length + b.length - inter)
}

/**
 * The distinct shingles of one text in an open-addressing table (the hashes are already mixed, so
 * their low bits are the home slot). `fill` loads a text; `shared` counts the distinct shingles
 * another text has in common with it (the intersection `jaccardSorted` of the two `shingleSet`s
 * uses), or gives -1 as soon as the count is certain to stay below what the caller needs. Generation
 * counters mark the filled slots and the slots met by the current comparison, so neither a fill nor
 * a comparison clears anything.
 */
export class ShingleTable {
  private keys = new Uint32Array(0)
  /** the fill that wrote each slot (the slot is in use when it is the current one) */
  private filledBy = new Uint32Array(0)
  /** the comparison that last met each slot (a shingle counts once however often it repeats) */
  private metBy = new Uint32Array(0)
  private mask = -1
  private fillNo = 0
  private compareNo = 0
  /** distinct shingles of the loaded text */
  size = 0
  /** the text loaded, so a caller can tell whether it is still the one it needs */
  loaded = ''

  /** Loads the shingles of `sk`; returns how many distinct ones it has. */
  fill(sk: string, k: number = SHINGLE_K): number {
    const m = hashShingles(sk, k)
    if (m * 2 > this.mask + 1) this.resize(m * 2)
    if (++this.fillNo === 0xffffffff) {
      this.filledBy.fill(0)
      this.fillNo = 1
    }
    const { keys, filledBy, mask, fillNo } = this
    let distinct = 0
    for (let p = 0; p < m; p++) {
      const h = hashes[p]!
      let i = h & mask
      while (filledBy[i] === fillNo && keys[i] !== h) i = (i + 1) & mask
      if (filledBy[i] === fillNo) continue
      keys[i] = h
      filledBy[i] = fillNo
      distinct++
    }
    this.size = distinct
    this.loaded = sk
    return distinct
  }

  /**
   * Shingles `sk` shares with the loaded text (each distinct one counted once), or -1 as soon as
   * fewer than `need` can be shared. Jaccard and containment both follow from it and the two
   * distinct counts.
   */
  shared(sk: string, need: number, k: number = SHINGLE_K): number {
    const n = sk.length
    if (n === 0) return need <= 0 ? 0 : -1
    if (++this.compareNo === 0xffffffff) {
      this.metBy.fill(0)
      this.compareNo = 1
    }
    const { keys, filledBy, metBy, mask, fillNo, compareNo } = this
    // hashShingles' hashes, computed only as far as the count can still reach `need`: most
    // candidates are given up on well before their end
    const kk = n < k ? n : k
    const m = n - kk + 1
    const weight = leavingWeight(kk)
    let rolling = firstWindow(sk, kk)
    let inter = 0
    for (let p = 0; ; p++) {
      if (inter + m - p < need) return -1 // even if every shingle left were shared
      const h = shingleHash(rolling)
      let i = h & mask
      while (filledBy[i] === fillNo && keys[i] !== h) i = (i + 1) & mask
      if (filledBy[i] === fillNo && metBy[i] !== compareNo) {
        metBy[i] = compareNo
        inter++
      }
      if (p + kk >= n) break
      rolling = slideWindow(rolling, sk, p, kk, weight)
    }
    return inter >= need ? inter : -1
  }

  private resize(atLeast: number): void {
    let size = 64
    while (size < atLeast) size *= 2
    this.keys = new Uint32Array(size)
    this.filledBy = new Uint32Array(size)
    this.metBy = new Uint32Array(size)
    this.mask = size - 1
    this.fillNo = 0
    this.compareNo = 0
    this.size = 0
    this.loaded = ''
  }
}

/**
 * The smallest intersection x <= most whose Jaccard x / (total - x) reaches `floor`, evaluated as the
 * comparison evaluates it (so a rejection below it is exact), or -1 when none does.
 */
export function minIntersection(total: number, most: number, floor: number): number {
  let x = Math.max(0, Math.floor((floor * total) / (1 + floor)) - 1)
  while (x <= most && x / (total - x) < floor) x++
  return x <= most ? x : -1
}
