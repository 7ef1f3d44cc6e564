import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatChannelsEval, parseChannelsJsonl, runChannelsEval, runGeneratedChannelsEval } from '../../../src/eval/channels.js'
import { loadProtectedNamesFile } from '../../../src/config/analysis-files.js'

// The public set is part of the repository (test/fixtures/eval/README.md): missing files fail the test.
const DATA = fileURLToPath(new URL('../../fixtures/eval/neardup-public.jsonl', import.meta.url))
const CHANNELS = fileURLToPath(new URL('../../fixtures/eval/neardup-public-channels.json', import.meta.url))

test('public set: clone pairs found with precision and recall >= 0.95, originals right', () => {
  for (const f of [DATA, CHANNELS]) assert.ok(existsSync(f), `${f} is missing: see test/fixtures/eval/README.md`)
  const r = runChannelsEval(DATA, CHANNELS)
  assert.ok(r.precision >= 0.95, formatChannelsEval(r))
  assert.ok(r.recall >= 0.95, formatChannelsEval(r))
  assert.ok(r.original_accuracy >= 0.95)
  // the --json contract: one object with these top-level keys
  const json = JSON.parse(JSON.stringify(r)) as Record<string, unknown>
  for (const k of ['precision', 'recall', 'f1', 'pairs']) assert.equal(typeof json[k], 'number', k)
})

test('generated stream: clones and look-alikes against the generator ground truth', () => {
  const { names } = loadProtectedNamesFile()
  const r = runGeneratedChannelsEval({ seed: 20261128, messages: 40_000, protectedNames: names })
  const text = formatChannelsEval(r)
  assert.ok(r.truth_pairs >= 20, text)
  assert.ok(r.precision >= 0.95, text)
  assert.ok((r.recall_with_evidence ?? 0) >= 0.95, text)
  assert.ok(r.original_accuracy >= 0.95, text)
  const l = r.lookalikes!
  assert.ok(l.truth_pairs >= 15, text)
  assert.ok(l.precision >= 0.9, text)
  assert.ok(l.recall >= 0.9, text)
})

test('the eval reads the test/fixtures/eval format and says what is wrong with a bad line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'eval-channels-'))
  const lines: string[] = []
  for (let i = 0; i < 8; i++) {
    lines.push(
      JSON.stringify({
        id: `o${i}`,
        text: `Original post number ${i}: the bridge on Main street is closed again today, take the bus ${i}`,
        channel: 'orig',
        ts: i * 60,
      }),
    )
    lines.push(
      JSON.stringify({
        id: `c${i}`,
        text: `Original post number ${i}: the bridge on Main street is closed again today, take the bus ${i} 🔥`,
        channel: 'copy',
        ts: i * 60 + 600,
      }),
    )
    lines.push(
      JSON.stringify({
        id: `x${i}`,
        text: `Something else entirely ${i * 7919} about cooking pasta and tomatoes`,
        channel: 'other',
        ts: i * 60 + 5,
      }),
    )
  }
  writeFileSync(path.join(dir, 'm.jsonl'), lines.join('\n') + '\n')
  writeFileSync(
    path.join(dir, 'c.json'),
    JSON.stringify({
      orig: { type: 'organic', clone_of: null },
      copy: { type: 'clone', clone_of: 'orig' },
      other: { type: 'organic', clone_of: null },
    }),
  )
  const r = runChannelsEval(path.join(dir, 'm.jsonl'), path.join(dir, 'c.json'))
  assert.equal(r.precision, 1)
  assert.equal(r.recall, 1)
  assert.equal(r.pairs, 1)
  assert.equal(r.predicted_pairs[0]?.original_chat, 'orig')
  assert.match(formatChannelsEval(r), /precision 100\.0%\s+recall 100\.0%/)
  assert.throws(
    () => parseChannelsJsonl('{"id":"a","text":"x","channel":"c","ts":1}\n{"id":"b","text":"y"}\n'),
    /line 2: missing "channel"/,
  )
  assert.throws(() => parseChannelsJsonl('not json\n'), /line 1: not valid JSON/)
})

test('public set, each clone cut to its first two posts: clones still found by their exclusive reposts, none wrong', () => {
  const full = runChannelsEval(DATA, CHANNELS)
  const r = runChannelsEval(DATA, CHANNELS, { clonePosts: 2 })
  assert.equal(r.messages, full.messages - (73 - 2 * 8)) // 73 clone posts, 8 clones
  assert.equal(r.precision, 1)
  assert.ok(r.recall >= 0.75, `recall ${r.recall}`)
  assert.equal(r.original_accuracy, 1)
})
