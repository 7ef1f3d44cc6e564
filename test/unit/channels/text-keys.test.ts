/**
 * Clone evidence from text keys (src/fingerprint/text-key.ts): reposts whose exact hashes and
 * campaigns differ from the original's (cut short, with a tail or a greeting, posted after the
 * campaign index forgot the original) still count, by the beginning or the end of their text; and a
 * text key counts over a chat's posts, not over its posts that have keys.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ChatSimilarity, type SimilarityRow } from '../../../src/channels/index.js'
import { channelPost, hex } from '../../support/chat-posts.js'

const MIN = 60_000
const HOUR = 3_600_000
const post = (chatId: string, tsMs: number, item: number, headKey = '', tailKey = '') =>
  channelPost(chatId, tsMs, item, { campaignId: '', campaignChats: 1, headKey, tailKey })
const sim = () => new ChatSimilarity({ windowMs: 72 * HOUR, maxChats: 10_000, protectedNames: [] })
const clonePairs = (rows: SimilarityRow[]) =>
  rows.filter((r) => (r.kind === 'content' || r.kind === 'both') && r.score > 0).map((r) => `${r.chat_a}~${r.chat_b}:${r.original_chat}`)

/** The original's 30 posts, then a clone's four reposts 30 hours later and one post of its own; `withKeys` false: the same posts without text keys. */
function cloneAfterADay(withKeys: boolean): ChatSimilarity {
  const s = sim()
  const key = (k: number) => (withKeys ? hex(k) : '')
  for (let i = 0; i < 30; i++) s.observe(post('orig', i * MIN, 100 + i, key(1000 + i), key(2000 + i)))
  const later = 30 * HOUR
  s.observe(post('clone', later, 500, key(1003), '')) // cut short: its beginning
  s.observe(post('clone', later + MIN, 501, key(1011), '')) // a tail of tags: its beginning
  s.observe(post('clone', later + 2 * MIN, 502, '', key(2017))) // a greeting: its end
  s.observe(post('clone', later + 3 * MIN, 503, key(1024), key(2024))) // reformatted: both
  s.observe(post('clone', later + 4 * MIN, 504, key(9999), key(9998))) // its own
  return s
}

test('reposts that share only their beginnings or ends with the original make a clone pair, the original named', () => {
  const s = cloneAfterADay(true)
  assert.deepEqual(clonePairs(s.drainChanged(31 * HOUR)), ['clone~orig:orig'])
  // by kind: exact, campaign, head, tail
  assert.deepEqual(s.inspect('clone', 'orig')?.shared, [0, 0, 3, 2])
})

test('the same reposts without text keys are no clone pair', () => {
  assert.deepEqual(clonePairs(cloneAfterADay(false).drainChanged(31 * HOUR)), [])
})

test('text keys count over all the posts of a chat: three shared beginnings among eight posts are not a copy', () => {
  const s = sim()
  // a chat that receives the same spam as another: 8 posts, 4 of them long enough to have keys, 3 of those posted earlier elsewhere
  for (let i = 0; i < 3; i++) s.observe(post('other', i * MIN, 300 + i, hex(3000 + i)))
  for (let i = 0; i < 8; i++) s.observe(post('spammed', HOUR + i * MIN, 400 + i, i < 3 ? hex(3000 + i) : i === 3 ? hex(3999) : ''))
  for (let i = 0; i < 20; i++) s.observe(post('other', 2 * HOUR + i * MIN, 600 + i, hex(6000 + i)))
  assert.deepEqual(clonePairs(s.drainChanged(3 * HOUR)), [])
  assert.deepEqual(s.inspect('spammed', 'other')?.shared, [0, 0, 3, 0])
})
