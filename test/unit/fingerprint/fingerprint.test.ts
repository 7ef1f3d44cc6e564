import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  NUM_BANDS,
  SHORT_SKELETON_CHARS,
  SIG_BINS,
  SIG_LENGTH,
  bandKeysOf,
  fingerprintText,
  jaccardSorted,
  shingleSet,
  signatureFromHex,
  signatureShingles,
  signatureSimilarity,
  signatureToHex,
  skeletonOf,
} from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'

const fp = (s: string) => fingerprintText(normalizeText(s))

const BASE =
  'Join our VIP crypto signals channel today and get daily profit up to 30 percent, our analysts trade for you while you sleep, limited places left, write to the admin now'

test('exact hash: 16 lowercase hex, deterministic, equal for equal normalized text', () => {
  const a = fp(BASE)
  assert.match(a.exactHash, /^[0-9a-f]{16}$/)
  assert.equal(fp(BASE).exactHash, a.exactHash)
  // obfuscated copy with the same normalized text: same exact hash
  const b = fp(BASE.replace(/a/g, 'а').replace(/o/g, 'о') + ' 🚀🚀')
  assert.equal(b.exactHash, a.exactHash)
  assert.notEqual(fp(BASE + ' please').exactHash, a.exactHash)
})

test('exact hash: short numbers are content, long ones (phones, ids) are not', () => {
  assert.notEqual(fp('price 100 usdt').exactHash, fp('price 200 usdt').exactHash)
  assert.equal(fp('call 89991234567 now').exactHash, fp('call 89997654321 now').exactHash)
})

test('signature: 65 uint32 (header + 64 bins), hex round trip', () => {
  const a = fp(BASE)
  assert.equal(a.signature.length, SIG_LENGTH)
  assert.equal(SIG_LENGTH, SIG_BINS + 1)
  assert.equal(a.signature[0]! >>> 24, 1, 'version 1 in the header')
  assert.ok(signatureShingles(a.signature) > 50)
  const hex = signatureToHex(a.signature)
  assert.match(hex, /^[0-9a-f]{520}$/)
  assert.deepEqual(signatureFromHex(hex), a.signature)
  assert.throws(() => signatureFromHex('xyz'))
})

test('band keys: one per band, derived from the signature alone', () => {
  const a = fp(BASE)
  assert.equal(a.bandKeys.length, NUM_BANDS)
  assert.deepEqual(bandKeysOf(signatureFromHex(signatureToHex(a.signature))), a.bandKeys)
})

test('signature similarity: identical 1, near-duplicate high, unrelated low', () => {
  const a = fp(BASE)
  assert.equal(signatureSimilarity(a.signature, fp(BASE).signature), 1)
  const edited = fp(BASE.replace('today', 'right now').replace('limited', 'very few'))
  assert.ok(signatureSimilarity(a.signature, edited.signature) >= 0.6)
  const other = fp('Продам гараж в центре города недорого, торг уместен, звоните вечером после шести часов, спросить Николая')
  assert.ok(signatureSimilarity(a.signature, other.signature) <= 0.1)
})

test('signature is computed on the number-masked template: copies with other numbers share it', () => {
  const a = fp('BTC 26600-26700 long, take profit 27000-27400, stop 26450, ETH 1650-1660 long')
  const b = fp('BTC 25950-26050 long, take profit 26450-26850, stop 25800, ETH 1563-1573 long')
  assert.equal(signatureSimilarity(a.signature, b.signature), 1)
  assert.notEqual(a.exactHash, b.exactHash)
  assert.notEqual(a.skeleton, b.skeleton, 'the verification skeleton keeps the numbers')
})

test('skeleton: spaces removed, links one placeholder, i/l folded; never serialized', () => {
  assert.equal(skeletonOf('hello big world'), 'heiiobigworid')
  assert.equal(skeletonOf('join t.me now and example.com'), 'join\u0001nowand\u0001')
  assert.equal(skeletonOf('t.me'), '\u0001t.me', 'a text that is only a link keeps its domain')
  assert.equal(skeletonOf('price # or # usdt', ['100', '12345678']), 'price100or#usdt')
  const a = fp(BASE)
  assert.equal(typeof a.skeleton, 'string')
  assert.ok(!JSON.stringify(a).includes(a.skeleton!.slice(0, 20)))
  assert.ok(!('skeleton' in { ...a }))
})

test('short texts are flagged, long ones are not; empty text is empty', () => {
  assert.equal(fp('buy now').short, true)
  assert.equal(fp(BASE).short, false)
  assert.ok(fp('x'.repeat(SHORT_SKELETON_CHARS)).short === false)
  const e = fp('🚀🚀🚀')
  assert.equal(e.empty, true)
  assert.equal(e.signature.length, SIG_LENGTH)
})

test('exact Jaccard on sorted shingle sets', () => {
  const a = shingleSet('abcdefgh')
  const b = shingleSet('abcdefgh')
  assert.equal(jaccardSorted(a, b), 1)
  assert.equal(jaccardSorted(shingleSet('abcdefgh'), shingleSet('zyxwvuts')), 0)
  const j = jaccardSorted(shingleSet('abcdefghij'), shingleSet('abcdefghXY'))
  assert.ok(j > 0.3 && j < 0.8)
  assert.equal(jaccardSorted(shingleSet(''), shingleSet('')), 1)
})
