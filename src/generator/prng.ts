/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the few distributions the generator
 * needs. Never Math.random: the same seed must give the same stream on every machine.
 */

/** splitmix32: spreads a 32-bit seed; also a good stateless integer hash. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/** A stateless hash of two integers, for per-entity attributes that must not consume the stream. */
export function hash2(a: number, b: number): number {
  return mix32(mix32(a) ^ Math.imul(b, 0x27d4eb2f))
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spare = NaN

  constructor(seed: number) {
    const lo = seed >>> 0
    const hi = Math.floor(seed / 4294967296) >>> 0
    this.a = mix32(lo)
    this.b = mix32(this.a ^ hi)
    this.c = mix32(this.b ^ 0x5bd1e995)
    this.d = 1
    for (let i = 0; i < 12; i++) this.u32()
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1))
  }

  chance(p: number): boolean {
    return this.float() < p
  }

  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.float() * arr.length)] as T
  }

  /** A copy of `items` in a uniformly random order (Fisher-Yates, from the end). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = out[i]!
      out[i] = out[j]!
      out[j] = t
    }
    return out
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare
      this.spare = NaN
      return s
    }
    const u = 1 - this.float()
    const v = this.float()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** Log-normal with the given median and shape. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal())
  }

  /** `n` characters from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let s = ''
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.float() * alphabet.length)]
    return s
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let s = ''
    while (s.length < n) s += this.u32().toString(16).padStart(8, '0')
    return s.length === n ? s : s.slice(0, n)
  }
}

/** Index into cumulative weights (binary search). */
export function pickCumulative(cum: Float64Array, r: number): number {
  const total = cum[cum.length - 1] ?? 0
  const x = r * total
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((cum[mid] ?? 0) > x) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** A picker of one value from a table of (value, weight) pairs. */
export function weighted<T>(spec: [T, number][]): (rng: Rng) => T {
  const cum: number[] = []
  let acc = 0
  for (const [, w] of spec) cum.push((acc += w))
  return (rng) => {
    const x = rng.float() * acc
    for (let i = 0; i < cum.length; i++) if (x < (cum[i] as number)) return (spec[i] as [T, number])[0]
    return (spec[spec.length - 1] as [T, number])[0]
  }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export const B64URL = ALNUM + '_-'
