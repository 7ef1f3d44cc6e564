import { test } from 'node:test'
import assert from 'node:assert/strict'
import { matchNames, nameForm, nameSkeleton, type NameField } from '../../../src/channels/index.js'
import { probeEditKeys, storedEditKeys, baseSkeletons } from '../../../src/channels/names.js'

const u = (s: string) => nameForm(s, 'username')
const t = (s: string) => nameForm(s, 'title')
const form = (s: string, f: NameField) => nameForm(s, f)

/** a strong (reportable on its own) look-alike between two ordinary chats */
function strong(a: string, b: string, field: NameField = 'username'): boolean {
  const m = matchNames(form(a, field), form(b, field))
  return m !== null && !m.weak
}

test('confusable skeleton: homoglyphs, leet, rn/m, doubled letters and separators fold together', () => {
  assert.equal(nameSkeleton('durov'), nameSkeleton('dur\u043ev')) // Cyrillic о
  assert.equal(nameSkeleton('durov'), nameSkeleton('dur0v'))
  assert.equal(nameSkeleton('durov'), nameSkeleton('durovv'))
  assert.equal(nameSkeleton('telegram_support'), nameSkeleton('telegrarn_support'))
  assert.equal(nameSkeleton('telegram_support'), nameSkeleton('telegram_suppport'))
  assert.equal(nameSkeleton('telegram_support'), nameSkeleton('telegram_supp0rt'))
  assert.equal(nameSkeleton('cryptosignals_vip'), nameSkeleton('crypto_signals_vip'))
  assert.equal(nameSkeleton('cryptosignals_vip'), nameSkeleton('cryptosignals_vlp'))
  assert.equal(nameSkeleton('wallet'), nameSkeleton('walIet'))
  assert.equal(nameSkeleton('wallet'), nameSkeleton('wa11et'))
  assert.notEqual(nameSkeleton('news_ru'), nameSkeleton('news_ua'))
  assert.notEqual(nameSkeleton('channel1'), nameSkeleton('channel2'), 'digits at a word end are numbers, not leet')
})

test('golden look-alikes (must match, strongly)', () => {
  const must: [string, string][] = [
    ['durov', 'dur\u043ev'],
    ['durov', 'd\u0443rov'], // Cyrillic у: one visual edit
    ['telegram_support', 'telegrarn_support'],
    ['cryptosignals_vip', 'crypto_signals_vip'],
    ['cryptosignals_vip', 'cryptosignals_vlp'],
    ['wallet', 'walIet'],
    ['telegram', 'te1egram'],
    ['notcoin', 'notcoln'],
    ['premium', 'prernium'],
    ['makassar_teknologi', 'makassar_teknolog1'], // leet at the word end
    ['cryptosignals_vip', 'cryptosignals_vlp121'], // disguise plus a taken handle's digits
  ]
  for (const [a, b] of must) assert.ok(strong(a, b), `${a} ~ ${b}`)
  assert.ok(strong("Durov's Channel", "Dur\u043ev's Channel", 'title'))
  assert.ok(strong('Crypto Signals VIP', 'Crypto Signals VIP \u2705', 'title'), 'a fake verification badge is a disguise')
})

test('golden siblings (must not match): news_ru / news_ua and friends', () => {
  // news_ru vs news_ua: skeletons newsru / newsua are two edits apart, the differing token is a
  // two-letter code (an edit inside a token of <= 3 characters is a sibling marker) and `ua` is no
  // impersonation word; no confusable character is involved
  const mustNot: [string, string][] = [
    ['news_ru', 'news_ua'],
    ['news_ru', 'news_rs'],
    ['channel1', 'channel2'],
    ['cripto', 'kripto'], // two languages' spellings, not a glyph swap
    ['krypta', 'kripta'],
    ['rabota_hub', 'robota_hub'],
    ['futbol', 'futebol'],
    ['memes', 'memes_es'],
    ['kino', 'kino_ua'],
    ['music_daily', 'music_daily_bot'], // the bot suffix is mandatory for bots
  ]
  for (const [a, b] of mustNot) assert.equal(matchNames(u(a), u(b)), null, `${a} vs ${b}`)
  assert.equal(matchNames(t('Crypto Signals VIP'), t('Crypto Signals VIP \ud83d\udd25')), null, 'an added emoji is not a disguise')
  assert.equal(matchNames(t('Noticias'), t('Not\u00edcias')), null, 'accents: two languages')
  assert.equal(matchNames(t('IT и технологии | Сочи'), t('IT и технологии Сочи')), null, 'punctuation only')
  assert.equal(matchNames(t('Music'), t('Music Bot')), null)
})

test('weak resemblances between ordinary chats need content evidence; against protected names they are strong', () => {
  const off = matchNames(u('durov_official'), u('durov'))
  assert.ok(off && off.weak && off.kind === 'affix')
  const prot = matchNames(u('durov_official'), u('durov'), { protectedTarget: true })
  assert.ok(prot && !prot.weak)
  const digit = matchNames(u('cryptosignals_vip1'), u('cryptosignals_vip'))
  assert.ok(digit && digit.weak, 'a digit appended is how honest owners vary a taken handle')
  assert.ok(matchNames(u('pavel_durov_official'), u('durov'), { protectedTarget: true }), 'any words around a distinctive protected name')
  assert.equal(
    matchNames(u('wallet_news_ua'), u('wallet'), { protectedTarget: true, generic: true }),
    null,
    'a generic protected word needs impersonation words',
  )
  assert.ok(matchNames(u('wallet_support'), u('wallet'), { protectedTarget: true, generic: true }))
  assert.ok(matchNames(u('premium_telegram_gift_bot'), u('premium'), { protectedTarget: true, generic: true }))
  const title = matchNames(t('Telegram News Official'), t('Telegram News'))
  assert.ok(title && title.weak)
})

test('pigeonhole keys: every skeleton one edit away shares a probe key with the stored one', () => {
  const words = ['telegramsuport', 'cryptosignaisvip', 'durov', 'abcdef', 'walet']
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0'
  for (const w of words) {
    const variants = new Set<string>()
    for (let i = 0; i <= w.length; i++) {
      for (const c of alphabet) variants.add(w.slice(0, i) + c + w.slice(i)) // insertion
      if (i < w.length) {
        variants.add(w.slice(0, i) + w.slice(i + 1)) // deletion
        for (const c of alphabet) variants.add(w.slice(0, i) + c + w.slice(i + 1)) // substitution
      }
    }
    const stored = new Set(storedEditKeys(w))
    for (const v of variants) {
      if (v.length === 0) continue
      assert.ok(
        probeEditKeys(v).some((k) => stored.has(k)),
        `${v} must find ${w}`,
      )
      const back = new Set(storedEditKeys(v))
      assert.ok(
        probeEditKeys(w).some((k) => back.has(k)),
        `${w} must find ${v}`,
      )
    }
  }
})

test('base skeletons strip impersonation words and a trailing number every way', () => {
  const b = baseSkeletons(u('cryptosignals_vip_official'), undefined, 5)
  assert.ok(b.includes(nameSkeleton('cryptosignals_vip')))
  assert.ok(baseSkeletons(u('cryptosignals_vip1980'), undefined, 5).includes(nameSkeleton('cryptosignals_vip')))
  assert.ok(baseSkeletons(u('durovofficial'), undefined, 5).includes('durov'), 'glued impersonation words too')
  assert.deepEqual(baseSkeletons(u('newsofficial'), undefined, 5), [], 'too short a remainder (news) for ordinary chats')
})
