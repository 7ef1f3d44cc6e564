/**
 * Organic text: compiled per-language lexicons and the composers of chat messages and channel posts.
 *
 * Everything is precomputed at module load, including the UTF-8 bytes of every word and pattern
 * piece: a text is composed by copying those bytes into a slab (see bytes.ts), never as a string.
 * Organic texts are JSON-escaped by construction: the only character of the lexicons that JSON
 * escapes is the line break, which is written as the two bytes `\n`.
 */
import { type ByteSink, lastIndexIn, utf8, type TextRef } from './bytes.js'
import { EMOJI, LANGS, PERSON_NAMES, type LangCode, type LangDef } from './lexicon.js'
import { B64URL, type Rng } from './prng.js'
import { AbuseRadarError } from '../domain/errors.js'

export interface Entity {
  type: 'url' | 'text_link' | 'mention' | 'hashtag' | 'cashtag' | 'phone' | 'email' | 'bot_command'
  value?: string
}

/** A word or pattern piece: its text, UTF-8 bytes and length in UTF-16 units. */
export interface Word {
  s: string
  b: Uint8Array
  n: number
}

/** A pattern: literal pieces and slot codes (0..9; +16 when the slot opens the sentence). */
type Seg = Word | number

const SLOT_CODES: Record<string, number> = { N: 0, A: 1, V: 2, Q: 3, D: 4, P: 5, S: 6, X: 7, T: 8, E: 9 }
const CAP = 16

export interface Lang {
  code: LangCode
  def: LangDef
  script: LangDef['script']
  weight: number
  countries: string[]
  short: Word[]
  /** Word lists by slot code 0..6, and their capitalized forms. */
  lists: Word[][]
  capLists: Word[][]
  patterns: Seg[][]
  cities: [string, string][]
  topics: [string, string][]
  domains: string[]
  hashtags: Word[]
  greetings: string[]
  botUser: string[]
  botReply: string[]
}

export const word = (s: string): Word => ({ s, b: utf8(s), n: s.length })
const split = (s: string) => s.split('|')
const pairs = (s: string) => s.split(';').map((p) => p.split('|') as [string, string])

/** Organic texts hold nothing JSON must escape: check the lexicons once. */
function checked(code: string, s: string): string {
  if (/["\\\u0000-\u001f]/.test(s))
    throw new AbuseRadarError('AR_INTERNAL', `lexicon ${code}: ${JSON.stringify(s)} would need JSON escaping`)
  return s
}

function capitalize(s: string, code: LangCode): string {
  if (!s) return s
  const first = s[0] as string
  const up = code === 'tr' ? first.toLocaleUpperCase('tr') : first.toUpperCase()
  return up + s.slice(1)
}

function compilePattern(code: string, p: string): Seg[] {
  const segs: Seg[] = []
  const re = /\{([A-Z])\}/g
  let last = 0
  for (let m = re.exec(p); m; m = re.exec(p)) {
    if (m.index > last) segs.push(word(checked(code, p.slice(last, m.index))))
    const slot = SLOT_CODES[m[1] as string]
    if (slot === undefined) throw new AbuseRadarError('AR_INTERNAL', `unknown slot ${m[0]} in ${p}`)
    segs.push(m.index === 0 ? slot + CAP : slot)
    last = m.index + m[0].length
  }
  if (last < p.length) segs.push(word(checked(code, p.slice(last))))
  return segs
}

function compile(def: LangDef): Lang {
  const words = (s: string) => split(s).map((w) => word(checked(def.code, w)))
  const raw = [def.N, def.A, def.V, def.Q, def.D, def.P, def.S].map(split)
  return {
    code: def.code,
    def,
    script: def.script,
    weight: def.weight,
    countries: split(def.countries),
    short: words(def.short),
    lists: raw.map((l) => l.map((w) => word(checked(def.code, w)))),
    capLists: raw.map((l) => l.map((w) => word(capitalize(w, def.code)))),
    patterns: def.patterns.map((p) => compilePattern(def.code, p)),
    cities: pairs(def.cities),
    topics: pairs(def.topics),
    domains: split(def.domains),
    hashtags: split(def.hashtags).map((h) => word(checked(def.code, '#' + h))),
    greetings: split(def.greetings).map((g) => checked(def.code, g)),
    botUser: split(def.botUser).map((g) => checked(def.code, g)),
    botReply: split(def.botReply).map((g) => checked(def.code, g)),
  }
}

export const COMPILED: Lang[] = LANGS.map(compile)
export const LANG_BY_CODE = new Map<LangCode, Lang>(COMPILED.map((l) => [l.code, l]))
export function lang(code: LangCode): Lang {
  const l = LANG_BY_CODE.get(code)
  if (!l) throw new AbuseRadarError('AR_INTERNAL', `unknown language ${code}`)
  return l
}

const TIMES: Word[] = []
for (let h = 7; h <= 23; h++) for (const m of ['00', '15', '30', '45']) TIMES.push(word(`${h}:${m}`))
const EMOJI_W = EMOJI.map(word)
const SPACE = word(' ')
const NL = word('\\n')
export const NL2 = word('\\n\\n')
const POINT = word(NL2.s + '👉 ')
const ARROW = word('➡️ ')
const HASH_LINE = utf8(NL2.s + '#')

/** The most bytes an organic text can take (6000 characters, 3 bytes each, plus a last sentence). */
export const TEXT_RESERVE = 24 * 1024

/** Word lists by slot code (0..31), so a slot is one lookup; numbers (code 7) are drawn instead. */
const SLOT_LISTS = new WeakMap<Lang, Word[][]>()
function slotLists(L: Lang): Word[][] {
  let lists = SLOT_LISTS.get(L)
  if (!lists) {
    lists = []
    for (let code = 0; code < 32; code++) {
      const c = code >= CAP ? code - CAP : code
      const capital = code >= CAP && c < 7
      lists.push(c < 7 ? ((capital ? L.capLists[c] : L.lists[c]) as Word[]) : c === 8 ? TIMES : c === 9 ? EMOJI_W : [])
    }
    SLOT_LISTS.set(L, lists)
  }
  return lists
}

/** One sentence from a random pattern of the language, written to `sink`; returns its length. */
export function sentenceInto(rng: Rng, L: Lang, sink: ByteSink): number {
  const pats = L.patterns
  const pat = pats[Math.floor(rng.float() * pats.length)] as Seg[]
  const lists = slotLists(L)
  const buf = sink.buf
  let p = sink.pos
  let n = 0
  for (let i = 0; i < pat.length; i++) {
    const seg = pat[i] as Seg
    let w: Word
    if (typeof seg === 'number') {
      if ((seg & 15) === 7) {
        const x = rng.float() < 0.7 ? 2 + Math.floor(rng.float() * 59) : 61 + Math.floor(rng.float() * 840)
        if (x >= 100) buf[p++] = 48 + Math.floor(x / 100)
        if (x >= 10) buf[p++] = 48 + (Math.floor(x / 10) % 10)
        buf[p++] = 48 + (x % 10)
        n += x < 10 ? 1 : x < 100 ? 2 : 3
        continue
      }
      const list = lists[seg] as Word[]
      w = list[Math.floor(rng.float() * list.length)] as Word
    } else w = seg
    const b = w.b
    const len = b.length
    if (len > 24) {
      buf.set(b, p)
      p += len
    } else for (let j = 0; j < len; j++) buf[p++] = b[j] as number
    n += w.n
  }
  sink.pos = p
  return n
}

/** One sentence as a string (slow path: sleepers, fillers). */
export function sentence(rng: Rng, L: Lang): string {
  const pat = rng.pick(L.patterns)
  let s = ''
  for (const seg of pat) {
    if (typeof seg !== 'number') s += seg.s
    else if (seg >= CAP && seg - CAP < 7) s += rng.pick(L.capLists[seg - CAP] as Word[]).s
    else if (seg < 7) s += rng.pick(L.lists[seg] as Word[]).s
    else if (seg % CAP === 7) s += String(rng.range(2, 60))
    else if (seg % CAP === 8) s += rng.pick(TIMES).s
    else s += rng.pick(EMOJI)
  }
  return s
}

const SLUG_WORDS =
  'city|news|update|report|market|transport|prices|weather|event|match|release|guide|review|story|live|video|plan|budget|school|road'.split(
    '|',
  )

export function randomUrl(rng: Rng, L: Lang): string {
  const domain = rng.pick(L.domains)
  if (domain === 'youtube.com')
    return rng.chance(0.5) ? `https://youtu.be/${rng.chars(B64URL, 11)}` : `https://www.youtube.com/watch?v=${rng.chars(B64URL, 11)}`
  const a = rng.pick(SLUG_WORDS)
  const b = rng.pick(SLUG_WORDS)
  return rng.chance(0.5) ? `https://${domain}/${a}/${b}-${rng.range(10000, 999999)}` : `https://www.${domain}/${a}-${b}-${rng.hex(6)}`
}

/** The @handle of a private person (a group member), derived from a user index. */
export function personHandle(userIdx: number): string {
  const name = PERSON_NAMES[userIdx % PERSON_NAMES.length] as string
  return `${name}_${(userIdx >>> 5) % 9973}`
}

/**
 * The target length of an organic text: a mixture giving messages of ~250 characters on average
 * with a long tail to 1500 (and, very rarely, beyond Telegram's 4096).
 */
export function drawLength(rng: Rng, channel: boolean): number {
  if (rng.chance(0.00005)) return rng.range(4100, 6000)
  if (channel) return Math.min(1500, Math.max(60, rng.logNormal(260, 0.75)))
  return Math.min(1500, Math.max(20, rng.logNormal(80, 0.95)))
}

export interface Composed {
  text: TextRef
  entities: Entity[] | undefined
}

/** A group or private chat message. `nUsers` bounds the user indices of @mentions. */
export function composeChat(rng: Rng, L: Lang, nUsers: number, sink: ByteSink): Composed {
  sink.begin(TEXT_RESERVE)
  if (rng.chance(0.16)) {
    const w = rng.pick(L.short)
    sink.b(w.b)
    let n = w.n
    if (rng.chance(0.1)) {
      const e = rng.pick(EMOJI_W)
      sink.b(SPACE.b)
      sink.b(e.b)
      n += 1 + e.n
    }
    return { text: sink.endText(n), entities: undefined }
  }
  let entities: Entity[] | undefined
  let n = 0
  const r = rng.float()
  if (r >= 0.045 && r < 0.075) {
    const h = '@' + personHandle(rng.int(nUsers))
    sink.a(h)
    sink.b(SPACE.b)
    n += h.length + 1
    entities = [{ type: 'mention', value: h }]
  }
  const target = drawLength(rng, false)
  if (rng.chance(0.04)) {
    const g = rng.pick(L.greetings)
    sink.u(g)
    sink.b(SPACE.b)
    n += g.length + 1
  }
  n += sentenceInto(rng, L, sink)
  while (n < target) {
    if (rng.chance(0.15)) {
      sink.b(NL.b)
      n += 1
    } else {
      sink.b(SPACE.b)
      n += 1
    }
    n += sentenceInto(rng, L, sink)
  }
  if (r < 0.045) {
    const url = randomUrl(rng, L)
    sink.b(SPACE.b)
    sink.a(url)
    n += 1 + url.length
    entities = [{ type: 'url', value: url }]
  } else if (r >= 0.075 && r < 0.09) {
    const tag = rng.pick(L.hashtags)
    sink.b(SPACE.b)
    sink.b(tag.b)
    n += 1 + tag.n
    entities = [{ type: 'hashtag', value: tag.s }]
  } else if (r >= 0.09 && r < 0.1) {
    const e = rng.pick(EMOJI_W)
    sink.b(SPACE.b)
    sink.b(e.b)
    sink.b(e.b)
    n += 1 + 2 * e.n
  }
  return { text: sink.endText(n), entities }
}

export interface Post extends Composed {
  /** The text without the channel's footer (a prefix of `text`), for clones that repost it. */
  body: TextRef
  bodyEntities: Entity[] | undefined
  linkUrl: string | null
}

/** A channel post: a headline, paragraphs, maybe a link, hashtags and the channel's footer. */
export function composePost(rng: Rng, L: Lang, username: string | undefined, footer: Uint8Array | null, sink: ByteSink): Post {
  sink.begin(TEXT_RESERVE)
  const target = drawLength(rng, true)
  let entities: Entity[] | undefined
  let n = 0
  if (rng.chance(0.35)) {
    const e = rng.pick(EMOJI_W)
    sink.b(e.b)
    sink.b(SPACE.b)
    n += e.n + 1
  }
  n += sentenceInto(rng, L, sink)
  let para = 0
  while (n < target) {
    if (para === 0 || rng.chance(0.3)) {
      sink.b(NL2.b)
      n += 2
      para++
    } else {
      sink.b(SPACE.b)
      n += 1
    }
    n += sentenceInto(rng, L, sink)
  }
  let linkUrl: string | null = null
  const r = rng.float()
  if (r < 0.3) {
    linkUrl = randomUrl(rng, L)
    sink.b(POINT.b)
    sink.a(linkUrl)
    n += POINT.n + linkUrl.length
    entities = [{ type: 'url', value: linkUrl }]
  } else if (r < 0.4) {
    linkUrl = randomUrl(rng, L)
    entities = [{ type: 'text_link', value: linkUrl }]
  }
  if (rng.chance(0.35)) {
    const k = rng.range(1, 3)
    sink.b(NL2.b)
    n += 2
    for (let i = 0; i < k; i++) {
      const tag = rng.pick(L.hashtags)
      if (i) {
        sink.b(SPACE.b)
        n++
      }
      sink.b(tag.b)
      n += tag.n
      ;(entities ??= []).push({ type: 'hashtag', value: tag.s })
    }
  }
  const body = sink.endText(n)
  const bodyEntities = entities
  if (username && footer && rng.chance(0.4)) {
    const h = '@' + username
    sink.b(NL2.b)
    n += 2
    if (rng.chance(0.5)) {
      sink.b(ARROW.b)
      n += ARROW.n
    }
    sink.b(footer)
    n += h.length
    entities = [...(entities ?? []), { type: 'mention', value: h }]
  }
  return { text: sink.endText(n), entities, body, bodyEntities, linkUrl }
}

/** A slightly different version of a text, as an author's edit (added line, emoji, cut, "UPD:"). */
export function lightEdit(rng: Rng, L: Lang, src: TextRef, sink: ByteSink): TextRef {
  sink.begin(src.end - src.start + 2048)
  const r = rng.float()
  let n = src.chars
  if (r < 0.8 && r >= 0.6 && src.end - src.start > 30) {
    // cut at a space (an ASCII byte, so never inside a character) about 80% in
    let cut = src.start + Math.floor((src.end - src.start) * 0.8)
    while (cut > src.start + 10 && src.buf[cut] !== 0x20) cut--
    if (cut > src.start + 10) {
      sink.ref({ buf: src.buf, start: src.start, end: cut, chars: 0 })
      return sink.endText(Math.max(1, Math.round((src.chars * (cut - src.start)) / (src.end - src.start))))
    }
  }
  if (r >= 0.8) {
    sink.a('UPD: ')
    n += 5
  }
  sink.ref(src)
  if (r < 0.4) {
    sink.b(SPACE.b)
    n += 1 + sentenceInto(rng, L, sink)
  } else if (r < 0.8) {
    const e = rng.pick(EMOJI_W)
    sink.b(SPACE.b)
    sink.b(e.b)
    n += 1 + e.n
  }
  return sink.endText(n)
}

/** A light copy of a channel post's body by a clone: as is, with its own footer, an emoji, or without hashtags. */
export function cloneText(
  rng: Rng,
  body: TextRef,
  bodyEntities: Entity[] | undefined,
  clone: { username: string | undefined; footer: Uint8Array | null },
  sink: ByteSink,
): Composed {
  const v = rng.float()
  if (v < 0.45) return { text: body, entities: bodyEntities }
  sink.begin(body.end - body.start + 1024)
  if (v < 0.75 && clone.username && clone.footer) {
    sink.ref(body)
    sink.b(NL2.b)
    sink.b(clone.footer)
    const h = '@' + clone.username
    return { text: sink.endText(body.chars + 2 + h.length), entities: [...(bodyEntities ?? []), { type: 'mention', value: h }] }
  }
  if (v < 0.9) {
    const e = rng.pick(EMOJI_W)
    sink.b(e.b)
    sink.b(SPACE.b)
    sink.ref(body)
    return { text: sink.endText(body.chars + e.n + 1), entities: bodyEntities }
  }
  const cut = lastIndexIn(body, HASH_LINE)
  if (cut <= body.start) return { text: body, entities: bodyEntities }
  sink.ref({ buf: body.buf, start: body.start, end: cut, chars: 0 })
  const kept = bodyEntities?.filter((e) => e.type !== 'hashtag')
  return {
    text: sink.endText(Math.round((body.chars * (cut - body.start)) / (body.end - body.start))),
    entities: kept && kept.length ? kept : undefined,
  }
}

/** A short constant text (bot replies, greetings) as a text range. */
export function constText(s: string, sink: ByteSink): TextRef {
  sink.begin(s.length * 3 + 8)
  sink.u(s)
  return sink.endText(s.length)
}
