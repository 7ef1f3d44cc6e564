/**
 * The obfuscations spammers apply to each copy of a campaign text. All are pure functions of the
 * text and the PRNG; tables are built once. Links, handles, phones and e-mails are never passed
 * through these (a broken link is useless to a spammer).
 */
import type { Rng } from './prng.js'

type CharMap = Map<number, string[]>

function charMap(spec: Record<string, string>): CharMap {
  const m: CharMap = new Map()
  for (const [from, to] of Object.entries(spec)) m.set(from.charCodeAt(0), Array.from(to))
  return m
}

/** Latin letters to Cyrillic and Greek look-alikes. */
const LATIN_CONFUSABLES = charMap({
  a: '\u0430',
  c: '\u0441\u03f2',
  e: '\u0435',
  i: '\u0456',
  j: '\u0458',
  o: '\u043e\u03bf',
  p: '\u0440\u03c1',
  s: '\u0455',
  x: '\u0445',
  y: '\u0443',
  v: '\u03bd',
  A: '\u0410\u0391',
  B: '\u0412\u0392',
  C: '\u0421',
  E: '\u0415\u0395',
  H: '\u041d\u0397',
  I: '\u0406\u0399',
  J: '\u0408',
  K: '\u041a\u039a',
  M: '\u041c\u039c',
  N: '\u039d',
  O: '\u041e\u039f',
  P: '\u0420\u03a1',
  S: '\u0405',
  T: '\u0422\u03a4',
  X: '\u0425\u03a7',
  Y: '\u04ae\u03a5',
  Z: '\u0396',
})

/** Cyrillic letters to Latin look-alikes. */
const CYRILLIC_CONFUSABLES = charMap({
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
})

/** Arabic / Persian letter variants that render alike. */
const ARABIC_CONFUSABLES = charMap({ ي: 'ی', ی: 'ي', ك: 'ک', ک: 'ك', ى: 'ی', ه: 'ە' })

const SMALL_CAPS = charMap({
  a: 'ᴀα',
  b: 'ʙ',
  c: 'ᴄ',
  d: 'ᴅ',
  e: 'ᴇ',
  f: 'ꜰ',
  g: 'ɢ',
  h: 'ʜ',
  i: 'ɪ',
  j: 'ᴊ',
  k: 'ᴋ',
  l: 'ʟ',
  m: 'ᴍ',
  n: 'ɴ',
  o: 'ᴏο',
  p: 'ᴘρ',
  r: 'ʀ',
  s: 'ꜱ',
  t: 'ᴛ',
  u: 'ᴜ',
  v: 'ᴠν',
  w: 'ᴡ',
  y: 'ʏ',
  z: 'ᴢ',
})

const LEET = charMap({ a: '4@', e: '3', i: '1!', o: '0', s: '5$', t: '7', l: '1', b: '8', g: '9' })

const DIACRITICS = charMap({
  a: 'áàäâ',
  e: 'éèëê',
  i: 'íïî',
  o: 'óöô',
  u: 'úüû',
  c: 'ç',
  n: 'ñ',
  y: 'ý',
})
const COMBINING = ['\u0301', '\u0308', '\u0300', '\u0302', '\u0303']

export const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']

/** Mathematical alphanumeric and other fancy "fonts": 128-entry tables for ASCII. */
const FONT_SPECS: [number, number, number | null, Record<string, number>][] = [
  // [capital A, small a, digit 0 or null, exceptions]
  [0x1d400, 0x1d41a, 0x1d7ce, {}], // bold
  [0x1d434, 0x1d44e, null, { h: 0x210e }], // italic
  [0x1d468, 0x1d482, null, {}], // bold italic
  [
    0x1d49c,
    0x1d4b6,
    null,
    { B: 0x212c, E: 0x2130, F: 0x2131, H: 0x210b, I: 0x2110, L: 0x2112, M: 0x2133, R: 0x211b, e: 0x212f, g: 0x210a, o: 0x2134 },
  ], // script
  [0x1d4d0, 0x1d4ea, null, {}], // bold script
  [0x1d504, 0x1d51e, null, { C: 0x212d, H: 0x210c, I: 0x2111, R: 0x211c, Z: 0x2128 }], // fraktur
  [0x1d538, 0x1d552, 0x1d7d8, { C: 0x2102, H: 0x210d, N: 0x2115, P: 0x2119, Q: 0x211a, R: 0x211d, Z: 0x2124 }], // double-struck
  [0x1d5d4, 0x1d5ee, 0x1d7ec, {}], // sans-serif bold
  [0x1d670, 0x1d68a, 0x1d7f6, {}], // monospace
  [0xff21, 0xff41, 0xff10, {}], // fullwidth
  [0x24b6, 0x24d0, null, {}], // circled
]

const FONTS: string[][] = FONT_SPECS.map(([capA, smallA, zero, exc]) => {
  const t: string[] = []
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c)
    let cp: number | null = null
    if (exc[ch] !== undefined) cp = exc[ch]
    else if (c >= 65 && c <= 90) cp = capA + (c - 65)
    else if (c >= 97 && c <= 122) cp = smallA + (c - 97)
    else if (zero !== null && c >= 48 && c <= 57) cp = zero + (c - 48)
    t.push(cp === null ? ch : String.fromCodePoint(cp))
  }
  return t
})

function substitute(s: string, map: CharMap, rate: number, rng: Rng): string {
  let out = ''
  let changed = false
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i)
    const alts = map.get(code)
    if (alts !== undefined && rng.float() < rate) {
      out += alts.length === 1 ? alts[0] : alts[rng.int(alts.length)]
      changed = true
    } else out += s[i]
  }
  return changed ? out : s
}

export function homoglyph(s: string, script: 'latin' | 'cyrillic' | 'arabic', rate: number, rng: Rng): string {
  const map = script === 'latin' ? LATIN_CONFUSABLES : script === 'cyrillic' ? CYRILLIC_CONFUSABLES : ARABIC_CONFUSABLES
  return substitute(s, map, rate, rng)
}

export function smallCaps(s: string, rate: number, rng: Rng): string {
  return substitute(s, SMALL_CAPS, rate, rng)
}

export function leet(s: string, rate: number, rng: Rng): string {
  return substitute(s, LEET, rate, rng)
}

const LETTER = /\p{L}/u

export function diacritics(s: string, rate: number, rng: Rng): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string
    const alts = DIACRITICS.get(s.charCodeAt(i))
    if (rng.float() < rate) {
      if (alts !== undefined && rng.chance(0.6)) out += alts[rng.int(alts.length)]
      else if (LETTER.test(ch)) out += ch + (COMBINING[rng.int(COMBINING.length)] as string)
      else out += ch
    } else out += ch
  }
  return out
}

/** Render whole text (or some words of it) in a mathematical "font". Only ASCII letters change. */
export function fancyFont(s: string, font: number, wholeText: boolean, rng: Rng): string {
  const table = FONTS[font % FONTS.length] as string[]
  let out = ''
  let inWordOn = wholeText
  let prevSpace = true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const isSpace = c === 32 || c === 10
    if (!wholeText && prevSpace && !isSpace) inWordOn = rng.chance(0.4)
    prevSpace = isSpace
    out += inWordOn && c < 128 ? (table[c] as string) : (s[i] as string)
  }
  return out
}

/** Insert `n` zero-width characters inside words. */
export function zeroWidth(s: string, n: number, rng: Rng): string {
  if (s.length < 4) return s
  const positions: number[] = []
  for (let k = 0; k < n; k++) positions.push(1 + rng.int(s.length - 1))
  positions.sort((a, b) => a - b)
  let out = ''
  let last = 0
  for (const p of positions) {
    // never split a surrogate pair
    const q = isLowSurrogate(s.charCodeAt(p)) ? p + 1 : p
    if (q < last) continue
    out += s.slice(last, q) + (ZERO_WIDTH[rng.int(ZERO_WIDTH.length)] as string)
    last = q
  }
  return out + s.slice(last)
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}

/** S p a c e out one or two longer words. */
export function spacing(s: string, rng: Rng): string {
  const words = s.split(' ')
  const n = rng.range(1, 2)
  for (let k = 0; k < n; k++) {
    const i = rng.int(words.length)
    const w = words[i] as string
    if (w.length >= 4 && /^\p{L}+$/u.test(w)) words[i] = Array.from(w).join(' ')
  }
  return words.join(' ')
}

/** SHOUT a word or the whole text, multiply exclamation marks. */
export function casePunct(s: string, rng: Rng): string {
  let out = s
  if (rng.chance(0.3)) out = out.toUpperCase()
  else {
    const words = out.split(' ')
    const i = rng.int(words.length)
    words[i] = (words[i] as string).toUpperCase()
    out = words.join(' ')
  }
  if (rng.chance(0.6)) out = out.replace(/!/g, rng.chance(0.5) ? '!!!' : '‼️')
  return out
}

const PAD_EMOJI = ['🔥', '💰', '🚀', '✅', '💎', '🎁', '⚡️', '💯', '🤑', '👇', '‼️', '🆓', '🔞', '⭐️', '🏆', '💵']

export function emojiRun(rng: Rng): string {
  const e = PAD_EMOJI[rng.int(PAD_EMOJI.length)] as string
  const n = rng.range(1, 4)
  let s = ''
  for (let i = 0; i < n; i++) s += rng.chance(0.7) ? e : (PAD_EMOJI[rng.int(PAD_EMOJI.length)] as string)
  return s
}
