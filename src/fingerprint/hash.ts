/** Small, fast, deterministic 32-bit hash primitives (no allocation). */

/** MurmurHash3 finalizer: a bijective 32-bit mixer. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * MurmurHash3 x86_32 of `s` with one seed: one lane of murmur3Utf16Pair, the only implementation of
 * the loop. Computing the second lane costs ~10 % over a single-lane loop; a caller that wants two
 * seeds of the same string calls murmur3Utf16Pair once instead of this twice (about half the time).
 */
export function murmur3Utf16(s: string, seed: number): number {
  murmur3Utf16Pair(s, seed, seed)
  return PAIR[0]!
}

const hexBytes = Buffer.alloc(8)

/** A 64-bit value given as two unsigned 32-bit halves, as 16 lowercase hex characters (one Buffer encoding, not 16 one-character strings). */
export function hex64(hi: number, lo: number): string {
  hexBytes.writeUInt32BE(hi >>> 0, 0)
  hexBytes.writeUInt32BE(lo >>> 0, 4)
  return hexBytes.toString('hex')
}

/** 64-bit hash of a string as 16 lowercase hex characters: two independent MurmurHash3 lanes. */
export function hash64Hex(s: string): string {
  murmur3Utf16Pair(s, 0x9747b28c, 0x5bd1e995)
  return hex64(PAIR[0]!, PAIR[1]!)
}

/**
 * The 64-bit key of an identifier (a sender pseudonym, a campaign or chat id) in typed storage, in
 * PAIR. n keys share one with probability about n²/2^65 (n = 500,000: 10^-8).
 */
export function idKey64(id: string): void {
  murmur3Utf16Pair(id, 0x2f6b1a3d, 0x5bd1e995)
}

/**
 * 53 bits of an identifier's 64-bit key, as one number (exact in a float64, a Map or Set key): for
 * the few ids kept per owner (a campaign's chats), where k ids share one with probability about
 * k²/2^54 (k = 1,000: 10^-10).
 */
export function idKey53(id: string): number {
  idKey64(id)
  return (PAIR[0]! & 0x1fffff) * 2 ** 32 + PAIR[1]!
}

/** The MurmurHash3 x86_32 scramble of a 32-bit block before it is mixed into a lane. */
function scramble(k: number): number {
  k = Math.imul(k, 0xcc9e2d51)
  k = (k << 15) | (k >>> 17)
  return Math.imul(k, 0x1b873593)
}

/** One MurmurHash3 x86_32 round: a scrambled block mixed into lane h. */
function mixBlock(h: number, k: number): number {
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/**
 * MurmurHash3 x86_32 over the UTF-16 code units of `s` (two units per 32-bit block, little-endian),
 * two lanes (seeds a and b) in one pass, as the hot path (the exact hash of every text) needs them;
 * results in PAIR[0], PAIR[1].
 */
export const PAIR = new Uint32Array(2)
export function murmur3Utf16Pair(s: string, seedA: number, seedB: number): void {
  let ha = seedA >>> 0
  let hb = seedB >>> 0
  const n = s.length
  let i = 0
  for (; i + 1 < n; i += 2) {
    const k = scramble(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16))
    ha = mixBlock(ha, k)
    hb = mixBlock(hb, k)
  }
  if (i < n) {
    const k = scramble(s.charCodeAt(i))
    ha ^= k
    hb ^= k
  }
  PAIR[0] = fmix32(ha ^ (n * 2))
  PAIR[1] = fmix32(hb ^ (n * 2))
}
