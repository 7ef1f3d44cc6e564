/**
 * Golden tests of the normalizer: every obfuscation kind, in both directions (what must fold
 * together, what must stay apart). The expected outputs live in test/fixtures/golden/*.json.
 * After a deliberate change: UPDATE_GOLDEN=1 node --import tsx --test test/unit/normalize/golden.test.ts
 * rewrites the expected `text` and `evidence` of test/fixtures/golden/normalize.json; review the diff.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { test } from 'node:test'
import { OBFUSCATION_KINDS, normalizeText, type ObfuscationKind } from '../../../src/normalize/index.js'

interface GoldenCase {
  name: string
  input: string
  text: string
  evidence: Partial<Record<ObfuscationKind, number>>
  linkDomains?: string[]
  numbers?: string[]
}
interface PairGroup {
  name: string
  same: boolean
  texts: string[]
}

const casesUrl = new URL('../../fixtures/golden/normalize.json', import.meta.url)
const pairsUrl = new URL('../../fixtures/golden/normalize-pairs.json', import.meta.url)
const golden = JSON.parse(readFileSync(casesUrl, 'utf8')) as { about: string; cases: GoldenCase[] }
const pairs = JSON.parse(readFileSync(pairsUrl, 'utf8')) as { about: string; groups: PairGroup[] }

if (process.env['UPDATE_GOLDEN'] === '1') {
  for (const c of golden.cases) {
    const n = normalizeText(c.input)
    c.text = n.text
    c.evidence = { ...n.evidence }
  }
  writeFileSync(casesUrl, JSON.stringify(golden, null, 2) + '\n')
}

test('golden cases cover every obfuscation kind', () => {
  const covered = new Set<string>()
  for (const c of golden.cases) for (const k of Object.keys(c.evidence)) covered.add(k)
  for (const kind of OBFUSCATION_KINDS) {
    if (kind === 'truncated') continue // covered in normalize.test.ts (needs an 8 KB input)
    assert.ok(covered.has(kind), `no golden case exercises "${kind}"`)
  }
})

for (const c of golden.cases) {
  test(`golden: ${c.name}`, () => {
    const n = normalizeText(c.input)
    assert.equal(n.text, c.text)
    assert.deepEqual({ ...n.evidence }, c.evidence)
    if (c.linkDomains !== undefined) assert.deepEqual(n.linkDomains, c.linkDomains)
    if (c.numbers !== undefined) assert.deepEqual(n.numbers, c.numbers)
    assert.deepEqual(n.tokens, n.text === '' ? [] : n.text.split(' '))
  })
}

for (const g of pairs.groups) {
  test(`${g.same ? 'fold together' : 'stay apart'}: ${g.name}`, () => {
    const out = g.texts.map((t) => normalizeText(t).text)
    if (g.same) {
      for (let i = 1; i < out.length; i++) assert.equal(out[i], out[0], `${JSON.stringify(g.texts[i])} vs ${JSON.stringify(g.texts[0])}`)
    } else {
      assert.equal(new Set(out).size, out.length, `expected pairwise different, got ${JSON.stringify(out)}`)
    }
  })
}
