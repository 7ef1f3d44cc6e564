/**
 * A message that joins a campaign brings in a small campaign it also matches (src/campaigns/campaign-index.ts,
 * adoptSmallCampaign): a copy cut to half of a text matches nothing when it comes, a copy cut to three
 * quarters matches both, and all three end in one campaign. A group of two is adopted too, one of
 * four is not.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CampaignIndex } from '../../../src/campaigns/index.js'
import { fingerprintText } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'
import { sentencesOf } from '../../support/sentences.js'

let next = 0
function put(idx: CampaignIndex, text: string) {
  const n = normalizeText(text)
  const key = { chatId: 'c', messageId: String(next++) }
  return { key, ...idx.assign(key, fingerprintText(n), n.text, 0) }
}

const s = sentencesOf(8, 7)
const whole = s.join(' ')
const half = s.slice(0, 4).join(' ')
const threeQuarters = s.slice(0, 6).join(' ')

test('a copy cut to half matches nothing when it comes; one cut to three quarters joins the text and brings the half in', () => {
  const idx = new CampaignIndex({ windowMs: 3600_000, maxEntries: 1000 })
  const a = put(idx, whole)
  const b = put(idx, half)
  assert.notEqual(b.campaignId, a.campaignId)
  assert.equal(b.created, true)
  const c = put(idx, threeQuarters)
  assert.equal(c.campaignId, a.campaignId)
  // the half joined the text's campaign, under the text's id
  assert.equal(idx.campaignOf(b.key), a.campaignId)
  assert.equal(idx.campaignSize(a.campaignId), 3)
  assert.deepEqual(idx.drainMerges(), [{ alias: b.campaignId, canonical: a.campaignId }])
})

test("a campaign of two is adopted as the half alone is: all four end in the text's campaign", () => {
  const idx = new CampaignIndex({ windowMs: 3600_000, maxEntries: 1000 })
  const a = put(idx, whole)
  const b = put(idx, half)
  const b2 = put(idx, half + ' ' + sentencesOf(1, 99)[0])
  assert.equal(b2.campaignId, b.campaignId)
  const c = put(idx, threeQuarters)
  assert.equal(c.campaignId, a.campaignId)
  assert.equal(idx.campaignOf(b2.key), a.campaignId)
  assert.equal(idx.campaignSize(a.campaignId), 4)
  assert.deepEqual(idx.drainMerges(), [{ alias: b.campaignId, canonical: a.campaignId }])
})

test('a campaign of four is not adopted: the two campaigns the message resembles stay two', () => {
  const idx = new CampaignIndex({ windowMs: 3600_000, maxEntries: 1000 })
  const a = put(idx, whole)
  const b = put(idx, half)
  for (const [i, tail] of sentencesOf(3, 99).entries()) {
    const more = put(idx, half + ' ' + tail)
    assert.equal(more.campaignId, b.campaignId, `copy ${i + 1} of the half joins it`)
  }
  assert.equal(idx.campaignSize(b.campaignId), 4)
  const c = put(idx, threeQuarters)
  assert.equal(c.campaignId, a.campaignId)
  assert.equal(idx.campaignOf(b.key), b.campaignId)
  assert.deepEqual(idx.drainMerges(), [])
})
