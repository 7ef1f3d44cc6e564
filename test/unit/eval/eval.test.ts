import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { exactRawClusters, tgSpamTokens, tokenCosineClusters } from '../../../src/eval/baselines.js'
import { pairwiseMetrics } from '../../../src/eval/metrics.js'
import { formatNeardupEval, parseEvalJsonl, readEvalJsonl, runNeardupEval, streamOrder } from '../../../src/eval/neardup.js'

test('pairwise metrics from contingency counts', () => {
  // truth: {a,b,c} {d,e}; predicted: {a,b} {c,d,e}
  const m = pairwiseMetrics(['1', '1', '1', '2', '2'], ['x', 'x', 'y', 'y', 'y'])
  assert.equal(m.true_pairs, 4) // 3 + 1
  assert.equal(m.predicted_pairs, 4) // 1 + 3
  assert.equal(m.correct_pairs, 2) // ab, de
  assert.equal(m.precision, 0.5)
  assert.equal(m.recall, 0.5)
  assert.equal(m.f1, 0.5)
  assert.equal(m.campaigns, 2)
  assert.equal(m.clusters, 2)
  const none = pairwiseMetrics(['1', '2'], ['x', 'y'])
  assert.equal(none.precision, 1)
  assert.equal(none.recall, 1)
  assert.throws(() => pairwiseMetrics(['1'], []))
})

test('pairwise metrics scale linearly (100k messages)', () => {
  const n = 100_000
  const truth = Array.from({ length: n }, (_, i) => String(i % 1000))
  const t = performance.now()
  const m = pairwiseMetrics(truth, truth)
  assert.ok(performance.now() - t < 2000)
  assert.equal(m.precision, 1)
  assert.equal(m.recall, 1)
})

test('parse JSONL: fields, optional ts, errors with line numbers', () => {
  const recs = parseEvalJsonl(
    [
      '{"id":"a","text":"hello","group":"g1","ts":12.5,"channel":"c1"}',
      '',
      '{"id":2,"text":"hi","group":7,"ts":"2026-11-28T12:00:00Z"}',
      '{"id":"c","group":"g3"}',
    ].join('\n'),
  )
  assert.equal(recs.length, 3)
  assert.deepEqual(recs[0], { id: 'a', text: 'hello', group: 'g1', tsMs: 12_500, channel: 'c1' })
  assert.equal(recs[1]!.id, '2')
  assert.equal(recs[1]!.group, '7')
  assert.equal(recs[1]!.tsMs, Date.parse('2026-11-28T12:00:00Z'))
  assert.equal(recs[2]!.text, '')
  assert.equal(recs[2]!.tsMs, undefined)
  assert.throws(() => parseEvalJsonl('{"id":"a","text":"x","group":"g"}\n{oops'), /line 2/)
  assert.throws(() => parseEvalJsonl('{"id":"a","text":"x"}'), /line 1: missing "group"/)
  assert.throws(() => parseEvalJsonl('[1,2]'), /line 1/)
})

test('stream order: by ts, file order for ties; a record without ts follows the one before it', () => {
  const recs = parseEvalJsonl(
    ['{"id":"a","group":"g","ts":5}', '{"id":"b","group":"g","ts":1}', '{"id":"c","group":"g"}', '{"id":"d","group":"g","ts":1}'].join(
      '\n',
    ),
  )
  assert.deepEqual(
    streamOrder(recs).map((r) => r.id),
    ['b', 'c', 'd', 'a'],
  )
})

test('baselines: exact raw text and tg-spam token cosine', () => {
  assert.deepEqual(exactRawClusters(['a', 'b', 'a']), ['x0', 'x1', 'x0'])
  assert.deepEqual(
    [...tgSpamTokens('Hello, hello WORLD! 🚀 (test)').entries()],
    [
      ['hello', 2],
      ['world', 1],
      ['test', 1],
    ],
  )
  const c = tokenCosineClusters(['free money now click', 'free money now click here', 'weather is nice today', 'totally unrelated words'])
  assert.equal(c[1], c[0])
  assert.notEqual(c[2], c[0])
  assert.notEqual(c[3], c[2])
})

test('runNeardupEval on a small file: result shape, baselines, table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neardup-'))
  const file = join(dir, 'small.jsonl')
  const spam = 'Earn 500 USDT daily with our trading bot, no experience needed, join https://t.me/+abc now'
  const lines = [
    { id: '1', text: spam, group: 's', ts: 1 },
    { id: '2', text: spam.replace(/o/g, 'о').replace('500', '700') + ' 🚀', group: 's', ts: 2 },
    { id: '3', text: spam, group: 's', ts: 3 },
    { id: '4', text: 'What time is the meeting tomorrow? I forgot to write it down', group: 'h1', ts: 4 },
    { id: '5', text: 'Does anyone know a good plumber in the city center?', group: 'h2', ts: 5 },
  ]
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  const r = runNeardupEval(readEvalJsonl(file))
  assert.equal(r.messages, 5)
  assert.equal(r.groups, 3)
  assert.equal(r.precision, 1)
  assert.equal(r.recall, 1)
  assert.equal(r.f1, 1)
  assert.equal(r.campaigns, 1)
  assert.ok(r.messages_per_second > 0)
  assert.deepEqual(Object.keys(r.baselines).sort(), ['exact_raw', 'token_cosine_0.5'])
  assert.equal(r.baselines['exact_raw']!.recall, 1 / 3)
  for (const b of Object.values(r.baselines))
    for (const k of ['precision', 'recall', 'f1', 'messages_per_second', 'campaigns'])
      assert.equal(typeof (b as unknown as Record<string, unknown>)[k], 'number')
  assert.ok((r.evidence.homoglyph ?? 0) >= 1)
  const table = formatNeardupEval(r)
  assert.match(table, /pipeline/)
  assert.match(table, /exact_raw/)
  assert.match(table, /token_cosine_0\.5/)
  // JSON form is one object with the documented keys
  const json = JSON.parse(JSON.stringify(r)) as Record<string, unknown>
  for (const k of ['precision', 'recall', 'f1', 'messages_per_second', 'campaigns', 'baselines']) assert.ok(k in json, k)
})

test('runNeardupEval: an empty file gives a well-formed result', () => {
  const r = runNeardupEval([])
  assert.equal(r.messages, 0)
  assert.equal(r.precision, 1)
  assert.equal(r.recall, 1)
})
