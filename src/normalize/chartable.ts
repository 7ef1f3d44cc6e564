/**
 * Per-code-point lookup tables, built once at module load (about 20 ms) from the JavaScript engine's
 * own Unicode property data (`\p{...}` regular expressions) and the hand-written confusable classes.
 * Everything the per-message normalizer does per character is then an array read.
 *
 * Tables cover planes 0-2 (U+0000..U+2FFFF), where every script, emoji and symbol that matters lives;
 * code points above are classified on the fly (and cached).
 */
import { CONFUSABLE_CLASSES, STROKE_LETTERS } from './confusables.js'
import { AbuseRadarError } from '../domain/errors.js'

export const TABLE_SIZE = 0x30000

/** Character categories (values of `CAT`). */
export const C = {
  OTHER: 0, // unassigned / private use: treated as a decoration
  LATIN: 1,
  CYRILLIC: 2,
  GREEK: 3,
  LETTER: 4, // a letter of any other script (CJK, Arabic, Hebrew, Indic, Thai, Armenian, ...)
  DIGIT: 5,
  MARK_STRIP: 6, // generic combining diacritics: removed
  MARK_KEEP: 7, // script-specific marks (Indic vowel signs, ...): part of the word
  ZERO_WIDTH: 8, // invisible format characters: removed, counted
  SILENT: 9, // variation selectors, emoji tags: removed, not counted
  BIDI: 10,
  SOFT_HYPHEN: 11,
  SPACE: 12,
  EMOJI: 13,
  DECOR: 14, // other symbols: stars, boxes, arrows, dingbats, braille patterns
  PUNCT: 15, // punctuation, math and currency symbols, modifier symbols
} as const

/** Script ids used for votes and fold targets. */
export const S_NONE = 0
export const S_LATIN = 1
export const S_CYRILLIC = 2
export const S_GREEK = 3

export const CAT = new Uint8Array(TABLE_SIZE)
/** Confusable class index + 1 (0: not confusable). */
export const CLS = new Uint8Array(TABLE_SIZE)
/** For class members: the script the glyph is a native letter of (S_NONE for a pure lookalike). */
export const NATIVE = new Uint8Array(TABLE_SIZE)
/** The script a letter votes for when deciding which script a token is written in (S_NONE: no vote). */
export const VOTE = new Uint8Array(TABLE_SIZE)
/** Base letter of a precomposed letter with diacritics (0: none), for U+0000..U+1FFF. */
export const BASE = new Uint16Array(0x2000)
/** 1: a "fancy font" letter or digit (NFKC folds it to ASCII); 2: a Latin small capital or IPA lookalike. */
export const FANCY = new Uint8Array(TABLE_SIZE)
/** 1 when NFKC may change the code point (or compose it with its neighbour): NFKC is skipped for texts without one. */
export const NFKC_CHANGES = new Uint8Array(TABLE_SIZE)
/** Class representatives per script: REPS[script][classIndex] ('' when the script has none). */
export const REPS: readonly (readonly string[])[] = [
  [],
  CONFUSABLE_CLASSES.map((c) => c.latin),
  CONFUSABLE_CLASSES.map((c) => c.cyrillic),
  CONFUSABLE_CLASSES.map((c) => c.greek),
]

function allCodePoints(from: number, to: number): string {
  const parts: string[] = []
  let chunk: number[] = []
  for (let cp = from; cp < to; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) {
      chunk.push(0x20) // keep offsets aligned to code points: surrogates become a space placeholder
    } else {
      chunk.push(cp)
    }
    if (chunk.length === 4096) {
      parts.push(String.fromCodePoint(...chunk))
      chunk = []
    }
  }
  if (chunk.length > 0) parts.push(String.fromCodePoint(...chunk))
  return parts.join('')
}

/** Marks every code point of [0, TABLE_SIZE) matching `re` (global, unicode) with `value`. */
function mark(all: string, re: RegExp, value: number, onlyIf?: number): void {
  re.lastIndex = 0
  let idx = 0 // code point index, tracked along the UTF-16 offsets
  let off = 0
  for (let m = re.exec(all); m !== null; m = re.exec(all)) {
    // advance idx from off to m.index
    while (off < m.index) {
      const c = all.charCodeAt(off)
      off += c >= 0xd800 && c <= 0xdbff ? 2 : 1
      idx++
    }
    if (onlyIf === undefined || CAT[idx] === onlyIf) CAT[idx] = value
    const c = all.charCodeAt(off)
    off += c >= 0xd800 && c <= 0xdbff ? 2 : 1
    idx++
    re.lastIndex = off
  }
}

function setRange(from: number, to: number, value: number): void {
  for (let cp = from; cp <= to; cp++) CAT[cp] = value
}

function build(): void {
  const all = allCodePoints(0, TABLE_SIZE)
  // Default: OTHER (unassigned, private use, surrogates).
  mark(all, /\p{L}|\p{Nl}/gu, C.LETTER)
  mark(all, /\p{Script=Latin}/gu, C.LATIN, C.LETTER)
  mark(all, /\p{Script=Cyrillic}/gu, C.CYRILLIC, C.LETTER)
  mark(all, /\p{Script=Greek}/gu, C.GREEK, C.LETTER)
  mark(all, /\p{Nd}|\p{No}/gu, C.DIGIT)
  mark(all, /\p{M}/gu, C.MARK_KEEP)
  mark(all, /\p{P}|\p{Sm}|\p{Sc}|\p{Sk}/gu, C.PUNCT)
  mark(all, /\p{So}/gu, C.DECOR)
  mark(all, /\p{Extended_Pictographic}/gu, C.EMOJI)
  mark(all, /\p{Cf}/gu, C.ZERO_WIDTH)
  mark(all, /\p{Z}|\p{Cc}/gu, C.SPACE)

  // Generic combining diacritics (and optional vowel points of Arabic and Hebrew): stripped.
  setRange(0x0300, 0x036f, C.MARK_STRIP)
  setRange(0x1ab0, 0x1aff, C.MARK_STRIP)
  setRange(0x1dc0, 0x1dff, C.MARK_STRIP)
  setRange(0x20d0, 0x20ff, C.MARK_STRIP)
  setRange(0xfe20, 0xfe2f, C.MARK_STRIP)
  setRange(0x064b, 0x065f, C.MARK_STRIP)
  CAT[0x0670] = C.MARK_STRIP
  setRange(0x06d6, 0x06ed, C.MARK_STRIP)
  setRange(0x0591, 0x05bd, C.MARK_STRIP)
  setRange(0x05bf, 0x05c7, C.MARK_STRIP)
  for (let cp = 0x05bf; cp <= 0x05c7; cp++) if (cp === 0x05c0 || cp === 0x05c3 || cp === 0x05c6) CAT[cp] = C.PUNCT

  // Invisible characters.
  for (const cp of [
    0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x180e, 0x034f, 0x115f, 0x1160, 0x3164, 0xffa0, 0x17b4, 0x17b5,
    0x0640, 0x2065,
  ])
    CAT[cp] = C.ZERO_WIDTH
  setRange(0xfe00, 0xfe0f, C.SILENT) // variation selectors (emoji / text presentation)
  setRange(0x180b, 0x180d, C.SILENT)
  CAT[0x180f] = C.SILENT
  for (const cp of [0x061c, 0x200e, 0x200f]) CAT[cp] = C.BIDI
  setRange(0x202a, 0x202e, C.BIDI)
  setRange(0x2066, 0x2069, C.BIDI)
  CAT[0x00ad] = C.SOFT_HYPHEN
  for (const cp of [0x2800, 0x3164]) CAT[cp] = cp === 0x2800 ? C.SPACE : C.ZERO_WIDTH // braille blank renders as a space
  // Emoji parts that are not Extended_Pictographic themselves.
  setRange(0x1f1e6, 0x1f1ff, C.EMOJI) // regional indicators (flags)
  setRange(0x1f3fb, 0x1f3ff, C.EMOJI) // skin tones
  CAT[0x20e3] = C.EMOJI // combining enclosing keycap
  CAT[0x20e0] = C.EMOJI
  // ASCII punctuation that is not \p{P} in every engine version stays PUNCT; digits and letters are set above.

  // Confusable classes.
  CONFUSABLE_CLASSES.forEach((cls, i) => {
    for (const ch of cls.glyphs) {
      const cp = ch.codePointAt(0)!
      if (CLS[cp] !== 0) throw new AbuseRadarError('AR_INTERNAL', `confusables: U+${cp.toString(16)} is in two classes`)
      CLS[cp] = i + 1
      NATIVE[cp] = nativeScript(cp)
    }
  })
  // Cherokee small letters look like their capitals: same class.
  for (let cp = 0x13a0; cp <= 0x13f5; cp++) {
    if (CLS[cp] === 0) continue
    const lower = String.fromCodePoint(cp).toLowerCase().codePointAt(0)!
    if (lower !== cp && lower < TABLE_SIZE && CLS[lower] === 0) CLS[lower] = CLS[cp]!
  }
  // Which scripts have native letters in each class.
  const classScripts = new Uint8Array(CONFUSABLE_CLASSES.length + 1)
  for (let cp = 0; cp < TABLE_SIZE; cp++) {
    const k = CLS[cp]!
    if (k !== 0 && NATIVE[cp]! !== S_NONE) classScripts[k] = classScripts[k]! | (1 << NATIVE[cp]!)
  }
  for (let cp = 0; cp < TABLE_SIZE; cp++) {
    const cat = CAT[cp]!
    if (cat !== C.LATIN && cat !== C.CYRILLIC && cat !== C.GREEK) continue
    const script = cat // C.LATIN..C.GREEK equal S_LATIN..S_GREEK
    const k = CLS[cp]!
    if (k === 0) {
      // Not confusable: a letter of the ordinary alphabets votes for its script. Letters outside them
      // (IPA, phonetic extensions and small capitals of any script) are not how anyone writes a language.
      if (inAlphabet(cp, script)) VOTE[cp] = script
    } else if (NATIVE[cp] === script && classScripts[k] === 1 << script) {
      VOTE[cp] = script
    }
  }
  // Precomposed letters: their base letter, and the base letter's classification.
  for (let cp = 0xc0; cp < 0x2000; cp++) {
    const cat = CAT[cp]!
    if (cat !== C.LATIN && cat !== C.CYRILLIC && cat !== C.GREEK) continue
    const d = String.fromCodePoint(cp).normalize('NFD')
    if (d.length < 2) continue
    const base = d.charCodeAt(0)
    let ok = base < 0x2000
    for (let i = 1; i < d.length && ok; i++) ok = CAT[d.charCodeAt(i)] === C.MARK_STRIP
    if (ok) BASE[cp] = base
  }
  for (const [k, v] of Object.entries(STROKE_LETTERS)) BASE[k.codePointAt(0)!] = v.charCodeAt(0)
  // Precomposed letters vote like their base letter (é votes like e).
  for (let cp = 0; cp < 0x2000; cp++) if (BASE[cp] !== 0 && VOTE[cp] !== S_NONE) VOTE[cp] = VOTE[BASE[cp]!]!

  // Fancy fonts: letters and digits NFKC folds to ASCII (mathematical alphanumerics, fullwidth,
  // circled / parenthesized / squared, super- and subscripts, letterlike symbols), and Latin small
  // capitals and other IPA-block lookalikes.
  for (const [from, to] of [
    [0x2070, 0x209f],
    [0x2100, 0x214f],
    [0x2460, 0x24ff],
    [0xff00, 0xffef],
    [0x1d400, 0x1d7ff],
    [0x1f100, 0x1f1ff],
    [0x1d2c, 0x1d6a],
    [0x2c7c, 0x2c7d],
    [0xa7f8, 0xa7f9],
  ] as const) {
    for (let cp = from; cp <= to; cp++) {
      const n = String.fromCodePoint(cp).normalize('NFKC')
      if (n.length > 0 && n.length <= 3 && /^[A-Za-z0-9]+$/.test(n) && n !== String.fromCodePoint(cp)) FANCY[cp] = 1
    }
  }
  for (let cp = 0; cp < TABLE_SIZE; cp++) {
    if (CLS[cp] !== 0 && CAT[cp] === C.LATIN && NATIVE[cp] === S_NONE) FANCY[cp] = 2
  }
  // NFKC quick check: compatibility characters, and marks and conjoining jamo that compose
  for (let cp = 0x80; cp < TABLE_SIZE; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue
    const cat = CAT[cp]!
    if (cat === C.MARK_STRIP || cat === C.MARK_KEEP || (cp >= 0x1100 && cp <= 0x11ff)) {
      NFKC_CHANGES[cp] = 1
      continue
    }
    if (cat === C.OTHER) continue
    const ch = String.fromCodePoint(cp)
    if (ch.normalize('NFKC') !== ch) NFKC_CHANGES[cp] = 1
  }
}

/** Whether a letter of `script` belongs to that script's ordinary alphabet (accented forms included). */
function inAlphabet(cp: number, script: number): boolean {
  if (script === S_LATIN) return cp < 0x250 || (cp >= 0x1e00 && cp <= 0x1eff)
  if (script === S_CYRILLIC) return cp >= 0x0400 && cp <= 0x052f
  if (script === S_GREEK) return (cp >= 0x0370 && cp <= 0x03ff) || (cp >= 0x1f00 && cp <= 0x1fff)
  return false
}

/** Script a glyph is an ordinary letter of: ASCII Latin, the Cyrillic and modern Greek alphabets. */
function nativeScript(cp: number): number {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return S_LATIN
  if (cp >= 0x0400 && cp <= 0x045f) return S_CYRILLIC
  if (cp >= 0x0490 && cp <= 0x04ff && cp !== 0x04c0 && cp !== 0x04cf) return S_CYRILLIC
  if (cp >= 0x0384 && cp <= 0x03ce) return S_GREEK
  return S_NONE
}

build()

const highCache = new Map<number, number>()
/** Category of any code point (table lookup below TABLE_SIZE). */
export function catOf(cp: number): number {
  if (cp < TABLE_SIZE) return CAT[cp]!
  if (cp >= 0xe0000 && cp <= 0xe0fff) return C.SILENT // tags, variation selectors supplement
  if (cp >= 0xf0000) return C.OTHER
  let v = highCache.get(cp)
  if (v === undefined) {
    const s = String.fromCodePoint(cp)
    v = /\p{L}/u.test(s)
      ? C.LETTER
      : /\p{N}/u.test(s)
        ? C.DIGIT
        : /\p{M}/u.test(s)
          ? C.MARK_KEEP
          : /\p{Extended_Pictographic}/u.test(s)
            ? C.EMOJI
            : C.OTHER
    if (highCache.size < 10000) highCache.set(cp, v)
  }
  return v
}
