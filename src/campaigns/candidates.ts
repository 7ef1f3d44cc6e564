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
  shingles: number
  short: boolean
  skeleton: string
  /** the word keys (WORD_BANDS), valid when `words` */
  readonly wordKeys: Uint32Array
  /** whether the query has word keys (a short text with enough words, its normalized text at hand) */
  words: boolean
}

const MAX_CANDIDATES = 4096

export class Candidates {
  readonly slots = new Int32Array(MAX_CANDIDATES)
  /** signature similarity (fraction of equal bins) of each candidate */
  readonly estimates = new Float64Array(MAX_CANDIDATES)
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

  /** A live entry with the query's exact hash, or -1. */
  exactCopy(q: Query): number {
    const { heads, headMask, nodes } = this.lsh
    const exact = this.entries.exact
    const key = exactKey(q.exactLo)
    for (let node = heads[key & headMask]!; node >= 0; node = nodes[3 * node + 1]!) {
      if (nodes[3 * node] !== key) continue
      const slot = (node / NODES_PER_ENTRY) | 0
      if (exact[2 * slot] === q.exactHi && exact[2 * slot + 1] === q.exactLo) return slot
    }
    return -1
  }

  /** Gathers and sorts the band candidates of the query; returns their count. */
  gather(q: Query): number {
    const now = this.entries.nextStamp()
    this.count = 0
    this.walk(this.lsh, q.bandKeys, NUM_BANDS, NODES_PER_ENTRY, q.sig, now)
    this.fromWords = this.count
    if (q.words) this.walk(this.wordTable, q.wordKeys, WORD_BANDS, WORD_BANDS, q.sig, now)
    this.sortByEstimate()
    return this.count
  }

  /** Adds the entries under each of `bands` keys (node b of an entry under keys[b]) not met yet by this query. */
  private walk(table: LshTable, keys: Uint32Array, bands: number, perEntry: number, qsig: Uint8Array, now: number): void {
    const { heads, headMask, nodes } = table
    const { sig, stamp } = this.entries
    let n = this.count
    for (let b = 0; b < bands; b++) {
      const key = keys[b]! | 0
      let seen = 0
      for (let node = heads[key & headMask]!; node >= 0 && seen < this.maxPerBand; node = nodes[3 * node + 1]!) {
        if (nodes[3 * node] !== key || node % perEntry !== b) continue
        seen++
        const slot = (node / perEntry) | 0
        if (stamp[slot] === now) continue
        stamp[slot] = now
        if (n === MAX_CANDIDATES) break
        const base = slot * SIG_BINS
        let equal = 0
        for (let i = 0; i < SIG_BINS; i++) if (sig[base + i] === qsig[i]) equal++
        this.slots[n] = slot
        this.estimates[n] = equal / SIG_BINS
        n++
      }
    }
    this.count = n
  }

  /** Insertion sort, stable (candidate lists are short). */
  private sortByEstimate(): void {
    const { order, estimates: est } = this
    for (let i = 0; i < this.count; i++) order[i] = i
    for (let i = 1; i < this.count; i++) {
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
}
