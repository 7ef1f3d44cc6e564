import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { normalizeText } from '../../../src/normalize/index.js'
import { fingerprintText, type TextFingerprint } from '../../../src/fingerprint/index.js'
import { packTexts, unpackText } from '../../../src/fingerprint/packed.js'
import type { NormalizedText } from '../../../src/normalize/index.js'

/** Every field the analysis reads, the skeleton included (it is not an own enumerable property). */
function fingerprintFields(fp: TextFingerprint) {
  return {
    exactHash: fp.exactHash,
    exactHi: fp.exactHi,
    exactLo: fp.exactLo,
    signature: [...fp.signature],
    bandKeys: [...fp.bandKeys],
    shingles: fp.shingles,
    skeletonLength: fp.skeletonLength,
    short: fp.short,
    empty: fp.empty,
    skeleton: fp.skeleton,
  }
}
const normalizedFields = (n: NormalizedText) => ({
  text: n.text,
  tokens: n.tokens,
  linkDomains: n.linkDomains,
  numbers: n.numbers,
  evidence: n.evidence,
})

const EDGE_CASES = [
  'Win a FREE iPhone 15 today at https://example.com/prize for $99.99 now!!!',
  '🔥🔥🔥', // nothing survives normalization: an empty fingerprint
  'Сalled +7 921 555-12-34, ask for Ivan: 3000 руб за 2 часа',
  'ｆｒｅｅ 𝐜𝐫𝐲𝐩𝐭𝐨 a\u200bi\u200br\u200bd\u200br\u200bo\u200bp hxxps://t[.]me/+abc',
  'same text same text same text same text',
  'hi',
]

test('a packed text unpacks to exactly what normalizeText and fingerprintText return for it', () => {
  const labelled = readFileSync(new URL('../../fixtures/eval/neardup-public.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .slice(0, 1500)
    .map((line) => (JSON.parse(line) as { text: string }).text)
  const texts = [...EDGE_CASES, ...labelled]
  const packed = packTexts(texts)
  let empty = 0
  texts.forEach((text, i) => {
    const prepared = unpackText(packed, i, text)
    assert.ok(prepared, `text ${i} was prepared`)
    const normalized = normalizeText(text)
    const fp = fingerprintText(normalized)
    assert.deepEqual(normalizedFields(prepared.normalized), normalizedFields(normalized), `normalization of text ${i}`)
    assert.deepEqual(fingerprintFields(prepared.fingerprint), fingerprintFields(fp), `fingerprint of text ${i}`)
    if (fp.empty) empty++
  })
  assert.equal(empty, 1, 'the emoji-only text has an empty fingerprint, and it survives the round trip')
})

test('a gap or another text at the same place is not taken for the text asked about', () => {
  const packed = packTexts(['first text of the batch', null, 'third'])
  assert.equal(unpackText(packed, 1, 'anything'), undefined, 'nothing was prepared there')
  assert.equal(unpackText(packed, 2, 'a longer third text'), undefined, 'prepared from another text')
  assert.equal(unpackText(packed, 0, 'first text of the batch')?.normalized.text, 'first text of the batch')
})
