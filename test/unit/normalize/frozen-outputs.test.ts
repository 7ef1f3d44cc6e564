/**
 * Differential test of the normalizer against its own past outputs: a digest of every field of
 * normalizeText's result (text, tokens, linkDomains, numbers, evidence with its key order) for each
 * text of the labelled set test/fixtures/eval/neardup-public.jsonl and for generated obfuscated texts
 * (./adversarial-texts.ts), frozen in test/fixtures/golden/normalize-outputs.json. A rewrite for
 * speed must leave every one of them unchanged.
 * After a deliberate change of behaviour: UPDATE_GOLDEN=1 node --import tsx --test test/unit/normalize/frozen-outputs.test.ts
 * rewrites the digests; say in the commit which outputs changed and why.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { test } from 'node:test'
import { normalizeText } from '../../../src/normalize/index.js'
import { adversarialTexts } from './adversarial-texts.js'

const GENERATED_COUNT = 4000
const GENERATED_SEED = 20240611

interface Frozen {
  about: string
  labelled: string[]
  generated: string[]
}

const frozenUrl = new URL('../../fixtures/golden/normalize-outputs.json', import.meta.url)
const labelledUrl = new URL('../../fixtures/eval/neardup-public.jsonl', import.meta.url)
const labelledTexts = readFileSync(labelledUrl, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { text: string }).text)
const generatedTexts = adversarialTexts(GENERATED_COUNT, GENERATED_SEED)

/** The first 64 bits of a SHA-256 over everything normalizeText returns, in hex. */
function digest(raw: string): string {
  const n = normalizeText(raw)
  const all = JSON.stringify([n.text, n.tokens, n.linkDomains, n.numbers, Object.entries(n.evidence)])
  return createHash('sha256').update(all).digest('hex').slice(0, 16)
}

if (process.env['UPDATE_GOLDEN'] === '1') {
  const frozen: Frozen = {
    about:
      'Digests of normalizeText outputs (see test/unit/normalize/frozen-outputs.test.ts): `labelled` per line of test/fixtures/eval/neardup-public.jsonl, `generated` per text of test/unit/normalize/adversarial-texts.ts.',
    labelled: labelledTexts.map(digest),
    generated: generatedTexts.map(digest),
  }
  writeFileSync(frozenUrl, JSON.stringify(frozen, null, 0).replaceAll('","', '",\n"') + '\n')
}
const frozen = JSON.parse(readFileSync(frozenUrl, 'utf8')) as Frozen

/** Checks every text and reports the first few that differ (with their index), not just the first. */
function assertUnchanged(set: string, texts: readonly string[], expected: readonly string[]): void {
  assert.equal(texts.length, expected.length, `${set}: ${texts.length} texts, ${expected.length} frozen digests`)
  const changed: string[] = []
  for (let i = 0; i < texts.length; i++) {
    if (digest(texts[i]!) !== expected[i])
      changed.push(`#${i} ${JSON.stringify(texts[i]!.slice(0, 80))} → ${JSON.stringify(normalizeText(texts[i]!))}`)
  }
  assert.equal(changed.length, 0, `${set}: ${changed.length} outputs changed, e.g.\n${changed.slice(0, 5).join('\n')}`)
}

test('every text of the labelled set normalizes exactly as frozen', () => {
  assert.equal(labelledTexts.length, 5823)
  assertUnchanged('labelled', labelledTexts, frozen.labelled)
})

test('generated obfuscated texts normalize exactly as frozen', () => {
  assertUnchanged('generated', generatedTexts, frozen.generated)
})

test('the frozen digests see numbers and evidence, not only the text', () => {
  // two inputs with one text but different numbers and evidence must not share a digest
  assert.equal(normalizeText('pay 100 now').text, normalizeText('pay 200 now').text)
  assert.notEqual(digest('pay 100 now'), digest('pay 200 now'))
  assert.equal(normalizeText('free').text, normalizeText('frее').text)
  assert.notEqual(digest('free'), digest('frее'))
})
