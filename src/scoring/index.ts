/**
 * Spam scoring: every message gets a score in [0, 1] and the rules that fired. Pure: no clock, no
 * I/O (times come in the input; the rules file is read by ./load.ts and validated by ./rules.ts).
 *
 * Each enabled rule that fires has a strength s in (0, 1] (1 for yes/no rules; ramps for counts)
 * and contributes w * s, w its configured weight. Contributions combine as a noisy-OR:
 *   score = 1 - Π (1 - w_r * s_r)   over fired rules not in shadow mode,
 * so the score stays in [0, 1], every rule can only raise it, and one strong rule (a bad domain) is
 * enough while weak ones need company. `spam` = score >= threshold. Shadow rules are evaluated the
 * same way and listed in `shadowReasons`; `shadowScore` is what the score would be with them live
 * (for T&S to judge a rule before switching it on), but they never change `score` or `spam`.
 *
 * `edit_to_spam` is judged last: an edit whose previous version scored below the threshold and
 * whose own score (without this rule) is at least `min_increase` higher.
 */
import type { MessageV1 } from '../domain/events.js'
import type { NormalizedText } from '../normalize/index.js'
import { registrableDomain } from '../normalize/domains.js'
import { C, CAT, TABLE_SIZE } from '../normalize/chartable.js'
import type { ResolvedRule, RuleId, Rules } from './rules.js'

export { compileRules, RULE_IDS, RulesFileSchema, type Rules, type RuleId, type ResolvedRule, type RulesFile } from './rules.js'
export { CampaignSpread, SenderBurst } from './trackers.js'

export interface ScoringInput {
  event: MessageV1
  tsMs: number
  sender: string
  senderCreatedMs: number | null
  normalized: NormalizedText
  campaignId: string
  campaignSize: number
  campaignChatsLastHour: number
  senderMessagesLastMinute: number
  forwardFromClone: boolean
  /** for edits: the score of the version before */
  previousScore: number | null
}

export interface ScoreResult {
  /** [0, 1], rules not in shadow mode */
  score: number
  spam: boolean
  /** rules that fired and count */
  reasons: string[]
  /** shadow rules that fired (recorded, not counted) */
  shadowReasons: string[]
  /** the score with shadow rules counted too */
  shadowScore: number
}

const DAY_MS = 86_400_000

export class SpamScorer {
  private readonly threshold: number
  private readonly rules: readonly ResolvedRule[]
  private readonly edit: ResolvedRule | undefined
  private readonly badDomains: ReadonlySet<string>
  private readonly shorteners: ReadonlySet<string>

  constructor(rules: Rules) {
    this.threshold = rules.threshold
    this.rules = rules.rules.filter((r) => r.id !== 'edit_to_spam')
    this.edit = rules.rules.find((r) => r.id === 'edit_to_spam')
    this.badDomains = rules.badDomains
    this.shorteners = rules.shorteners
  }

  score(input: ScoringInput): ScoreResult {
    const reasons: string[] = []
    const shadowReasons: string[] = []
    let keep = 1 // Π (1 - w s) over counted rules
    let keepShadow = 1 // ... over all fired rules
    let domains: string[] | null = null
    for (const r of this.rules) {
      let s: number
      if (r.id === 'bad_domain' || r.id === 'shortener') {
        domains ??= domainsOf(input)
        s = anyListed(domains, r.id === 'bad_domain' ? this.badDomains : this.shorteners) ? 1 : 0
      } else s = strength(r.id, r.params, input)
      if (s <= 0) continue
      const f = 1 - r.weight * Math.min(1, s)
      keepShadow *= f
      if (r.shadow) shadowReasons.push(r.id)
      else {
        keep *= f
        reasons.push(r.id)
      }
    }
    if (this.edit !== undefined && input.event.type === 'edited' && input.previousScore !== null) {
      const base = 1 - keep
      if (input.previousScore < this.threshold && base - input.previousScore >= (this.edit.params['min_increase'] ?? 0.3)) {
        const f = 1 - this.edit.weight
        keepShadow *= f
        if (this.edit.shadow) shadowReasons.push(this.edit.id)
        else {
          keep *= f
          reasons.push(this.edit.id)
        }
      }
    }
    const score = clamp01(1 - keep)
    return { score, spam: score >= this.threshold, reasons, shadowReasons, shadowScore: clamp01(1 - keepShadow) }
  }
}

const clamp01 = (v: number): number => Math.round(Math.max(0, Math.min(1, v)) * 1e6) / 1e6

/** A ramp from 0.5 at `min` to 1 at `full` (0 below min). */
function ramp(v: number, min: number, full: number): number {
  if (v < min) return 0
  if (full <= min) return 1
  return Math.min(1, 0.5 + (0.5 * (v - min)) / (full - min))
}

function strength(id: RuleId, p: Readonly<Record<string, number>>, x: ScoringInput): number {
  const ev = x.normalized.evidence
  switch (id) {
    case 'campaign':
      return x.campaignId !== '' && x.campaignSize >= (p['min_size'] ?? 2) ? 1 : 0
    case 'campaign_spread':
      return x.campaignId === '' ? 0 : ramp(x.campaignChatsLastHour, p['min_chats'] ?? 5, p['full_chats'] ?? 20)
    case 'link_density': {
      const links = linkCount(x)
      if (links === 0) return 0
      const words = wordCount(x.normalized)
      return links >= (p['min_links'] ?? 3) || words / links <= (p['max_words_per_link'] ?? 8) ? 1 : 0
    }
    case 'button_links': {
      let n = 0
      for (const b of x.event.buttons ?? []) if (b.url) n++
      return n >= (p['min_buttons'] ?? 1) ? 1 : 0
    }
    case 'mention_density': {
      const n = Math.max(entityCount(x.event, 'mention'), ev.mention ?? 0)
      return n >= (p['min_count'] ?? 3) && n / Math.max(1, wordCount(x.normalized)) >= (p['min_ratio'] ?? 0) ? 1 : 0
    }
    case 'hashtag_density': {
      const n = Math.max(entityCount(x.event, 'hashtag'), hashtagsIn(x.event.text ?? ''))
      return n >= (p['min_count'] ?? 5) && n / Math.max(1, wordCount(x.normalized)) >= (p['min_ratio'] ?? 0) ? 1 : 0
    }
    case 'invisible_chars':
      return (ev.zero_width ?? 0) + (ev.bidi_control ?? 0) + (ev.soft_hyphen ?? 0) >= (p['min_count'] ?? 2) ? 1 : 0
    case 'homoglyphs': {
      if ((ev.homoglyph ?? 0) + (ev.fancy_font ?? 0) < (p['min_count'] ?? 2)) return 0
      // normalize also counts whole foreign words folded to the message's script (`Rust`, `iPhone`
      // in a Russian text): homoglyph evidence is trusted when fancy fonts were used or some word
      // really mixes scripts
      return (ev.fancy_font ?? 0) > 0 || mixedScriptWords(x.event.text ?? '').mixed > 0 ? 1 : 0
    }
    case 'mixed_script_words': {
      const { words, mixed } = mixedScriptWords(x.event.text ?? '')
      return mixed >= (p['min_words'] ?? 1) && mixed / Math.max(1, words) >= (p['min_ratio'] ?? 0) ? 1 : 0
    }
    case 'sender_burst':
      return ramp(x.senderMessagesLastMinute, p['min_per_minute'] ?? 10, p['full_per_minute'] ?? 30)
    case 'young_account':
      return x.senderCreatedMs !== null && x.tsMs - x.senderCreatedMs < (p['max_age_days'] ?? 7) * DAY_MS ? 1 : 0
    case 'forward_from_clone':
      return x.forwardFromClone ? 1 : 0
    default:
      return 0
  }
}

function wordCount(n: NormalizedText): number {
  return n.tokens.length
}

function entityCount(e: MessageV1, type: string): number {
  let n = 0
  for (const x of e.entities ?? []) if (x.type === type) n++
  return n
}

function linkCount(x: ScoringInput): number {
  const fromEntities = entityCount(x.event, 'url') + entityCount(x.event, 'text_link')
  return Math.max(fromEntities, x.normalized.evidence.link ?? 0)
}

function hashtagsIn(text: string): number {
  let n = 0
  for (let i = 0; i + 1 < text.length; i++) {
    if (text.charCodeAt(i) !== 0x23) continue
    const prev = i === 0 ? 0x20 : text.charCodeAt(i - 1)
    const next = text.codePointAt(i + 1) as number
    if ((prev === 0x20 || prev === 0x0a) && /\p{L}/u.test(String.fromCodePoint(next))) n++
  }
  return n
}

const HOST_RE = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#:@\s]+)/i

/** Registrable domains and hosts of the message's links: entities, buttons and the text. */
function domainsOf(x: ScoringInput): string[] {
  const out: string[] = [...x.normalized.linkDomains]
  const add = (url: string | undefined) => {
    if (!url) return
    const m = HOST_RE.exec(url.trim())
    if (!m) return
    const host = (m[1] as string).toLowerCase().replace(/^www\./, '')
    out.push(host, registrableDomain(host))
  }
  for (const e of x.event.entities ?? []) if (e.type === 'url' || e.type === 'text_link') add(e.value)
  for (const b of x.event.buttons ?? []) add(b.url)
  return out
}

/** A domain or any of its parents is listed. */
function anyListed(domains: readonly string[], list: ReadonlySet<string>): boolean {
  if (list.size === 0) return false
  for (const d of domains) {
    let s = d
    for (;;) {
      if (list.has(s)) return true
      const dot = s.indexOf('.')
      if (dot < 0 || s.indexOf('.', dot + 1) < 0) break
      s = s.slice(dot + 1)
    }
  }
  return false
}

const SCRIPT_BIT = new Uint8Array(16)
SCRIPT_BIT[C.LATIN] = 1
SCRIPT_BIT[C.CYRILLIC] = 2
SCRIPT_BIT[C.GREEK] = 4

/**
 * Words (runs of letters) and those mixing Latin, Cyrillic and Greek letters: counted per word,
 * so a Russian message with one English word has no mixed word; `Здpaвcтвyйтe` (Latin p a c y e
 * inside a Cyrillic word) is one.
 */
export function mixedScriptWords(text: string): { words: number; mixed: number } {
  let words = 0
  let mixed = 0
  let mask = 0
  let inWord = false
  const n = Math.min(text.length, 8192)
  for (let i = 0; i < n; i++) {
    let cp = text.charCodeAt(i)
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      cp = text.codePointAt(i) as number
      i++
    }
    const cat = cp < TABLE_SIZE ? (CAT[cp] as number) : C.OTHER
    const letter = cat === C.LATIN || cat === C.CYRILLIC || cat === C.GREEK || cat === C.LETTER || cat === C.MARK_KEEP
    if (cat === C.ZERO_WIDTH || cat === C.SOFT_HYPHEN || cat === C.MARK_STRIP || cat === C.SILENT) continue // inside a word
    if (letter) {
      if (!inWord) {
        inWord = true
        mask = 0
        words++
      }
      mask |= SCRIPT_BIT[cat] as number
    } else if (inWord) {
      inWord = false
      if ((mask & (mask - 1)) !== 0) mixed++
    }
  }
  if (inWord && (mask & (mask - 1)) !== 0) mixed++
  return { words, mixed }
}
