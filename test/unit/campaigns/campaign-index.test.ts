import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CampaignIndex, type MessageKey, type SharedEntry } from '../../../src/campaigns/index.js'
import { fingerprintText, signatureFromHex, signatureToHex } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'
import { xorshift32 } from '../../support/xorshift.js'

const HOUR = 3600_000
const newIndex = (o: Partial<ConstructorParameters<typeof CampaignIndex>[0]> = {}) =>
  new CampaignIndex({ windowMs: 24 * HOUR, maxEntries: 10_000, ...o })
const key = (m: string, chat = 'chat-1'): MessageKey => ({ chatId: chat, messageId: m })

function put(idx: CampaignIndex, k: MessageKey, text: string, ts = 0) {
  const n = normalizeText(text)
  return idx.assign(k, fingerprintText(n), n.text, ts)
}

const SPAM =
  '🔥 Earn 500 USDT every day with our trading bot! No experience needed, the bot trades for you 24/7. Join the private channel now: https://t.me/+AbCdEfGh and write to the admin for access.'
const SPAM_VARIANT =
  '🔥 Еаrn 500 USDT еvеry dаy with оur trаding bоt!!! Nо ехpеriеncе nееdеd, the bоt trаdеs fоr yоu 24/7. Jоin thе privаtе chаnnеl nоw: https://t.me/+ZzYyXxWw and write to the admin for access 💰💰'
const OTHER =
  'Уважаемые жители! В четверг с 10 до 16 часов будет отключена горячая вода в связи с плановыми работами на теплотрассе. Приносим извинения за неудобства.'

test('an exact copy joins; the campaign id is c + the founder exact hash', () => {
  const idx = newIndex()
  const a = put(idx, key('1'), SPAM)
  assert.equal(a.created, true)
  assert.equal(a.similarity, 0)
  assert.equal(a.campaignId, 'c' + fingerprintText(normalizeText(SPAM)).exactHash)
  const b = put(idx, key('2', 'chat-2'), SPAM)
  assert.equal(b.created, false)
  assert.equal(b.campaignId, a.campaignId)
  assert.equal(b.similarity, 1)
  assert.equal(idx.campaignSize(a.campaignId), 2)
  assert.deepEqual(idx.stats(), { entries: 2, campaigns: 1, evictions: 0 })
})

test('an obfuscated near-duplicate joins, an unrelated text opens its own campaign', () => {
  const idx = newIndex()
  const a = put(idx, key('1'), SPAM)
  const b = put(idx, key('2'), SPAM_VARIANT)
  assert.equal(b.campaignId, a.campaignId)
  assert.ok(b.similarity > 0.5)
  const c = put(idx, key('3'), OTHER)
  assert.notEqual(c.campaignId, a.campaignId)
  assert.equal(c.created, true)
  assert.equal(idx.stats().campaigns, 2)
})

test('ids are deterministic: another instance seeing the same stream names campaigns the same way', () => {
  const stream = [SPAM, OTHER, SPAM_VARIANT, SPAM, 'short hi', OTHER + ' Спасибо!']
  const run = () => {
    const idx = newIndex()
    return stream.map((t, i) => put(idx, key(String(i)), t, i * 1000).campaignId)
  }
  assert.deepEqual(run(), run())
})

test('an edit moves the message; a delete removes it and returns its campaign', () => {
  const idx = newIndex()
  const spam = put(idx, key('1'), SPAM)
  put(idx, key('2'), SPAM)
  const other = put(idx, key('3'), OTHER)
  // message 2 is edited into a copy of OTHER
  const moved = put(idx, key('2'), OTHER)
  assert.equal(moved.campaignId, other.campaignId)
  assert.equal(idx.campaignSize(spam.campaignId), 1)
  assert.equal(idx.campaignSize(other.campaignId), 2)
  assert.equal(idx.size, 3)
  assert.equal(idx.campaignOf(key('2')), other.campaignId)
  // deletes
  assert.equal(idx.remove(key('2')), other.campaignId)
  assert.equal(idx.remove(key('2')), null)
  assert.equal(idx.remove(key('1')), spam.campaignId)
  assert.equal(idx.campaignSize(spam.campaignId), 0, 'a campaign without members is gone')
  assert.equal(idx.size, 1)
})

test('match() tells the campaign without adding the message', () => {
  const idx = newIndex()
  const a = put(idx, key('1'), SPAM)
  const n = normalizeText(SPAM_VARIANT)
  assert.equal(idx.match(fingerprintText(n), n.text)?.campaignId, a.campaignId)
  const o = normalizeText(OTHER)
  assert.equal(idx.match(fingerprintText(o), o.text), null)
  assert.equal(idx.size, 1)
})

test('eviction by age (window) and by size (maxEntries)', () => {
  const idx = newIndex({ windowMs: 10 * HOUR, maxEntries: 3 })
  put(idx, key('1'), 'first message about apples and oranges in the market today', 0)
  put(idx, key('2'), 'second message about trains and buses in the city center', 5 * HOUR)
  assert.equal(idx.evict(9 * HOUR), 0)
  assert.equal(idx.evict(11 * HOUR), 1, 'message 1 is older than the window')
  assert.equal(idx.size, 1)
  put(idx, key('3'), 'third message about football results of the weekend games', 12 * HOUR)
  put(idx, key('4'), 'fourth message about the weather forecast for tomorrow morning', 12 * HOUR)
  put(idx, key('5'), 'fifth message about cooking pasta with tomato sauce and basil', 12 * HOUR)
  assert.equal(idx.size, 3, 'maxEntries bounds the index')
  assert.equal(idx.campaignOf(key('2')), null, 'the oldest went first')
  assert.equal(idx.stats().evictions, 2)
  // a campaign outlives its founder while a member is alive
  const idx2 = newIndex({ windowMs: 10 * HOUR })
  const a = put(idx2, key('a'), SPAM, 0)
  put(idx2, key('b'), SPAM_VARIANT, 8 * HOUR)
  idx2.evict(12 * HOUR)
  assert.equal(put(idx2, key('c'), SPAM_VARIANT, 12 * HOUR).campaignId, a.campaignId)
})

test('a mass eviction (most of the index at once) rebuilds the chains: what stays is found, what left is not', () => {
  const idx = newIndex({ windowMs: 10 * HOUR, maxEntries: 20_000 })
  // texts of twelve words drawn from 5,000 made-up ones: no two alike
  const words = Array.from({ length: 5000 }, (_, w) => ((w + 1) * 2654435761).toString(36).slice(0, 7).replace(/\d/g, 'q'))
  const draw = xorshift32(20261206)
  const texts = Array.from({ length: 12_000 }, () => Array.from({ length: 12 }, () => words[Math.floor(draw() * words.length)]).join(' '))
  const text = (i: number) => texts[i]!
  const ids: string[] = []
  for (let i = 0; i < 12_000; i++) ids.push(put(idx, key(String(i)), text(i), i < 11_000 ? 0 : 5 * HOUR).campaignId)
  assert.equal(idx.evict(12 * HOUR), 11_000, 'every entry older than the window leaves in one call')
  assert.equal(idx.size, 1_000)
  // a copy of a kept message joins its campaign; a copy of an evicted one founds a campaign of its own
  for (let i = 11_000; i < 12_000; i += 37) assert.equal(put(idx, key(`copy-${i}`, 'chat-2'), text(i), 12 * HOUR).campaignId, ids[i])
  for (let i = 0; i < 11_000; i += 401) {
    const copy = put(idx, key(`copy-${i}`, 'chat-2'), text(i), 12 * HOUR)
    assert.equal(copy.created, true, 'its campaign left with its members')
    assert.equal(copy.campaignId, ids[i], 'and is founded again under the same id')
    assert.equal(idx.campaignSize(copy.campaignId), 1)
  }
  // the rebuilt chains unlink and link as before: remove the kept ones, add new ones
  for (let i = 11_000; i < 12_000; i++) idx.remove(key(String(i)))
  assert.equal(idx.campaignSize(ids[11_481]!), 1, 'only its copy is left')
  assert.equal(put(idx, key('late'), text(11_481), 12 * HOUR).campaignId, ids[11_481])
})

test('restart: restore from stored rows keeps campaign ids, near-duplicates still join by signature', () => {
  const idx = newIndex()
  const rows: { key: MessageKey; campaignId: string; exactHash: string; signature: string; tsMs: number }[] = []
  const texts = [SPAM, SPAM_VARIANT, OTHER]
  texts.forEach((t, i) => {
    const n = normalizeText(t)
    const f = fingerprintText(n)
    const a = idx.assign(key(String(i)), f, n.text, i)
    // what the sink stores: no text
    rows.push({ key: key(String(i)), campaignId: a.campaignId, exactHash: f.exactHash, signature: signatureToHex(f.signature), tsMs: i })
  })
  const restarted = newIndex()
  restarted.restore(rows.map((r) => ({ ...r, signature: signatureFromHex(r.signature) })))
  assert.equal(restarted.size, 3)
  assert.deepEqual(restarted.stats(), idx.stats())
  for (const r of rows) assert.equal(restarted.campaignOf(r.key), r.campaignId)
  // an exact copy and another obfuscated copy land in the restored campaign
  assert.equal(put(restarted, key('10'), SPAM).campaignId, rows[0]!.campaignId)
  const lightCopy = SPAM.replace('🔥', '⚡').replace(/o/g, 'о')
  assert.equal(put(restarted, key('11'), lightCopy).campaignId, rows[0]!.campaignId)
  assert.equal(put(restarted, key('12'), OTHER + '!!').campaignId, rows[2]!.campaignId)
})

test('short texts: near-identical ones join, different ones do not', () => {
  const idx = newIndex()
  const a = put(idx, key('1'), 'Join Cari Teman VC 😍 https://t.me/joinchat/SGtOD7')
  assert.equal(put(idx, key('2'), 'Jоin Cаrі Tеman VC 😍 httрs://t.mе/јoincһat/XX').campaignId, a.campaignId)
  assert.equal(put(idx, key('3'), 'J0IN 𝐂𝐀𝐑𝐈 𝐓𝟑𝐌𝟒𝐍 VC').campaignId, a.campaignId)
  assert.notEqual(put(idx, key('4'), 'Join our VC group').campaignId, a.campaignId)
  const ok = put(idx, key('5'), 'ok')
  assert.notEqual(put(idx, key('6'), 'no').campaignId, ok.campaignId)
  assert.equal(put(idx, key('7'), 'OK!').campaignId, ok.campaignId)
})

test('texts with nothing left after normalization are campaigns of their own', () => {
  const idx = newIndex()
  const a = put(idx, key('1'), '🚀🚀🚀')
  const b = put(idx, key('2'), '🚀🚀🚀')
  assert.notEqual(a.campaignId, b.campaignId)
  assert.equal(idx.campaignSize(a.campaignId), 1)
  assert.equal(idx.remove(key('1')), a.campaignId)
})

test('template texts that differ only in their numbers are different campaigns', () => {
  const idx = newIndex()
  const a = put(idx, key('1'), 'BTC：25950-26050附近多 止盈：26450-26850 止損：25800 ETH：1563-1573附近多 止盈：1595-1620 止損：1550')
  const b = put(idx, key('2'), 'BTC：26600-26700附近多 止盈：27000-27400 止損：26450 ETH：1650-1660附近多 止盈：1685-1730 止損：1635')
  assert.notEqual(a.campaignId, b.campaignId)
  // the same signal with one number changed is the same campaign
  const c = put(idx, key('3'), 'BTC：25950-26050附近多 止盈：26450-26900 止損：25800 ETH：1563-1573附近多 止盈：1595-1620 止損：1550')
  assert.equal(c.campaignId, a.campaignId)
})

test('bounded text cache: entries whose skeleton was dropped still match by signature', () => {
  const idx = newIndex({ maxTextChars: 10 })
  const a = put(idx, key('1'), SPAM)
  put(idx, key('2'), OTHER)
  assert.equal(put(idx, key('3'), SPAM + ' ').campaignId, a.campaignId)
  assert.equal(put(idx, key('4'), SPAM.replace('every day', 'each day')).campaignId, a.campaignId)
})

test('grows past its initial capacity and keeps every entry findable', () => {
  const idx = newIndex({ maxEntries: 5000 })
  const ids: string[] = []
  for (let i = 0; i < 3000; i++)
    ids.push(put(idx, key(String(i)), `message number ${i} about topic ${i % 7} with word w${i * 7919}`, i).campaignId)
  assert.equal(idx.size, 3000)
  for (let i = 0; i < 3000; i += 97) assert.equal(idx.campaignOf(key(String(i))), ids[i])
  for (let i = 0; i < 3000; i += 2) idx.remove(key(String(i)))
  assert.equal(idx.size, 1500)
  for (let i = 1; i < 3000; i += 194) assert.equal(idx.campaignOf(key(String(i))), ids[i])
})

test('rejects nonsense options', () => {
  assert.throws(() => new CampaignIndex({ windowMs: 0, maxEntries: 10 }))
  assert.throws(() => new CampaignIndex({ windowMs: 1000, maxEntries: 0 }))
})

test('randomized operations keep the index consistent (sizes, campaigns, capacity)', () => {
  const rnd = xorshift32(7)
  const texts = [
    SPAM,
    SPAM_VARIANT,
    OTHER,
    OTHER + ' Спасибо за понимание!',
    'ok',
    '🚀',
    'buy cheap watches online today with free shipping worldwide',
  ]
  const idx = newIndex({ maxEntries: 12, windowMs: 50_000 })
  const keys = Array.from({ length: 30 }, (_, i) => key(String(i)))
  let now = 0
  for (let step = 0; step < 3000; step++) {
    now += Math.floor(rnd() * 100)
    const k = keys[Math.floor(rnd() * keys.length)]!
    const r = rnd()
    if (r < 0.6) put(idx, k, texts[Math.floor(rnd() * texts.length)]!, now)
    else if (r < 0.85) idx.remove(k)
    else idx.evict(now)
    assert.ok(idx.size <= 12)
    const live = keys.filter((kk) => idx.isLive(kk)).map((kk) => idx.campaignOf(kk)!)
    assert.equal(live.length, idx.size)
    const counts = new Map<string, number>()
    for (const c of live) counts.set(c, (counts.get(c) ?? 0) + 1)
    assert.equal(idx.stats().campaigns, counts.size)
    for (const [c, n] of counts) assert.equal(idx.campaignSize(c), n)
  }
})

/** What `assign` on one instance shares with the others (see MessageAnalysis). */
function shared(k: MessageKey, text: string, campaignId: string, ts = 0, withText = true): SharedEntry {
  const n = normalizeText(text)
  const fp = fingerprintText(n)
  return { key: k, campaignId, exactHash: fp.exactHash, signature: fp.signature, skeleton: withText ? (fp.skeleton ?? '') : '', tsMs: ts }
}

test('two instances sharing entries: a copy on the other instance joins the campaign it founded', () => {
  const a = newIndex()
  const b = newIndex()
  const founded = put(a, key('1', 'chat-a'), SPAM, 0)
  b.addShared(shared(key('1', 'chat-a'), SPAM, founded.campaignId, 0))
  const joined = put(b, key('2', 'chat-b'), SPAM_VARIANT, 1000)
  assert.equal(joined.created, false)
  assert.equal(joined.campaignId, founded.campaignId)
  assert.equal(b.campaignSize(founded.campaignId), 2)
  assert.deepEqual(b.drainMerges(), [])
  a.addShared(shared(key('2', 'chat-b'), SPAM_VARIANT, joined.campaignId, 1000))
  assert.equal(a.campaignSize(founded.campaignId), 2)
  assert.deepEqual(a.stats(), { entries: 2, campaigns: 1, evictions: 0 })
})

test('a campaign founded on two instances at once merges under the smaller id, on both alike', () => {
  const a = newIndex()
  const b = newIndex()
  const SPAM_LONGER = SPAM_VARIANT + ' Places are limited, hurry!'
  const onA = put(a, key('1', 'chat-a'), SPAM, 0)
  const onB = put(b, key('2', 'chat-b'), SPAM_LONGER, 10)
  assert.notEqual(onA.campaignId, onB.campaignId)
  const [canonical, alias] = onA.campaignId < onB.campaignId ? [onA.campaignId, onB.campaignId] : [onB.campaignId, onA.campaignId]
  a.addShared(shared(key('2', 'chat-b'), SPAM_LONGER, onB.campaignId, 10))
  b.addShared(shared(key('1', 'chat-a'), SPAM, onA.campaignId, 0))
  for (const idx of [a, b]) {
    assert.deepEqual(idx.drainMerges(), [{ alias, canonical }])
    assert.equal(idx.campaignOf(key('1', 'chat-a')), canonical)
    assert.equal(idx.campaignOf(key('2', 'chat-b')), canonical)
    assert.equal(idx.campaignSize(canonical), 2)
    assert.equal(idx.campaignSize(alias), 2, 'the alias resolves to the merged campaign')
    assert.equal(idx.stats().campaigns, 1)
    // the next copy joins under the canonical id
    assert.equal(put(idx, key(`3-${idx === a ? 'a' : 'b'}`), SPAM, 20).campaignId, canonical)
  }
  // when the last member leaves, the merged campaign and its alias are gone
  for (const k of [key('1', 'chat-a'), key('2', 'chat-b'), key('3-a'), key('3-b')]) a.remove(k)
  assert.deepEqual(a.stats(), { entries: 0, campaigns: 0, evictions: 0 })
  assert.equal(a.campaignSize(alias), 0)
})

test('an entry known under another campaign id merges the two; a chain of merges re-points every alias', () => {
  const idx = newIndex()
  put(idx, key('1'), SPAM, 0)
  const own = idx.campaignOf(key('1'))!
  // the same message, reported by another instance under an id we never saw (it merged there first)
  idx.addShared(shared(key('1'), SPAM, 'c0000000000000001', 0))
  assert.deepEqual(idx.drainMerges(), [{ alias: own, canonical: 'c0000000000000001' }])
  assert.equal(idx.campaignOf(key('1')), 'c0000000000000001')
  idx.addShared(shared(key('1'), SPAM, 'c0000000000000000', 0))
  assert.deepEqual(idx.drainMerges(), [
    { alias: 'c0000000000000001', canonical: 'c0000000000000000' },
    { alias: own, canonical: 'c0000000000000000' },
  ])
  assert.deepEqual(idx.stats(), { entries: 1, campaigns: 1, evictions: 0 })
  idx.remove(key('1'))
  assert.deepEqual(idx.stats(), { entries: 0, campaigns: 0, evictions: 0 })
})

test('two instances exchanging entries late and in any order agree on every campaign, and stay consistent', () => {
  const rnd = xorshift32(11)
  const texts = [
    SPAM,
    SPAM_VARIANT,
    SPAM + ' Places are limited!',
    OTHER,
    OTHER + ' Спасибо за понимание!',
    'buy cheap watches online today with free shipping worldwide',
  ]
  const instances = [newIndex(), newIndex()]
  const outbox: SharedEntry[][] = [[], []]
  const keys: MessageKey[] = []
  // the first copies of two groups reach the two instances in different versions: founded twice
  const opening: [number, number][] = [
    [0, 0],
    [1, 2],
    [1, 3],
    [0, 4],
  ]
  for (let step = 0; step < 400; step++) {
    const i = opening[step]?.[0] ?? (rnd() < 0.5 ? 0 : 1)
    const k = key(String(step), `chat-${i}`)
    keys.push(k)
    const text = texts[opening[step]?.[1] ?? Math.floor(rnd() * texts.length)]!
    const { campaignId } = put(instances[i]!, k, text, step)
    outbox[i]!.push(shared(k, text, campaignId, step, rnd() < 0.8))
    // deliver a random share of what the other instance published so far, oldest first
    const other = 1 - i
    const deliver = rnd() < 0.1 ? Math.floor(rnd() * (outbox[other]!.length + 1)) : 0
    for (const e of outbox[other]!.splice(0, deliver)) instances[i]!.addShared(e)
  }
  for (const i of [0, 1]) for (const e of outbox[1 - i]!.splice(0)) instances[i]!.addShared(e)
  const [a, b] = instances as [CampaignIndex, CampaignIndex]
  const merges = a.drainMerges().length + b.drainMerges().length
  assert.ok(merges >= 2, 'the exchange was late enough for campaigns to be founded twice')
  const partition = (idx: CampaignIndex) => keys.map((k) => idx.campaignOf(k))
  assert.deepEqual(partition(a), partition(b))
  for (const idx of instances) {
    const counts = new Map<string, number>()
    for (const c of partition(idx)) counts.set(c!, (counts.get(c!) ?? 0) + 1)
    assert.equal(idx.stats().campaigns, counts.size)
    for (const [c, n] of counts) assert.equal(idx.campaignSize(c), n)
  }
  assert.ok(a.stats().campaigns <= texts.length, `${a.stats().campaigns} campaigns for ${texts.length} texts`)
})

test('an alias the store holds: the local campaign joins the canonical id, later members count there, nothing is reported back', () => {
  const idx = newIndex()
  const founded = put(idx, key('1'), SPAM)
  const canonical = 'c0000000000000001'
  idx.applyAlias('c00000000000000ff', canonical) // an id this instance never saw: nothing to do
  idx.applyAlias(founded.campaignId, canonical)
  const later = put(idx, key('2', 'chat-2'), SPAM_VARIANT)
  assert.equal(later.campaignId, canonical)
  assert.equal(idx.campaignOf(key('1')), canonical, 'the earlier member resolves to it too')
  assert.equal(idx.campaignSize(canonical), 2)
  assert.equal(idx.campaignOf(key('3')), null)
  assert.deepEqual(idx.drainMerges(), [], 'the store has the alias already: not written again')
  assert.equal(put(idx, key('4', 'chat-3'), OTHER).campaignId === canonical, false)
})

test('an alias of a campaign that had joined another here brings that one along, and says so', () => {
  const idx = newIndex()
  const founded = put(idx, key('1'), SPAM)
  const joined = 'c0000000000000002'
  const canonical = 'c0000000000000001'
  idx.applyAlias(founded.campaignId, joined)
  assert.deepEqual(idx.drainMerges(), [], 'the store holds that one')
  // the store's merge named the founder's id only: the campaign it joined here joins too
  idx.applyAlias(founded.campaignId, canonical)
  assert.equal(idx.campaignOf(key('1')), canonical)
  assert.deepEqual(
    idx.drainMerges().map((m) => `${m.alias}->${m.canonical}`),
    [`${joined}->${canonical}`, `${founded.campaignId}->${canonical}`],
  )
  idx.applyAlias(joined, canonical)
  assert.deepEqual(idx.drainMerges(), [], 'already there: nothing more')
})

test("an alias the store holds names the id that stays, even the larger one (an adopted campaign's alias)", () => {
  const idx = newIndex()
  const founded = put(idx, key('1'), SPAM)
  const canonical = 'cffffffffffffffff'
  assert.ok(founded.campaignId < canonical)
  idx.applyAlias(founded.campaignId, canonical)
  assert.equal(idx.campaignOf(key('1')), canonical)
  assert.equal(put(idx, key('2', 'chat-2'), SPAM_VARIANT).campaignId, canonical)
})
