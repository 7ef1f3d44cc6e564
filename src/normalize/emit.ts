/**
 * Steps 5 to 8: pieces become the normalized words in scratch.out. A run of three or more
 * one-character words is joined (spacing); each word is folded toward one script by its distinctive
 * letters or the message's (confusables); digits and @ $ ! | read as letters where the reading is
 * unambiguous (leetspeak); other digit runs are masked to `#` with their digits kept aside (numbers);
 * everything is lowercased and alternating case counted.
 */
import * as T from './chartable.js'
import { type Counters } from './evidence.js'
import * as L from './letters.js'
import { P_LINK, P_MASK_AT, P_WORD, P_WORD_ASCII, reserveUnits, scratch } from './scratch.js'

const CLS = T.CLS
const NATIVE = T.NATIVE
const VOTE = T.VOTE
const FANCY = T.FANCY
const TABLE_SIZE = T.TABLE_SIZE
const LOWER = L.LOWER
const UPPER = L.UPPER
const LEET_TABLES = L.LEET_TABLES
const LEET_SYMBOL_LETTER = L.LEET_SYMBOL_LETTER
const REP_CODES = L.REP_CODES
const S_LATIN = L.S_LATIN
const S_CYRILLIC = L.S_CYRILLIC
const S_GREEK = L.S_GREEK
const C_LATIN = L.C_LATIN
const C_CYRILLIC = L.C_CYRILLIC
const C_GREEK = L.C_GREEK
const C_LETTER = L.C_LETTER
const C_DIGIT = L.C_DIGIT
const C_PUNCT = L.C_PUNCT
const isWordCat = L.isWordCat
const putCodePoint = L.putCodePoint
const stringOf = L.stringOf

/**
 * Writes the `np` pieces at scratch.out, one space between words, until `maxChars` units are written;
 * returns the length written. The digits behind each `#` are appended to `numbers`, the distinct
 * link domains to `domains`.
 */
export function emitPieces(np: number, maxChars: number, msgTarget: number, ev: Counters, numbers: string[], domains: string[]): number {
  const cps = scratch.cps
  const cats = scratch.cats
  const out = scratch.out
  const pieceStart = scratch.pieceStart
  const pieceEnd = scratch.pieceEnd
  const pieceKind = scratch.pieceKind
  let o = 0
  let k = 0
  while (k < np && o < maxChars) {
    const kind = pieceKind[k]!
    if (o > 0) out[o++] = 0x20
    if (kind === P_LINK) {
      const d = scratch.pieceText[k]!
      ev.link++
      if (!domains.includes(d)) domains.push(d)
      for (let c = 0; c < d.length; c++) out[o++] = d.charCodeAt(c)
      k++
      continue
    }
    if (kind === P_MASK_AT) {
      out[o++] = 0x40
      k++
      continue
    }
    // spacing: a run of >= 3 one-character words is one word
    let runEnd = k
    while (
      runEnd < np &&
      (pieceKind[runEnd] === P_WORD || pieceKind[runEnd] === P_WORD_ASCII) &&
      pieceEnd[runEnd]! - pieceStart[runEnd]! === 1 &&
      isWordCat(cats[pieceStart[runEnd]!]!)
    )
      runEnd++
    if (runEnd - k >= 3) {
      ev.spacing++
      o = emitWord(k, runEnd, o, msgTarget, ev, numbers)
      k = runEnd
    } else if (kind === P_WORD_ASCII && msgTarget === S_LATIN) {
      // the common case: an ASCII word in a Latin-script message, nothing to fold but case
      let lowerUpper = 0
      let prevLower = false
      for (let i = pieceStart[k]!, e = pieceEnd[k]!; i < e; i++) {
        const c = cps[i]!
        if (c <= 0x5a) {
          if (prevLower) lowerUpper++
          out[o++] = c | 0x20
          prevLower = false
        } else {
          out[o++] = c
          prevLower = true
        }
      }
      if (lowerUpper >= 2) ev.case++
      k++
    } else {
      o = emitWord(k, k + 1, o, msgTarget, ev, numbers)
      k++
    }
  }
  return o
}

/** Emits pieces [k0, k1) as one word at scratch.out[o]; returns the new output length. */
function emitWord(k0: number, k1: number, o: number, msgTarget: number, ev: Counters, numbers: string[]): number {
  const cps = scratch.cps
  const cats = scratch.cats
  const out = scratch.out
  const pieceStart = scratch.pieceStart
  const pieceEnd = scratch.pieceEnd
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
    for (let i = pieceStart[k]!; i < pieceEnd[k]!; i++) {
      const cp = cps[i]!
      const cat = cats[i]!
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
      out[o++] = 0x23
      ev.number++
      let units = 0
      for (let k = k0; k < k1; k++) units = digitsInto(pieceStart[k]!, pieceEnd[k]!, units)
      numbers.push(stringOf(scratch.units, units))
    } else {
      o = emitLowercase(k0, k1, o)
    }
    return o
  }
  const leetOk = basic > 0 && digits <= basic + 1
  const leetTable = LEET_TABLES[target]!
  const reps = REP_CODES[target]!
  const latinReps = REP_CODES[S_LATIN]!
  let prevWasHash = false
  for (let k = k0; k < k1; k++) {
    const end = pieceEnd[k]!
    let i = pieceStart[k]!
    while (i < end) {
      const cp = cps[i]!
      const cat = cats[i]!
      if (cat === C_PUNCT) {
        const latin = cp < 0x80 ? LEET_SYMBOL_LETTER[cp]! : 0
        if (latin !== 0) {
          const cls = CLS[latin]!
          const rep = target !== S_LATIN && cls !== 0 ? reps[cls - 1]! : 0
          out[o++] = rep !== 0 ? rep : latin
          ev.leet++
          prevWasHash = false
        }
        // else a number separator inside a digit run: part of the number
        i++
        continue
      }
      if (cat === C_DIGIT) {
        // digit run [i, r)
        let r = i
        while (
          r < end &&
          (cats[r] === C_DIGIT || ((cps[r] === 0x2e || cps[r] === 0x2c || cps[r] === 0x3a) && r + 1 < end && cats[r + 1] === C_DIGIT))
        )
          r++
        const len = r - i
        const atEdge = (i === pieceStart[k0]! && k === k0) || (r === end && k === k1 - 1)
        const single = k1 - k0 > 1 // joined spaced letters: every digit is its own
        let leet = leetOk && (single ? len === 1 : len <= 2 && !(atEdge && len >= 2))
        if (leet) {
          for (let d = i; d < r; d++) {
            const dc = cps[d]!
            if (dc < 0x30 || dc > 0x39 || leetTable[dc - 0x30] === 0) {
              leet = false
              break
            }
          }
        }
        if (leet) {
          for (let d = i; d < r; d++) out[o++] = leetTable[cps[d]! - 0x30]!
          ev.leet += len
          prevWasHash = false
        } else if (!prevWasHash) {
          out[o++] = 0x23
          ev.number++
          prevWasHash = true
          numbers.push(digitsOf(i, r))
        } else {
          numbers[numbers.length - 1] += digitsOf(i, r)
        }
        i = r
        continue
      }
      prevWasHash = false
      if (cat === C_LATIN || cat === C_CYRILLIC || cat === C_GREEK || (cat === C_LETTER && foldOther)) {
        const cls = cp < TABLE_SIZE ? CLS[cp]! : 0
        if (cls !== 0 && NATIVE[cp] !== target) {
          let rep = reps[cls - 1]!
          if (rep === 0) rep = latinReps[cls - 1]!
          if (rep !== 0) {
            out[o++] = rep
            // letters of the Latin alphabets' extensions (Turkish ı, kra ĸ) fold silently
            if (FANCY[cp] === 2) {
              if (cp >= 0x250) ev.fancy_font++
            } else ev.homoglyph++
            i++
            continue
          }
        }
      }
      if (cp < 0x10000) out[o++] = LOWER[cp]!
      else o = putLowerAstral(out, o, cp)
      i++
    }
  }
  return o
}

/** The digits of cps[from, to), separators dropped. */
function digitsOf(from: number, to: number): string {
  const units = digitsInto(from, to, 0)
  return stringOf(scratch.units, units)
}

/** Appends the digits of cps[from, to) (separators dropped) to scratch.units at `units`; returns the new unit count. */
function digitsInto(from: number, to: number, units: number): number {
  const cps = scratch.cps
  const cats = scratch.cats
  const buf = reserveUnits(units + (to - from) * 2)
  for (let i = from; i < to; i++) if (cats[i] === C_DIGIT) units = putCodePoint(buf, units, cps[i]!)
  return units
}

/** Emits pieces [k0, k1) lowercased, nothing folded (a word of symbols). */
function emitLowercase(k0: number, k1: number, o: number): number {
  const cps = scratch.cps
  const out = scratch.out
  for (let k = k0; k < k1; k++) {
    for (let i = scratch.pieceStart[k]!; i < scratch.pieceEnd[k]!; i++) {
      const cp = cps[i]!
      o = cp < 0x10000 ? ((out[o] = LOWER[cp]!), o + 1) : putCodePoint(out, o, cp)
    }
  }
  return o
}

/** Appends the lowercase of an astral code point (Deseret, Adlam, ... have case). */
function putLowerAstral(out: Uint16Array, o: number, cp: number): number {
  const lower = String.fromCodePoint(cp).toLowerCase()
  for (let u = 0; u < lower.length; u++) out[o++] = lower.charCodeAt(u)
  return o
}
