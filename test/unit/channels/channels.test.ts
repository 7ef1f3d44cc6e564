import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { ChatSimilarity, compileProtectedNames, MAX_NAME_LENGTH, type SimilarityRow } from '../../../src/channels/index.js'
import { ProtectedNamesError } from '../../../src/domain/errors.js'
import { channelPost, namePost } from '../../support/chat-posts.js'

const MIN = 60_000
const HOUR = 3_600_000
const post = channelPost

function sim(extra: Partial<ConstructorParameters<typeof ChatSimilarity>[0]> = {}): ChatSimilarity {
  return new ChatSimilarity({ windowMs: 24 * HOUR, maxChats: 10_000, protectedNames: [], ...extra })
}

const contentRows = (rows: SimilarityRow[]) => rows.filter((r) => (r.kind === 'content' || r.kind === 'both') && r.score > 0)

test('a clone that reposts a channel is found, with its original and shared counts', () => {
  const s = sim()
  let t = 0
  for (let i = 0; i < 40; i++) {
    s.observe(post('-100orig', (t += MIN), 1000 + i))
    if (i % 4 === 0) s.observe(post('-100clone', t + 30 * MIN, 1000 + i)) // 10 reposts, 30 min later
    s.observe(post('-100other', t + 1, 5000 + i)) // unrelated
  }
  const rows = contentRows(s.drainChanged(t + HOUR))
  assert.equal(rows.length, 1)
  const r = rows[0]!
  assert.equal(r.chat_a, '-100clone') // chat_a < chat_b
  assert.equal(r.chat_b, '-100orig')
  assert.equal(r.kind, 'content')
  assert.equal(r.original_chat, '-100orig')
  assert.equal(r.shared_campaigns, 10)
  assert.equal(r.shared_items, 20) // 10 exact hashes + 10 campaigns
  assert.equal(r.b_first, 20)
  assert.equal(r.a_first, 0)
  assert.ok(r.score > 0.85, `containment 1 (the clone posts nothing else): ${r.score}`)
  assert.ok(s.isClone('-100clone'))
  assert.ok(!s.isClone('-100orig'))
  assert.equal(s.stats().contentPairs, 1)
})

test('containment: copying a big channel is a clone even with very different sizes; sharing a little is not', () => {
  const s = sim()
  for (let i = 0; i < 200; i++) s.observe(post('big', i * MIN, i))
  for (let i = 0; i < 6; i++) s.observe(post('smallcopy', 200 * MIN + i, i * 30)) // 6 posts, all copies
  for (let i = 0; i < 60; i++) s.observe(post('overlap', 201 * MIN + i, i < 5 ? 100 + i : 9000 + i)) // 5 of 60 copied
  const rows = contentRows(s.drainChanged(300 * MIN))
  const pairs = rows.map((r) => [r.chat_a, r.chat_b].join('~'))
  assert.deepEqual(pairs, ['big~smallcopy'])
})

test('chats sharing campaigns in no consistent order are not clones', () => {
  const s = sim()
  for (let i = 0; i < 12; i++) {
    const first = i % 2 === 0 ? 'a' : 'b'
    const second = first === 'a' ? 'b' : 'a'
    s.observe(post(first, i * MIN, i))
    s.observe(post(second, i * MIN + 1000, i))
  }
  assert.deepEqual(contentRows(s.drainChanged(20 * MIN)), [])
})

test('a campaign spread over thousands of chats makes no pairs (bounded work per post)', () => {
  const s = sim({ maxItemChats: 50 })
  // 5,000 chats each post the same 3 spam texts (one campaign each), in the same order
  for (let k = 0; k < 3; k++) for (let c = 0; c < 5000; c++) s.observe(post(`spam${c}`, k * HOUR + c * 100, 777 + k))
  const rows = s.drainChanged(4 * HOUR)
  assert.deepEqual(contentRows(rows), [])
  const st = s.stats()
  assert.equal(st.contentPairs, 0)
  assert.ok(st.pairs <= 50 * 50, `pair table stays small: ${st.pairs}`)
  assert.ok(st.broadItems >= 6, 'the items are remembered as broad (campaign spread)')
  // the caller's campaign spread alone also marks a campaign key broad
  const t = sim({ maxCampaignChats: 10 })
  for (let i = 0; i < 8; i++) {
    t.observe(post('o', i * MIN, i, { exactHash: '', campaignChats: 500 }))
    t.observe(post('c', i * MIN + 5000, i, { exactHash: '', campaignChats: 500 }))
  }
  assert.deepEqual(contentRows(t.drainChanged(HOUR)), [])
})

test('pairs decay as the window moves: the latest state is written with score 0 once the evidence is gone', () => {
  const s = sim({ windowMs: 2 * HOUR })
  for (let i = 0; i < 6; i++) {
    s.observe(post('orig', i * MIN, i))
    s.observe(post('copy', i * MIN + 10_000, i))
  }
  const first = contentRows(s.drainChanged(10 * MIN))
  assert.equal(first.length, 1)
  // hours later both chats post unrelated things: the copies leave the window
  s.observe(post('orig', 4 * HOUR, 100))
  s.observe(post('copy', 4 * HOUR + 1, 101))
  const later = s.drainChanged(4 * HOUR + 2)
  const retired = later.find((r) => r.chat_a === 'copy' && r.kind === 'content')
  assert.ok(retired, 'a row with the latest state')
  assert.equal(retired.score, 0)
  assert.equal(retired.shared_items, 0)
  assert.ok(!s.isClone('copy'))
})

test('two copies of one original are not reported as clones of each other', () => {
  const s = sim()
  for (let i = 0; i < 10; i++) {
    s.observe(post('orig', i * MIN, i))
    s.observe(post('copy1', i * MIN + 5_000, i))
    s.observe(post('copy2', i * MIN + 9_000, i))
  }
  const pairs = contentRows(s.drainChanged(HOUR)).map((r) => `${r.chat_a}~${r.chat_b}:${r.original_chat}`)
  assert.deepEqual(pairs.sort(), ['copy1~orig:orig', 'copy2~orig:orig'])
})

test('groups, supergroups and bots do not enter content signatures by default', () => {
  const s = sim()
  for (let i = 0; i < 10; i++) {
    s.observe(post('g1', i * MIN, i, { chatType: 'supergroup' }))
    s.observe(post('g2', i * MIN + 1000, i, { chatType: 'supergroup' }))
  }
  assert.deepEqual(contentRows(s.drainChanged(HOUR)), [])
  const t = sim({ contentChatTypes: ['channel', 'supergroup'] })
  for (let i = 0; i < 10; i++) {
    t.observe(post('g1', i * MIN, i, { chatType: 'supergroup' }))
    t.observe(post('g2', i * MIN + 1000, i, { chatType: 'supergroup' }))
  }
  assert.equal(contentRows(t.drainChanged(HOUR)).length, 1)
})

test('look-alike names between active chats, and not between siblings', () => {
  const s = sim()
  const names: [string, string, string][] = [
    ['1', "Durov's Channel", 'durov'],
    ['2', 'Pavel', 'dur\u043ev'],
    ['3', 'Telegram Support', 'telegram_support'],
    ['4', 'Support', 'telegrarn_support'],
    ['5', 'Crypto Signals VIP', 'cryptosignals_vip'],
    ['6', 'Signals', 'crypto_signals_vip'],
    ['7', 'Новости', 'news_ru'],
    ['8', 'Новини', 'news_ua'],
  ]
  for (const [id, title, username] of names) s.observe(namePost(id, 1000, { title, username }))
  const rows = s.drainChanged(2000).filter((r) => r.kind === 'name')
  const pairs = rows.map((r) => `${r.chat_a}~${r.chat_b}`).sort()
  assert.deepEqual(pairs, ['1~2', '3~4', '5~6'])
  const r = rows.find((x) => x.chat_a === '1')!
  assert.equal(r.name_a, '@durov')
  assert.equal(r.name_b, '@dur\u043ev')
  assert.equal(r.original_chat, '')
  assert.equal(s.stats().namePairs, 3)
})

test('protected names: an impersonator is paired with the protected name even if it never posts', () => {
  const file = readFileSync(new URL('../../../config/protected-names.yaml', import.meta.url), 'utf8')
  const { names } = compileProtectedNames(parseYaml(file), 'config/protected-names.yaml')
  const s = sim({ protectedNames: names })
  const mk = (id: string, username: string, title = 'x') => s.observe(namePost(id, 5000, { title, username }))
  mk('-1', 'telegrarn_support')
  mk('-2', 'durov_official')
  mk('-3', 'wallet_news_ua') // generic protected word: not without impersonation words
  mk('-4', 'wallet_support')
  mk('-5', 'news_ru')
  const rows = s.drainChanged(6000).filter((r) => r.kind === 'name')
  const got = rows.map((r) => `${r.chat_a}~${r.chat_b}`).sort()
  assert.deepEqual(got, ['-1~@telegram_support', '-2~@durov', '-4~@wallet'])
  // a protected entry with a chat id is written against that id
  const t = sim({ protectedNames: [{ username: 'durov', chatId: '-1001006503122' }] })
  t.observe(namePost('-9', 1, { username: 'dur0v' }))
  const [row] = t.drainChanged(2)
  assert.equal(row?.chat_a, '-1001006503122')
  assert.equal(row?.chat_b, '-9')
})

test('content and name together: kind both; a weak name resemblance shows only with content', () => {
  const s = sim()
  for (let i = 0; i < 8; i++) {
    s.observe(post('-100a', i * MIN, i, { username: 'kuliner_jogja', title: 'Kuliner Jogja' }))
    s.observe(post('-100b', i * MIN + 1000, i, { username: 'kuliner_jogja_official', title: 'Kuliner Jogja' }))
  }
  s.observe(namePost('-100c', 10 * MIN, { username: 'kuliner_jogja_vip' }))
  const rows = s.drainChanged(HOUR).filter((r) => r.score > 0)
  assert.deepEqual(
    rows.map((r) => `${r.chat_a}~${r.chat_b}:${r.kind}`),
    ['-100a~-100b:both'],
  )
  assert.equal(rows[0]!.name_b, '@kuliner_jogja_official')
})

test('bounded memory: maxChats and the per-chat item cap', () => {
  const s = sim({ maxChats: 1000, maxItemsPerChat: 16 })
  for (let i = 0; i < 5000; i++) s.observe(post(`chat${i}`, i * 1000, i))
  assert.ok(s.stats().chats <= 1000, `chats ${s.stats().chats}`)
  for (let i = 0; i < 500; i++) s.observe(post('busy', 6_000_000 + i, 100_000 + i))
  assert.ok(s.stats().items <= 1000 * 2 + 32 + 2, `items ${s.stats().items}`)
})

test('bounded memory under a stream of many distinct chats of every type: maxChats holds, items and name keys with it', () => {
  const maxChats = 500
  // supergroups carry items too here; groups and bots only names
  const s = sim({ maxChats, maxItemsPerChat: 8, contentChatTypes: ['channel', 'supergroup'] })
  const types = ['supergroup', 'group', 'bot', 'supergroup', 'group', 'channel']
  const peak = { chats: 0, items: 0, nameKeys: 0 }
  for (let i = 0; i < 8_000; i++) {
    // 8,000 chats in 2.2 hours (a 24 h window: nothing leaves by age), most of them not channels
    const extra = { chatType: types[i % types.length]!, title: `Daily News ${i % 700}`, username: `daily_news_${i}` }
    s.observe(post(`chat${i}`, i * 1000, i % 3000, extra))
    s.observe(post(`chat${i}`, i * 1000 + 1, 100_000 + i, extra))
    if (i % 100 === 0) s.drainChanged(i * 1000 + 2)
    const st = s.stats()
    peak.chats = Math.max(peak.chats, st.chats)
    peak.items = Math.max(peak.items, st.items)
    peak.nameKeys = Math.max(peak.nameKeys, st.nameKeys)
  }
  assert.ok(peak.chats <= maxChats, `chats ${peak.chats}`)
  assert.ok(peak.chats >= maxChats * 0.9, `chats ${peak.chats}: the bound is used, not undercut`)
  assert.ok(peak.items <= maxChats * 2 * 2, `items ${peak.items}: two posts of two items per chat`)
  // each chat indexes its title and its handle under a few keys (skeleton, one-edit halves, bases)
  assert.ok(peak.nameKeys <= maxChats * 16, `name keys ${peak.nameKeys}`)
})

test('a megabyte-long title is cut to MAX_NAME_LENGTH before it is matched or kept', () => {
  const s = sim()
  s.observe(namePost('a', 1, { title: 'Crypto Signals VIP' }))
  // a disguised copy of the title with impersonation words, then a megabyte more of them
  const title = 'Crypto Sign\u0430ls VIP' + ' official'.repeat(26) + ' app' + ' official'.repeat(120_000)
  s.observe(namePost('b', 2, { title }))
  const rows = s.drainChanged(3)
  assert.deepEqual(
    rows.map((r) => `${r.chat_a}~${r.chat_b}:${r.kind}`),
    ['a~b:name'],
  )
  assert.equal(rows[0]!.name_b, title.slice(0, MAX_NAME_LENGTH))
  assert.ok(s.stats().nameKeys < 100, `name keys ${s.stats().nameKeys}`)
})

test('protected-names file: validated, every problem listed', () => {
  assert.throws(
    () =>
      compileProtectedNames(
        parseYaml(
          'version: 1\nnames:\n  - { username: "bad handle" }\n  - { title: x }\n  - { generic: true }\n  - { username: durov }\n  - { username: Durov }\n',
        ),
        'p.yaml',
      ),
    (e: unknown) => {
      assert.ok(e instanceof ProtectedNamesError)
      assert.equal(e.problems.length, 4, e.problems.join('\n'))
      assert.match(e.message, /names\.0\.username/)
      assert.match(e.message, /names\.1\.title/)
      assert.match(e.message, /names\.2: needs a username or a title/)
      assert.match(e.message, /names\.4\.username: @durov is listed twice/)
      return true
    },
  )
})
