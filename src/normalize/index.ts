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
 * Modules, one per concern: ./chartable.ts and ./letters.ts (per-code-point tables, built once at
 * load), ./chars.ts (steps 2-3), ./words.ts and ./links.ts (step 4), ./emit.ts (steps 5-8),
 * ./repetition.ts (step 9), ./evidence.ts (OBFUSCATION_KINDS and the counters), ./scratch.ts (the
 * reused buffers).
 *
 * Cost: table lookups in three passes over typed scratch buffers (characters, tokens, words) that
 * are reused from call to call: a call allocates the strings it returns and little else. Regular
 * expressions run only on link-like tokens, none with nested quantifiers that could backtrack. O(n)
 * apart from the repetition check (one indexOf, and a bounded edit distance only when the opening
 * of the text recurs).
 */
import * as T from './chartable.js'
import { characterPass, passed } from './chars.js'
import { emitPieces } from './emit.js'
import { evidenceOf, newCounters, type ObfuscationKind } from './evidence.js'
import * as L from './letters.js'
import { collapseRepetition } from './repetition.js'
import { scratch } from './scratch.js'
import { tokenize } from './words.js'

export { OBFUSCATION_KINDS, type ObfuscationKind } from './evidence.js'

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

const NATIVE = T.NATIVE
const TABLE_SIZE = T.TABLE_SIZE
const S_LATIN = L.S_LATIN
const S_CYRILLIC = L.S_CYRILLIC
const S_GREEK = L.S_GREEK
const stringOf = L.stringOf

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
  const n = characterPass(input, ev)
  const msgTarget = messageScript(n)
  const pieces = tokenize(passed.tokens, ev)
  const numbers: string[] = []
  const domains: string[] = []
  let o = emitPieces(pieces, MAX_OUTPUT_CHARS, msgTarget, ev, numbers, domains)
  if (o > MAX_OUTPUT_CHARS) o = MAX_OUTPUT_CHARS
  const out = scratch.out
  while (o > 0 && out[o - 1] === 0x20) o--
  let text = stringOf(out, o)
  const kept = collapseRepetition(text)
  if (kept !== text.length) {
    text = text.slice(0, kept)
    ev.repetition++
    let hashes = 0
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x23) hashes++
    numbers.length = Math.min(numbers.length, hashes)
    domains.length = 0
    for (const t of text.split(' ')) if (t.includes('.') && !domains.includes(t)) domains.push(t)
  }
  return new Normalized(text, domains, numbers, evidenceOf(ev))
}

/**
 * The script words without distinctive letters fold toward: the one the message's distinctive
 * letters vote for (ties: Latin), or, without any, the one most of its letters are native to.
 */
function messageScript(n: number): number {
  const vL = passed.votesLatin
  const vC = passed.votesCyrillic
  const vG = passed.votesGreek
  if (vC > vL && vC >= vG) return S_CYRILLIC
  if (vG > vL && vG > vC) return S_GREEK
  if (vL === 0 && vC === 0 && vG === 0) return fallbackScript(n)
  return S_LATIN
}

function fallbackScript(n: number): number {
  const cps = scratch.cps
  let latin = 0
  let cyrillic = 0
  let greek = 0
  for (let i = 0; i < n; i++) {
    const cp = cps[i]!
    if (cp >= TABLE_SIZE) continue
    const native = NATIVE[cp]!
    if (native === S_LATIN) latin++
    else if (native === S_CYRILLIC) cyrillic++
    else if (native === S_GREEK) greek++
  }
  if (cyrillic > latin && cyrillic >= greek) return S_CYRILLIC
  if (greek > latin && greek > cyrillic) return S_GREEK
  return S_LATIN
}

/**
 * A normalization computed elsewhere (another thread: ../pipeline/fingerprint-workers.ts), as
 * normalizeText returns it.
 */
export function normalizedFrom(
  text: string,
  linkDomains: string[],
  numbers: string[],
  evidence: Partial<Record<ObfuscationKind, number>>,
): NormalizedText {
  return new Normalized(text, linkDomains, numbers, evidence)
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
