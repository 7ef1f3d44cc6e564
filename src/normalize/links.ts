/**
 * Step 4, links: a raw token that holds a dot, "://" or an inner @ is probed (Latin-folded and
 * lowercased) for a link, which becomes its registrable domain (also the defanged hxxp / [.] forms
 * and leet schemes "ht7ps"), or an e-mail address; and a link split by spaces around its dot
 * ("example . com") is joined. Regular expressions run here only, on link-like tokens, none with
 * nested quantifiers that could backtrack.
 */
import * as T from './chartable.js'
import { KNOWN_TLDS, registrableDomain } from './domains.js'
import * as L from './letters.js'
import { reserveUnits, scratch } from './scratch.js'

const BASE = T.BASE
const CLS = T.CLS
const TABLE_SIZE = T.TABLE_SIZE
const LOWER = L.LOWER
const LATIN_REPS = L.REP_CODES[L.S_LATIN]!
const stringOf = L.stringOf

/**
 * The probe unit of a code point: Latin-folded (base letter, then the Latin lookalike) and
 * lowercased; an astral code point (-1) keeps its two units.
 */
function probeUnit(cp: number): number {
  if (cp < 0x2000 && BASE[cp] !== 0) cp = BASE[cp]!
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp | 0x20 : cp
  const k = cp < TABLE_SIZE ? CLS[cp]! : 0
  if (k !== 0 && LATIN_REPS[k - 1] !== 0) return LATIN_REPS[k - 1]!
  return cp < 0x10000 ? LOWER[cp]! : -1
}

/** Latin-folded lowercase ASCII-ish probe of cps[from, to) for link detection. */
export function latinProbe(from: number, to: number): string {
  const cps = scratch.cps
  const probe = reserveUnits((to - from) * 2)
  let o = 0
  for (let i = from; i < to; i++) {
    const unit = probeUnit(cps[i]!)
    if (unit >= 0) probe[o++] = unit
    else o = L.putCodePoint(probe, o, cps[i]!)
  }
  return stringOf(probe, o)
}

const SCHEME_RE = /^(?:h[t7x][t7x]p[s5$]?|ftp|tg):\/\/+/
/** Two-letter TLDs that make a bare `word.xx` a link even without a path (others need one: `e.g`, `i.e`). */
const STRONG_SHORT_TLDS: ReadonlySet<string> = new Set(
  'ru me io su ly gg cc co tv ua uk de kz by id us cn fm ai vn ph sg tk ml ga cf gq pw ws bz la cx sh st'.split(' '),
)

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
export function findLink(probe: string): LinkMatch | null {
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
    while (s > 0 && (isAsciiAlnum(p.charCodeAt(s - 1)) || p.charCodeAt(s - 1) === 0x24)) s--
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
    if (w >= 0 && (w === 0 || !isAsciiAlnum(p.charCodeAt(w - 1)))) {
      start = w
      rest = p.slice(w)
      known = false
    }
  }
  if (start < 0) {
    // bare domain: skip leading punctuation
    let s = 0
    while (s < p.length && !isAsciiAlnum(p.charCodeAt(s)) && p.charCodeAt(s) < 0xa0) s++
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

/** An e-mail address (of a probe, trimmed of punctuation). */
const EMAIL_RE = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/

/** Whether a probe is an e-mail address (name@host.tld, punctuation around it aside). */
export function isEmail(probe: string): boolean {
  return probe.indexOf('@') > 0 && EMAIL_RE.test(trimPunct(probe))
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

/** Maps an offset in the probe of cps[from, to) back to a code point count (astral code points take 2 units). */
export function probeOffsetToCp(from: number, to: number, off: number): number {
  const cps = scratch.cps
  let units = 0
  let idx = 0
  while (from + idx < to && units < off) {
    units += cps[from + idx]! > 0xffff ? 2 : 1
    idx++
  }
  return idx
}

/**
 * A link split by spaces around its dot: raw tokens t, t+1 (, t+2) reading "example . com/path",
 * "example. com", "example .com" or "www . example.com". The part after the dot must start with a
 * known TLD (or the part before must be "www"). Returns the last raw token used and the domain.
 */
export function trySpacedLink(t: number, nr: number): { last: number; domain: string } | null {
  const cps = scratch.cps
  const tokenStart = scratch.tokenStart
  const tokenEnd = scratch.tokenEnd
  const aS = tokenStart[t]!
  const aE = tokenEnd[t]!
  const lastA = cps[aE - 1]!
  let bT = t + 1
  let dots = lastA === 0x2e ? 1 : 0
  if (tokenEnd[bT]! - tokenStart[bT]! === 1 && cps[tokenStart[bT]!] === 0x2e) {
    dots++
    bT++
    if (bT >= nr) return null
  }
  if (cps[tokenStart[bT]!] === 0x2e) dots++
  if (dots !== 1) return null
  if (!mayBeSpacedLink(aS, lastA === 0x2e ? aE - 1 : aE, tokenStart[bT]!, tokenEnd[bT]!)) return null
  const aProbe = latinProbe(aS, lastA === 0x2e ? aE - 1 : aE)
  let bProbe = latinProbe(tokenStart[bT]!, tokenEnd[bT]!)
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

/**
 * What trySpacedLink requires, read from the code points without building probes (most candidates
 * are the end of a sentence and the start of the next): after the dot, a label that is a known TLD
 * followed by nothing, / ? or :; or before it, "www". False only where trySpacedLink finds no link.
 */
function mayBeSpacedLink(aFrom: number, aTo: number, bFrom: number, bTo: number): boolean {
  const cps = scratch.cps
  let labelStart = cps[bFrom] === 0x2e ? bFrom + 1 : bFrom
  let labelEnd = labelStart
  while (labelEnd < bTo && isLatinLetterUnit(probeUnit(cps[labelEnd]!))) labelEnd++
  if (labelEnd === labelStart) return false
  if (endsWithWww(aFrom, aTo)) return true
  const after = labelEnd < bTo ? probeUnit(cps[labelEnd]!) : 0
  if (after !== 0 && after !== 0x2f && after !== 0x3f && after !== 0x3a) return false
  if (labelEnd - labelStart > MAX_TLD_LENGTH) return false
  let label = ''
  for (; labelStart < labelEnd; labelStart++) label += String.fromCharCode(probeUnit(cps[labelStart]!))
  return KNOWN_TLDS.has(label)
}

const MAX_TLD_LENGTH = Math.max(...[...KNOWN_TLDS].map((tld) => tld.length))

function isLatinLetterUnit(unit: number): boolean {
  return unit >= 0x61 && unit <= 0x7a
}

/** Whether the probe of cps[from, to) is "www" or ends with "://www". */
function endsWithWww(from: number, to: number): boolean {
  const cps = scratch.cps
  if (to - from < 3) return false
  for (let i = to - 3; i < to; i++) if (probeUnit(cps[i]!) !== 0x77) return false
  if (to - from === 3) return true
  return to - from >= 6 && probeUnit(cps[to - 6]!) === 0x3a && probeUnit(cps[to - 5]!) === 0x2f && probeUnit(cps[to - 4]!) === 0x2f
}
