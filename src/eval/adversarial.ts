/**
 * The adversarial near-duplicate set: base texts, each attacked by every operator of ./perturb.ts
 * (one attack a copy, sometimes with a light obfuscation on top), in a stream with unrelated texts.
 *
 * Base texts: the first natural message of every campaign of the public set (tg-spam, MIT; its
 * other natural messages join as `natural` members, the attack nobody synthesised), one campaign
 * text per hook of the synthetic stream's Russian and English spam pools (../generator), and the
 * project's own multilingual texts (./base-texts.ts). The public set's ham messages are singletons:
 * what must never be grouped.
 *
 * Halves: a base text belongs to `tune` or `heldout` by one bit of the 64-bit hash of its text, so
 * the split is fixed whatever else enters the set; thresholds are chosen on `tune`, figures reported
 * on `heldout`. Everything follows from the seed: the same inputs give the same file.
 */
import { hash64Hex } from '../fingerprint/index.js'
import { SPAM_KINDS } from '../generator/spam-templates.js'
import { Rng } from '../generator/prng.js'
import { MULTILINGUAL_BASE_TEXTS } from './base-texts.js'
import { SHORT_BASE_TEXTS } from './base-texts-short.js'
import { ATTACKS, applyAttacks, type Attack } from './perturb.js'

/** The two halves of an adversarial set: thresholds are chosen on `tune`, figures read on `heldout`. */
export const HALVES = ['tune', 'heldout'] as const
export type Half = (typeof HALVES)[number]

/** The seed `abuse-radar eval adversarial` uses unless told otherwise (the figures in docs/detection.md are at it). */
export const DEFAULT_ADVERSARIAL_SEED = 20261203

export interface BaseText {
  text: string
  source: string
  /** other natural members of the same campaign, if the source has them */
  members?: readonly string[]
}

export interface AdversarialRecord {
  id: string
  text: string
  group: string
  label: 'spam' | 'ham'
  ts: number
  ops: string[]
  half: Half
  source: string
}

/** Attacks that ride along with a structural one on some copies, as real copies stack them. */
const LIGHT: readonly Attack[] = ['homoglyph', 'zero_width', 'emoji_pad', 'case_punct']
const SECOND_ATTACK_SHARE = 0.3
/**
 * Copies of each base made by two or three attacks at once (beside the one-attack copies): campaigns
 * stack them (a greeting, a swapped word and a tail of tags on one copy), and on a short text two
 * attacks leave much less of it than one. A generator of their own, so the one-attack copies stay
 * what they were.
 */
const STACKED_COPIES = 3
/**
 * The order stacked attacks apply in, whatever was drawn: words first (a synonym or an edit needs
 * the plain words), then the text's structure, then the characters (after them no word is found
 * again).
 */
const STACK_ORDER: readonly Attack[] = [
  'synonym',
  'word_edit',
  'link_rotate',
  'reorder',
  'truncate',
  'repeat',
  'greeting',
  'tag_tail',
  'dot_split',
  'leet',
  'case_punct',
  'homoglyph',
  'fancy_font',
  'zero_width',
  'emoji_pad',
]
/** Shortest base text worth attacking (shorter ones are in the public set's own evaluation). */
const MIN_BASE_CHARS = 60
/**
 * Base texts whose words overlap this much are one campaign: the later one is left out. The public
 * set has a few texts that are copies of each other under two group labels (the same "SMM panel"
 * advert in two groups); as two bases, every copy of one would count as a false pair with every copy
 * of the other. Words are compared as the raw text has them (no normalizer of ours), so the filter
 * does not favour the detector.
 */
const SAME_CAMPAIGN_WORDS = 0.6

function wordSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0
  for (const w of a) if (b.has(w)) shared++
  return shared / (a.size + b.size - shared || 1)
}

export function halfOf(text: string): Half {
  return (parseInt(hash64Hex(text).slice(-1), 16) & 1) === 0 ? 'tune' : 'heldout'
}

/** Values for the slots of the synthetic stream's spintax templates (one fixed value each: a base is one text). */
const SLOT_VALUES: Record<string, string> = {
  COIN: 'TON',
  BRAND: 'Notcoin',
  LINK: 'https://t.me/+Xk3fA9qLmB2pQz7d',
  HANDLE: '@claim_support',
  PHONE: '+7 912 345 67 89',
  EMAIL: 'support@help-desk.example',
  AMT: '500',
  AMT2: '1500',
  N2: '20',
  PCT: '30',
  CODE: 'BONUS50',
  ODDS: '2.75',
  T: '18:00',
  TEAM1: 'Real Madrid',
  TEAM2: 'Barcelona',
}

function spin(s: string, rng: Rng): string {
  return s
    .replace(/\{([^{}]*)\}/g, (_, alts: string) => rng.pick(alts.split('|')))
    .replace(/\[([A-Z0-9]+)\]/g, (m, slot: string) => SLOT_VALUES[slot] ?? m)
}

/** One campaign text per hook of each Russian and English spam pool: hook, two bodies, call to action; no sentence shared. */
export function templateBaseTexts(seed: number): BaseText[] {
  const rng = new Rng(seed)
  const out: BaseText[] = []
  for (const kind of SPAM_KINDS) {
    for (const code of ['en', 'ru'] as const) {
      const pool = kind.langs[code]
      if (pool === undefined) continue
      const n = Math.min(pool.hooks.length, pool.bodies.length >> 1, pool.ctas.length)
      for (let i = 0; i < n; i++) {
        const parts = [pool.hooks[i]!, pool.bodies[2 * i]!, pool.bodies[2 * i + 1]!, pool.ctas[i]!]
        out.push({ text: parts.map((p) => spin(p, rng)).join(' '), source: `generator/${kind.kind}/${code}#${i}` })
      }
    }
  }
  return out
}

export function multilingualBaseTexts(): BaseText[] {
  return MULTILINGUAL_BASE_TEXTS.map((text, i) => ({ text, source: `eval/base-texts#${i}` }))
}

/** The project's short SMS and chat-spam texts (./base-texts-short.ts). */
export function shortBaseTexts(): BaseText[] {
  return SHORT_BASE_TEXTS.map((text, i) => ({ text, source: `eval/base-texts-short#${i}` }))
}

export interface PublicRecord {
  text: string
  group: string
  kind: string
}

/** Base texts from the public set: each campaign's first natural message, its other natural messages as members; ham apart. */
export function publicBaseTexts(records: readonly PublicRecord[]): { bases: BaseText[]; ham: string[] } {
  const byGroup = new Map<string, string[]>()
  const ham: string[] = []
  for (const r of records) {
    if (r.kind === 'ham') ham.push(r.text)
    else if (r.kind === 'natural') {
      const list = byGroup.get(r.group)
      if (list === undefined) byGroup.set(r.group, [r.text])
      else list.push(r.text)
    }
  }
  const bases: BaseText[] = []
  for (const [group, texts] of byGroup) bases.push({ text: texts[0]!, source: `tg-spam/${group}`, members: texts.slice(1) })
  return { bases, ham }
}

export interface AdversarialOptions {
  seed: number
  bases: readonly BaseText[]
  /** texts that must stay alone (each its own group) */
  ham?: readonly string[]
  /**
   * Keep at most this many messages of each campaign (the base, its natural members and its copies
   * alike, drawn at random): groups as small as a labelled set of real campaigns has (the hidden
   * set of issue "Detection that generalises" holds 3.7 messages a group), where a copy has few
   * others to be found through. Unset: every copy.
   */
  maxGroupSize?: number
}

/** The attacked copies of every base, the bases themselves and the ham, in a seeded stream order. */
export function buildAdversarialSet(opts: AdversarialOptions): AdversarialRecord[] {
  const items: Omit<AdversarialRecord, 'ts' | 'id'>[] = []
  const kept: Set<string>[] = []
  let b = 0
  for (const base of opts.bases) {
    if (base.text.length < MIN_BASE_CHARS) continue
    const words = wordSet(base.text)
    if (kept.some((k) => overlap(k, words) >= SAME_CAMPAIGN_WORDS)) continue
    kept.push(words)
    const group = `adv-${String(b++).padStart(5, '0')}`
    const half = halfOf(base.text)
    const rng = new Rng((opts.seed ^ parseInt(hash64Hex(base.text).slice(0, 8), 16)) >>> 0)
    const spam = { group, label: 'spam' as const, half, source: base.source }
    items.push({ ...spam, text: base.text, ops: [] })
    for (const m of base.members ?? []) items.push({ ...spam, text: m, ops: ['natural'] })
    for (const attack of ATTACKS) {
      const ops: Attack[] = [attack]
      if (rng.chance(SECOND_ATTACK_SHARE)) {
        const extra = rng.pick(LIGHT)
        if (extra !== attack) ops.push(extra)
      }
      const text = applyAttacks(base.text, ops, rng)
      if (text !== null && text !== base.text) items.push({ ...spam, text, ops })
    }
    const stackRng = new Rng((opts.seed ^ 0x3c6ef372 ^ parseInt(hash64Hex(base.text).slice(8), 16)) >>> 0)
    for (let k = 0; k < STACKED_COPIES; k++) {
      const copy = stackedCopy(base.text, stackRng)
      if (copy !== null) items.push({ ...spam, ...copy })
    }
  }
  if (opts.maxGroupSize !== undefined) keepAtMost(items, opts.maxGroupSize, opts.seed)
  let h = 0
  for (const text of opts.ham ?? []) {
    items.push({ text, group: `ham-${String(h++).padStart(5, '0')}`, label: 'ham', half: halfOf(text), source: 'tg-spam/ham', ops: [] })
  }
  // one stream, copies of a campaign spread over it (a window of a day holds all of it)
  const stream = new Rng(opts.seed ^ 0x6a09e667).shuffled(items)
  return stream.map((it, i) => ({ id: `a${String(i).padStart(6, '0')}`, ts: i * 2, ...it }))
}

/**
 * Removes from `items` all but a seeded random subset of each group: a group of n messages keeps
 * min(n, k) of them, k drawn uniformly from 2 to `max`. The order of what is kept does not change.
 */
function keepAtMost(items: { group: string }[], max: number, seed: number): void {
  const byGroup = new Map<string, number[]>()
  items.forEach((it, i) => {
    const list = byGroup.get(it.group)
    if (list === undefined) byGroup.set(it.group, [i])
    else list.push(i)
  })
  const keep = new Set<number>()
  for (const [group, indices] of byGroup) {
    const rng = new Rng((seed ^ 0x510e527f ^ parseInt(hash64Hex(group).slice(0, 8), 16)) >>> 0)
    const size = Math.min(indices.length, rng.range(2, Math.max(2, max)))
    for (const i of rng.shuffled(indices).slice(0, size)) keep.add(i)
  }
  let w = 0
  for (let i = 0; i < items.length; i++) if (keep.has(i)) items[w++] = items[i]!
  items.length = w
}

/**
 * A copy made by two or three different attacks in STACK_ORDER; an attack that cannot change the
 * text at that point is skipped. Null when fewer than two applied (that copy is a one-attack one).
 */
function stackedCopy(text: string, rng: Rng): { text: string; ops: Attack[] } | null {
  const n = rng.range(2, 3)
  const drawn = new Set<Attack>()
  while (drawn.size < n) drawn.add(rng.pick(ATTACKS))
  const ops: Attack[] = []
  let out = text
  for (const a of STACK_ORDER) {
    if (!drawn.has(a)) continue
    const next = applyAttacks(out, [a], rng)
    if (next === null || next === out) continue
    out = next
    ops.push(a)
  }
  return ops.length < 2 ? null : { text: out, ops }
}

export function adversarialJsonl(records: readonly AdversarialRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n'
}
