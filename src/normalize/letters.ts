/**
 * Character classes as the per-message passes use them: the categories and scripts of ./chartable.ts
 * as plain constants, case tables, and the per-script replacement tables of confusables and leetspeak,
 * all built once at load so that a pass reads arrays and never creates a string per character.
 */
import * as T from './chartable.js'
import { LEET_CYRILLIC, LEET_GREEK, LEET_LATIN } from './confusables.js'

/** Scripts a word is folded toward (the values of T.NATIVE and T.VOTE). */
export const S_NONE = 0
export const S_LATIN = 1
export const S_CYRILLIC = 2
export const S_GREEK = 3

/** Character categories (the values of T.CAT, as in T.C), as constants the compiler can inline. */
export const C_OTHER = 0
export const C_LATIN = 1
export const C_CYRILLIC = 2
export const C_GREEK = 3
export const C_LETTER = 4
export const C_DIGIT = 5
export const C_MARK_STRIP = 6
export const C_MARK_KEEP = 7
export const C_ZERO_WIDTH = 8
export const C_SILENT = 9
export const C_BIDI = 10
export const C_SOFT_HYPHEN = 11
export const C_SPACE = 12
export const C_EMOJI = 13
export const C_DECOR = 14
export const C_PUNCT = 15

// Local aliases of the tables: hot code must not go through module-namespace bindings (some
// loaders, tsx among them, compile those to getter calls).
const CAT = T.CAT
const TABLE_SIZE = T.TABLE_SIZE
const catOf = T.catOf

/** Category of any code point. */
export function catAt(cp: number): number {
  return cp < TABLE_SIZE ? CAT[cp]! : catOf(cp)
}

/** A letter of any script (the three folded scripts included). */
export function isLetterCat(cat: number): boolean {
  return cat === C_LATIN || cat === C_CYRILLIC || cat === C_GREEK || cat === C_LETTER
}

/** A letter of Latin, Cyrillic or Greek: the scripts confusables and leetspeak fold into. */
export function isFoldedScriptCat(cat: number): boolean {
  return cat === C_LATIN || cat === C_CYRILLIC || cat === C_GREEK
}

/** Letters and digits: what a word is made of. */
export function isWordCat(cat: number): boolean {
  return isLetterCat(cat) || cat === C_DIGIT
}

/** Lowercase of BMP code points (single unit results only; final sigma ς → σ). */
export const LOWER = new Uint16Array(0x10000)
/** Uppercase of BMP code points (to tell lowercase letters from caseless ones). */
export const UPPER = new Uint16Array(0x10000)
for (let cp = 0; cp < 0x10000; cp++) {
  const lower = String.fromCharCode(cp).toLowerCase()
  LOWER[cp] = lower.length === 1 ? lower.charCodeAt(0) : cp
  const upper = String.fromCharCode(cp).toUpperCase()
  UPPER[cp] = upper.length === 1 ? upper.charCodeAt(0) : cp
}
LOWER[0x03c2] = 0x03c3

/** Leetspeak digit → letter code unit, per script (index: S_*; 0: the digit reads as no letter). */
export const LEET_TABLES: readonly (readonly number[])[] = [LEET_LATIN, LEET_LATIN, LEET_CYRILLIC, LEET_GREEK].map((table) => {
  const codes = new Array<number>(10).fill(0)
  for (const [digit, letter] of Object.entries(table)) codes[Number(digit)] = letter.charCodeAt(0)
  return codes
})

/** Leet symbols and the Latin letter each stands for (@ a, $ s, ! i, | l), by code unit (0: none). */
export const LEET_SYMBOL_LETTER = new Uint8Array(0x80)
LEET_SYMBOL_LETTER[0x40] = 0x61
LEET_SYMBOL_LETTER[0x24] = 0x73
LEET_SYMBOL_LETTER[0x21] = 0x69
LEET_SYMBOL_LETTER[0x7c] = 0x6c

/** Confusable class representatives as code units: REP_CODES[script][class - 1] (0: the script has none). */
export const REP_CODES: readonly (readonly number[])[] = T.REPS.map((reps) => reps.map((s) => (s.length > 0 ? s.charCodeAt(0) : 0)))

/** Appends the UTF-16 units of code point `cp` at out[o]; returns the new length. */
export function putCodePoint(out: Uint16Array, o: number, cp: number): number {
  if (cp < 0x10000) {
    out[o] = cp
    return o + 1
  }
  out[o] = 0xd800 + ((cp - 0x10000) >> 10)
  out[o + 1] = 0xdc00 + ((cp - 0x10000) & 0x3ff)
  return o + 2
}

const decoder = new TextDecoder('utf-16le')
/**
 * The string of out[0, len). TextDecoder costs a fixed ~0.4 µs per call, more than building a short
 * string from its units: below a few hundred units, String.fromCharCode is cheaper.
 */
export function stringOf(out: Uint16Array, len: number): string {
  if (len === 0) return ''
  if (len <= 16) {
    let s = ''
    for (let i = 0; i < len; i++) s += String.fromCharCode(out[i]!)
    return s
  }
  if (len <= 256) return String.fromCharCode.apply(null, out.subarray(0, len) as unknown as number[])
  return decoder.decode(out.subarray(0, len))
}
