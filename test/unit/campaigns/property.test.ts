/**
 * Property tests of the whole chain (normalize → fingerprint → campaign index), with a seeded
 * generator: a text and its obfuscated variants get the same campaign; unrelated texts do not.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CampaignIndex } from '../../../src/campaigns/index.js'
import { fingerprintText } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'
import { xorshift32 } from '../../support/xorshift.js'

const VOCAB: Record<string, string[]> = {
  en: 'free crypto airdrop claim bonus now join channel profit daily deposit withdraw invest trading signals earn money fast guaranteed limited offer click link below support admin contact winner reward token presale launch moon wallet secure private group members today week month exclusive access account verify'.split(
    ' ',
  ),
  ru: 'бесплатно заработок день пиши лс подробности канал бонус вывод депозит работа удаленно доход ставки прогноз выигрыш команда обучение партнер проект деньги быстро гарантия сегодня неделя месяц доступ личный кабинет'.split(
    ' ',
  ),
  es: 'gratis dinero ganar ahora canal unete bono retiro deposito inversion seguro rapido hoy semana mes acceso grupo privado ganancias diarias garantizado oferta limitada'.split(
    ' ',
  ),
  id: 'gratis uang dapatkan sekarang gabung saluran bonus penarikan setoran investasi aman cepat hari ini minggu bulan akses grup pribadi untung harian dijamin penawaran terbatas'.split(
    ' ',
  ),
}

function baseText(r: () => number, lang: string, words: number): string {
  const v = VOCAB[lang]!
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(v[Math.floor(r() * v.length)]!)
  out.splice(Math.floor(r() * out.length), 0, String(100 + Math.floor(r() * 900)))
  out.push(`https://t.me/+${Math.floor(r() * 1e9).toString(36)}`)
  return out.join(' ')
}

const TO_CYR: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у', i: 'і' }
const TO_LAT: Record<string, string> = { а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y' }
const LEET: Record<string, string> = { e: '3', a: '4', o: '0', t: '7' }
const BOLD_A = 0x1d41a // mathematical bold small a

type Op = (t: string, r: () => number) => string
const OPS: Record<string, Op> = {
  homoglyph: (t, r) =>
    [...t].map((c) => (TO_CYR[c] !== undefined && r() < 0.4 ? TO_CYR[c] : TO_LAT[c] !== undefined && r() < 0.4 ? TO_LAT[c] : c)).join(''),
  zero_width: (t, r) => [...t].map((c) => (c !== ' ' && r() < 0.08 ? c + '\u200b' : c)).join(''),
  emoji: (t, r) =>
    t
      .split(' ')
      .map((w) => (r() < 0.15 ? w + ' 🚀' : w))
      .join(' ') + ' 💰💰',
  fancy: (t, r) =>
    t
      .split(' ')
      .map((w) => (r() < 0.3 && /^[a-z]+$/.test(w) ? [...w].map((c) => String.fromCodePoint(BOLD_A + c.charCodeAt(0) - 97)).join('') : w))
      .join(' '),
  case: (t, r) => [...t].map((c) => (r() < 0.3 ? c.toUpperCase() : c)).join(''),
  leet: (t, r) =>
    t
      .split(' ')
      .map((w) =>
        r() < 0.3 && /^[a-z]{4,}$/.test(w) ? w.slice(0, 1) + w.slice(1, -1).replace(/[eaot]/, (c) => LEET[c]!) + w.slice(-1) : w,
      )
      .join(' '),
  spacing: (t, r) =>
    t
      .split(' ')
      .map((w, i) => (i === 1 || r() < 0.05 ? [...w].join(' ') : w))
      .join(' ')
      .replace(/ /g, () => (r() < 0.1 ? '   ' : ' ')),
  link: (t, r) => t.replace(/https:\/\/t\.me\/\+\w+/, `https://t.me/+${Math.floor(r() * 1e9).toString(36)}`),
  diacritics: (t, r) => [...t].map((c) => (/[a-z]/.test(c) && r() < 0.05 ? c + '\u0301' : c)).join(''),
  soft_hyphen: (t, r) => [...t].map((c) => (/\p{L}/u.test(c) && r() < 0.05 ? c + '\u00ad' : c)).join(''),
}
const OP_NAMES = Object.keys(OPS)

function variant(t: string, r: () => number): { text: string; ops: string[] } {
  const ops: string[] = []
  const k = 1 + Math.floor(r() * 3)
  let out = t
  for (let i = 0; i < k; i++) {
    const name = OP_NAMES[Math.floor(r() * OP_NAMES.length)]!
    ops.push(name)
    out = OPS[name]!(out, r)
  }
  return { text: out, ops }
}

test('a text and its obfuscated variants get the same campaign; unrelated texts do not', () => {
  const r = xorshift32(20261128)
  const idx = new CampaignIndex({ windowMs: 24 * 3600_000, maxEntries: 100_000 })
  const langs = Object.keys(VOCAB)
  const baseCampaigns: string[] = []
  let ts = 0
  let msg = 0
  for (let b = 0; b < 60; b++) {
    const lang = langs[b % langs.length]!
    const base = baseText(r, lang, 18 + Math.floor(r() * 20))
    const n = normalizeText(base)
    const a = idx.assign({ chatId: `c${b}`, messageId: String(msg++) }, fingerprintText(n), n.text, ts++)
    baseCampaigns.push(a.campaignId)
    for (let v = 0; v < 6; v++) {
      const { text, ops } = variant(base, r)
      const nv = normalizeText(text)
      const av = idx.assign({ chatId: `v${v}`, messageId: String(msg++) }, fingerprintText(nv), nv.text, ts++)
      assert.equal(av.campaignId, a.campaignId, `variant (${ops.join(', ')}) of base ${b} split off:\n  ${base}\n  ${text}`)
    }
  }
  assert.equal(new Set(baseCampaigns).size, baseCampaigns.length, 'unrelated base texts share a campaign')
})

test('short texts: a few words and their obfuscated copies', () => {
  const idx = new CampaignIndex({ windowMs: 24 * 3600_000, maxEntries: 1000 })
  const pairs: [string, string][] = [
    ['Join our VIP channel now', 'J0in оur VIP сhannel n0w 🚀'],
    ['заработок без вложений', 'зaрaбoтoк без вложений 💰'],
    ['free spins casino bonus', 'ꜰʀᴇᴇ spins casino bonus!!'],
  ]
  const ids = pairs.map(([a, b], i) => {
    const na = normalizeText(a)
    const nb = normalizeText(b)
    const ca = idx.assign({ chatId: 'x', messageId: `a${i}` }, fingerprintText(na), na.text, i).campaignId
    const cb = idx.assign({ chatId: 'x', messageId: `b${i}` }, fingerprintText(nb), nb.text, i).campaignId
    assert.equal(cb, ca, `${a} / ${b}`)
    return ca
  })
  assert.equal(new Set(ids).size, ids.length)
})
