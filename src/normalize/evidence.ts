/**
 * Evidence of obfuscation: the kinds the normalizer counts (OBFUSCATION_KINDS, part of the public API
 * and of the stored schema) and the per-call counters behind `NormalizedText.evidence`.
 */
export const OBFUSCATION_KINDS = [
  /** a letter of another script (Cyrillic а, Greek ο, Cherokee Ꭺ) standing in for a lookalike */
  'homoglyph',
  /** mathematical / fullwidth / circled / squared letters and digits, Latin small capitals */
  'fancy_font',
  /** zero-width spaces, joiners and other invisible format characters */
  'zero_width',
  /** bidirectional control characters (LRM, RLO, isolates) */
  'bidi_control',
  /** soft hyphens */
  'soft_hyphen',
  /** free-standing combining marks (stacked accents, "Zalgo"); precomposed accents are folded silently */
  'diacritics',
  /** runs of emoji removed */
  'emoji',
  /** runs of decoration symbols removed (★ ═ box drawing, private-use glyphs) */
  'decoration',
  /** leetspeak characters decoded (digits or @ $ ! | inside words) */
  'leet',
  /** words spelled with spaces or dots between letters, spaced links */
  'spacing',
  /** words with alternating case (two or more lower→upper switches) */
  'case',
  /** links reduced to their registrable domain */
  'link',
  /** defanged or split links (hxxp, [.], "example . com") */
  'link_obfuscation',
  /** @handles masked */
  'mention',
  /** e-mail addresses masked */
  'email',
  /** numbers masked */
  'number',
  /** the whole text repeated ("A A", "A A A"): only the first copy is kept */
  'repetition',
  /** input longer than the normalizer reads */
  'truncated',
] as const
export type ObfuscationKind = (typeof OBFUSCATION_KINDS)[number]

/** Counts of the current call, one per kind (a plain object of one shape: cheap to bump). */
export interface Counters {
  homoglyph: number
  fancy_font: number
  zero_width: number
  bidi_control: number
  soft_hyphen: number
  diacritics: number
  emoji: number
  decoration: number
  leet: number
  spacing: number
  case: number
  link: number
  link_obfuscation: number
  mention: number
  email: number
  number: number
  repetition: number
  truncated: number
}

export function newCounters(): Counters {
  return {
    homoglyph: 0,
    fancy_font: 0,
    zero_width: 0,
    bidi_control: 0,
    soft_hyphen: 0,
    diacritics: 0,
    emoji: 0,
    decoration: 0,
    leet: 0,
    spacing: 0,
    case: 0,
    link: 0,
    link_obfuscation: 0,
    mention: 0,
    email: 0,
    number: 0,
    repetition: 0,
    truncated: 0,
  }
}

/** Non-zero counters, always added in the same order (one hidden class per set of kinds). */
export function evidenceOf(ev: Counters): Partial<Record<ObfuscationKind, number>> {
  const e: Partial<Record<ObfuscationKind, number>> = {}
  if (ev.homoglyph > 0) e.homoglyph = ev.homoglyph
  if (ev.fancy_font > 0) e.fancy_font = ev.fancy_font
  if (ev.zero_width > 0) e.zero_width = ev.zero_width
  if (ev.bidi_control > 0) e.bidi_control = ev.bidi_control
  if (ev.soft_hyphen > 0) e.soft_hyphen = ev.soft_hyphen
  if (ev.diacritics > 0) e.diacritics = ev.diacritics
  if (ev.emoji > 0) e.emoji = ev.emoji
  if (ev.decoration > 0) e.decoration = ev.decoration
  if (ev.leet > 0) e.leet = ev.leet
  if (ev.spacing > 0) e.spacing = ev.spacing
  if (ev.case > 0) e.case = ev.case
  if (ev.link > 0) e.link = ev.link
  if (ev.link_obfuscation > 0) e.link_obfuscation = ev.link_obfuscation
  if (ev.mention > 0) e.mention = ev.mention
  if (ev.email > 0) e.email = ev.email
  if (ev.number > 0) e.number = ev.number
  if (ev.repetition > 0) e.repetition = ev.repetition
  if (ev.truncated > 0) e.truncated = ev.truncated
  return e
}
