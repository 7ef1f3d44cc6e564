/**
 * Perturbation operators for the adversarial near-duplicate evaluation (./adversarial.ts): each one
 * is an attack a spammer applies to a campaign text so that copies do not look alike. Pure and
 * deterministic: the same text and generator state give the same output. The character-level
 * obfuscations the synthetic stream already uses (homoglyphs, fonts, leet, zero-width, shouting)
 * come from ../generator/obfuscate.ts so that both exercise the normalizer alike; the operators on
 * words, sentences and whole texts are here.
 *
 * An operator returns null when it cannot change the text (a one-sentence text cannot be reordered),
 * so a copy never claims an attack it did not receive.
 */
import { casePunct, emojiRun, fancyFont, homoglyph, leet, zeroWidth } from '../generator/obfuscate.js'
import type { Rng } from '../generator/prng.js'

export const ATTACKS = [
  'homoglyph',
  'fancy_font',
  'zero_width',
  'emoji_pad',
  'leet',
  'case_punct',
  'dot_split',
  'link_rotate',
  'reorder',
  'tag_tail',
  'repeat',
  'truncate',
  'greeting',
  'synonym',
  'word_edit',
] as const
export type Attack = (typeof ATTACKS)[number]

type Operator = (text: string, rng: Rng) => string | null

const CYRILLIC = /[\u0400-\u04ff]/g
const isCyrillic = (text: string): boolean => (text.match(CYRILLIC)?.length ?? 0) * 3 > text.replace(/\s/g, '').length
const LINK_RE =
  /(?:https?:\/\/)?(?:t\.me|telegram\.me|bit\.ly|[a-z0-9-]+\.(?:com|ru|io|xyz|top|org|net|me|app|site|online))(?:\/[^\s)]*)?/giu
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'
const WORD_RE = /^[\p{L}]{4,}$/u

/** Words and the spaces between them, so that a text's layout survives a word-level edit. */
function words(text: string): string[] {
  return text.split(/(\s+)/)
}

/** Indices of the tokens (from `words`) that are words of at least four letters. */
function wordSlots(tokens: readonly string[]): number[] {
  const out: number[] = []
  for (let i = 0; i < tokens.length; i += 2) if (WORD_RE.test(tokens[i]!)) out.push(i)
  return out
}

/** Sentences with their closing punctuation and the space after them; a newline also ends one. */
export function sentences(text: string): string[] {
  return text.match(/[^.!?\n]+(?:[.!?]+|\n+|$)\s*/gu)?.filter((s) => s.trim().length > 0) ?? [text]
}

function newLink(rng: Rng): string {
  const r = rng.int(4)
  if (r === 0) return `https://t.me/+${rng.chars(ALNUM + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 16)}`
  if (r === 1) return `https://bit.ly/${rng.chars(ALNUM, 7)}`
  if (r === 2)
    return `https://${rng.chars('abcdefghijklmnopqrstuvwxyz', 8)}.${rng.pick(['xyz', 'top', 'site', 'online'])}/${rng.chars(ALNUM, 5)}`
  return `t.me/${rng.chars('abcdefghijklmnopqrstuvwxyz', 9)}_bot`
}

/** Hashtags and mentions appended by posters to reach feeds: they do not change what a message says. */
const TAGS_EN = ['#crypto', '#airdrop', '#free', '#earn', '#bitcoin', '#promo', '#giveaway', '#money', '#work', '#bonus', '#ton', '#usdt']
const TAGS_RU = ['#крипта', '#заработок', '#работа', '#бонус', '#раздача', '#деньги', '#халява', '#инвестиции', '#удаленка', '#акция']
const GREETINGS_EN = ['Hi everyone!', 'Hello guys,', 'Hey all!', 'Good morning friends!', 'Hi there,', 'Dear members,', 'Attention please!']
const GREETINGS_RU = ['Всем привет!', 'Привет всем,', 'Доброе утро, чат!', 'Друзья,', 'Здравствуйте!', 'Добрый вечер всем!', 'Внимание!']
const FILLERS_EN = ['really', 'now', 'just', 'very', 'today', 'also', 'here', 'only']
const FILLERS_RU = ['очень', 'сейчас', 'просто', 'уже', 'сегодня', 'тоже', 'тут', 'всего']

/**
 * Synonyms and spintax alternatives spam of both languages rotates (each row is one class): a copy
 * swaps some of the words it contains for another of the same row.
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ['free', 'gratis', 'complimentary'],
  ['money', 'cash', 'funds'],
  ['earn', 'make', 'get'],
  ['income', 'profit', 'earnings'],
  ['daily', 'every day', 'each day'],
  ['join', 'enter', 'subscribe to'],
  ['channel', 'group', 'community'],
  ['click', 'tap', 'press'],
  ['link', 'url'],
  ['now', 'today', 'right now'],
  ['quick', 'fast', 'rapid'],
  ['easy', 'simple', 'effortless'],
  ['big', 'huge', 'large'],
  ['win', 'gain', 'receive'],
  ['claim', 'collect', 'grab'],
  ['bonus', 'reward', 'gift'],
  ['work', 'job'],
  ['contact', 'message', 'write to'],
  ['people', 'users', 'members'],
  ['we', 'our team'],
  ['limited', 'few'],
  ['guaranteed', 'assured', 'certain'],
  ['investment', 'deposit'],
  ['best', 'top', 'finest'],
  ['new', 'fresh'],
  ['start', 'begin'],
  ['great', 'amazing', 'awesome'],
  ['want', 'wish'],
  ['need', 'require'],
  ['help', 'assist', 'support'],
  ['заработок', 'доход', 'прибыль'],
  ['деньги', 'средства', 'бабки'],
  ['работа', 'подработка', 'занятость'],
  ['бесплатно', 'даром', 'без оплаты'],
  ['быстро', 'моментально', 'мигом'],
  ['легко', 'просто', 'несложно'],
  ['пишите', 'напишите', 'обращайтесь'],
  ['личку', 'лс', 'личные сообщения'],
  ['день', 'сутки'],
  ['требуются', 'нужны', 'ищем'],
  ['люди', 'сотрудники', 'ребята'],
  ['удаленно', 'на дому', 'дистанционно'],
  ['опыт', 'навыки'],
  ['подробности', 'детали', 'информация'],
  ['здесь', 'тут'],
  ['сейчас', 'сегодня', 'прямо сейчас'],
  ['получить', 'забрать', 'взять'],
  ['бонус', 'подарок', 'приз'],
  ['канал', 'группу', 'чат'],
  ['заходи', 'переходи', 'вступай'],
  ['ссылке', 'ссылочке'],
  ['хороший', 'отличный', 'достойный'],
  ['большой', 'крупный', 'огромный'],
  ['каждый', 'любой'],
  ['вам', 'тебе'],
  ['нужно', 'надо', 'необходимо'],
  ['свободное', 'лишнее'],
  ['время', 'часы'],
  ['ежедневно', 'каждый день'],
  ['выплаты', 'выплата', 'оплата'],
]
const SYNONYM_OF = new Map<string, readonly string[]>()
for (const row of SYNONYMS) for (const w of row) SYNONYM_OF.set(w, row)

function matchCase(word: string, like: string): string {
  if (like.length > 1 && like === like.toUpperCase()) return word.toUpperCase()
  if (like[0] !== undefined && like[0] === like[0].toUpperCase() && like[0] !== like[0].toLowerCase())
    return word[0]!.toUpperCase() + word.slice(1)
  return word
}

/** The attacks, by name. */
export const OPERATORS: Readonly<Record<Attack, Operator>> = {
  homoglyph: (t, rng) => homoglyph(t, isCyrillic(t) ? 'cyrillic' : 'latin', 0.2 + rng.float() * 0.3, rng),
  fancy_font: (t, rng) => (isCyrillic(t) ? null : fancyFont(t, rng.int(11), rng.chance(0.5), rng)),
  zero_width: (t, rng) => zeroWidth(t, 1 + rng.int(Math.max(1, t.length >> 4)), rng),
  emoji_pad: (t, rng) => {
    const parts = sentences(t)
    return parts.map((s, i) => (i === 0 || rng.chance(0.4) ? emojiRun(rng) + ' ' + s : s)).join('') + ' ' + emojiRun(rng)
  },
  leet: (t, rng) => (isCyrillic(t) ? null : leet(t, 0.3, rng)),
  case_punct: (t, rng) => {
    let out = casePunct(t, rng)
    // drop some punctuation, or add a run of it: both change nothing a reader cares about. Only
    // punctuation before a space or the end: inside a token it is a link's, a number's or an
    // obfuscation's (`t.me/x`, `1.5`, `к.а.р.т.а`), which no spammer breaks
    out = rng.chance(0.5)
      ? out.replace(/[,.:;](?=\s|$)/g, (m) => (rng.chance(0.6) ? '' : m))
      : out.replace(/[.!?]+(?=\s|$)/g, (m) => m + '!!')
    return out === t ? t.toLowerCase() : out
  },
  dot_split: (t, rng) => {
    const tokens = words(t)
    const slots = wordSlots(tokens)
    if (slots.length === 0) return null
    const n = Math.min(slots.length, rng.range(1, 3))
    for (const i of rng.shuffled(slots).slice(0, n)) tokens[i] = Array.from(tokens[i]!).join(rng.chance(0.7) ? '.' : '-')
    return tokens.join('')
  },
  link_rotate: (t, rng) => {
    LINK_RE.lastIndex = 0
    if (LINK_RE.test(t)) return t.replace(LINK_RE, () => newLink(rng))
    return `${t.trimEnd()} ${newLink(rng)}`
  },
  reorder: (t, rng) => {
    let parts = sentences(t)
    let sep = ''
    if (parts.length < 2) {
      parts = t.split(/,\s*/u)
      sep = ', '
    }
    if (parts.length < 2) return null
    const norm = parts.map((p) => p.trim())
    let order = rng.shuffled(norm)
    if (order.every((p, i) => p === norm[i])) order = [...norm.slice(1), norm[0]!]
    return order.join(sep === '' ? ' ' : sep)
  },
  tag_tail: (t, rng) => {
    const pool = isCyrillic(t) ? TAGS_RU : TAGS_EN
    const tail: string[] = []
    const n = rng.range(2, 6)
    for (let i = 0; i < n; i++)
      tail.push(rng.chance(0.75) ? rng.pick(pool) : '@' + rng.chars('abcdefghijklmnopqrstuvwxyz', rng.range(5, 10)))
    return `${t.trimEnd()}${rng.chance(0.5) ? '\n\n' : ' '}${tail.join(' ')}`
  },
  repeat: (t, rng) => {
    if (rng.chance(0.5)) return `${t.trimEnd()}\n${t.trimEnd()}`
    const first = sentences(t)[0]!.trim()
    return `${t.trimEnd()} ${first}`
  },
  truncate: (t, rng) => {
    const tokens = words(t.trim())
    const wordsCount = (tokens.length + 1) >> 1
    if (wordsCount < 8) return null
    const keep = Math.max(4, Math.round(wordsCount * (0.5 + rng.float() * 0.3)))
    return tokens.slice(0, keep * 2 - 1).join('')
  },
  greeting: (t, rng) => `${rng.pick(isCyrillic(t) ? GREETINGS_RU : GREETINGS_EN)}${rng.chance(0.5) ? '\n' : ' '}${t}`,
  synonym: (t, rng) => {
    const tokens = words(t)
    let changed = 0
    for (let i = 0; i < tokens.length; i += 2) {
      const tok = tokens[i]!
      const m = /^([\p{L}]+)(.*)$/u.exec(tok)
      if (m === null) continue
      const row = SYNONYM_OF.get(m[1]!.toLowerCase())
      if (row === undefined || !rng.chance(0.6)) continue
      const others = row.filter((w) => w !== m[1]!.toLowerCase())
      tokens[i] = matchCase(rng.pick(others), m[1]!) + m[2]!
      changed++
    }
    return changed === 0 ? null : tokens.join('')
  },
  word_edit: (t, rng) => {
    const tokens = words(t)
    const slots = wordSlots(tokens)
    if (slots.length < 4) return null
    const fillers = isCyrillic(t) ? FILLERS_RU : FILLERS_EN
    const n = rng.range(1, 2)
    for (let k = 0; k < n; k++) {
      const i = rng.pick(slots)
      const w = Array.from(tokens[i]!)
      const kind = rng.int(4)
      if (kind === 0)
        tokens[i] = '' // a word deleted
      else if (kind === 1)
        tokens[i] = `${rng.pick(fillers)} ${tokens[i]!}` // a word inserted
      else if (kind === 2) {
        const p = rng.int(w.length - 1) // two letters swapped (a typo)
        const c = w[p]!
        w[p] = w[p + 1]!
        w[p + 1] = c
        tokens[i] = w.join('')
      } else {
        w.splice(1 + rng.int(w.length - 2), 1) // a letter dropped
        tokens[i] = w.join('')
      }
    }
    return tokens.join('').replace(/ {2,}/g, ' ')
  },
}

/** Applies the attacks in order; returns null when one of them cannot change this text. */
export function applyAttacks(text: string, attacks: readonly Attack[], rng: Rng): string | null {
  let out = text
  for (const a of attacks) {
    const next = OPERATORS[a](out, rng)
    if (next === null) return null
    out = next
  }
  return out
}
