/**
 * Confusable (homoglyph) classes for the Latin, Cyrillic and Greek scripts.
 *
 * Written from knowledge of Unicode TS #39 `confusables.txt` (the Latin / Cyrillic / Greek rows and
 * the "lookalike" rows of other scripts that spammers actually paste: Cherokee, Lisu, Armenian, IPA
 * small capitals), plus a few loose but common substitutions (Greek ε for e, β for b, ω for w,
 * Cyrillic г for r). Compatibility characters (mathematical alphanumerics, fullwidth, circled,
 * squared, super/subscripts, letterlike symbols such as ℎ ℓ K) are NOT listed here: NFKC folds them
 * to plain Latin letters before this table is consulted.
 *
 * Each class is one visual skeleton. `glyphs` lists every code point of the class exactly as it
 * looks (the table is per glyph, not closed under case: Greek capital Ν looks like N but small ν
 * looks like v, so they sit in different classes). `latin`, `cyrillic` and `greek` are the lowercase
 * representative the class folds to when a token is folded toward that script; an empty string
 * means the script has no such letter and the Latin representative is used instead.
 *
 * Folding policy (see ../normalize/index.ts): a glyph that is a native letter of the script a token
 * is folded to is kept; any other glyph of a class is replaced by the class's representative of
 * that script. A native letter is "distinctive" (votes for its script) when its class has no native
 * letter of another script; `DISTINCTIVE` below is derived from that rule at load time.
 */
export interface ConfusableClass {
  readonly latin: string
  readonly cyrillic: string
  readonly greek: string
  readonly glyphs: string
}

export const CONFUSABLE_CLASSES: readonly ConfusableClass[] = [
  // Loose but common in Russian spam: Latin u for и, n for п (italic and handwritten forms).
  { latin: 'a', cyrillic: 'а', greek: 'α', glyphs: 'aAаАαΑɑⱭᴀᎪꓮ⍺' },
  { latin: 'b', cyrillic: 'в', greek: 'β', glyphs: 'bBВвΒβʙᏴꓐƅϐ' },
  { latin: 'c', cyrillic: 'с', greek: '', glyphs: 'cCсСϲϹᴄᏟꓚҫ' },
  { latin: 'd', cyrillic: '', greek: '', glyphs: 'dDԁԀᴅᎠꓓⅾɗƊ' },
  { latin: 'e', cyrillic: 'е', greek: 'ε', glyphs: 'eEеЕΕεᴇᎬꓰ℮ɛƐϵ' },
  { latin: 'f', cyrillic: '', greek: '', glyphs: 'fFϜꜰꓝ' },
  { latin: 'g', cyrillic: '', greek: '', glyphs: 'gGԍԌɡꞬɢᏀꓖցǥ' },
  { latin: 'h', cyrillic: 'н', greek: 'η', glyphs: 'hHНнһҺΗʜᎻꓧհɦꞪ' },
  { latin: 'i', cyrillic: 'і', greek: 'ι', glyphs: 'iIіІιΙɪꞮıɩƖꓲ' },
  { latin: 'j', cyrillic: '', greek: '', glyphs: 'jJјЈϳᴊᎫꓙ' },
  { latin: 'k', cyrillic: 'к', greek: 'κ', glyphs: 'kKКкΚκᴋᏦꓗĸϰ' },
  { latin: 'l', cyrillic: '', greek: '', glyphs: 'lLӏӀʟᏞꓡǀ' },
  { latin: 'm', cyrillic: 'м', greek: 'μ', glyphs: 'mMМмΜμᴍᎷꓟ' },
  { latin: 'n', cyrillic: 'п', greek: 'η', glyphs: 'nNΝηɴꓠոп' },
  { latin: 'o', cyrillic: 'о', greek: 'ο', glyphs: 'oOоОοΟσᴏօՕ߀ဝ' },
  { latin: 'p', cyrillic: 'р', greek: 'ρ', glyphs: 'pPрРρΡᴘᴩᏢꓑϱ⍴' },
  { latin: 'q', cyrillic: '', greek: '', glyphs: 'qQԛԚ' },
  { latin: 'r', cyrillic: 'г', greek: '', glyphs: 'rRгʀƦᏒꓣɼ' },
  { latin: 's', cyrillic: '', greek: '', glyphs: 'sSѕЅꜱᏚꓢʂꟅ' },
  { latin: 't', cyrillic: 'т', greek: 'τ', glyphs: 'tTТтΤτᴛᎢꓔ' },
  { latin: 'u', cyrillic: 'и', greek: 'υ', glyphs: 'uUυᴜꓴսՍʋƲи' },
  { latin: 'v', cyrillic: '', greek: 'ν', glyphs: 'vVνѴѵᴠᏙꓦ' },
  { latin: 'w', cyrillic: '', greek: 'ω', glyphs: 'wWԝԜѡωᴡᎳꓪ' },
  { latin: 'x', cyrillic: 'х', greek: 'χ', glyphs: 'xXхХχΧꓫ' },
  { latin: 'y', cyrillic: 'у', greek: 'γ', glyphs: 'yYуУүҮγΥʏᎩꓬɣƔ' },
  { latin: 'z', cyrillic: '', greek: 'ζ', glyphs: 'zZΖζᴢᏃꓜʐ' },
  // Cyrillic / Greek pairs without a Latin lookalike.
  { latin: '', cyrillic: 'г', greek: 'γ', glyphs: 'ГΓᴦ' },
  { latin: '', cyrillic: 'п', greek: 'π', glyphs: 'ПΠπᴨ' },
  { latin: '', cyrillic: 'ф', greek: 'φ', glyphs: 'ФфΦφ' },
  { latin: '', cyrillic: 'л', greek: 'λ', glyphs: 'Λᴧ' },
]

/**
 * Letters with a stroke or hook that NFD does not decompose but that spammers use exactly like a
 * diacritic (ø for o, ł for l): folded to their base letter (not counted as evidence: they are
 * ordinary letters of Danish, Polish, Croatian, ...).
 */
export const STROKE_LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  ħ: 'h',
  Ħ: 'H',
  ŧ: 't',
  Ŧ: 'T',
  ƀ: 'b',
  ɨ: 'i',
  ʉ: 'u',
  ƶ: 'z',
  Ƶ: 'Z',
  ȼ: 'c',
  ɇ: 'e',
  ɍ: 'r',
  ɏ: 'y',
  ȥ: 'z',
  ꝁ: 'k',
  ɉ: 'j',
}

/** Leetspeak digits and symbols, per script a token is folded to (only where the reading is unambiguous). */
export const LEET_LATIN: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
}
export const LEET_CYRILLIC: Readonly<Record<string, string>> = { '0': 'о', '3': 'з', '4': 'ч', '6': 'б' }
export const LEET_GREEK: Readonly<Record<string, string>> = { '0': 'ο' }
