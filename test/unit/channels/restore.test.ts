import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChatSimilarity, type ChatPost } from '../../../src/channels/index.js'
import { restoreChatSimilarity, type StoredChatPost } from '../../../src/channels/restore.js'

const HOUR = 3_600_000
const hex = (n: number) => n.toString(16).padStart(16, '0')
const sim = () => new ChatSimilarity({ windowMs: 24 * HOUR, maxChats: 1000, protectedNames: [] })
const stored = (chatId: string, tsMs: number, item: number, campaignId = '', headKey = ''): StoredChatPost => ({
  chatId,
  chatType: 'channel',
  tsMs,
  exactHash: hex(item),
  campaignId,
  headKey,
  tailKey: '',
})

test('stored posts, in any order, rebuild the same evidence as the live posts oldest first', () => {
  // the copies of chat -2 share their exact hashes with -1's posts, and one more post its text key alone
  const posts = [0, 1, 2].flatMap((i) => [
    stored('-1', i * HOUR, 100 + i, '', hex(900 + i)),
    stored('-2', (i + 5) * HOUR, 100 + i, '', hex(900 + i)),
  ])
  posts.push(stored('-1', 3 * HOUR, 103, '', hex(903)), stored('-2', 8 * HOUR, 203, '', hex(903)))
  const live = sim()
  for (const p of [...posts].sort((a, b) => a.tsMs - b.tsMs)) live.observe({ ...p, campaignChats: 0 })
  const restored = sim()
  const replayed = restoreChatSimilarity(restored, [...posts].reverse(), { minMessages: 2, campaignChats: () => 1 })
  assert.equal(replayed, 8)
  assert.deepEqual(restored.inspect('-1', '-2'), live.inspect('-1', '-2'))
  // shared items by kind: exact, campaign, head key, tail key
  assert.deepEqual(restored.inspect('-1', '-2')?.shared, [3, 0, 4, 0])
  assert.deepEqual(restored.drainChanged(8 * HOUR), live.drainChanged(8 * HOUR))
})

test('a campaign is evidence from its min_messages-th member on, and its spread is counted at each post in time order', () => {
  const observed: ChatPost[] = []
  const similarity = { observe: (post: ChatPost) => observed.push(post) } as unknown as ChatSimilarity
  const spread: [string, string, number][] = []
  const posts = [
    stored('-3', 3 * HOUR, 3, 'c1'),
    stored('-1', 1 * HOUR, 1, 'c1'),
    stored('-2', 2 * HOUR, 2, 'c1'),
    stored('-4', 4 * HOUR, 4),
  ]
  restoreChatSimilarity(similarity, posts, {
    minMessages: 2,
    campaignChats: (campaignId, chatId, tsMs) => spread.push([campaignId, chatId, tsMs]),
  })
  assert.deepEqual(
    observed.map((p) => [p.chatId, p.campaignId, p.campaignChats]),
    [
      ['-1', '', 1],
      ['-2', 'c1', 2],
      ['-3', 'c1', 3],
      ['-4', '', 0],
    ],
  )
  assert.deepEqual(spread, [
    ['c1', '-1', HOUR],
    ['c1', '-2', 2 * HOUR],
    ['c1', '-3', 3 * HOUR],
  ])
})
