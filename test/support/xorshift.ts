/** xorshift32 in [0, 1): a seeded sequence, the same on every machine and Node version, so randomized tests repeat. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4294967296
  }
}
