/**
 * Spam campaigns: creation from the sentence pools (kept apart from each other so that every label
 * is its own near-duplicate set), and the rendering of one obfuscated copy.
 */
import type { LangCode } from './lexicon.js'
import { PERSON_NAMES } from './lexicon.js'
import { casePunct, diacritics, emojiRun, fancyFont, homoglyph, leet, smallCaps, spacing, zeroWidth } from './obfuscate.js'
import { ALNUM, B64URL, type Rng } from './prng.js'
import { BRANDS, COINS, SCAM_DOMAIN_WORDS, SCAM_TLDS, SHORTENERS, TEAMS } from './campaign-values.js'
import { SPAM_KINDS, type SpamKind, type SpamKindDef } from './spam-templates.js'
import { lang, type Entity, type Lang } from './text.js'

type Node = string | string[]
interface Sentence {
  nodes: Node[]
}
interface Pool {
  hooks: Sentence[]
  bodies: Sentence[]
  ctas: Sentence[]
  closers: Sentence[]
  buttons: string[]
}

function parseSpintax(s: string): Sentence {
  const nodes: Node[] = []
  const re = /\{([^{}]*)\}/g
  let last = 0
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m.index > last) nodes.push(s.slice(last, m.index))
    nodes.push((m[1] as string).split('|'))
    last = m.index + m[0].length
  }
  if (last < s.length) nodes.push(s.slice(last))
  return { nodes }
}

const POOLS = new Map<string, Pool>()
for (const k of SPAM_KINDS) {
  for (const [code, p] of Object.entries(k.langs)) {
    if (!p) continue
    POOLS.set(`${k.kind}:${code}`, {
      hooks: p.hooks.map(parseSpintax),
      bodies: p.bodies.map(parseSpintax),
      ctas: p.ctas.map(parseSpintax),
      closers: p.closers.map(parseSpintax),
      buttons: p.buttons,
    })
  }
}
const KIND_CUM: number[] = []
{
  let acc = 0
  for (const k of SPAM_KINDS) KIND_CUM.push((acc += k.weight))
}

export function pickKind(rng: Rng): SpamKindDef {
  const x = rng.float() * (KIND_CUM[KIND_CUM.length - 1] as number)
  for (let i = 0; i < KIND_CUM.length; i++) if (x < (KIND_CUM[i] as number)) return SPAM_KINDS[i] as SpamKindDef
  return SPAM_KINDS[0] as SpamKindDef
}

export interface Spammer {
  id: string
  createdTs: number
  premium: boolean
  bot: boolean
}

export type LinkStyle = 'invite' | 'short' | 'domain' | 'bot'

export interface Campaign {
  label: string
  kind: SpamKind
  category: 'spam' | 'scam'
  lang: Lang
  parts: Sentence[]
  /** Canonical spintax choice per part and alternative node. */
  choices: number[][]
  sep: string
  /** Numbers that copies may edit. */
  nums: Record<'AMT' | 'AMT2' | 'PCT' | 'N2', number>
  words: Record<'COIN' | 'BRAND' | 'TEAM1' | 'TEAM2' | 'CODE' | 'ODDS' | 'T', string>
  linkStyle: LinkStyle
  rotate: boolean
  https: boolean
  fixedLink: string
  domain: string
  shortener: string
  botName: string
  hiddenLink: boolean
  handle: string
  phone: string
  email: string
  buttonText: string | null
  mediaHash: string | null
  accounts: Spammer[]
  /** Signature (pool indices) used to keep campaigns of one pool apart. */
  sig: number[]
  waves: number
  wavesLeft: number
  /** Opaque slot for the engine (home chats etc.). */
  homeChatIdx: number[]
}

function phoneFor(rng: Rng, code: LangCode): string {
  switch (code) {
    case 'ru':
      return `+7 9${rng.range(10, 99)} ${rng.range(100, 999)}-${rng.range(10, 99)}-${rng.range(10, 99)}`
    case 'uk':
      return `+380 ${rng.pick(['50', '63', '67', '68', '73', '93', '96', '97', '98', '99'])} ${rng.range(100, 999)} ${rng.range(10, 99)} ${rng.range(10, 99)}`
    case 'id':
      return `+62 8${rng.range(11, 59)}-${rng.range(1000, 9999)}-${rng.range(1000, 9999)}`
    case 'es':
      return `+34 6${rng.range(10, 99)} ${rng.range(10, 99)} ${rng.range(10, 99)} ${rng.range(10, 99)}`
    case 'de':
      return `+49 15${rng.range(1, 9)} ${rng.range(1000000, 99999999)}`
    case 'pt':
      return `+55 11 9${rng.range(1000, 9999)}-${rng.range(1000, 9999)}`
    case 'tr':
      return `+90 5${rng.range(30, 59)} ${rng.range(100, 999)} ${rng.range(10, 99)} ${rng.range(10, 99)}`
    default:
      return `+1 ${rng.range(201, 989)} 555 0${rng.range(100, 199)}`
  }
}

function nice(n: number): number {
  if (n >= 1000) return Math.round(n / 50) * 50
  if (n >= 100) return Math.round(n / 10) * 10
  return Math.max(2, Math.round(n))
}

function fmtNum(n: number, rng: Rng, sepStyle: boolean): string {
  if (!sepStyle || n < 1000) return String(n)
  const s = String(n)
  const sep = rng.chance(0.5) ? ',' : ' '
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, sep)
}

export function newLink(rng: Rng, c: Campaign): string {
  const pre = c.https ? 'https://' : ''
  switch (c.linkStyle) {
    case 'invite':
      return `${pre}t.me/+${rng.chars(B64URL, 16)}`
    case 'short':
      return `${pre}${c.shortener}/${rng.chars(ALNUM, 7)}`
    case 'domain':
      return rng.chance(0.5)
        ? `${pre}${c.domain}/${rng.pick(['claim', 'join', 'verify', 'login', 'bonus', 'r'])}?ref=${rng.chars(ALNUM, 6)}`
        : `${pre}${rng.chars('abcdefghijklmnopqrstuvwxyz', 4)}.${c.domain}/${rng.chars(ALNUM, 5)}`
    case 'bot':
      return `${pre}t.me/${c.botName}?start=${rng.chars(ALNUM, 10)}`
  }
}

function sigOverlap(a: number[], b: number[]): number {
  let n = 0
  for (const x of a) if (b.includes(x)) n++
  return n
}

/** Remembers campaigns per pool so a new one stays apart from the old ones, or revives one. */
export class CampaignRegistry {
  private readonly byPool = new Map<string, Campaign[]>()
  private next = 0
  constructor(private readonly maxPerPool = 40) {}

  /**
   * A new campaign of a random kind and language, or (when the pool has no room for another
   * sufficiently different text) a former campaign of that pool, revived with its label.
   */
  create(
    rng: Rng,
    now: number,
    allocSpammer: (now: number, premium: boolean, bot: boolean) => Spammer,
    handleFor: (c: Campaign) => string,
  ): { campaign: Campaign; revived: boolean } {
    const kd = pickKind(rng)
    const codes = Object.keys(kd.langs) as LangCode[]
    const code = rng.chance(0.45) ? (codes[0] as LangCode) : rng.pick(codes)
    const key = `${kd.kind}:${code}`
    const pool = POOLS.get(key) as Pool
    const list = this.byPool.get(key) ?? []
    this.byPool.set(key, list)
    let sig: number[] | null = null
    let pick: { h: number; b: number[]; c: number; z: number } | null = null
    for (let attempt = 0; attempt < 12 && list.length < this.maxPerPool; attempt++) {
      const h = rng.int(pool.hooks.length)
      const nb = Math.min(pool.bodies.length, rng.range(1, 3))
      const b: number[] = []
      while (b.length < nb) {
        const x = rng.int(pool.bodies.length)
        if (!b.includes(x)) b.push(x)
      }
      const c = rng.int(pool.ctas.length)
      const z = rng.chance(0.6) ? rng.int(pool.closers.length) : -1
      const s = [h, ...b.map((x) => 10 + x), 20 + c]
      if (z >= 0) s.push(30 + z)
      if (list.every((o) => sigOverlap(o.sig, s) <= 1)) {
        sig = s
        pick = { h, b, c, z }
        break
      }
    }
    if (!sig || !pick) {
      if (list.length > 0) {
        const old = rng.pick(list)
        old.wavesLeft = rng.range(2, 12)
        return { campaign: old, revived: true }
      }
      // an empty pool always accepts its first campaign
      pick = { h: 0, b: [0], c: 0, z: -1 }
      sig = [0, 10, 20]
    }
    const parts: Sentence[] = [
      pool.hooks[pick.h] as Sentence,
      ...pick.b.map((x) => pool.bodies[x] as Sentence),
      pool.ctas[pick.c] as Sentence,
    ]
    if (pick.z >= 0) parts.push(pool.closers[pick.z] as Sentence)
    const choices = parts.map((p) => p.nodes.filter((n) => typeof n !== 'string').map((n) => rng.int(n.length)))
    const amtScale =
      kd.kind === 'job_scam' ? rng.range(1, 30) * 10 : kd.kind === 'fake_giveaway' ? rng.range(1, 50) * 100 : rng.range(2, 100) * 50
    const linkStyle: LinkStyle = rng.pick(['invite', 'invite', 'short', 'domain', 'domain', 'bot'] as const)
    const botSenders = rng.chance(0.08)
    const c: Campaign = {
      label: `${kd.kind}:${code}:${++this.next}`,
      kind: kd.kind,
      category: kd.category,
      lang: lang(code),
      parts,
      choices,
      sep: rng.chance(0.6) ? ' ' : rng.chance(0.6) ? '\n' : '\n\n',
      nums: { AMT: amtScale, AMT2: rng.range(5, 150) * 100, PCT: rng.pick([50, 100, 150, 200, 300, 500]), N2: rng.range(2, 9) },
      words: {
        COIN: rng.pick(COINS),
        BRAND: rng.pick(BRANDS),
        TEAM1: rng.pick(TEAMS),
        TEAM2: rng.pick(TEAMS),
        CODE: rng.chars('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', rng.range(5, 8)),
        ODDS: (rng.range(150, 1200) / 100).toFixed(2),
        T: `${rng.range(10, 23)}:${rng.pick(['00', '30'])}`,
      },
      linkStyle,
      rotate: rng.chance(0.85),
      https: rng.chance(0.6),
      fixedLink: '',
      domain: `${rng.pick(SCAM_DOMAIN_WORDS)}-${rng.pick(SCAM_DOMAIN_WORDS)}${rng.chance(0.4) ? rng.range(1, 99) : ''}.${rng.pick(SCAM_TLDS)}`,
      shortener: rng.pick(SHORTENERS),
      botName: `${rng.pick(SCAM_DOMAIN_WORDS)}_${rng.pick(SCAM_DOMAIN_WORDS)}${rng.range(1, 99)}_bot`,
      hiddenLink: rng.chance(0.15),
      handle: '',
      phone: phoneFor(rng, code),
      email: `${rng.pick(['hr', 'jobs', 'recruit', 'career', 'work'])}.${rng.pick(PERSON_NAMES)}${rng.range(1, 99)}@${rng.pick(['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'mail.ru'])}`,
      buttonText: rng.chance(0.4) ? rng.pick(pool.buttons) : null,
      mediaHash: rng.chance(0.5) ? rng.hex(16) : null,
      accounts: [],
      sig,
      waves: 0,
      wavesLeft: rng.range(2, 16),
      homeChatIdx: [],
    }
    c.fixedLink = newLink(rng, c)
    const nAcc = rng.chance(0.3) ? rng.range(1, 3) : rng.range(4, 30)
    for (let i = 0; i < nAcc; i++) c.accounts.push(allocSpammer(now, rng.chance(0.12), botSenders))
    c.handle = handleFor(c)
    list.push(c)
    return { campaign: c, revived: false }
  }
}

const SLOT_RE = /\[([A-Z0-9]+)\]/g

export interface Copy {
  text: string
  entities: Entity[] | undefined
  buttons: { text: string; url?: string }[] | undefined
  media: { kind: 'photo' | 'video'; hash: string } | undefined
  /** The obfuscations applied, for debugging and evaluation. */
  ops: number
}

export const OP = {
  word_edit: 1,
  numbers: 2,
  homoglyph: 4,
  smallcaps: 8,
  fancy_font: 16,
  leet: 32,
  diacritics: 64,
  zero_width: 128,
  spacing: 256,
  case_punct: 512,
  emoji_pad: 1024,
  greeting: 2048,
  truncate: 4096,
  repeat: 8192,
} as const

const HASHTAG_RE = /[#$][\p{L}\p{N}_]+/gu

/** One copy of the campaign, obfuscated. */
export function renderCopy(rng: Rng, c: Campaign): Copy {
  let ops = 0
  const exact = rng.chance(0.15)
  const latin = c.lang.script === 'latin'
  if (!exact) {
    if (rng.chance(0.3)) ops |= OP.word_edit
    if (rng.chance(0.3)) ops |= OP.numbers
    if (rng.chance(0.3)) ops |= OP.homoglyph
    if (latin && rng.chance(0.06)) ops |= OP.smallcaps
    if (latin && rng.chance(0.08)) ops |= OP.fancy_font
    if (latin && rng.chance(0.05)) ops |= OP.leet
    if (c.lang.script !== 'arabic' && rng.chance(0.05)) ops |= OP.diacritics
    if (rng.chance(0.25)) ops |= OP.zero_width
    if (rng.chance(0.05)) ops |= OP.spacing
    if (c.lang.script !== 'arabic' && rng.chance(0.12)) ops |= OP.case_punct
    if (rng.chance(0.35)) ops |= OP.emoji_pad
    if (rng.chance(0.12)) ops |= OP.greeting
    if (c.parts.length > 3 && rng.chance(0.08)) ops |= OP.truncate
    if (rng.chance(0.05)) ops |= OP.repeat
  }
  const nParts = ops & OP.truncate ? c.parts.length - 1 : c.parts.length
  let raw = ops & OP.greeting ? rng.pick(c.lang.greetings) + (c.sep === ' ' ? ' ' : c.sep) : ''
  for (let i = 0; i < nParts; i++) {
    const p = c.parts[i] as Sentence
    const ch = c.choices[i] as number[]
    let j = 0
    if (i) raw += c.sep
    for (const node of p.nodes) {
      if (typeof node === 'string') raw += node
      else {
        let k = ch[j++] as number
        if (ops & OP.word_edit && rng.chance(0.35)) k = rng.int(node.length)
        raw += node[k]
      }
    }
  }
  if (ops & OP.repeat) raw += c.sep + raw.slice(0, raw.indexOf(c.sep) > 0 ? raw.indexOf(c.sep) : raw.length)

  const hgRate = 0.1 + rng.float() * 0.4
  const fontTable = rng.int(11)
  const fontWhole = rng.chance(0.5)
  const transform = (s: string): string => {
    if (!s) return s
    if (ops & OP.case_punct && rng.chance(0.5)) s = casePunct(s, rng)
    if (ops & OP.homoglyph) s = homoglyph(s, c.lang.script, hgRate, rng)
    if (ops & OP.smallcaps) s = smallCaps(s, 0.5, rng)
    if (ops & OP.leet) s = leet(s, 0.3, rng)
    if (ops & OP.diacritics) s = diacritics(s, 0.12, rng)
    if (ops & OP.fancy_font) s = fancyFont(s, fontTable, fontWhole, rng)
    if (ops & OP.spacing && rng.chance(0.5)) s = spacing(s, rng)
    if (ops & OP.zero_width) s = zeroWidth(s, 1 + rng.int(Math.max(1, s.length >> 4)), rng)
    return s
  }

  let out = ''
  let entities: Entity[] | undefined
  let link: string | null = null
  let last = 0
  SLOT_RE.lastIndex = 0
  for (let m = SLOT_RE.exec(raw); m; m = SLOT_RE.exec(raw)) {
    out += transform(raw.slice(last, m.index))
    last = m.index + m[0].length
    const name = m[1] as string
    switch (name) {
      case 'LINK': {
        const l = c.rotate ? newLink(rng, c) : c.fixedLink
        link ??= l
        if (c.hiddenLink) {
          out += '👉👉👉'
          ;(entities ??= []).push({ type: 'text_link', value: l })
        } else {
          out += l
          ;(entities ??= []).push({ type: 'url', value: l })
        }
        break
      }
      case 'HANDLE':
        out += c.handle
        ;(entities ??= []).push({ type: 'mention', value: c.handle })
        break
      case 'PHONE':
        out += c.phone
        ;(entities ??= []).push({ type: 'phone', value: c.phone })
        break
      case 'EMAIL':
        out += c.email
        ;(entities ??= []).push({ type: 'email', value: c.email })
        break
      case 'AMT':
      case 'AMT2':
      case 'PCT':
      case 'N2': {
        let v = c.nums[name]
        if (ops & OP.numbers && rng.chance(0.7)) v = nice(v * (0.8 + rng.float() * 0.45))
        out += fmtNum(v, rng, (ops & OP.numbers) !== 0)
        break
      }
      case 'CODE':
      case 'ODDS':
      case 'T':
        out += c.words[name]
        break
      case 'COIN':
      case 'BRAND':
      case 'TEAM1':
      case 'TEAM2':
        out += transform(c.words[name])
        break
      default:
        out += m[0]
    }
  }
  out += transform(raw.slice(last))
  if (ops & OP.emoji_pad) {
    const r = rng.float()
    if (r < 0.4) out = emojiRun(rng) + ' ' + out
    else if (r < 0.8) out = out + ' ' + emojiRun(rng)
    else out = emojiRun(rng) + ' ' + out + ' ' + emojiRun(rng)
  }
  if (out.includes('#') || out.includes('$')) {
    HASHTAG_RE.lastIndex = 0
    for (let m = HASHTAG_RE.exec(out); m; m = HASHTAG_RE.exec(out)) {
      const v = m[0]
      if (v[0] === '$' && !/^\$[A-Z]{2,6}$/.test(v)) continue
      ;(entities ??= []).push({ type: v[0] === '#' ? 'hashtag' : 'cashtag', value: v })
    }
  }
  let buttons: Copy['buttons']
  if (c.buttonText && rng.chance(0.8)) buttons = [{ text: c.buttonText, url: link ?? (c.rotate ? newLink(rng, c) : c.fixedLink) }]
  let media: Copy['media']
  if (c.mediaHash && rng.chance(0.7)) {
    let h = c.mediaHash
    if (rng.chance(0.2)) {
      const i = rng.int(h.length)
      h = h.slice(0, i) + '0123456789abcdef'[rng.int(16)] + h.slice(i + 1)
    }
    media = { kind: 'photo', hash: h }
  }
  return { text: out, entities, buttons, media, ops }
}
