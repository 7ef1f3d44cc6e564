/**
 * Short texts found by their words (src/fingerprint/word-keys.ts, src/campaigns/candidates.ts) and cut
 * short to about half (src/campaigns/verify.ts). A short copy whose signature shares no LSH band with
 * its base's is now a candidate through a word key and joins; a short text cut to 54 % of its length
 * joins when it is the other's beginning, not when it is its end; a candidate only word keys found
 * needs E >= 0.77 under the scattered-edits rule. Each joining case is also run with the new path
 * turned off, under which it stays apart; and the word keys of an entry leave with it.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CampaignIndex, type CampaignIndexOptions } from '../../../src/campaigns/index.js'
import { NUM_BANDS, fingerprintText } from '../../../src/fingerprint/index.js'
import { WORD_BANDS, wordKeysOf } from '../../../src/fingerprint/word-keys.js'
import { normalizeText } from '../../../src/normalize/index.js'

let next = 0
function indexWith(opts: Partial<CampaignIndexOptions> = {}, maxEntries = 1000) {
  const idx = new CampaignIndex({ windowMs: 3600_000, maxEntries, ...opts })
  const put = (text: string) => {
    const n = normalizeText(text)
    return idx.assign({ chatId: 'c', messageId: String(next++) }, fingerprintText(n), n.text, 0)
  }
  return { idx, put }
}

/** Whether the second text joins the first's campaign, and the similarity it was matched with (0 when not). */
function joins(first: string, second: string, opts: Partial<CampaignIndexOptions> = {}): [boolean, number] {
  const { put } = indexWith(opts)
  const a = put(first)
  const b = put(second)
  return [a.campaignId === b.campaignId, b.similarity]
}

function sharedBands(a: string, b: string): number {
  const fa = fingerprintText(normalizeText(a))
  const fb = fingerprintText(normalizeText(b))
  let n = 0
  for (let i = 0; i < NUM_BANDS; i++) if (fa.bandKeys[i] === fb.bandKeys[i]) n++
  return n
}

const COURIERS = 'Срочно нужны курьеры на личном авто, оплата каждый день от 5000, пишите в личку за подробностями.'
const COURIERS_COPY = 'Срочно ищем курьеров с личным авто, выплаты каждый день от 5000, пишите в лс за подробностями.'
const SMS = 'Your Apple ID was locked for security reasons. Unlock it now by verifying your billing details at the official page.'
const NO_WORDS: Partial<CampaignIndexOptions> = { wordKeyMaxChars: 0 }

test('word keys: order-insensitive, links and masks are not words, fewer than three words give none', () => {
  const a = new Uint32Array(WORD_BANDS)
  const b = new Uint32Array(WORD_BANDS)
  assert.equal(wordKeysOf('claim your gift today', a), true)
  assert.equal(wordKeysOf('today gift your claim', b), true)
  assert.deepEqual([...b], [...a])
  assert.equal(wordKeysOf('claim your gift t.me today # @', b), true)
  assert.deepEqual([...b], [...a])
  assert.equal(wordKeysOf('claim your gift tomorrow', b), true)
  assert.notDeepEqual([...b], [...a])
  assert.equal(wordKeysOf('claim gift t.me #', b), false)
})

test('a short copy that shares no LSH band with its base joins through a word key', () => {
  assert.equal(sharedBands(COURIERS, COURIERS_COPY), 0)
  const [now, similarity] = joins(COURIERS, COURIERS_COPY)
  assert.equal(now, true)
  assert.equal(similarity.toFixed(4), '0.4057') // J of the skeletons; E >= 0.77 (only word keys found it)
  assert.deepEqual(joins(COURIERS, COURIERS_COPY, NO_WORDS), [false, 0], 'joined without word keys: the test proves nothing')
})

test('a short text cut to 54 % of its length joins when it is the beginning, not when it is the end', () => {
  const head = 'Your Apple ID was locked for security reasons. Unlock it now by'
  const [now, similarity] = joins(SMS, head)
  assert.equal(now, true)
  assert.equal(similarity.toFixed(4), '0.5222')
  assert.deepEqual(joins(SMS, head, { shortCutContainmentMaxChars: 0 }), [false, 0], 'joined before the rule')
  assert.deepEqual(joins(SMS, 'it now by verifying your billing details at the official page.'), [false, 0])
})

test('a candidate only word keys found needs E >= 0.77: two one-liners the public set labels apart', () => {
  const a = 'наверно уж все забрали fs но на всякий случай выложу малоли кто не видел всем удачи'
  const b = 'я так думаю все забрали фс но на всякий случай выложу может кто не видел всем удачи'
  assert.equal(sharedBands(a, b), 0)
  assert.deepEqual(joins(a, b), [false, 0])
  assert.deepEqual(joins(a, b, { wordOnlyMinEditSimilarity: 0.75 }), [true, 0.5])
})

test("an entry's word keys leave with it: removed or evicted, it is no candidate; its slot's next text is", () => {
  const removed = indexWith()
  removed.put(COURIERS)
  assert.equal(removed.idx.remove({ chatId: 'c', messageId: String(next - 1) }), 'c' + fingerprintText(normalizeText(COURIERS)).exactHash)
  assert.equal(removed.put(COURIERS_COPY).created, true)

  // two entries at most: the base is evicted by the third message, and its slot is taken again
  const evicted = indexWith({}, 2)
  evicted.put(COURIERS)
  evicted.put('Продаю велосипед, почти новый, самовывоз из центра.')
  evicted.put('Кто знает, во сколько завтра открывается библиотека на Ленина?')
  assert.equal(evicted.idx.size, 2)
  const copy = evicted.put(COURIERS_COPY)
  assert.equal(copy.created, true)
  assert.equal(evicted.put(COURIERS).campaignId, copy.campaignId)
})
