/**
 * Deterministic generator of obfuscated texts for the frozen-output test: every trick the
 * normalizer undoes (and the edge cases around each: astral characters, lone surrogates, texts past
 * the input cap, links next to punctuation, digits at word edges), mixed at random in one text.
 * The frozen digests in test/fixtures/golden/normalize-outputs.json were computed from exactly
 * these texts: changing this file means regenerating them (see frozen-outputs.test.ts).
 */

import { xorshift32 } from '../../support/xorshift.js'

const WORDS = {
  latin: 'free bitcoin offer today crypto wallet bonus click join channel money profit airdrop giveaway invest signal pump moon'.split(' '),
  cyrillic: 'бесплатно заработок деньги канал подписка крипта бонус сегодня выплаты друзья кому нужно пишите в лс'.split(' '),
  greek: 'δωρεάν προσφορά σήμερα κέρδος κανάλι χρήματα λεπτά'.split(' '),
  other: ['免费', '比特币', 'مجاني', 'ربح', 'חינם', 'मुफ्त', 'ฟรี', 'Ծանոթ', '무료'],
}
/** Lookalikes of Latin letters from Cyrillic, Greek, Cherokee, Lisu, Armenian and IPA small capitals. */
const HOMOGLYPHS: Record<string, string[]> = {
  a: ['а', 'α', 'ɑ', 'ᴀ'],
  c: ['с', 'ϲ', 'ᴄ'],
  e: ['е', 'ε', 'ᴇ', '℮'],
  i: ['і', 'ι', 'ɪ', 'ı'],
  o: ['о', 'ο', 'σ', 'օ', 'ᴏ'],
  p: ['р', 'ρ', 'ᴘ'],
  x: ['х', 'χ'],
  y: ['у', 'γ', 'ʏ'],
  n: ['п', 'η', 'ɴ'],
  b: ['в', 'β', 'ʙ', 'Ᏼ'],
  t: ['т', 'τ', 'ᴛ'],
  r: ['г', 'ʀ'],
}
const LEET: Record<string, string[]> = {
  a: ['4', '@'],
  e: ['3'],
  i: ['1', '!', '|'],
  o: ['0'],
  s: ['5', '$'],
  t: ['7'],
  b: ['8'],
  g: ['9'],
}
const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u0301',
  '\u0336',
  '\ufe0f',
  '\u034f',
]
const EMOJI = ['🚀', '💰', '🔥', '✅', '👉', '🎁', '💎', '⭐️', '👨‍👩‍👧', '🇷🇺', '1️⃣', '👍🏽']
const DECORATION = ['★', '═', '☆', '►', '✦', '\ue000', '⠿', '〰', '♛']
const SPACES = [' ', '  ', '\n', '\t', '\u00a0', '\u3000', '\u2800', ' \n ']
const PUNCTUATION = [
  '.',
  ',',
  '!',
  '?',
  ':',
  ';',
  '-',
  '—',
  '"',
  "'",
  '(',
  ')',
  '[',
  ']',
  '…',
  '«',
  '»',
  '/',
  '+',
  '%',
  '*',
  '#',
  '&',
  '_',
  '~',
]
const LINKS = [
  'https://t.me/+AbC123',
  'http://bit.ly/x7Yz',
  'hxxps://evil[.]example[.]com/path',
  'ht7ps://promo.site/win',
  'tg://resolve?domain=cryptobot',
  'www.Example.co.uk/claim?id=5',
  'shop.example.com',
  'example . com/path',
  'example. com',
  'www . example.com',
  'https://tme/broken',
  'https://192.168.0.1:8080/a',
  'TG:https://t.me/joinchat/xyz',
  'https://user@host.example.org/',
  'exa(dot)mple(.)ru',
  'файл.рф',
  'e.g.',
  'file.txt',
  'https://',
]
const HANDLES = ['@cryptobot_support', '@Ch@rles_si1b3rt', '@ab', 'name@example.com', 'Info.Desk+x@mail.example.co.uk', 'a@b', '@@@']
const NUMBERS = [
  '5000',
  '1,000',
  '12:30',
  '3.5',
  '+7 999 123 45 67',
  '26600-26700',
  '24h',
  'usdt20',
  '2x',
  '100%',
  '٣٤٥',
  '１２３',
  '①②',
  '2²',
]

function fancy(word: string, rnd: () => number): string {
  const style = Math.floor(rnd() * 5)
  return [...word]
    .map((ch) => {
      const c = ch.charCodeAt(0)
      const lower = c >= 0x61 && c <= 0x7a
      if (!lower) return ch
      const k = c - 0x61
      switch (style) {
        case 0: // mathematical bold capitals / small
          return String.fromCodePoint((rnd() < 0.5 ? 0x1d400 : 0x1d41a) + k)
        case 1: // fullwidth
          return String.fromCodePoint(0xff41 + k)
        case 2: // circled
          return String.fromCodePoint(0x24d0 + k)
        case 3: // negative squared / circled capitals, which NFKC leaves alone
          return String.fromCodePoint((rnd() < 0.5 ? 0x1f170 : 0x1f150) + k)
        default: // squared capitals
          return String.fromCodePoint(0x1f130 + k)
      }
    })
    .join('')
}

function obfuscate(word: string, rnd: () => number): string {
  const r = rnd()
  if (r < 0.15) return fancy(word, rnd)
  if (r < 0.3) return [...word].map((ch) => (HOMOGLYPHS[ch] !== undefined && rnd() < 0.5 ? pick(HOMOGLYPHS[ch], rnd) : ch)).join('')
  if (r < 0.42) return [...word].map((ch) => (LEET[ch] !== undefined && rnd() < 0.5 ? pick(LEET[ch], rnd) : ch)).join('')
  if (r < 0.5) return [...word].join(pick([' ', '.', ' . ', '-', '_'], rnd))
  if (r < 0.6) return [...word].map((ch) => (rnd() < 0.3 ? ch + pick(INVISIBLE, rnd) : ch)).join('')
  if (r < 0.68) return [...word].map((ch, i) => (i % 2 === 1 ? ch.toUpperCase() : ch)).join('')
  if (r < 0.72) return word.toUpperCase()
  if (r < 0.75) return word.normalize('NFD')
  return word
}

function pick<T>(list: readonly T[], rnd: () => number): T {
  return list[Math.floor(rnd() * list.length)]!
}

function piece(script: readonly string[], rnd: () => number): string {
  const r = rnd()
  if (r < 0.55) return obfuscate(pick(script, rnd), rnd)
  if (r < 0.63) return pick(LINKS, rnd)
  if (r < 0.69) return pick(NUMBERS, rnd)
  if (r < 0.74) return pick(HANDLES, rnd)
  if (r < 0.82) return pick(EMOJI, rnd)
  if (r < 0.86) return pick(DECORATION, rnd)
  if (r < 0.93) return pick(PUNCTUATION, rnd)
  if (r < 0.96) return pick(WORDS.other, rnd)
  if (r < 0.98) return pick(INVISIBLE, rnd)
  return rnd() < 0.5 ? '\ud83d' : '\ude80' // a lone surrogate
}

/** `count` texts, the same ones for the same seed. */
export function adversarialTexts(count: number, seed: number): string[] {
  const rnd = xorshift32(seed)
  const texts: string[] = []
  for (let t = 0; t < count; t++) {
    const r = rnd()
    const script = r < 0.6 ? WORDS.latin : r < 0.85 ? WORDS.cyrillic : WORDS.greek
    const words = 1 + Math.floor(Math.pow(rnd(), 2) * 80)
    let s = ''
    for (let w = 0; w < words; w++) {
      s += piece(script, rnd)
      s += rnd() < 0.85 ? ' ' : rnd() < 0.5 ? pick(SPACES, rnd) : ''
    }
    const shape = rnd()
    if (shape < 0.06)
      s = `${s} ${s}` + (rnd() < 0.5 ? ` ${obfuscate(s, rnd)}` : '') // whole-text repetition
    else if (shape < 0.075) s = s.repeat(Math.ceil(9000 / Math.max(1, s.length))) // past the input cap
    texts.push(s)
  }
  return texts
}
