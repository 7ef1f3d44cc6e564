/**
 * Look-alike names (chat titles and @handles): pure, no I/O.
 *
 * Skeleton (`nameForm`): the name goes through the message normalizer (`normalizeText`: NFKC fancy
 * fonts, invisible characters, diacritics, per-word confusable folding to one script, leetspeak,
 * lowercase) and the fingerprint's `skeletonOf` (digits put back, `l` → `i`, Cyrillic `з` → `е`);
 * then, per token: `rn` → `m`, `w` → `v` (so `vv` = `w`), runs of one letter collapsed (`telegramm`, `suppport`),
 * separators dropped. So `durov` / `durоv` (Cyrillic о) / `dur0v` / `durovv`, `telegram_support` /
 * `telegrarn_support` / `telegram_supp0rt`, `cryptosignals_vip` / `crypto_signals_vip` /
 * `cryptosignals_vlp` all share one skeleton. No second confusables table: the classes are
 * normalize's.
 *
 * Matching two names (`matchNames`), strongest first:
 *  - `skeleton`: equal skeletons, different names. For titles (free text, many benign chats share
 *    one) the difference must be a disguise: confusable characters (homoglyph, fancy font, leet,
 *    stroke diacritics) or a fake verification badge (✅ ✔ ☑ ✓); an added 🔥 or a changed case is
 *    not one.
 *  - `edit`: skeletons one edit apart (fastest-levenshtein), and that edit is a *visual* one: a
 *    substitution of two glyphs that read alike at a glance (c/e, u/v, n/h, g/q, i/j, ...), or a
 *    letter added or dropped inside a long word. Not counted, because siblings differ that way:
 *    a changed digit (`channel1` / `channel2`), an edit inside a token of at most 3 characters
 *    (`news_ru` / `news_rs`, language and region codes), an arbitrary letter swap (`cripto` /
 *    `kripto`, `krypta` / `kripta`: two languages' spellings, not a disguise).
 *  - `affix`: one name is the other plus impersonation words at its ends (`durov_official`,
 *    `telegram_support_team`, `Wallet ✅`'s `official` kind), or, against a protected name that is
 *    not a generic word, the protected name inside the other at word boundaries
 *    (`pavel_durov_official`). Between two ordinary chats an affix match is weak: it counts only
 *    when the pair is also a content clone (see ChatSimilarity), since `news` / `news_official`
 *    are often unrelated chats.
 * `news_ru` vs `news_ua`: skeletons `newsru` / `newsua` are two edits apart, the differing token is
 * a 2-letter code and `ua` is no impersonation word: no match, whichever rule.
 */
import { distance } from 'fastest-levenshtein'
import { normalizeText } from '../normalize/index.js'
import { skeletonOf } from '../fingerprint/index.js'

export type NameField = 'title' | 'username'

export interface NameForm {
  /** the name as given (without a leading @ for handles) */
  raw: string
  field: NameField
  /** NFKC, lowercased, whitespace collapsed: two names with the same key are the same name */
  key: string
  /** the key without a trailing `bot` word: `x_bot` and `x` are one name for a bot and its chat */
  keyNoBot: string
  /** tokens of the skeleton (one per word of the name, digits split from letters) */
  tokens: string[]
  /** the skeleton: tokens joined */
  skeleton: string
  /** token start offsets in `skeleton` (plus its length at the end) */
  bounds: number[]
  /** letters and digits as written (lowercased, accents and a trailing `bot` dropped, nothing folded): equal for names that differ only in punctuation, spacing, emoji, accents or case */
  visible: string
  /** the name itself carries disguised characters (homoglyph, fancy font, leet, stroke letters) */
  confusable: boolean
  /** the name carries a fake verification badge (✅ ✔ ☑ ✓) */
  badge: boolean
}

export type NameMatchKind = 'skeleton' | 'edit' | 'affix'

export interface NameMatch {
  kind: NameMatchKind
  score: number
  /** between two ordinary chats, a resemblance without disguise: shown only with content evidence or when title and handle both resemble */
  weak: boolean
  /** holds on the skeletons, not on the plain letters: one name was made to read as the other */
  disguised: boolean
}

/** Impersonation words: added at either end of a name they make it read as the official one. */
export const DEFAULT_AFFIXES: readonly string[] = [
  'official',
  'officiai',
  'support',
  'team',
  'help',
  'helpdesk',
  'admin',
  'admins',
  'real',
  'verify',
  'verified',
  'tg',
  'telegram',
  'service',
  'care',
  'app',
  'airdrop',
  'gift',
  'gifts',
  'free',
  'giveaway',
  'claim',
  'bonus',
  'vip',
  'original',
  'orig',
  'channel',
]

/** digit → the skeleton letter it reads as */
const LEET_READS: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g' }
const BADGE_RE = /[\u2705\u2714\u2611\u2713]/
const DIGIT_RE = /[0-9]/

/**
 * Letter pairs whose *shapes* read alike at a glance (confusable folding has handled the rest).
 * Vowel swaps are not here: `rabota` / `robota`, `kripta` / `kripto` are two languages' words.
 */
const VISUAL_PAIRS = new Set(['uv', 'uy', 'nh', 'gq', 'ij', 'vy', 'bh', 'шщ'].flatMap((p) => [p, p[1]! + p[0]!]))

function foldToken(t: string): string {
  // rn reads as m; w as vv (so `vvallet`, `wallet` and, after collapsing, `durovv` / `durov` meet)
  let s = t.replace(/rn/g, 'm').replace(/w/g, 'v')
  // collapse runs of one letter (digits keep their runs: 2000 is not 20)
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (i > 0 && c === s[i - 1] && !DIGIT_RE.test(c)) continue
    out += c
  }
  s = out
  return s
}

/** Splits a normalized word at letter/digit boundaries. */
function splitDigits(w: string): string[] {
  const parts = w.match(/[0-9]+|[^0-9]+/g)
  return parts ?? []
}

/** The skeleton form of a title or @handle. */
export function nameForm(name: string, field: NameField): NameForm {
  let raw = name.trim()
  if (field === 'username' && raw.startsWith('@')) raw = raw.slice(1)
  const key = raw.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ')
  // digits at a word's edge are numbers in a name (`channel1`, `news24`), not leetspeak: set them apart
  const n = normalizeText(
    raw.replace(/(\p{L})(\p{Nd}+)(?=$|[^\p{L}\p{Nd}])/gu, '$1 $2').replace(/(^|[^\p{L}\p{Nd}])(\p{Nd}+)(?=\p{L})/gu, '$1$2 '),
  )
  const ev = n.evidence
  const confusable = (ev.homoglyph ?? 0) + (ev.fancy_font ?? 0) + (ev.leet ?? 0) + (ev.diacritics ?? 0) > 0
  const tokens: string[] = []
  let numIdx = 0
  for (const word of n.tokens) {
    if (word === '@') continue
    // this word's numbers back in place of its '#' (all digits: in a name every digit counts)
    let w = ''
    for (let i = 0; i < word.length; i++) w += word.charCodeAt(i) === 0x23 ? (n.numbers[numIdx++] ?? '') : word[i]
    const sk = skeletonOf(w).replace(/[^\p{L}\p{N}]/gu, '')
    for (const part of splitDigits(sk)) {
      const f = foldToken(part)
      if (f.length > 0) tokens.push(f)
    }
  }
  // a trailing `bot` word is the platform's mandatory suffix of bot handles (and usual in bot
  // titles): it says nothing about which name is imitated
  if (tokens.length > 1 && tokens[tokens.length - 1] === 'bot') tokens.pop()
  else if (tokens.length > 2 && tokens[tokens.length - 2] === 'bot' && /^[0-9]+$/.test(tokens[tokens.length - 1]!))
    tokens.splice(tokens.length - 2, 1)
  // joined without separators; a letter doubled across a separator collapses too (`it_tech` = `ittech`)
  const bounds: number[] = []
  let skeleton = ''
  for (let i = 0; i < tokens.length; i++) {
    let t = tokens[i]!
    if (skeleton.length > 0 && t[0] === skeleton[skeleton.length - 1] && !DIGIT_RE.test(t[0]!) && t.length > 1) t = t.slice(1)
    tokens[i] = t
    bounds.push(skeleton.length)
    skeleton += t
  }
  bounds.push(skeleton.length)
  // plain letters and digits, nothing folded; accents dropped too (`Noticias` / `Notícias`,
  // `Tecnologia` / `Tecnología` are two languages' spellings); the bot suffix dropped
  const plainWords =
    key
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .match(/\p{L}+|\p{N}+/gu) ?? []
  if (plainWords.length > 1 && plainWords[plainWords.length - 1] === 'bot') plainWords.pop()
  else if (plainWords.length > 2 && plainWords[plainWords.length - 2] === 'bot' && /^[0-9]+$/.test(plainWords[plainWords.length - 1]!))
    plainWords.splice(plainWords.length - 2, 1)
  const visible = plainWords.join('')
  const base = key.replace(/[\s_.-]*bot$/u, '')
  return {
    raw,
    field,
    key,
    keyNoBot: base.length > 0 ? base : key,
    tokens,
    skeleton,
    bounds,
    visible,
    confusable,
    badge: BADGE_RE.test(raw),
  }
}

/** The skeleton of a short name (title or handle): see the module comment. */
export function nameSkeleton(name: string): string {
  return nameForm(name, 'username').skeleton
}

export interface MatchOptions {
  /** minimum skeleton length of the shorter name for any match; default 4 */
  minLength?: number
  /** minimum skeleton length for edit-distance matches; default 5 */
  minEditLength?: number
  /** the second name is a protected name */
  protectedTarget?: boolean
  /** protected name that is a common word (`wallet`): only impersonation words may surround it */
  generic?: boolean
  /** impersonation words, already folded with `foldAffixes` */
  affixes?: ReadonlySet<string>
}

export function foldAffixes(words: readonly string[]): Set<string> {
  const out = new Set<string>()
  for (const w of words) {
    const f = nameForm(w, 'username').skeleton
    if (f.length > 0) out.add(f)
  }
  return out
}

const DEFAULT_AFFIX_SET = foldAffixes(DEFAULT_AFFIXES)

/** Whether `s` is a concatenation of impersonation words (or empty). */
export function isAffixRun(s: string, affixes: ReadonlySet<string>): boolean {
  if (s.length === 0) return true
  // small DP over prefixes (names are short)
  const ok = new Uint8Array(s.length + 1)
  ok[0] = 1
  for (let i = 0; i < s.length; i++) {
    if (!ok[i]) continue
    for (const a of affixes) if (s.startsWith(a, i)) ok[i + a.length] = 1
  }
  return ok[s.length] === 1
}

/**
 * The skeleton with impersonation words stripped from its ends, every way (`cryptosignals_vip_official`
 * gives `cryptosignalsvip` and `cryptosignals`): the keys under which a look-alike made by adding
 * such words meets the name it imitates. Token-wise, and glued words (`durovofficial`) by string.
 */
export function baseSkeletons(f: NameForm, affixes: ReadonlySet<string> = DEFAULT_AFFIX_SET, minLength = 4): string[] {
  const out = new Set<string>()
  const T = f.tokens
  // a trailing number (a taken handle's variant, `name1980`) is stripped like an affix word
  const isAffixAt = (i: number) => affixes.has(T[i]!) || (i === T.length - 1 && /^[0-9]+$/.test(T[i]!))
  for (let a = 0; a < T.length && (a === 0 || affixes.has(T[a - 1]!)); a++) {
    for (let b = T.length; b > a && (b === T.length || isAffixAt(b)); b--) {
      const s = T.slice(a, b).join('')
      if (s.length >= minLength) out.add(s)
      // glued affixes at either end
      for (const w of affixes) {
        if (s.length - w.length >= minLength && s.endsWith(w)) out.add(s.slice(0, s.length - w.length))
        if (s.length - w.length >= minLength && s.startsWith(w)) out.add(s.slice(w.length))
      }
    }
  }
  out.delete(f.skeleton)
  return [...out]
}

/** Index of the token of `f` that contains skeleton offset `pos`. */
function tokenAt(f: NameForm, pos: number): number {
  for (let i = 0; i + 1 < f.bounds.length; i++) if (pos < f.bounds[i + 1]!) return i
  return f.tokens.length - 1
}

/**
 * Classifies a one-edit difference between two skeletons (`distance` already said 1): visual edits
 * are look-alikes, semantic ones (digits, short codes, arbitrary letter swaps) are siblings.
 */
function visualEdit(a: NameForm, b: NameForm): 'visual' | 'indel' | 'none' {
  // callers ensure distance(a.skeleton, b.skeleton) === 1
  const sa = a.skeleton
  const sb = b.skeleton
  let p = 0
  while (p < sa.length && p < sb.length && sa[p] === sb[p]) p++
  if (sa.length === sb.length) {
    const x = sa[p]!
    const y = sb[p]!
    // a digit for the letter it reads as (`teknolog1`: leet at a word's end, read as a number)
    if (LEET_READS[x] === y || LEET_READS[y] === x) return 'visual'
    if (DIGIT_RE.test(x) || DIGIT_RE.test(y)) return 'none'
    if (a.tokens[tokenAt(a, p)]!.length <= 3 || b.tokens[tokenAt(b, p)]!.length <= 3) return 'none'
    return VISUAL_PAIRS.has(x + y) ? 'visual' : 'none'
  }
  // insertion / deletion: in the longer name at offset p
  const [long, short] = sa.length > sb.length ? [a, b] : [b, a]
  const ch = long.skeleton[p]!
  const tok = long.tokens[tokenAt(long, p)]!
  if (DIGIT_RE.test(ch)) {
    // a digit appended to a long name that has none (`cryptosignals_vip1`); `news2` / `news24` are siblings
    return p === long.skeleton.length - 1 && short.skeleton.length >= 8 && !DIGIT_RE.test(short.skeleton) ? 'indel' : 'none'
  }
  return tok.length >= 6 && short.skeleton.length >= 7 ? 'indel' : 'none'
}

/**
 * Whether `a` looks like `b` (symmetric except for protected targets, where `b` is the protected
 * name), and how strongly. Null: no match (same name, too short, siblings).
 *
 * Strength: a match that holds on the skeletons but not on the plain letters (`vlp` for `vip`,
 * Cyrillic `р` for `p`, a fake badge) is a *disguise*: someone made one name read as the other, a
 * strong signal. A resemblance without disguise (a letter, digits or `official` added) is strong
 * against a protected name and weak between two ordinary chats (shown only with content evidence,
 * or when title and handle both resemble). Titles are free text: a title match between ordinary
 * chats is strong only if disguised (and ChatSimilarity weakens it again when several chats bear
 * the imitated title: the target is then ambiguous).
 */
export function matchNames(a: NameForm, b: NameForm, opts: MatchOptions = {}): NameMatch | null {
  if (a.key === b.key || a.keyNoBot === b.keyNoBot) return null
  const minLen = opts.minLength ?? 4
  const sa = a.skeleton
  const sb = b.skeleton
  if (Math.min(sa.length, sb.length) < minLen) return null
  const isTitle = a.field === 'title' || b.field === 'title'
  const prot = opts.protectedTarget === true
  if (sa === sb) {
    // the difference is a disguise (other characters that read the same, a fake badge), or for
    // handles a separator game (`crypto_signals_vip`); not punctuation, emoji or case in a title
    const disguised = a.visible !== b.visible || a.badge !== b.badge
    if (isTitle && !disguised) return null
    return { kind: 'skeleton', score: disguised ? 1 : 0.9, weak: false, disguised }
  }
  const affixes = opts.affixes ?? DEFAULT_AFFIX_SET
  const minEdit = opts.minEditLength ?? 5
  if (Math.abs(sa.length - sb.length) <= 1 && Math.min(sa.length, sb.length) >= minEdit && distance(sa, sb) === 1) {
    const v = visualEdit(a, b)
    if (v !== 'none') {
      // a letter or digit added (`cryptosignals_vip1`, `telegrams`) is also how honest owners vary
      // a taken handle (`music_daily1`) or spell a word in their language (`musica_daily`)
      const disguised = distance(a.visible, b.visible) > 1 || a.badge !== b.badge || a.confusable !== b.confusable
      return {
        kind: 'edit',
        score: Math.max(0.75, 1 - 1 / Math.max(sa.length, sb.length)),
        weak: !prot && !disguised && (v === 'indel' || isTitle),
        disguised,
      }
    }
  }
  // affix: the longer one is the shorter one plus impersonation words (and digits: a taken handle's
  // variant), or, around a distinctive protected name, any words at word boundaries
  const [long, short] = sa.length > sb.length ? [a, b] : [b, a]
  const ss = short.skeleton
  // around an ordinary chat's name the name must be distinctive (not `news`)
  if (ss.length >= (prot ? 4 : 5)) {
    let at = long.skeleton.indexOf(ss)
    while (at >= 0) {
      const pre = long.skeleton.slice(0, at)
      let post = long.skeleton.slice(at + ss.length)
      if (!prot) post = post.replace(/[0-9]+$/, '')
      let score = isAffixRun(pre, affixes) && isAffixRun(post, affixes) ? 0.85 : 0
      if (score === 0 && prot && short === b && !opts.generic && ss.length >= 5) {
        // any words around it, at token boundaries of the longer name (`pavel_durov_official`)
        if (long.bounds.includes(at) && long.bounds.includes(at + ss.length)) score = 0.8
      }
      if (score > 0) {
        if (prot && short !== b) return null // a protected name that contains a chat's name: not an impersonation
        const disguised = !long.visible.includes(short.visible) || a.badge !== b.badge || a.confusable !== b.confusable
        return { kind: 'affix', score, weak: !prot && !disguised, disguised }
      }
      at = long.skeleton.indexOf(ss, at + 1)
    }
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// Index keys: how candidates are found without comparing all pairs.

/**
 * Keys under which a skeleton is stored so that every skeleton at most one edit away shares a key
 * (pigeonhole): for two strings one edit apart with shorter length m, their common prefix is at
 * least ceil(m/2) long or their common suffix at least floor(m/2). Keys carry m and the stored
 * length, so a bucket holds names of one length sharing half of their text: small.
 */
export function storedEditKeys(sk: string): string[] {
  const L = sk.length
  const keys: string[] = []
  for (const m of L > 1 ? [L - 1, L] : [L]) {
    const kp = Math.ceil(m / 2)
    const ks = Math.floor(m / 2)
    keys.push(`P${m}:${L}:${sk.slice(0, kp)}`, `Q${m}:${L}:${sk.slice(L - ks)}`)
  }
  return keys
}

/** Keys to probe for skeletons at most one edit away from `sk`. */
export function probeEditKeys(sk: string): string[] {
  const L = sk.length
  const keys: string[] = []
  for (const Lt of [L - 1, L, L + 1]) {
    if (Lt < 1) continue
    const m = Math.min(L, Lt)
    const kp = Math.ceil(m / 2)
    const ks = Math.floor(m / 2)
    keys.push(`P${m}:${Lt}:${sk.slice(0, kp)}`, `Q${m}:${Lt}:${sk.slice(L - ks)}`)
  }
  return keys
}
