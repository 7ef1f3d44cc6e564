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

/** MurmurHash3 x86_32 over the UTF-16 code units of `s` (two units per 32-bit block, little-endian). */
export function murmur3Utf16(s: string, seed: number): number {
  let h = seed >>> 0
  const n = s.length
  let i = 0
  for (; i + 1 < n; i += 2) {
    let k = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)) >>> 0
    k = Math.imul(k, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, 0x1b873593)
    h ^= k
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  if (i < n) {
    let k = s.charCodeAt(i)
    k = Math.imul(k, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, 0x1b873593)
    h ^= k
  }
  h ^= n * 2
  return fmix32(h)
}

export const HEX = '0123456789abcdef'

export function hex32(v: number): string {
  let s = ''
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(v >>> shift) & 15]
  return s
}

/** 64-bit hash of a string as 16 lowercase hex characters: two independent MurmurHash3 lanes. */
export function hash64Hex(s: string): string {
  return hex32(murmur3Utf16(s, 0x9747b28c)) + hex32(murmur3Utf16(s, 0x5bd1e995))
}

/** Both MurmurHash3 lanes of `s` (seeds a and b) in one pass; results in PAIR[0], PAIR[1]. */
export const PAIR = new Uint32Array(2)
export function murmur3Utf16Pair(s: string, seedA: number, seedB: number): void {
  let ha = seedA >>> 0
  let hb = seedB >>> 0
  const n = s.length
  let i = 0
  for (; i + 1 < n; i += 2) {
    let k = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)) >>> 0
    k = Math.imul(k, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, 0x1b873593)
    ha ^= k
    ha = (ha << 13) | (ha >>> 19)
    ha = (Math.imul(ha, 5) + 0xe6546b64) | 0
    hb ^= k
    hb = (hb << 13) | (hb >>> 19)
    hb = (Math.imul(hb, 5) + 0xe6546b64) | 0
  }
  if (i < n) {
    let k = s.charCodeAt(i)
    k = Math.imul(k, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, 0x1b873593)
    ha ^= k
    hb ^= k
  }
  PAIR[0] = fmix32(ha ^ (n * 2))
  PAIR[1] = fmix32(hb ^ (n * 2))
}
