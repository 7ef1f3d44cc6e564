/**
 * Short texts (an SMS, a chat one-liner) under attack (src/campaigns/verify.ts): one attack changes a
 * large share of their shingles. A copy cut to two thirds, or reordered with a tail of tags, joins
 * its campaign; a text with another message of its own length before it, or another text with the
 * same opening, does not. Each case is also run with the rules as they were (containment from 100
 * shingles, no order-insensitive containment), under which the joining copies stay apart.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CampaignIndex, type CampaignIndexOptions } from '../../../src/campaigns/index.js'
import { fingerprintText } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'

const BEFORE: Partial<CampaignIndexOptions> = { minCloseContainmentShingles: 100, unalignedContainmentMaxChars: 0 }
let next = 0
function joins(first: string, second: string, opts: Partial<CampaignIndexOptions> = {}): boolean {
  const idx = new CampaignIndex({ windowMs: 3600_000, maxEntries: 1000, ...opts })
  const put = (text: string) => {
    const n = normalizeText(text)
    return idx.assign({ chatId: 'c', messageId: String(next++) }, fingerprintText(n), n.text, 0).campaignId
  }
  return put(first) === put(second)
}

const SMS = 'Your Apple ID was locked for security reasons. Unlock it now by verifying your billing details.'
const CHAT = 'Кому нужны деньги срочно? Даю займы без проверок и справок, пишите в лс.'

test('an SMS cut to two thirds of its words joins by containment (under 100 shingles)', () => {
  const cut = 'Your Apple ID was locked for security reasons. Unlock it now by'
  assert.ok(joins(SMS, cut))
  assert.ok(!joins(SMS, cut, BEFORE), 'joined before the change: the test proves nothing')
})

test('a chat one-liner with its sentences swapped and a tail of tags joins', () => {
  const copy = 'Даю займы без проверок и справок, пишите в лс. Кому нужны деньги срочно? #деньги @zaim_help'
  assert.ok(joins(CHAT, copy))
  assert.ok(!joins(CHAT, copy, BEFORE), 'joined before the change: the test proves nothing')
})

test('another message of the same length before a short text, or another text with its opening, stays apart', () => {
  const other = 'Продаю iPhone 15 Pro, состояние идеальное, полный комплект и чек.'
  assert.ok(!joins(CHAT, `${other} ${CHAT}`))
  assert.ok(!joins(SMS, 'Your Apple ID was locked for security reasons. We will send the new password to your email.'))
})
