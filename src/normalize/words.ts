/**
 * Step 4, tokenization: raw tokens (runs of non-spaces from the character pass) become pieces:
 * links (./links.ts), masked e-mail addresses and @handles, and words, split on punctuation except
 * where a symbol reads as a letter (leetspeak @ $ ! |) or separates the digits of a number.
 */
import { type Counters } from './evidence.js'
import * as L from './letters.js'
import { findLink, isEmail, latinProbe, probeOffsetToCp, trySpacedLink } from './links.js'
import { P_LINK, P_MASK_AT, P_WORD, P_WORD_ASCII, pushPiece, scratch } from './scratch.js'

const C_DIGIT = L.C_DIGIT
const C_PUNCT = L.C_PUNCT
const isLetterCat = L.isLetterCat
const isWordCat = L.isWordCat

/** Cuts the `tokens` raw tokens of the character pass into pieces; returns the piece count. */
export function tokenize(tokens: number, ev: Counters): number {
  const cps = scratch.cps
  const cats = scratch.cats
  const tokenStart = scratch.tokenStart
  const tokenEnd = scratch.tokenEnd
  const tokenLinkish = scratch.tokenLinkish
  let np = 0
  scratch.pieceText.length = 0
  for (let t = 0; t < tokens; t++) {
    const i = tokenStart[t]!
    const j = tokenEnd[t]!
    // spaced link: "example . com/path", "example. com", "www . example.com"
    if (t + 1 < tokens && (cps[j - 1] === 0x2e || cps[tokenStart[t + 1]!] === 0x2e)) {
      const merged = trySpacedLink(t, tokens)
      if (merged !== null) {
        np = pushPiece(np, i, tokenEnd[merged.last]!, P_LINK, merged.domain)
        ev.spacing++
        ev.link_obfuscation++
        t = merged.last
        continue
      }
    }
    if (tokenLinkish[t] === 1 && hasLinkChar(cps, cats, i, j)) {
      const probe = latinProbe(i, j)
      if (isEmail(probe)) {
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
  return np
}

/** A dot inside a word, "://" or an inner @ in cps[i, j): the raw token may be a link or an e-mail. */
function hasLinkChar(cps: Int32Array, cats: Uint8Array, i: number, j: number): boolean {
  for (let c = i; c < j - 1; c++) {
    const ch = cps[c]!
    if ((ch === 0x2e && c > i && isWordCat(cats[c + 1]!)) || (ch === 0x3a && cps[c + 1] === 0x2f) || (ch === 0x40 && c > i)) return true
  }
  return false
}

/** Splits the raw token [from, to) on punctuation into word pieces; handles @mentions and leet symbols. */
function splitWords(from: number, to: number, np: number, ev: Counters): number {
  const cps = scratch.cps
  const cats = scratch.cats
  let i = from
  while (i < to) {
    const cp = cps[i]!
    if (cats[i] === C_PUNCT && !isLeetSymbolAt(cps, cats, i, i, to)) {
      i++
      continue
    }
    // mention: @ + letter + 4..31 handle characters
    if (cp === 0x40) {
      let j = i + 1
      if (j < to && isLetterCat(cats[j]!)) {
        // handle characters, and leet symbols standing in for letters ("@Ch@rles_si1b3rt")
        while (
          j < to &&
          (isLetterCat(cats[j]!) || cats[j] === C_DIGIT || cps[j] === 0x5f || cps[j] === 0x40 || cps[j] === 0x24 || cps[j] === 0x21)
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
      const c = cps[j]!
      if (c < 0x80 && ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) {
        j++
        continue
      }
      asciiAlpha = false
      if (cats[j] === C_PUNCT) {
        if (isLeetSymbolAt(cps, cats, j, i, to)) {
          j++
          continue
        }
        // number separators: 1.5  1,000  12:30
        if ((c === 0x2e || c === 0x2c || c === 0x3a) && j > i && cats[j - 1] === C_DIGIT && j + 1 < to && cats[j + 1] === C_DIGIT) {
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

/** Whether the symbol at j (inside a word starting at wordStart, in a raw token ending at `to`) reads as a letter. */
function isLeetSymbolAt(cps: Int32Array, cats: Uint8Array, j: number, wordStart: number, to: number): boolean {
  const c = cps[j]!
  if (c !== 0x40 && c !== 0x24 && c !== 0x21 && c !== 0x7c) return false
  const prevLetter = j > wordStart && isLetterCat(cats[j - 1]!)
  const nextLetter = j + 1 < to && isLetterCat(cats[j + 1]!)
  const nextAlnum = nextLetter || (j + 1 < to && cats[j + 1] === C_DIGIT)
  switch (c) {
    case 0x40: // @ (a handle was ruled out before)
      return prevLetter || nextAlnum || (j > wordStart && cats[j - 1] === C_DIGIT)
    case 0x24: // $
      return prevLetter
    case 0x21: // !
      return nextLetter && (prevLetter || j === wordStart)
    default: // |
      return prevLetter && nextLetter
  }
}
