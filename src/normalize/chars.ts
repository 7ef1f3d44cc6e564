/**
 * Steps 2 and 3 of the normalizer: fancy fonts (NFKC, only when a character needs it, and the
 * negative circled / squared capitals NFKC leaves alone), then one pass over the code points that
 * removes invisible characters (zero-width, bidi controls, soft hyphens, variation selectors, vowel
 * points), strips free-standing diacritics, folds precomposed letters to their base letter, turns
 * emoji and decoration runs into spaces, folds whitespace, counts the message's script votes and
 * cuts the result into raw tokens: all in the scratch buffers, without a string per character.
 */
import * as T from './chartable.js'
import { type Counters } from './evidence.js'
import * as L from './letters.js'
import { growTokens, reserveText, scratch } from './scratch.js'

const CAT = T.CAT
const VOTE = T.VOTE
const BASE = T.BASE
const FANCY = T.FANCY
const NFKC_CHANGES = T.NFKC_CHANGES
const TABLE_SIZE = T.TABLE_SIZE
const catOf = T.catOf
const S_LATIN = L.S_LATIN
const S_CYRILLIC = L.S_CYRILLIC
const S_GREEK = L.S_GREEK
const C_LATIN = L.C_LATIN
const C_CYRILLIC = L.C_CYRILLIC
const C_GREEK = L.C_GREEK
const C_LETTER = L.C_LETTER
const C_DIGIT = L.C_DIGIT
const C_MARK_STRIP = L.C_MARK_STRIP
const C_MARK_KEEP = L.C_MARK_KEEP
const C_ZERO_WIDTH = L.C_ZERO_WIDTH
const C_SILENT = L.C_SILENT
const C_BIDI = L.C_BIDI
const C_SOFT_HYPHEN = L.C_SOFT_HYPHEN
const C_SPACE = L.C_SPACE
const C_EMOJI = L.C_EMOJI
const C_DECOR = L.C_DECOR
const C_PUNCT = L.C_PUNCT

/** What the character pass found besides the buffers: the message's script votes and its raw token count. */
export const passed = { votesLatin: 0, votesCyrillic: 0, votesGreek: 0, tokens: 0 }

const NON_ASCII_RE = /[^\x00-\x7e]/

/**
 * Steps 2-3 over `input` into scratch.cps / scratch.cats and its raw tokens; returns the number of
 * code points (spaces included, the sentinel not).
 */
export function characterPass(input: string, ev: Counters): number {
  reserveText(input.length + 2)
  if (!NON_ASCII_RE.test(input)) return pass(input, ev, false)
  const n = pass(input, ev, true)
  if (n >= 0) return n
  // NFKC is needed (fancy fonts, compatibility characters): count the fancy letters, which only
  // the raw text shows, normalize, and run the pass again with fresh counters
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
  const folded = input.normalize('NFKC')
  reserveText(folded.length + 2)
  return pass(folded, ev, false)
}

/**
 * One pass over the code points of `s`; returns the length, or -1 when `checkNfkc` is set and a
 * character that NFKC would change is met (the caller normalizes and runs the pass again).
 */
function pass(s: string, ev: Counters, checkNfkc: boolean): number {
  const cps = scratch.cps
  const cats = scratch.cats
  let tokenStart = scratch.tokenStart
  let tokenEnd = scratch.tokenEnd
  let tokenLinkish = scratch.tokenLinkish
  let tokens = 0
  let linkish = 0
  let inToken = false
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
    // emoji, decorations and whitespace end the raw token (one space in cps)
    let separates = false
    switch (cat) {
      case C_LATIN:
      case C_CYRILLIC:
      case C_GREEK:
      case C_LETTER:
      case C_DIGIT:
      case C_MARK_KEEP:
      case C_PUNCT: {
        let storedCat: number = cat
        if (cat <= C_GREEK) {
          // accented and stroke letters fold to their base letter; they are ordinary letters of many
          // languages (é, ø, ł, đ), so only free-standing combining marks count as evidence
          if (cp < 0x2000 && BASE[cp] !== 0) {
            cp = BASE[cp]!
            storedCat = CAT[cp]!
          }
          const v = cp < TABLE_SIZE ? VOTE[cp]! : 0
          if (v === S_LATIN) vL++
          else if (v === S_CYRILLIC) vC++
          else if (v === S_GREEK) vG++
        }
        if (!inToken) {
          // a raw token starts
          inToken = true
          if (tokens >= tokenStart.length) {
            growTokens()
            tokenStart = scratch.tokenStart
            tokenEnd = scratch.tokenEnd
            tokenLinkish = scratch.tokenLinkish
          }
          tokenStart[tokens] = n
          linkish = 0
        }
        // a link or an e-mail needs an inner dot, "://" or an inner @
        if (cp === 0x2e || cp === 0x3a || cp === 0x40) linkish = 1
        cats[n] = storedCat
        cps[n++] = cp
        prevCat = cat
        break
      }
      case C_SPACE:
        separates = true
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
        separates = true
        prevCat = C_EMOJI
        break
      default: // DECOR, OTHER (one count per run, like emoji)
        if (prevCat !== C_DECOR) ev.decoration++
        separates = true
        prevCat = C_DECOR
        break
    }
    if (separates && inToken) {
      tokenEnd[tokens] = n
      tokenLinkish[tokens] = linkish
      tokens++
      cats[n] = C_SPACE
      cps[n++] = 0x20
      inToken = false
    }
  }
  if (inToken) {
    tokenEnd[tokens] = n
    tokenLinkish[tokens] = linkish
    tokens++
  } else if (n > 0) n-- // the space after the last token
  cps[n] = 0x20 // sentinel
  cats[n] = C_SPACE
  passed.votesLatin = vL
  passed.votesCyrillic = vC
  passed.votesGreek = vG
  passed.tokens = tokens
  return n
}
