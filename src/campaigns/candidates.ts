/**
 * Candidate search: an entry with the same exact hash, else the entries sharing a band key with the
 * query, and, for a short text, the entries sharing a word key with it (../fingerprint/word-keys.ts:
 * copies of a short text whose signatures share no band), at most `maxCandidatesPerBand` per key
 * (in bucket-chain order: the newest first), each counted once, with its signature similarity to the
 * query, sorted by it (highest first).
 */
import { NUM_BANDS, SIG_BINS } from '../fingerprint/index.js'
import { WORD_BANDS } from '../fingerprint/word-keys.js'
import type { Entries } from './entries.js'
import { NODES_PER_ENTRY, exactKey, type LshTable } from './lsh.js'

/** What the index matches: the fields of a fingerprint it uses, and the skeleton ('' when not at hand). */
export interface Query {
  exactHi: number
  exactLo: number
  bandKeys: Uint32Array
  /** the signature packed as entries keep it (see packedBin) */
  readonly sig: Uint8Array
  /** the same bytes, four at a time (see equalBins) */
  readonly sigWords: Uint32Array
  shingles: number
  short: boolean
  skeleton: string
  /** the word keys (WORD_BANDS), valid when `words` */
  readonly wordKeys: Uint32Array
  /** whether the query has word keys (a short text with enough words, its normalized text at hand) */
  words: boolean
}

/** A query to refill per message: its packed signature viewed as bytes and as words. */
export function newQuery(): Query {
  const sig = new Uint8Array(SIG_BINS)
  return {
    exactHi: 0,
    exactLo: 0,
    bandKeys: new Uint32Array(0),
    sig,
    sigWords: new Uint32Array(sig.buffer),
    shingles: 0,
    short: false,
    skeleton: '',
    wordKeys: new Uint32Array(WORD_BANDS),
    words: false,
  }
}

const MAX_CANDIDATES = 4096
const SIG_WORDS = SIG_BINS / 4

/**
 * Equal packed bins of two signatures, compared four bytes at a time: a byte of a ^ b is zero where
 * the bins agree, and the classic test for zero bytes (high bit set in each zero byte) is counted by
 * one multiplication. The byte loop it replaced was most of gathering candidates, 45 a query on the
 * benchmark's stream (bench/README, session 19).
 */
export function equalBins(a: Uint32Array, aBase: number, b: Uint32Array): number {
  let equal = 0
  for (let w = 0; w < SIG_WORDS; w++) {
    const x = a[aBase + w]! ^ b[w]!
    const zeroBytes = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f)
    equal += Math.imul(zeroBytes >>> 7, 0x01010101) >>> 24
  }
  return equal
}

export class Candidates {
  readonly slots = new Int32Array(MAX_CANDIDATES)
  /** equal bins of each candidate: its signature similarity times SIG_BINS, and the sort key */
  private readonly equal = new Int32Array(MAX_CANDIDATES)
  /** candidates per count of equal bins, then where each count's run starts in `order` */
  private readonly perCount = new Int32Array(SIG_BINS + 1)
  /** candidate indices, highest estimate first (ties in the order found) */
  readonly order = new Int32Array(MAX_CANDIDATES)
  count = 0
  /** candidates at this index and after (in `slots`, before sorting) were found by word keys alone */
  fromWords = 0

  constructor(
    private readonly lsh: LshTable,
    private readonly wordTable: LshTable,
    private readonly entries: Entries,
    private readonly maxPerBand: number,
  ) {}

  /** Signature similarity (fraction of equal bins) of candidate i. */
  estimate(i: number): number {
    return this.equal[i]! / SIG_BINS
  }

  /** A live entry with the query's exact hash, or -1. */
  exactCopy(q: Query): number {
    const { heads, headMask, nodes } = this.lsh
    const exact = this.entries.exact
    const key = exactKey(q.exactLo)
    for (let node = heads[key & headMask]!; node >= 0; node = nodes[2 * node + 1]!) {
      if (nodes[2 * node] !== key) continue
      const slot = (node / NODES_PER_ENTRY) | 0
      if (exact[2 * slot] === q.exactHi && exact[2 * slot + 1] === q.exactLo) return slot
    }
    return -1
  }

  /** Gathers and sorts the band candidates of the query; returns their count. */
  gather(q: Query): number {
    const now = this.entries.nextStamp()
    this.count = 0
    this.walk(this.lsh, q.bandKeys, NUM_BANDS, NODES_PER_ENTRY, q, now)
    this.fromWords = this.count
    if (q.words) this.walk(this.wordTable, q.wordKeys, WORD_BANDS, WORD_BANDS, q, now)
    this.sortByEstimate()
    return this.count
  }

  /** Adds the entries under each of `bands` keys (node b of an entry under keys[b]) not met yet by this query. */
  private walk(table: LshTable, keys: Uint32Array, bands: number, perEntry: number, q: Query, now: number): void {
    const { heads, headMask, nodes } = table
    const { sigWords, stamp } = this.entries
    const qsig = q.sigWords
    let n = this.count
    for (let b = 0; b < bands; b++) {
      const key = keys[b]! | 0
      let seen = 0
      for (let node = heads[key & headMask]!; node >= 0 && seen < this.maxPerBand; node = nodes[2 * node + 1]!) {
        if (nodes[2 * node] !== key) continue
        const slot = (node / perEntry) | 0
        if (node - slot * perEntry !== b) continue
        seen++
        if (stamp[slot] === now) continue
        stamp[slot] = now
        if (n === MAX_CANDIDATES) break
        const equal = equalBins(sigWords, slot * SIG_WORDS, qsig)
        this.slots[n] = slot
        this.equal[n] = equal
        n++
      }
    }
    this.count = n
  }

  /** Counting sort by equal bins, highest first, stable (ties keep the order found). */
  private sortByEstimate(): void {
    const { order, equal, perCount, count } = this
    perCount.fill(0)
    for (let i = 0; i < count; i++) perCount[SIG_BINS - equal[i]!]!++
    let start = 0
    for (let k = 0; k <= SIG_BINS; k++) {
      const c = perCount[k]!
      perCount[k] = start
      start += c
    }
    for (let i = 0; i < count; i++) order[perCount[SIG_BINS - equal[i]!]!++] = i
  }
}
