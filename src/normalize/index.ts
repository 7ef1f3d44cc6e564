/**
 * Text normalization for near-duplicate detection: pure, deterministic, no I/O, no clock.
 *
 * `normalizeText(raw)` undoes what spammers do to make copies of one text look different, and
 * records what it had to undo (`evidence`, a count per kind, OBFUSCATION_KINDS): obfuscation is a
 * signal in itself.
 *
 * Steps, in order:
 *  1. Cap: at most MAX_INPUT_UNITS (8192) UTF-16 units are read (Telegram caps texts at 4096
 *     characters; longer texts are accepted upstream, flagged `truncated`) and the normalized text
 *     is at most MAX_OUTPUT_CHARS (4096) long.
 *  2. Fancy fonts: NFKC (mathematical alphanumerics 𝐖, fullwidth Ｗ, circled Ⓦ, squared 🄦,
 *     super/subscripts, ligatures, letterlike symbols), run only when a character needs it (a
 *     precomputed quick-check table); negative circled/squared letters (🅐 🅵), which NFKC leaves
 *     alone, are mapped to A-Z.
 *  3. One pass over code points: zero-width characters, bidi controls, soft hyphens, variation
 *     selectors and the optional vowel points of Arabic and Hebrew are removed; generic combining
 *     diacritics are removed and precomposed letters reduced to their base letter (é → e, ø → o,
 *     й → и); emoji and decoration symbols (★ ═ and private-use glyphs) become spaces; runs of
 *     whitespace fold to one space.
 *  4. Raw tokens (runs of non-space): links become their registrable domain (also the defanged
 *     hxxp / [.] forms, leet schemes "ht7ps", and the spaced "example . com" form); e-mail addresses
 *     and @handles are masked (`@`); the rest is split on punctuation into words.
 *  5. Spacing: a run of three or more one-character words ("f r e e", "f.r.e.e") is joined.
 *  6. Confusables, per word: each word is folded toward one script (Latin, Cyrillic or Greek).
 *     The script is chosen by the word's *distinctive* letters (letters with no lookalike in the
 *     other scripts' alphabets: Latin d f g l q, Cyrillic б д ж з л ы я ..., Greek δ θ λ ξ ψ ...);
 *     a word without any (all its letters have lookalikes: "сор", "tһе", "koмy") takes the script
 *     of the whole message, decided the same way. Glyphs that are not native letters of the chosen
 *     script are replaced by their lookalike in it (UTS #39 style classes, ./confusables.ts); the
 *     script's own letters are never changed. So a Russian word in a Russian message stays Russian
 *     ("сор" does not become Latin "cop"); a word made only of lookalike letters is folded toward
 *     the message's script, i.e. only where its own script is the minority (the classic disguise:
 *     "соре" in an English message reads "cope"); a mixed-script word ("Здpaвcтвyйтe", "сhаnсe")
 *     folds to the script its distinctive letters say. Non-letter lookalikes (Latin small
 *     capitals ᴄ ʀ ɴ, Cherokee Ꭺ, Armenian օ, ...) always fold, to the chosen script's letter.
 *  7. Leetspeak, only where the reading is unambiguous: inside a word with letters of those three
 *     scripts and at most one more digit than letters, single digits (or pairs inside the word) map
 *     to letters of the word's script (Latin 0→o 1→i 3→e 4→a 5→s 7→t 8→b 9→g; Cyrillic 0→о 3→з
 *     4→ч 6→б); `@` `$` `!` `|` next to letters map to a s i l. Runs of two or more digits at a
 *     word's edge ("24h", "usdt20") or of three or more inside it are numbers.
 *  8. Numbers (digit runs, with . , : separators) are masked to `#` (their digits are returned in
 *     `numbers` for the fingerprint, never to be stored); everything is lowercased.
 *  9. Repetition: a text that is one text posted two or more times in a row (each copy within 10%
 *     edit distance of the first) keeps its first copy.
 *
 * Output: `text` is the words joined by single spaces; `tokens` the same words (split on first
 * use); `linkDomains` the distinct registrable domains in order of appearance.
 *
 * Cost: table lookups (tables built once at load from the engine's Unicode data) in a few passes
 * over typed scratch buffers; regular expressions only on link-like tokens, all without nested
 * quantifiers that could backtrack; O(n) apart from the repetition check (one indexOf, and an edit
 * distance only when the opening of the text recurs).
 */
import * as T from './chartable.js'
import { distance } from 'fastest-levenshtein'
import { LEET_CYRILLIC, LEET_GREEK, LEET_LATIN } from './confusables.js'
import { KNOWN_TLDS, registrableDomain } from './domains.js'

// Local aliases of the tables: hot loops must not go through module-namespace bindings (some
// loaders, tsx among them, compile those to getter calls).
const CAT = T.CAT
const CLS = T.CLS
const NATIVE = T.NATIVE
const VOTE = T.VOTE
const BASE = T.BASE
const FANCY = T.FANCY
const NFKC_CHANGES = T.NFKC_CHANGES
const TABLE_SIZE = T.TABLE_SIZE
const catOf = T.catOf
const S_NONE = 0
const S_LATIN = 1
const S_CYRILLIC = 2
const S_GREEK = 3
/** character categories, as in ./chartable.ts */
const C_LATIN = 1
const C_CYRILLIC = 2
const C_GREEK = 3
const C_LETTER = 4
const C_DIGIT = 5
const C_MARK_STRIP = 6
const C_MARK_KEEP = 7
const C_ZERO_WIDTH = 8
const C_SILENT = 9
const C_BIDI = 10
const C_SOFT_HYPHEN = 11
const C_SPACE = 12
const C_EMOJI = 13
const C_DECOR = 14
const C_PUNCT = 15

export const OBFUSCATION_KINDS = [
  /** a letter of another script (Cyrillic а, Greek ο, Cherokee Ꭺ) standing in for a lookalike */
  'homoglyph',
  /** mathematical / fullwidth / circled / squared letters and digits, Latin small capitals */
  'fancy_font',
  /** zero-width spaces, joiners and other invisible format characters */
  'zero_width',
  /** bidirectional control characters (LRM, RLO, isolates) */
  'bidi_control',
  /** soft hyphens */
  'soft_hyphen',
  /** free-standing combining marks (stacked accents, "Zalgo"); precomposed accents are folded silently */
  'diacritics',
  /** runs of emoji removed */
  'emoji',
  /** runs of decoration symbols removed (★ ═ box drawing, private-use glyphs) */
  'decoration',
  /** leetspeak characters decoded (digits or @ $ ! | inside words) */
  'leet',
  /** words spelled with spaces or dots between letters, spaced links */
  'spacing',
  /** words with alternating case (two or more lower→upper switches) */
  'case',
  /** links reduced to their registrable domain */
  'link',
  /** defanged or split links (hxxp, [.], "example . com") */
  'link_obfuscation',
  /** @handles masked */
  'mention',
  /** e-mail addresses masked */
  'email',
  /** numbers masked */
  'number',
  /** the whole text repeated ("A A", "A A A"): only the first copy is kept */
  'repetition',
  /** input longer than the normalizer reads */
  'truncated',
] as const
export type ObfuscationKind = (typeof OBFUSCATION_KINDS)[number]

export interface NormalizedText {
  /** normalized words joined by single spaces; links are registrable domains, `@` a masked handle or e-mail, `#` a number */
  text: string
  tokens: string[]
  linkDomains: string[]
  /**
   * The digits behind each `#` of `text`, in order (separators dropped). For the fingerprint only,
   * which treats short numbers (prices, amounts) as content: never store or log it (phone numbers).
   */
  numbers: string[]
  evidence: Partial<Record<ObfuscationKind, number>>
}

export const MAX_INPUT_UNITS = 8192
export const MAX_OUTPUT_CHARS = 4096

// ---------------------------------------------------------------------------------------------
// Scratch buffers (module-level, reused: the normalizer is synchronous and single-threaded).

let cpBuf = new Int32Array(1024) // code points after step 3 (spaces = 0x20)
let outBuf = new Uint16Array(2048) // UTF-16 output
// word pieces: start, end (exclusive) into cpBuf, kind
let pStart = new Int32Array(256)
let pEnd = new Int32Array(256)
let pKind = new Uint8Array(256)
const pText: (string | null)[] = [] // for link pieces: the domain
// raw tokens (runs of non-space): start, end into cpBuf
let rStart = new Int32Array(256)
let rEnd = new Int32Array(256)
let rLink = new Uint8Array(256)
function growRaw(): void {
  const l = new Uint8Array(rLink.length * 2)
  l.set(rLink)
  rLink = l
  const s = new Int32Array(rStart.length * 2)
  s.set(rStart)
  rStart = s
  const e = new Int32Array(rEnd.length * 2)
  e.set(rEnd)
  rEnd = e
}

const P_WORD = 0
/** a word of ASCII letters only */
const P_WORD_ASCII = 3
const P_LINK = 1
const P_MASK_AT = 2 // mention or e-mail

/** Lowercase of BMP code points (single unit results only). */
const LOWER = new Uint16Array(0x10000)
for (let cp = 0; cp < 0x10000; cp++) {
  const l = String.fromCharCode(cp).toLowerCase()
  LOWER[cp] = l.length === 1 ? l.charCodeAt(0) : cp
}
LOWER[0x03c2] = 0x03c3 // final sigma ς → σ
/** Uppercase of BMP code points (to tell lowercase letters from caseless ones). */
const UPPER = new Uint16Array(0x10000)
for (let cp = 0; cp < 0x10000; cp++) {
  const u = String.fromCharCode(cp).toUpperCase()
  UPPER[cp] = u.length === 1 ? u.charCodeAt(0) : cp
}

const LEET_TABLES: readonly (readonly number[])[] = [LEET_LATIN, LEET_LATIN, LEET_CYRILLIC, LEET_GREEK].map((t) => {
  const a = new Array<number>(10).fill(0)
  for (const [d, ch] of Object.entries(t)) a[Number(d)] = ch.charCodeAt(0)
  return a
})

const REP_CODES: readonly (readonly number[])[] = T.REPS.map((r) => r.map((s) => (s.length > 0 ? s.charCodeAt(0) : 0)))

const NON_ASCII_RE = /[^\x00-\x7e]/
function isAsciiString(s: string): boolean {
  return !NON_ASCII_RE.test(s)
}

function isDigitCp(cp: number): boolean {
  return cp >= 0x30 && cp <= 0x39 ? true : cp > 0x7f && catOf(cp) === C_DIGIT
}

function catAt(cp: number): number {
  return cp < TABLE_SIZE ? CAT[cp]! : catOf(cp)
}

function isLetterCat(cat: number): boolean {
  return cat === C_LATIN || cat === C_CYRILLIC || cat === C_GREEK || cat === C_LETTER
}

function isLetterCp(cp: number): boolean {
  return isLetterCat(catAt(cp))
}

function ensure(n: number): void {
  if (cpBuf.length < n) cpBuf = new Int32Array(n * 2)
  if (outBuf.length < n * 2 + 16) outBuf = new Uint16Array(n * 4 + 16)
}

function ensurePieces(n: number): void {
  if (pStart.length > n) return
  const size = Math.max(n + 1, pStart.length * 2)
  const s = new Int32Array(size)
  s.set(pStart)
  pStart = s
  const e = new Int32Array(size)
  e.set(pEnd)
  pEnd = e
  const k = new Uint8Array(size)
  k.set(pKind)
  pKind = k
}

/** Appends the piece cpBuf[start, end) of `kind` (`text`: a link's domain, else null); returns the new piece count. */
function pushPiece(np: number, start: number, end: number, kind: number, text: string | null): number {
  ensurePieces(np + 1)
  pStart[np] = start
  pEnd[np] = end
  pKind[np] = kind
  pText[np] = text
  return np + 1
}

/** Latin-folded lowercase ASCII-ish probe of cpBuf[from, to) for link detection. */
function latinProbe(from: number, to: number): string {
  const cpBufL = cpBuf
  if (probeBuf.length < (to - from) * 2) probeBuf = new Uint16Array((to - from) * 4)
  let o = 0
  for (let i = from; i < to; i++) {
    let cp = cpBufL[i]!
    if (cp < 0x2000 && BASE[cp] !== 0) cp = BASE[cp]!
    if (cp < 0x80) {
      probeBuf[o++] = cp >= 0x41 && cp <= 0x5a ? cp | 0x20 : cp
      continue
    }
    const k = cp < TABLE_SIZE ? CLS[cp]! : 0
    if (k !== 0) {
      const rep = REP_CODES[S_LATIN]![k - 1]!
      if (rep !== 0) {
        probeBuf[o++] = rep
        continue
      }
    }
    if (cp < 0x10000) probeBuf[o++] = LOWER[cp]!
    else {
      probeBuf[o++] = 0xd800 + ((cp - 0x10000) >> 10)
      probeBuf[o++] = 0xdc00 + ((cp - 0x10000) & 0x3ff)
    }
  }
  return decodeUtf16(probeBuf, o)
}
let probeBuf = new Uint16Array(256)

const SCHEME_RE = /^(?:h[t7x][t7x]p[s5$]?|ftp|tg):\/\/+/
const STRONG_SHORT_TLDS = new Set([
  'ru',
  'me',
  'io',
  'su',
  'ly',
  'gg',
  'cc',
  'co',
  'tv',
  'ua',
  'uk',
  'de',
  'kz',
  'by',
  'id',
  'us',
  'cn',
  'fm',
  'ai',
  'vn',
  'ph',
  'sg',
  'tk',
  'ml',
  'ga',
  'cf',
  'gq',
  'pw',
  'ws',
  'bz',
  'la',
  'cx',
  'sh',
  'st',
])

interface LinkMatch {
  /** offset in the probe where the link starts */
  start: number
  domain: string
  defanged: boolean
}

function isHostChar(c: number, loose: boolean): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c >= 0xa0) return true
  return loose && (c === 0x21 || c === 0x24 || c === 0x7c || c === 0x5f)
}

function validHost(host: string, requireKnownTld: boolean, hasPath: boolean): boolean {
  const n = host.length
  if (n < 3 || n > 253) return false
  const loose = !requireKnownTld
  let labels = 0
  let labelStart = 0
  let allDigits = true // every label so far is 1-3 digits
  for (let i = 0; i <= n; i++) {
    const c = i < n ? host.charCodeAt(i) : 0x2e
    if (c === 0x2e) {
      const len = i - labelStart
      if (len === 0 || len > 63) return false
      if (len > 3) allDigits = false
      labels++
      labelStart = i + 1
      continue
    }
    if (!isHostChar(c, loose)) return false
    if (c < 0x30 || c > 0x39) allDigits = false
  }
  if (labels < 2) return false
  const tld = host.slice(host.lastIndexOf('.') + 1)
  let tldDigits = true
  for (let i = 0; i < tld.length; i++) {
    const c = tld.charCodeAt(i)
    if (c < 0x30 || c > 0x39) tldDigits = false
  }
  if (tldDigits) return labels === 4 && allDigits // an IPv4 address
  if (tld.length < 2) return false
  if (!requireKnownTld) return true
  if (!KNOWN_TLDS.has(tld)) return false
  return hasPath || tld.length >= 3 || STRONG_SHORT_TLDS.has(tld)
}

/** Finds a link in a probe string (whole raw token, already Latin-folded and lowercased). */
function findLink(probe: string): LinkMatch | null {
  let p = probe
  let defanged = false
  if (p.includes('[.]') || p.includes('(.)') || p.includes('[dot]') || p.includes('(dot)')) {
    p = p.replace(/\[\.\]|\(\.\)|\[dot\]|\(dot\)/g, '.')
    defanged = true
  }
  let start = -1
  let rest = ''
  let known = true
  const sep = p.indexOf('://')
  if (sep > 0) {
    // scheme: the letters just before ://
    let s = sep
    while (s > 0 && /[a-z0-9$]/.test(p[s - 1]!)) s--
    const m = SCHEME_RE.exec(p.slice(s))
    if (m !== null) {
      start = s
      rest = p.slice(s + m[0].length)
      known = false
      if (m[0].startsWith('hxxp') || (/^h[t7x][t7x]/.test(m[0]) && !m[0].startsWith('http'))) defanged = true
      if (m[0].startsWith('tg:')) return { start, domain: 't.me', defanged }
    }
  }
  if (start < 0) {
    const w = p.indexOf('www.')
    if (w >= 0 && (w === 0 || !/[a-z0-9]/.test(p[w - 1]!))) {
      start = w
      rest = p.slice(w)
      known = false
    }
  }
  if (start < 0) {
    // bare domain: skip leading punctuation
    let s = 0
    while (s < p.length && !/[a-z0-9\u00a0-\uffff]/.test(p[s]!)) s++
    start = s
    rest = p.slice(s)
  }
  // host ends at / ? # or a closing punctuation
  let end = 0
  while (end < rest.length) {
    const ch = rest[end]!
    if (ch === '/' || ch === '?' || ch === '#' || ch === ')' || ch === ']' || ch === '>' || ch === ',' || ch === '"' || ch === "'") break
    end++
  }
  let host = rest.slice(0, end)
  const hasPath = end < rest.length && (rest[end] === '/' || rest[end] === '?')
  const at = host.lastIndexOf('@')
  if (at >= 0) {
    if (known) return null // name@host without a scheme: an e-mail, handled by the caller
    host = host.slice(at + 1)
  }
  const colon = host.indexOf(':')
  if (colon >= 0) host = host.slice(0, colon)
  while (host.endsWith('.') || host.endsWith('-')) host = host.slice(0, -1)
  if (host.startsWith('www.')) host = host.slice(4)
  if (!validHost(host, known, hasPath)) {
    if (known) return null
    // an explicit scheme makes it a link even when the host is mangled ("https://tme/...")
    const h = host.replace(/[^a-z0-9.\u00a0-\uffff-]/g, '').slice(0, 63)
    return { start, domain: h.length > 0 ? h : 'link', defanged: true }
  }
  return { start, domain: registrableDomain(host), defanged }
}

const EMAIL_RE = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/

// ---------------------------------------------------------------------------------------------

interface Counters {
  homoglyph: number
  fancy_font: number
  zero_width: number
  bidi_control: number
  soft_hyphen: number
  diacritics: number
  emoji: number
  decoration: number
  leet: number
  spacing: number
  case: number
  link: number
  link_obfuscation: number
  mention: number
  email: number
  number: number
  repetition: number
  truncated: number
}

function newCounters(): Counters {
  return {
    homoglyph: 0,
    fancy_font: 0,
    zero_width: 0,
    bidi_control: 0,
    soft_hyphen: 0,
    diacritics: 0,
    emoji: 0,
    decoration: 0,
    leet: 0,
    spacing: 0,
    case: 0,
    link: 0,
    link_obfuscation: 0,
    mention: 0,
    email: 0,
    number: 0,
    repetition: 0,
    truncated: 0,
  }
}

/** Message-level script votes of the last charPass. */
let passVL = 0
let passVC = 0
let passVG = 0

/**
 * Step 3: one pass over the code points of `s` into cpBuf; returns the length, or -1 when
 * `checkNfkc` is set and a character that NFKC would change is met (the caller normalizes and
 * runs the pass again).
 */
function charPass(s: string, ev: Counters, checkNfkc: boolean): number {
  const cpBufL = cpBuf
  let n = 0
  let prevCat = C_SPACE as number
  let vL = 0
  let vC = 0
  let vG = 0
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i)
    if (checkNfkc && cp >= 0x80 && (cp >= 0xd800 || NFKC_CHANGES[cp] === 1)) {
      // surrogates: astral characters (mathematical letters...) may need NFKC too
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
        const full = ((cp - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00) + 0x10000
        if (full >= TABLE_SIZE || NFKC_CHANGES[full] === 1) return -1
      } else if (cp < 0xd800 || cp > 0xdfff) return -1
    }
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1)
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000
        i++
      }
    }
    let cat = cp < TABLE_SIZE ? CAT[cp]! : catOf(cp)
    if (cp >= 0x1f150 && cp <= 0x1f189 && (cp <= 0x1f169 || cp >= 0x1f170)) {
      // negative circled / squared Latin capitals (🅐 🅵): letters in disguise, NFKC leaves them alone
      cp = 0x41 + ((cp - 0x1f150) % 32)
      cat = C_LATIN
      ev.fancy_font++
    }
    switch (cat) {
      case C_LATIN:
      case C_CYRILLIC:
      case C_GREEK: {
        // accented and stroke letters fold to their base letter; they are ordinary letters of many
        // languages (é, ø, ł, đ), so only free-standing combining marks count as evidence
        if (cp < 0x2000 && BASE[cp] !== 0) cp = BASE[cp]!
        const v = cp < TABLE_SIZE ? VOTE[cp]! : 0
        if (v === S_LATIN) vL++
        else if (v === S_CYRILLIC) vC++
        else if (v === S_GREEK) vG++
        cpBufL[n++] = cp
        prevCat = cat
        break
      }
      case C_LETTER:
      case C_DIGIT:
      case C_MARK_KEEP:
      case C_PUNCT:
        cpBufL[n++] = cp
        prevCat = cat
        break
      case C_SPACE:
        if (n > 0 && cpBufL[n - 1] !== 0x20) cpBufL[n++] = 0x20
        prevCat = C_SPACE
        break
      case C_MARK_STRIP:
        if (prevCat !== C_EMOJI) ev.diacritics++
        break
      case C_ZERO_WIDTH:
        // not evidence: a joiner inside an emoji sequence, or a (non-)joiner in a script that uses
        // them (Persian, Indic: the previous character is a letter or mark of such a script)
        if (!((cp === 0x200d || cp === 0x200c) && (prevCat === C_EMOJI || prevCat === C_LETTER || prevCat === C_MARK_KEEP))) ev.zero_width++
        break
      case C_SILENT:
        break
      case C_BIDI:
        ev.bidi_control++
        break
      case C_SOFT_HYPHEN:
        ev.soft_hyphen++
        break
      case C_EMOJI:
        if (prevCat !== C_EMOJI) ev.emoji++
        if (n > 0 && cpBufL[n - 1] !== 0x20) cpBufL[n++] = 0x20
        prevCat = C_EMOJI
        break
      default: // DECOR, OTHER (one count per run, like emoji)
        if (prevCat !== C_DECOR) ev.decoration++
        if (n > 0 && cpBufL[n - 1] !== 0x20) cpBufL[n++] = 0x20
        prevCat = C_DECOR
        break
    }
  }
  if (n > 0 && cpBufL[n - 1] === 0x20) n--
  cpBufL[n] = 0x20 // sentinel
  passVL = vL
  passVC = vC
  passVG = vG
  return n
}

export function normalizeText(raw: string): NormalizedText {
  const ev = newCounters()
  let input = raw
  if (input.length > MAX_INPUT_UNITS) {
    let cut = MAX_INPUT_UNITS
    const c = input.charCodeAt(cut - 1)
    if (c >= 0xd800 && c <= 0xdbff) cut--
    input = input.slice(0, cut)
    ev.truncated = 1
  }
  let s = input
  ensure(s.length + 2)
  let n = isAsciiString(s) ? charPass(s, ev, false) : charPass(s, ev, true)
  if (n < 0) {
    // NFKC is needed (fancy fonts, compatibility characters): count the fancy letters, which only
    // the raw text shows, normalize, and run the character pass again with fresh counters
    let fancy = 0
    for (let i = 0; i < input.length; i++) {
      let cp = input.charCodeAt(i)
      if (cp < 0x80) continue
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < input.length) {
        cp = ((cp - 0xd800) << 10) + (input.charCodeAt(i + 1) - 0xdc00) + 0x10000
        i++
      }
      if (cp < TABLE_SIZE && FANCY[cp] === 1) fancy++
    }
    ev.fancy_font = fancy
    ev.diacritics = 0
    ev.zero_width = 0
    ev.bidi_control = 0
    ev.soft_hyphen = 0
    ev.emoji = 0
    ev.decoration = 0
    s = input.normalize('NFKC')
    ensure(s.length + 2)
    n = charPass(s, ev, false)
  }
  const cpBufL = cpBuf
  const outBufL = outBuf
  const vL = passVL
  const vC = passVC
  const vG = passVG

  let msgTarget = S_LATIN
  if (vC > vL && vC >= vG) msgTarget = S_CYRILLIC
  else if (vG > vL && vG > vC) msgTarget = S_GREEK
  else if (vL === 0 && vC === 0 && vG === 0) msgTarget = fallbackScript(n)

  // ---- step 4: raw tokens -> pieces ---------------------------------------------------------
  let nr = 0
  for (let i = 0; i < n;) {
    if (cpBufL[i] === 0x20) {
      i++
      continue
    }
    // a link or an e-mail needs an inner dot, "://" or an inner @
    let j = i
    let linkish = 0
    for (let c = cpBufL[j]!; c !== 0x20; c = cpBufL[++j]!) {
      if (c === 0x2e || c === 0x3a || c === 0x40) linkish = 1
    }
    if (nr >= rStart.length) growRaw()
    rStart[nr] = i
    rEnd[nr] = j
    rLink[nr] = linkish
    nr++
    i = j
  }
  let np = 0
  pText.length = 0
  for (let t = 0; t < nr; t++) {
    const i = rStart[t]!
    const j = rEnd[t]!
    // spaced link: "example . com/path", "example. com", "www . example.com"
    if (t + 1 < nr && (cpBufL[j - 1] === 0x2e || cpBufL[rStart[t + 1]!] === 0x2e)) {
      const merged = trySpacedLink(t, nr)
      if (merged !== null) {
        np = pushPiece(np, i, rEnd[merged.last]!, P_LINK, merged.domain)
        ev.spacing++
        ev.link_obfuscation++
        t = merged.last
        continue
      }
    }
    let hasLinkChar = false
    if (rLink[t] === 1)
      for (let c = i; c < j - 1; c++) {
        const ch = cpBufL[c]!
        if ((ch === 0x2e && c > i && isWordChar(cpBufL[c + 1]!)) || (ch === 0x3a && cpBufL[c + 1] === 0x2f) || (ch === 0x40 && c > i)) {
          hasLinkChar = true
          break
        }
      }
    if (hasLinkChar) {
      const probe = latinProbe(i, j)
      if (probe.indexOf('@') > 0 && EMAIL_RE.test(trimPunct(probe))) {
        np = pushPiece(np, i, j, P_MASK_AT, null)
        ev.email++
        continue
      }
      const link = findLink(probe)
      if (link !== null) {
        // words before the link (e.g. "TG:https://...") are kept
        if (link.start > 0) np = splitWords(i, i + probeOffsetToCp(i, j, link.start), np, ev)
        np = pushPiece(np, i, j, P_LINK, link.domain)
        if (link.defanged) ev.link_obfuscation++
        continue
      }
    }
    np = splitWords(i, j, np, ev)
  }

  // ---- steps 5-8: emit --------------------------------------------------------------------
  let o = 0
  curNumbers = []
  const domains: string[] = []
  let k = 0
  while (k < np && o < MAX_OUTPUT_CHARS) {
    const kind = pKind[k]!
    if (o > 0) outBufL[o++] = 0x20
    if (kind === P_LINK) {
      const d = pText[k]!
      ev.link++
      if (!domains.includes(d)) domains.push(d)
      for (let c = 0; c < d.length; c++) outBufL[o++] = d.charCodeAt(c)
      k++
      continue
    }
    if (kind === P_MASK_AT) {
      outBufL[o++] = 0x40
      k++
      continue
    }
    // spacing: a run of >= 3 one-character words is one word
    let runEnd = k
    while (
      runEnd < np &&
      (pKind[runEnd] === P_WORD || pKind[runEnd] === P_WORD_ASCII) &&
      pEnd[runEnd]! - pStart[runEnd]! === 1 &&
      isWordChar(cpBufL[pStart[runEnd]!]!)
    )
      runEnd++
    if (runEnd - k >= 3) {
      ev.spacing++
      o = emitWord(k, runEnd, o, msgTarget, ev)
      k = runEnd
    } else if (kind === P_WORD_ASCII && msgTarget === S_LATIN) {
      // the common case: an ASCII word in a Latin-script message, nothing to fold but case
      let lowerUpper = 0
      let prevLower = false
      for (let i = pStart[k]!, e = pEnd[k]!; i < e; i++) {
        const c = cpBufL[i]!
        if (c <= 0x5a) {
          if (prevLower) lowerUpper++
          outBufL[o++] = c | 0x20
          prevLower = false
        } else {
          outBufL[o++] = c
          prevLower = true
        }
      }
      if (lowerUpper >= 2) ev.case++
      k++
    } else {
      o = emitWord(k, k + 1, o, msgTarget, ev)
      k++
    }
  }
  if (o > MAX_OUTPUT_CHARS) o = MAX_OUTPUT_CHARS
  while (o > 0 && outBufL[o - 1] === 0x20) o--
  let text = decodeUtf16(outBufL, o)
  const kept = collapseRepetition(text)
  if (kept !== text.length) {
    text = text.slice(0, kept)
    ev.repetition++
    let hashes = 0
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x23) hashes++
    curNumbers.length = Math.min(curNumbers.length, hashes)
    domains.length = 0
    for (const t of text.split(' ')) if (t.includes('.') && !domains.includes(t)) domains.push(t)
  }

  return new Normalized(text, domains, curNumbers, evidenceOf(ev))
}

/** The result object: `tokens` is split from `text` on first use. */
class Normalized implements NormalizedText {
  #tokens: string[] | undefined
  constructor(
    readonly text: string,
    readonly linkDomains: string[],
    readonly numbers: string[],
    readonly evidence: Partial<Record<ObfuscationKind, number>>,
  ) {}

  get tokens(): string[] {
    this.#tokens ??= this.text.length === 0 ? [] : this.text.split(' ')
    return this.#tokens
  }

  toJSON(): { text: string; tokens: string[]; linkDomains: string[]; evidence: Partial<Record<ObfuscationKind, number>> } {
    return { text: this.text, tokens: this.tokens, linkDomains: this.linkDomains, evidence: this.evidence }
  }
}

/** Non-zero counters, always added in the same order (one hidden class per set of kinds). */
function evidenceOf(ev: Counters): Partial<Record<ObfuscationKind, number>> {
  const e: Partial<Record<ObfuscationKind, number>> = {}
  if (ev.homoglyph > 0) e.homoglyph = ev.homoglyph
  if (ev.fancy_font > 0) e.fancy_font = ev.fancy_font
  if (ev.zero_width > 0) e.zero_width = ev.zero_width
  if (ev.bidi_control > 0) e.bidi_control = ev.bidi_control
  if (ev.soft_hyphen > 0) e.soft_hyphen = ev.soft_hyphen
  if (ev.diacritics > 0) e.diacritics = ev.diacritics
  if (ev.emoji > 0) e.emoji = ev.emoji
  if (ev.decoration > 0) e.decoration = ev.decoration
  if (ev.leet > 0) e.leet = ev.leet
  if (ev.spacing > 0) e.spacing = ev.spacing
  if (ev.case > 0) e.case = ev.case
  if (ev.link > 0) e.link = ev.link
  if (ev.link_obfuscation > 0) e.link_obfuscation = ev.link_obfuscation
  if (ev.mention > 0) e.mention = ev.mention
  if (ev.email > 0) e.email = ev.email
  if (ev.number > 0) e.number = ev.number
  if (ev.repetition > 0) e.repetition = ev.repetition
  if (ev.truncated > 0) e.truncated = ev.truncated
  return e
}

/**
 * Whole-text repetition ("A A", "A A A", "A A-truncated"): the length of the first copy, or the
 * text's length when it is not a repetition. A copy may differ from the first in up to 10% of its
 * characters (obfuscation applied to each copy separately). Cheap when there is no repetition:
 * one indexOf; the edit distance runs only when the opening of the text recurs.
 */
function collapseRepetition(text: string): number {
  const n = text.length
  if (n < 40) return n
  const probe = text.slice(0, 12)
  let tries = 0
  for (let p = text.indexOf(probe, Math.floor(n / 3) - 2); p > 0 && tries < 3; p = text.indexOf(probe, p + 1), tries++) {
    if (p < 20) continue
    const rest = text.slice(p)
    const head = text.slice(0, rest.length)
    if (rest.length < 8) break
    if (distance(rest, head) <= rest.length * 0.1) {
      let q = p
      while (q > 0 && text.charCodeAt(q - 1) === 0x20) q--
      return q
    }
  }
  return n
}

function isWordChar(cp: number): boolean {
  const cat = catAt(cp)
  return isLetterCat(cat) || cat === C_DIGIT
}

function fallbackScript(n: number): number {
  const cpBufL = cpBuf
  const counts = [0, 0, 0, 0]
  for (let i = 0; i < n; i++) {
    const cp = cpBufL[i]!
    if (cp >= TABLE_SIZE) continue
    const nat = NATIVE[cp]!
    if (nat !== S_NONE) counts[nat]!++
  }
  if (counts[S_CYRILLIC]! > counts[S_LATIN]! && counts[S_CYRILLIC]! >= counts[S_GREEK]!) return S_CYRILLIC
  if (counts[S_GREEK]! > counts[S_LATIN]! && counts[S_GREEK]! > counts[S_CYRILLIC]!) return S_GREEK
  return S_LATIN
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)
}

function trimPunct(s: string): string {
  let a = 0
  let b = s.length
  while (a < b && !isAsciiAlnum(s.charCodeAt(a))) a++
  while (b > a && !isAsciiAlnum(s.charCodeAt(b - 1))) b--
  return s.slice(a, b)
}

/** Maps an offset in the probe of cpBuf[from,to) back to a code point count (astral code points take 2 units). */
function probeOffsetToCp(from: number, to: number, off: number): number {
  const cpBufL = cpBuf
  let units = 0
  let idx = 0
  while (from + idx < to && units < off) {
    units += cpBufL[from + idx]! > 0xffff ? 2 : 1
    idx++
  }
  return idx
}

/**
 * A link split by spaces around its dot: raw tokens t, t+1 (, t+2) reading "example . com/path",
 * "example. com", "example .com" or "www . example.com". The part after the dot must start with a
 * known TLD (or the part before must be "www"). Returns the last raw token used and the domain.
 */
function trySpacedLink(t: number, nr: number): { last: number; domain: string } | null {
  const cpBufL = cpBuf
  const rStartL = rStart
  const rEndL = rEnd
  const aS = rStartL[t]!
  const aE = rEndL[t]!
  const lastA = cpBufL[aE - 1]!
  let bT = t + 1
  let dots = lastA === 0x2e ? 1 : 0
  if (rEndL[bT]! - rStartL[bT]! === 1 && cpBufL[rStartL[bT]!] === 0x2e) {
    dots++
    bT++
    if (bT >= nr) return null
  }
  if (cpBufL[rStartL[bT]!] === 0x2e) dots++
  if (dots !== 1) return null
  const aProbe = latinProbe(aS, lastA === 0x2e ? aE - 1 : aE)
  let bProbe = latinProbe(rStartL[bT]!, rEndL[bT]!)
  if (bProbe.startsWith('.')) bProbe = bProbe.slice(1)
  if (!/^[a-z0-9-]+$/.test(aProbe.slice(aProbe.lastIndexOf('/') + 1)) || aProbe.length === 0) return null
  const label = /^[a-z]+/.exec(bProbe)
  if (label === null) return null
  const after = bProbe.charAt(label[0].length)
  const tldNext = KNOWN_TLDS.has(label[0]) && (after === '' || after === '/' || after === '?' || after === ':')
  const wwwBefore = aProbe === 'www' || aProbe.endsWith('://www')
  if (!tldNext && !wwwBefore) return null
  const link = findLink(aProbe + '.' + bProbe)
  if (link === null || link.start !== 0) return null
  return { last: bT, domain: link.domain }
}

/** Splits the raw token [from, to) on punctuation into word pieces; handles @mentions and leet symbols. */
function splitWords(from: number, to: number, np: number, ev: Counters): number {
  const cpBufL = cpBuf
  let i = from
  while (i < to) {
    const cp = cpBufL[i]!
    const cat = catAt(cp)
    if (cat === C_PUNCT && !startsWord(i, to)) {
      i++
      continue
    }
    // mention: @ + letter + 4..31 handle characters
    if (cp === 0x40) {
      let j = i + 1
      if (j < to && isLetterCp(cpBufL[j]!)) {
        // handle characters, and leet symbols standing in for letters ("@Ch@rles_si1b3rt")
        while (
          j < to &&
          (isLetterCp(cpBufL[j]!) ||
            isDigitCp(cpBufL[j]!) ||
            cpBufL[j] === 0x5f ||
            cpBufL[j] === 0x40 ||
            cpBufL[j] === 0x24 ||
            cpBufL[j] === 0x21)
        )
          j++
        if (j - i - 1 >= 5 && j - i - 1 <= 32) {
          np = pushPiece(np, i, j, P_MASK_AT, null)
          ev.mention++
          i = j
          continue
        }
      }
    }
    // a word: letters, digits, marks, and leet symbols between them
    let j = i
    let asciiAlpha = true
    while (j < to) {
      const c = cpBufL[j]!
      if (c < 0x80 && ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) {
        j++
        continue
      }
      asciiAlpha = false
      const ct = catAt(c)
      if (ct === C_PUNCT) {
        if (isLeetSymbolAt(j, i, to)) {
          j++
          continue
        }
        // number separators: 1.5  1,000  12:30
        if ((c === 0x2e || c === 0x2c || c === 0x3a) && j > i && isDigitCp(cpBufL[j - 1]!) && j + 1 < to && isDigitCp(cpBufL[j + 1]!)) {
          j++
          continue
        }
        break
      }
      j++
    }
    if (j === i) {
      j = i + 1
      asciiAlpha = false
    }
    np = pushPiece(np, i, j, asciiAlpha ? P_WORD_ASCII : P_WORD, null)
    i = j
  }
  return np
}

function startsWord(i: number, to: number): boolean {
  return isLeetSymbolAt(i, i, to)
}

/** Whether the symbol at j (inside a word starting at wordStart) reads as a letter. */
function isLeetSymbolAt(j: number, wordStart: number, to: number): boolean {
  const cpBufL = cpBuf
  const c = cpBufL[j]!
  if (c !== 0x40 && c !== 0x24 && c !== 0x21 && c !== 0x7c) return false
  const prevLetter = j > wordStart && isLetterCp(cpBufL[j - 1]!)
  const nextCp = j + 1 < to ? cpBufL[j + 1]! : 0x20
  const nextLetter = nextCp !== 0x20 && isLetterCp(nextCp)
  const nextAlnum = nextLetter || (nextCp !== 0x20 && isDigitCp(nextCp))
  switch (c) {
    case 0x40: // @ (a handle was ruled out before)
      return prevLetter || nextAlnum || (j > wordStart && isDigitCp(cpBufL[j - 1]!))
    case 0x24: // $
      return prevLetter
    case 0x21: // !
      return nextLetter && (prevLetter || j === wordStart)
    case 0x7c: // |
      return prevLetter && nextLetter
    default:
      return false
  }
}

/** Digits of the numbers masked in the current call, in order (see NormalizedText.numbers). */
let curNumbers: string[] = []

/** The digits in cpBuf[from, to) (or in pieces [k0, k1) when k1 > k0), separators dropped. */
function digitsOf(from: number, to: number, k0: number, k1: number): string {
  const cpBufL = cpBuf
  const pStartL = pStart
  const pEndL = pEnd
  let s = ''
  if (k1 > k0) {
    for (let k = k0; k < k1; k++) s += digitsOf(pStartL[k]!, pEndL[k]!, 0, 0)
    return s
  }
  for (let i = from; i < to; i++) {
    const c = cpBufL[i]!
    if (isDigitCp(c)) s += String.fromCodePoint(c)
  }
  return s
}

const LEET_SYMBOL: Record<number, number> = { 0x40: 0x61, 0x24: 0x73, 0x21: 0x69, 0x7c: 0x6c }

/** Emits pieces [k0, k1) as one word at outBuf[o]; returns the new output length. */
function emitWord(k0: number, k1: number, o: number, msgTarget: number, ev: Counters): number {
  const cpBufL = cpBuf
  const outBufL = outBuf
  const pStartL = pStart
  const pEndL = pEnd
  // pass 1: votes, counts
  let vL = 0
  let vC = 0
  let vG = 0
  let letters = 0
  let digits = 0
  let basic = 0
  let other = 0
  let otherLook = 0
  let lowerUpper = 0
  let prevLower = false
  for (let k = k0; k < k1; k++) {
    for (let i = pStartL[k]!; i < pEndL[k]!; i++) {
      const cp = cpBufL[i]!
      const cat = catAt(cp)
      if (cat === C_LATIN || cat === C_CYRILLIC || cat === C_GREEK) {
        letters++
        basic++
        const v = cp < TABLE_SIZE ? VOTE[cp]! : 0
        if (v === S_LATIN) vL++
        else if (v === S_CYRILLIC) vC++
        else if (v === S_GREEK) vG++
        const isUpper = cp < 0x10000 && LOWER[cp] !== cp
        if (isUpper && prevLower) lowerUpper++
        prevLower = cp < 0x10000 && UPPER[cp] !== cp
      } else if (cat === C_LETTER) {
        letters++
        other++
        if (cp < TABLE_SIZE && CLS[cp] !== 0) otherLook++
      } else if (cat === C_DIGIT) {
        digits++
      }
    }
  }
  if (lowerUpper >= 2) ev.case++
  let target = msgTarget
  if (vL > vC && vL > vG) target = S_LATIN
  else if (vC > vL && vC > vG) target = S_CYRILLIC
  else if (vG > vL && vG > vC) target = S_GREEK
  const foldOther = basic > 0 || (other > 0 && otherLook === other)

  if (letters === 0) {
    // a number (or a lone symbol)
    if (digits > 0) {
      outBufL[o++] = 0x23
      ev.number++
      curNumbers.push(digitsOf(pStartL[k0]!, pEndL[k1 - 1]!, k0, k1))
    } else {
      o = emitRaw(k0, k1, o)
    }
    return o
  }
  const leetOk = basic > 0 && digits <= basic + 1
  const leetTable = LEET_TABLES[target]!
  let prevWasHash = false
  for (let k = k0; k < k1; k++) {
    const end = pEndL[k]!
    let i = pStartL[k]!
    while (i < end) {
      const cp = cpBufL[i]!
      const cat = catAt(cp)
      if (cat === C_DIGIT || cat === C_PUNCT) {
        if (cat === C_PUNCT && LEET_SYMBOL[cp] !== undefined) {
          const latin = LEET_SYMBOL[cp]
          const cls = CLS[latin]!
          const rep = target !== S_LATIN && cls !== 0 ? REP_CODES[target]![cls - 1]! : 0
          outBufL[o++] = rep !== 0 ? rep : latin
          ev.leet++
          prevWasHash = false
          i++
          continue
        }
        if (cat === C_PUNCT) {
          // a number separator inside a digit run; part of the number
          i++
          continue
        }
        // digit run [i, r)
        let r = i
        while (
          r < end &&
          (isDigitCp(cpBufL[r]!) ||
            ((cpBufL[r] === 0x2e || cpBufL[r] === 0x2c || cpBufL[r] === 0x3a) && r + 1 < end && isDigitCp(cpBufL[r + 1]!)))
        )
          r++
        const len = r - i
        const atEdge = (i === pStartL[k0]! && k === k0) || (r === end && k === k1 - 1)
        const single = k1 - k0 > 1 // joined spaced letters: every digit is its own
        let leet = leetOk && (single ? len === 1 : len <= 2 && !(atEdge && len >= 2))
        if (leet) {
          for (let d = i; d < r; d++) {
            const dc = cpBufL[d]!
            if (dc < 0x30 || dc > 0x39 || leetTable[dc - 0x30] === 0) {
              leet = false
              break
            }
          }
        }
        if (leet) {
          for (let d = i; d < r; d++) outBufL[o++] = leetTable[cpBufL[d]! - 0x30]!
          ev.leet += len
          prevWasHash = false
        } else if (!prevWasHash) {
          outBufL[o++] = 0x23
          ev.number++
          prevWasHash = true
          curNumbers.push(digitsOf(i, r, 0, 0))
        } else {
          curNumbers[curNumbers.length - 1] += digitsOf(i, r, 0, 0)
        }
        i = r
        continue
      }
      prevWasHash = false
      if (cat === C_LATIN || cat === C_CYRILLIC || cat === C_GREEK || (cat === C_LETTER && foldOther)) {
        const cls = cp < TABLE_SIZE ? CLS[cp]! : 0
        if (cls !== 0 && NATIVE[cp] !== target) {
          let rep = REP_CODES[target]![cls - 1]!
          if (rep === 0) rep = REP_CODES[S_LATIN]![cls - 1]!
          if (rep !== 0) {
            outBufL[o++] = rep
            // letters of the Latin alphabets' extensions (Turkish ı, kra ĸ) fold silently
            if (FANCY[cp] === 2) {
              if (cp >= 0x250) ev.fancy_font++
            } else ev.homoglyph++
            i++
            continue
          }
        }
      }
      if (cp < 0x10000) outBufL[o++] = LOWER[cp]!
      else {
        const lo = String.fromCodePoint(cp).toLowerCase()
        for (let u = 0; u < lo.length; u++) outBufL[o++] = lo.charCodeAt(u)
      }
      i++
    }
  }
  return o
}

function emitRaw(k0: number, k1: number, o: number): number {
  const cpBufL = cpBuf
  const outBufL = outBuf
  const pStartL = pStart
  const pEndL = pEnd
  for (let k = k0; k < k1; k++) {
    for (let i = pStartL[k]!; i < pEndL[k]!; i++) {
      const cp = cpBufL[i]!
      if (cp < 0x10000) outBufL[o++] = LOWER[cp]!
      else {
        const s = String.fromCodePoint(cp)
        for (let u = 0; u < s.length; u++) outBufL[o++] = s.charCodeAt(u)
      }
    }
  }
  return o
}

const decoder = new TextDecoder('utf-16le')
function decodeUtf16(buf: Uint16Array, len: number): string {
  return len === 0 ? '' : decoder.decode(buf.subarray(0, len))
}
