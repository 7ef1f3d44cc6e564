/**
 * The adversarial clone-channel set (src/eval/adversarial-channels.ts) and the clone detector's
 * figures on its held-out half (docs/detection.md): thresholds were chosen on the tune half.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeAdversarialChannels } from '../../../src/eval/adversarial-file.js'
import { DEFAULT_ADVERSARIAL_SEED } from '../../../src/eval/adversarial.js'
import type { ChannelInfo, ChannelRecord } from '../../../src/eval/adversarial-channels.js'
import { formatChannelsEval, runChannelsEval } from '../../../src/eval/channels.js'

const PUBLIC = fileURLToPath(new URL('../../fixtures/eval/neardup-public.jsonl', import.meta.url))
const dir = mkdtempSync(path.join(tmpdir(), 'adv-channels-'))
const MESSAGES = path.join(dir, 'messages.jsonl')
const CHANNELS = path.join(dir, 'channels.json')
const summary = writeAdversarialChannels(PUBLIC, MESSAGES, CHANNELS, DEFAULT_ADVERSARIAL_SEED)
const records = readFileSync(MESSAGES, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as ChannelRecord)
const channels = JSON.parse(readFileSync(CHANNELS, 'utf8')) as Record<string, ChannelInfo>

test('the set: each half its own chats, every repost a later copy of a post of its original, the same file from the same seed', () => {
  assert.ok((summary.clones['tune'] ?? 0) >= 8 && (summary.clones['heldout'] ?? 0) >= 8, JSON.stringify(summary))
  const byId = new Map(records.map((r) => [r.id, r]))
  let reposts = 0
  for (const r of records) {
    const chat = channels[r.channel]
    assert.ok(chat, `${r.channel} is in the channels file`)
    assert.equal(r.half, chat.half, `${r.id}: a message is in its chat's half`)
    if (r.kind !== 'clone') continue
    reposts++
    const original = byId.get(r.copy_of ?? '')
    assert.ok(original, `${r.id} names the post it copies`)
    assert.equal(original.channel, chat.clone_of)
    assert.ok(r.ts > original.ts && r.ts - original.ts <= 48 * 3600, `${r.id}: reposted within 48 h`)
    if (r.ops[0] === 'exact_repost') assert.equal(r.text, original.text)
  }
  assert.equal(reposts, 4 * ((summary.clones['tune'] ?? 0) + (summary.clones['heldout'] ?? 0)))
  const again = path.join(dir, 'again.jsonl')
  writeAdversarialChannels(PUBLIC, again, path.join(dir, 'again.json'), DEFAULT_ADVERSARIAL_SEED)
  assert.equal(readFileSync(again, 'utf8'), readFileSync(MESSAGES, 'utf8'))
})

test('held-out half: no false pair; 7 of 8 clones from all their posts, 6 of 8 from their first three', () => {
  const all = runChannelsEval(MESSAGES, CHANNELS, { half: 'heldout' })
  assert.equal(all.truth_pairs, summary.clones['heldout'])
  assert.equal(all.precision, 1, formatChannelsEval(all))
  assert.ok(all.correct_pairs >= 7, formatChannelsEval(all))
  const three = runChannelsEval(MESSAGES, CHANNELS, { half: 'heldout', clonePosts: 3 })
  assert.equal(three.precision, 1, formatChannelsEval(three))
  assert.ok(three.correct_pairs >= 6, formatChannelsEval(three))
})

test('a half no channel has is refused (the public channels have no halves)', () => {
  const publicChannels = fileURLToPath(new URL('../../fixtures/eval/neardup-public-channels.json', import.meta.url))
  assert.throws(() => runChannelsEval(PUBLIC, publicChannels, { half: 'tune' }), /no channel of .* has "half": "tune"/)
})
