/**
 * The verification rules that do not need edit similarity (src/campaigns/verify.ts): a copy whose
 * sentences were reordered or repeated, and a long copy cut short, join the campaign; a text that is
 * only the middle of another does not.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CampaignIndex } from '../../../src/campaigns/index.js'
import { fingerprintText } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'
import { sentencesOf } from '../../support/sentences.js'

const newIndex = () => new CampaignIndex({ windowMs: 3600_000, maxEntries: 1000 })
let next = 0
function put(idx: CampaignIndex, text: string) {
  const n = normalizeText(text)
  return idx.assign({ chatId: 'c', messageId: String(next++) }, fingerprintText(n), n.text, 0)
}

test('a copy with its sentences in another order joins, though its edit similarity is low', () => {
  const s = sentencesOf(4, 1)
  const idx = newIndex()
  const a = put(idx, s.join(' '))
  const b = put(idx, [s[2], s[3], s[0], s[1]].join(' '))
  assert.equal(b.campaignId, a.campaignId)
  assert.ok(b.similarity > 0.9, `J ${b.similarity}`)
})

test('a text repeated twice joins the campaign of the text', () => {
  const text = sentencesOf(3, 2).join(' ')
  const idx = newIndex()
  const a = put(idx, text)
  assert.equal(put(idx, `${text} ${text}`).campaignId, a.campaignId)
})

test('a text pasted twice after a greeting (not folded as a repeat) and the text: under half its length, J alone decides', () => {
  const text = sentencesOf(3, 3).join(' ')
  const idx = newIndex()
  const twice = put(idx, `Hi! ${text} ${text}`)
  const once = put(idx, text)
  assert.equal(once.campaignId, twice.campaignId)
  assert.ok(once.similarity >= 0.88, `J ${once.similarity}`)
  // another text of the same length does not join it
  assert.notEqual(put(idx, sentencesOf(3, 4).join(' ')).campaignId, twice.campaignId)
})

test('a long copy cut at about half joins by containment; a short one cut alike does not', () => {
  const long = sentencesOf(20, 3)
  const idx = newIndex()
  const a = put(idx, long.join(' '))
  const cut = put(idx, long.slice(0, 11).join(' '))
  assert.equal(cut.campaignId, a.campaignId)
  assert.ok(cut.similarity < 0.7, `J ${cut.similarity}: only containment accepts this`)
  // below the containment rule's length the same cut is a campaign of its own (7 sentences: a
  // skeleton of 280 characters, above the 250 up to which a short text's cut to half joins)
  const short = sentencesOf(7, 4)
  const b = put(idx, short.join(' '))
  assert.notEqual(put(idx, short.slice(0, 4).join(' ')).campaignId, b.campaignId)
})

test('the middle of a long text is not a copy of it: containment needs the beginning or the end', () => {
  const long = sentencesOf(24, 5)
  const idx = newIndex()
  const a = put(idx, long.join(' '))
  const middle = put(idx, long.slice(6, 18).join(' '))
  assert.notEqual(middle.campaignId, a.campaignId)
  assert.equal(middle.created, true)
  // the end alone is a copy cut at the front
  assert.equal(put(idx, long.slice(11).join(' ')).campaignId, a.campaignId)
})

test('a copy that kept most of a medium text joins by containment, below the long-text length', () => {
  const s = sentencesOf(6, 6)
  const idx = newIndex()
  const a = put(idx, s.join(' '))
  const cut = put(idx, s.slice(0, 4).join(' '))
  assert.equal(cut.campaignId, a.campaignId)
  assert.ok(cut.similarity < 0.7, `J ${cut.similarity}: only containment accepts this`)
})

test('a medium text with a second message of about its length appended is another campaign', () => {
  const first = sentencesOf(8, 7)
  const idx = newIndex()
  const a = put(idx, first.join(' '))
  const joined = put(idx, [...first, ...sentencesOf(7, 8)].join(' '))
  assert.notEqual(joined.campaignId, a.campaignId)
  assert.equal(joined.created, true)
})
