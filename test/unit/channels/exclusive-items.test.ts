/**
 * Clones found on fewer shared posts: items only the two chats posted count from
 * `minSharedExclusive` (default 2) on; items a third chat also posted need `minShared` (default 3).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ChatSimilarity, type ChatPost, type SimilarityRow } from '../../../src/channels/index.js'
import { channelPost, hex } from '../../support/chat-posts.js'

const MIN = 60_000
const HOUR = 3_600_000
const post = (chatId: string, tsMs: number, item: number) => channelPost(chatId, tsMs, item)
const sim = () => new ChatSimilarity({ windowMs: 24 * HOUR, maxChats: 10_000, protectedNames: [] })
const clonePairs = (rows: SimilarityRow[]) =>
  rows.filter((r) => (r.kind === 'content' || r.kind === 'both') && r.score > 0).map((r) => `${r.chat_a}~${r.chat_b}`)

test('a clone with two reposts nobody else posted is found, its original named', () => {
  const s = sim()
  for (let i = 0; i < 30; i++) s.observe(post('orig', i * MIN, 100 + i))
  s.observe(post('clone', 40 * MIN, 103))
  s.observe(post('clone', 41 * MIN, 117))
  const rows = s.drainChanged(60 * MIN)
  assert.deepEqual(clonePairs(rows), ['clone~orig'])
  assert.equal(rows.find((r) => r.score > 0)!.original_chat, 'orig')
  assert.ok(s.isClone('clone'))
})

test('one exclusive repost is not enough, nor two that a third chat also posted', () => {
  const one = sim()
  for (let i = 0; i < 30; i++) one.observe(post('orig', i * MIN, 100 + i))
  one.observe(post('clone', 40 * MIN, 103))
  assert.deepEqual(clonePairs(one.drainChanged(60 * MIN)), [])

  // spam chats: two items, each also posted by a third chat, in a consistent order
  const s = sim()
  for (let i = 0; i < 30; i++) s.observe(post('a', i * MIN, 100 + i))
  s.observe(post('b', 40 * MIN, 103))
  s.observe(post('b', 41 * MIN, 117))
  s.observe(post('c', 42 * MIN, 103))
  s.observe(post('c', 43 * MIN, 117))
  assert.deepEqual(clonePairs(s.drainChanged(60 * MIN)), [])
})

test('a third chat posting the items later takes the exclusive evidence back', () => {
  const s = sim()
  for (let i = 0; i < 30; i++) s.observe(post('orig', i * MIN, 100 + i))
  s.observe(post('clone', 40 * MIN, 103))
  s.observe(post('clone', 41 * MIN, 117))
  assert.deepEqual(clonePairs(s.drainChanged(45 * MIN)), ['clone~orig'])
  s.observe(post('third', 50 * MIN, 103))
  s.observe(post('third', 51 * MIN, 117))
  const rows = s.drainChanged(60 * MIN)
  // the pair is written once more, with score 0: it is no longer a clone pair
  const last = rows.filter((r) => r.chat_a === 'clone' && r.chat_b === 'orig')
  assert.equal(last.length, 1)
  assert.equal(last[0]!.score, 0)
  assert.deepEqual(clonePairs(rows), [])
})

test('posts of a campaign that reached other chats are not exclusive, even as exact texts two chats alone posted', () => {
  const s = sim()
  const spread = (p: ChatPost): ChatPost => ({ ...p, campaignId: 'c' + hex(999), campaignChats: 5 })
  for (let i = 0; i < 30; i++) s.observe(post('a', i * MIN, 100 + i))
  s.observe(spread(post('a', 31 * MIN, 500)))
  s.observe(spread(post('a', 32 * MIN, 501)))
  s.observe(spread(post('b', 40 * MIN, 500)))
  s.observe(spread(post('b', 41 * MIN, 501)))
  assert.deepEqual(clonePairs(s.drainChanged(60 * MIN)), [])
})

test('two exclusive reposts beside one post of its own are enough (score 0.44 >= minScoreExclusive 0.4); beside two, not (0.33)', () => {
  const withOwn = (ownPosts: number) => {
    const s = sim()
    for (let i = 0; i < 30; i++) s.observe(post('orig', i * MIN, 100 + i))
    // an advert: the clone's own post, which nobody else posted
    for (let k = 0; k < ownPosts; k++) s.observe(post('clone', (35 + k) * MIN, 900 + k))
    s.observe(post('clone', 40 * MIN, 103))
    s.observe(post('clone', 41 * MIN, 117))
    return clonePairs(s.drainChanged(60 * MIN))
  }
  assert.deepEqual(withOwn(1), ['clone~orig'])
  assert.deepEqual(withOwn(2), [])
  // at minScore (0.5) for exclusive evidence too, one advert hides the clone
  const strict = new ChatSimilarity({ windowMs: 24 * HOUR, maxChats: 10_000, protectedNames: [], minScoreExclusive: 0.5 })
  for (let i = 0; i < 30; i++) strict.observe(post('orig', i * MIN, 100 + i))
  strict.observe(post('clone', 35 * MIN, 900))
  strict.observe(post('clone', 40 * MIN, 103))
  strict.observe(post('clone', 41 * MIN, 117))
  assert.deepEqual(clonePairs(strict.drainChanged(60 * MIN)), [])
})
