/** Options checked once and resolved to their defaults before the engine starts. */
import type { GeneratorOptions } from './types.js'

const DEFAULT_TOPICS = { messages: 'abuse.messages', moderation: 'abuse.moderation', reports: 'abuse.reports' }

export interface Normalized {
  seed: number
  messages: number
  startMs: number
  msPer: number
  duplicateShare: number
  malformedShare: number
  nullKeyShare: number
  oversized: { every: number; bytes: number } | null
  topics: [string, string, string]
}

export function normalize(o: GeneratorOptions): Normalized {
  if (!Number.isFinite(o.seed)) throw new RangeError('seed must be a finite number')
  if (!Number.isInteger(o.messages) || o.messages < 0) throw new RangeError('messages must be a non-negative integer')
  if (!Number.isFinite(o.startMs)) throw new RangeError('startMs must be epoch milliseconds')
  const rate = o.ratePerSecond ?? 50
  if (!(rate > 0)) throw new RangeError('ratePerSecond must be positive')
  const share = (v: number | undefined, d: number, name: string) => {
    const x = v ?? d
    if (!(x >= 0 && x <= 1)) throw new RangeError(`${name} must be in [0, 1]`)
    return x
  }
  const ov = o.oversized ?? null
  if (ov && !(ov.every >= 1 && ov.bytes >= 1)) throw new RangeError('oversized needs every >= 1 and bytes >= 1')
  const t = o.topics ?? DEFAULT_TOPICS
  return {
    seed: o.seed,
    messages: o.messages,
    startMs: Math.floor(o.startMs),
    msPer: 1000 / rate,
    duplicateShare: share(o.duplicateShare, 0.01, 'duplicateShare'),
    malformedShare: share(o.malformedShare, 0.002, 'malformedShare'),
    nullKeyShare: share(o.nullKeyShare, 0.01, 'nullKeyShare'),
    oversized: ov ? { every: Math.floor(ov.every), bytes: Math.floor(ov.bytes) } : null,
    topics: [t.messages, t.moderation, t.reports],
  }
}
