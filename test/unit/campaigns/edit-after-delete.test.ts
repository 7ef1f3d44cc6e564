/**
 * Issue 14 item 8: an edit arriving after the delete of the same (chat_id, message_id) must not add a
 * member again. The pipeline counts an edited message as a member when the campaign the index
 * assigns differs from `campaignOf` before it (src/pipeline/analysis.ts); after a delete both must
 * name the campaign the message left, and the index must not take the message back.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CampaignIndex, type MessageKey } from '../../../src/campaigns/index.js'
import { fingerprintText } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'

const HOUR = 3_600_000
const SPAM =
  'Earn 500 USDT every day with our trading bot! No experience needed, the bot trades for you around the clock. Join the private channel now and write to the admin.'
const EDITED = SPAM.replace('admin', 'manager')
const key = (m: string): MessageKey => ({ chatId: '-100chat', messageId: m })

function put(idx: CampaignIndex, k: MessageKey, text: string, ts: number) {
  const n = normalizeText(text)
  return idx.assign(k, fingerprintText(n), n.text, ts)
}

/** The pipeline's rule for an edit: a member again when the assigned campaign is not the one before. */
function editCountsAsMember(idx: CampaignIndex, k: MessageKey, text: string, ts: number): boolean {
  const previous = idx.campaignOf(k)
  return put(idx, k, text, ts).campaignId !== previous
}

test('an edit after the delete of its message adds no member and does not bring the message back', () => {
  const idx = new CampaignIndex({ windowMs: 24 * HOUR, maxEntries: 100 })
  const c = put(idx, key('1'), SPAM, 0).campaignId
  put(idx, key('2'), SPAM, 1000)
  assert.equal(idx.remove(key('2')), c)
  assert.equal(idx.campaignSize(c), 1)
  assert.equal(editCountsAsMember(idx, key('2'), EDITED, 2000), false)
  const late = put(idx, key('2'), EDITED, 3000)
  assert.deepEqual(late, { campaignId: c, created: false, similarity: 0 })
  assert.equal(idx.campaignSize(c), 1)
  assert.equal(idx.size, 1)
  assert.equal(idx.remove(key('2')), null, 'still deleted')
  // an edit of a live message is unaffected
  put(idx, key('3'), SPAM, 4000)
  assert.equal(editCountsAsMember(idx, key('1'), EDITED, 5000), false)
  assert.equal(idx.campaignSize(c), 2)
})

test('a delete is remembered for the window only, and for at most maxEntries messages', () => {
  const idx = new CampaignIndex({ windowMs: HOUR, maxEntries: 2 })
  put(idx, key('1'), SPAM, 0)
  idx.remove(key('1'))
  idx.evict(2 * HOUR)
  // past the window the key is a message like any other again
  const again = put(idx, key('1'), SPAM, 2 * HOUR)
  assert.equal(again.created, true)
  assert.equal(idx.size, 1)

  const small = new CampaignIndex({ windowMs: 24 * HOUR, maxEntries: 2 })
  for (const m of ['a', 'b', 'c']) {
    put(small, key(m), `${SPAM} ${m}`, 0)
    small.remove(key(m))
  }
  assert.equal(small.campaignOf(key('a')), null, 'the oldest delete is forgotten beyond maxEntries')
  assert.notEqual(small.campaignOf(key('c')), null)
})
