/**
 * Fingerprints of normalized text: an exact hash and a near-duplicate signature.
 *
 * Exact hash: 64 bits of the normalized text (two MurmurHash3-x86-32 lanes over its UTF-16 code
 * units, seeds 0x9747b28c and 0x5bd1e995), as 16 lowercase hex characters. Numbers of up to
 * MAX_CONTENT_NUMBER_DIGITS digits are content (prices, amounts): their digits are appended to the
 * hashed text (U+0001 before each), so texts that differ only in such a number are not exact copies;
 * longer digit runs (phones, ids) stay masked and do not count.
 *
 * Skeleton (`skeletonOf`): the normalized words concatenated without spaces (inserted or removed
 * spaces change nothing), `l` folded into `i` (leet `1` reads as either) and Cyrillic `з` into `е`
 * (leet `3` reads as either), every link replaced by one placeholder (U+0001) unless the text is
 * nothing but links (then the domains count), numbers either written out (`skeletonOf(text,
 * numbers)`: those of up to MAX_CONTENT_NUMBER_DIGITS digits) or masked as `#` (the *template*,
 * `skeletonOf(text)`); runs of masks or links collapse to one.
 *
 * Near-duplicate signature (version 1): one-permutation MinHash with optimal densification
 * (Shrivastava, ICML 2017) over the character 4-grams of the template:
 *   - shingles: every SHINGLE_K-gram of the template (the whole template when shorter), hashed with
 *     a polynomial rolling hash over UTF-16 code units (base 0x01000193, mod 2^32) xor 0x2545f491,
 *     passed through the MurmurHash3 finalizer (fmix32);
 *   - one permutation: shingle hash h goes to bin (h & 63); the bin keeps the h that is smallest as
 *     a signed 32-bit integer;
 *   - densification: an empty bin i copies bin j of the first probe j = fmix32((i + 1) *
 *     0x9e3779b1 + attempt) & 63, attempt = 1, 2, ..., that is not empty; no shingle at all: 0s.
 * The signature is on the template so that copies differing only in numbers are always candidates;
 * the index then verifies candidates on the skeletons with numbers (../campaigns).
 * Stored form (`signature`, 65 uint32): element 0 is a header, (1 << 24) | min(estimated distinct
 * shingles, 2^24 - 1); elements 1..64 are the bins (as unsigned). `signatureToHex` writes each
 * element as 8 lowercase hex characters, big-endian (520 characters).
 *
 * Similarity: the estimated Jaccard similarity of the two templates' shingle sets is the fraction
 * of the 64 bins that are equal (standard error about 0.06 at J = 0.5). In ClickHouse, with the hex
 * strings `a` and `b` of two signatures (the `signature` columns):
 *   arrayCount(i -> substring(a, 8 * i + 1, 8) = substring(b, 8 * i + 1, 8), range(1, 65)) / 64
 * reproduces it exactly (element 0, the header, is skipped), and
 *   bitAnd(reinterpretAsUInt32(reverse(unhex(substring(a, 1, 8)))), 16777215)
 * reads the estimated number of distinct shingles.
 *
 * LSH: NUM_BANDS = 16 bands of BAND_ROWS = 4 consecutive bins (bins 1..64); a band key is a 32-bit
 * hash of the band number and its bins. Two texts become candidates when any band key is equal:
 * P = 1 - (1 - J^4)^16, i.e. 0.34 at J = 0.4, 0.64 at 0.5, 0.89 at 0.6, 0.98 at 0.7; unrelated
 * texts (J < 0.05) collide with probability < 1e-4. A variant far from one copy of a campaign is
 * usually close to another: campaigns are single-link, so one candidate in the campaign suffices.
 *
 * Short texts: a skeleton shorter than SHORT_SKELETON_CHARS is `short`; its signature is still
 * computed (densification fills the bins from the few shingles there are), but the index decides
 * on short texts by edit distance (../campaigns).
 */
import type { NormalizedText } from '../normalize/index.js'
import * as H from './hash.js'
import { SHINGLE_K } from './shingles.js'
import { AbuseRadarError } from '../domain/errors.js'

const fmix32 = H.fmix32

export const SIG_BINS = 64
export const SIG_LENGTH = SIG_BINS + 1
export const SIG_VERSION = 1
export const NUM_BANDS = 16
export const BAND_ROWS = 4
/** Texts whose skeleton is shorter than this are "short" and take the short-text path of the index. */
export const SHORT_SKELETON_CHARS = 40

export interface TextFingerprint {
  /** 16 lowercase hex characters: 64-bit hash of the normalized text */
  exactHash: string
  /** the same 64 bits as two unsigned 32-bit numbers */
  exactHi: number
  exactLo: number
  /** [header, 64 MinHash bins]; see the module comment */
  signature: Uint32Array
  /** LSH band keys (NUM_BANDS) */
  bandKeys: Uint32Array
  /** estimated number of distinct shingles */
  shingles: number
  /** length of the skeleton in UTF-16 code units */
  skeletonLength: number
  /** short text: decided by the skeleton length (see SHORT_SKELETON_CHARS) */
  short: boolean
  /** no text at all (nothing survived normalization): never matched */
  empty: boolean
  /**
   * The skeleton (with content numbers) the index verifies candidates on by edit distance. Not an
   * own enumerable property (JSON.stringify and spreads leave it out): it is derived from the text,
   * so it is never stored or logged.
   */
  readonly skeleton?: string
}

/**
 * Numbers of up to this many digits (prices, amounts, dates) are content: their digits enter the
 * skeleton, so copies that differ only in numbers are similar in proportion to how much of the text
 * the numbers are. Longer digit runs (phone numbers, ids, hashes) are identifiers that spammers rotate:
 * they stay masked.
 */
export const MAX_CONTENT_NUMBER_DIGITS = 6

const LINK_MARK = 0x01
const NUM_MARK = 0x23 // '#'

/**
 * The skeleton the signature is computed on (see the module comment). Also used by the index to
 * verify short candidates by edit distance.
 */
export function skeletonOf(text: string, numbers?: readonly string[]): string {
  const n = writeSkeleton(text, numbers)
  return decodeUnits(skBufArr, n)
}

let skBufArr = new Uint16Array(8192)

/** Scratch for the template (numbers masked) written alongside the skeleton. */
let tmBufArr = new Uint16Array(8192)
let tmLen = 0

/**
 * Writes the skeleton of `text` (numbers from `numbers` written out) into skBufArr and returns its
 * length; with `template`, also writes the template (every number masked) into tmBufArr / tmLen in
 * the same pass.
 */
function writeSkeleton(text: string, numbers: readonly string[] | undefined, template = false): number {
  const n = text.length
  tmLen = 0
  if (n === 0) return 0
  // worst case: every number written out plus the domains appended
  let need = n * 2 + 16
  if (numbers !== undefined) for (const num of numbers) need += num.length
  if (skBufArr.length < need) skBufArr = new Uint16Array(need * 2)
  if (template && tmBufArr.length < need) tmBufArr = new Uint16Array(need * 2)
  const out = skBufArr
  const tm = tmBufArr
  let o = 0
  let t = 0
  let numIdx = 0
  let contentChars = 0
  let prevMark = 0 // of the skeleton
  let prevMarkT = 0 // of the template
  let domainsFrom = -1 // start of the first link token in `text`
  let start = 0
  while (start < n) {
    let end = start
    let dot = false
    while (end < n) {
      const c = text.charCodeAt(end)
      if (c === 0x20) break
      if (c === 0x2e) dot = true
      end++
    }
    if (end > start) {
      if (dot && text.charCodeAt(end - 1) !== 0x2e) {
        if (domainsFrom < 0) domainsFrom = start
        if (prevMark !== LINK_MARK) out[o++] = LINK_MARK
        prevMark = LINK_MARK
        if (template) {
          if (prevMarkT !== LINK_MARK) tm[t++] = LINK_MARK
          prevMarkT = LINK_MARK
        }
      } else if (end - start === 1 && text.charCodeAt(start) === NUM_MARK) {
        const num = numbers?.[numIdx++]
        if (num !== undefined && num.length <= MAX_CONTENT_NUMBER_DIGITS) {
          for (let i = 0; i < num.length; i++) out[o++] = num.charCodeAt(i)
          prevMark = 0
        } else {
          if (prevMark !== NUM_MARK) out[o++] = NUM_MARK
          prevMark = NUM_MARK
        }
        if (template) {
          if (prevMarkT !== NUM_MARK) tm[t++] = NUM_MARK
          prevMarkT = NUM_MARK
        }
      } else {
        for (let i = start; i < end; i++) {
          const c = text.charCodeAt(i)
          if (c === NUM_MARK) {
            const num = numbers?.[numIdx++]
            if (num !== undefined && num.length <= MAX_CONTENT_NUMBER_DIGITS) {
              for (let d = 0; d < num.length; d++) out[o++] = num.charCodeAt(d)
            } else out[o++] = NUM_MARK
            if (template) tm[t++] = NUM_MARK
          } else {
            const f = c === 0x6c ? 0x69 : c === 0x437 ? 0x435 : c
            out[o++] = f
            if (template) tm[t++] = f
          }
        }
        contentChars += end - start
        prevMark = 0
        prevMarkT = 0
      }
    }
    start = end + 1
  }
  if (contentChars < 6 && domainsFrom >= 0) {
    // nothing but links: the domains are the content
    for (let i = domainsFrom; i < n; i++) {
      const c = text.charCodeAt(i)
      if (c !== 0x20) {
        out[o++] = c
        if (template) tm[t++] = c
      }
    }
  }
  tmLen = t
  return o
}

/** The string of buf[0, len): Buffer's UTF-16 decoding is about three times TextDecoder's on skeleton-sized texts (and as compact: one byte a character when it can). */
function decodeUnits(buf: Uint16Array, len: number): string {
  return len === 0 ? '' : Buffer.from(buf.buffer, buf.byteOffset, len * 2).toString('utf16le')
}

// scratch
const bins = new Int32Array(SIG_BINS) // minima in signed order (any fixed order is a valid min-hash)
const filled = new Uint8Array(SIG_BINS)

function densifyProbe(i: number, attempt: number): number {
  return fmix32((Math.imul(i + 1, 0x9e3779b1) + attempt) >>> 0) & (SIG_BINS - 1)
}

/** Computes the signature of a skeleton into `sig` (length SIG_LENGTH); returns the estimated distinct shingle count. */
export function signatureOfSkeleton(sk: string, sig: Uint32Array, k: number = SHINGLE_K): number {
  const n = sk.length
  if (skBufArr.length < n) skBufArr = new Uint16Array(n * 2)
  for (let i = 0; i < n; i++) skBufArr[i] = sk.charCodeAt(i)
  return signatureOfUnits(skBufArr, n, sig, k)
}

/** The signature of the skeleton in buf[0, n) (see signatureOfSkeleton). */
function signatureOfUnits(buf: Uint16Array, n: number, sig: Uint32Array, k: number = SHINGLE_K): number {
  bins.fill(0x7fffffff)
  filled.fill(0)
  let positions = 0
  if (n > 0) {
    const kk = n < k ? n : k
    // B^(kk-1) mod 2^32
    const B = 0x01000193
    let bPow = 1
    for (let i = 1; i < kk; i++) bPow = Math.imul(bPow, B)
    let h = 0
    for (let i = 0; i < kk; i++) h = (Math.imul(h, B) + buf[i]!) | 0
    for (let i = kk; ; i++) {
      const m = fmix32(h ^ 0x2545f491) | 0 // signed, as the bins are compared
      const b = m & (SIG_BINS - 1)
      if (m < bins[b]!) bins[b] = m
      filled[b] = 1
      positions++
      if (i >= n) break
      h = (Math.imul(h - Math.imul(buf[i - kk]!, bPow), B) + buf[i]!) | 0
    }
  }
  // distinct shingle estimate: linear counting while bins are not all filled, else from the minima
  let ne = 0
  let sumMin = 0
  for (let b = 0; b < SIG_BINS; b++) {
    if (filled[b] === 1) {
      ne++
      sumMin += (bins[b]! + 2147483648) / 4294967296
    }
  }
  let est: number
  if (ne === 0) est = 0
  else if (ne < SIG_BINS) est = Math.round(-SIG_BINS * Math.log(1 - ne / (SIG_BINS + 0.5)))
  else est = Math.round(SIG_BINS * (SIG_BINS / sumMin - 1))
  if (est > positions) est = positions
  if (est < ne) est = ne
  // densification
  for (let b = 0; b < SIG_BINS; b++) {
    let v = bins[b]! >>> 0
    if (filled[b] === 0) {
      v = 0
      if (ne > 0) {
        for (let attempt = 1; attempt < 1000; attempt++) {
          const j = densifyProbe(b, attempt)
          if (filled[j] === 1) {
            v = bins[j]! >>> 0
            break
          }
        }
      }
    }
    sig[b + 1] = v
  }
  sig[0] = ((SIG_VERSION << 24) | Math.min(est, 0xffffff)) >>> 0
  return est
}

/** Band keys of a signature (header skipped). */
export function bandKeysOf(sig: Uint32Array, out: Uint32Array = new Uint32Array(NUM_BANDS)): Uint32Array {
  for (let band = 0; band < NUM_BANDS; band++) {
    let h = Math.imul(band + 1, 0x9e3779b1)
    const base = 1 + band * BAND_ROWS
    for (let r = 0; r < BAND_ROWS; r++) {
      h = Math.imul(h ^ sig[base + r]!, 0x01000193)
      h = (h << 13) | (h >>> 19)
    }
    out[band] = fmix32(h)
  }
  return out
}

/** Estimated distinct shingle count stored in a signature's header. */
export function signatureShingles(sig: Uint32Array): number {
  return sig[0]! & 0xffffff
}

/** Estimated Jaccard similarity of two signatures: the fraction of equal bins. */
export function signatureSimilarity(a: Uint32Array, b: Uint32Array): number {
  let eq = 0
  for (let i = 1; i <= SIG_BINS; i++) if (a[i] === b[i]) eq++
  return eq / SIG_BINS
}

export function fingerprintText(n: NormalizedText): TextFingerprint {
  const text = n.text
  // numbers that are content (see MAX_CONTENT_NUMBER_DIGITS) are part of the exact identity
  let exactInput = text
  for (const num of n.numbers) if (num.length <= MAX_CONTENT_NUMBER_DIGITS) exactInput += '\u0001' + num
  H.murmur3Utf16Pair(exactInput, 0x9747b28c, 0x5bd1e995)
  const exactHi = H.PAIR[0]!
  const exactLo = H.PAIR[1]!
  // the signature is computed on the template (numbers masked), the verification skeleton keeps them
  const signature = new Uint32Array(SIG_LENGTH)
  let shingles: number
  let len: number
  if (n.numbers.length > 0) {
    len = writeSkeleton(text, n.numbers, true)
    shingles = signatureOfUnits(tmBufArr, tmLen, signature)
  } else {
    len = writeSkeleton(text, undefined)
    shingles = signatureOfUnits(skBufArr, len, signature)
  }
  const sk = decodeUnits(skBufArr, len)
  return new Fingerprint(exactHi, exactLo, signature, bandKeysOf(signature), shingles, sk, text.length === 0)
}

/**
 * A fingerprint computed elsewhere (another thread: ./packed.ts), from the parts fingerprintText
 * computes; the band keys follow from the signature.
 */
export function fingerprintFrom(
  exactHi: number,
  exactLo: number,
  signature: Uint32Array,
  shingles: number,
  skeleton: string,
  empty: boolean,
): TextFingerprint {
  return new Fingerprint(exactHi, exactLo, signature, bandKeysOf(signature), shingles, skeleton, empty)
}

/** TextFingerprint with the skeleton held in a private field: JSON.stringify and spreads never see it. */
class Fingerprint implements TextFingerprint {
  readonly exactHash: string
  readonly skeletonLength: number
  readonly short: boolean
  readonly #skeleton: string
  constructor(
    readonly exactHi: number,
    readonly exactLo: number,
    readonly signature: Uint32Array,
    readonly bandKeys: Uint32Array,
    readonly shingles: number,
    skeleton: string,
    readonly empty: boolean,
  ) {
    this.exactHash = H.hex64(exactHi, exactLo)
    this.skeletonLength = skeleton.length
    this.short = skeleton.length < SHORT_SKELETON_CHARS
    this.#skeleton = skeleton
  }

  get skeleton(): string {
    return this.#skeleton
  }
}

/** Scratch for signatureToHex: each element big-endian, then hex-encoded by Buffer in one call (no per-character strings). */
let hexBytes = Buffer.alloc(SIG_LENGTH * 4)

export function signatureToHex(sig: Uint32Array): string {
  const n = sig.length * 4
  if (hexBytes.length < n) hexBytes = Buffer.alloc(n)
  for (let i = 0; i < sig.length; i++) hexBytes.writeUInt32BE(sig[i]!, i * 4)
  return hexBytes.toString('hex', 0, n)
}

export function signatureFromHex(hex: string): Uint32Array {
  if (hex.length % 8 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new AbuseRadarError('AR_INTERNAL', 'signatureFromHex: not a hex signature')
  const bytes = Buffer.from(hex, 'hex')
  const out = new Uint32Array(hex.length / 8)
  for (let i = 0; i < out.length; i++) out[i] = bytes.readUInt32BE(i * 4)
  return out
}

export const hash64Hex = H.hash64Hex

export { SHINGLE_K, ShingleTable, jaccardSorted, minIntersection, shingleSet } from './shingles.js'
