/**
 * The pipeline on the adversarial set built from the public set (src/eval/adversarial.ts, default
 * seed): precision stays >= 0.98 on both halves, and the attacks the order-insensitive and
 * containment rules exist for are found on the held-out half, whose texts no threshold was chosen on. Bounds, not the
 * measured figures (docs/detection.md has those): each sits a few points under what is measured.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { adversarialJsonl, DEFAULT_ADVERSARIAL_SEED } from '../../../src/eval/adversarial.js'
import { adversarialSetFrom } from '../../../src/eval/adversarial-file.js'
import { pairwiseMetrics } from '../../../src/eval/metrics.js'
import { parseEvalJsonl, runNeardupEval } from '../../../src/eval/neardup.js'

const PUBLIC = fileURLToPath(new URL('../../fixtures/eval/neardup-public.jsonl', import.meta.url))

test('adversarial set: precision >= 0.98 on both halves; reordered, repeated and cut copies found on the held-out half', () => {
  const set = adversarialSetFrom(PUBLIC, DEFAULT_ADVERSARIAL_SEED)
  assert.equal(set.length, 22_400)
  const records = parseEvalJsonl(adversarialJsonl(set))
  const predicted = new Map<string, string>()
  const r = runNeardupEval(records, { baselines: false, onAssign: (rec, c) => predicted.set(rec.id, c) })
  const held = r.halves['heldout']!
  const tune = r.halves['tune']!
  assert.ok(held.precision >= 0.98 && tune.precision >= 0.98, `precision held-out ${held.precision}, tune ${tune.precision}`)
  // before containment from 30 shingles and the order-insensitive containment of short texts:
  // 0.886, truncate 0.575, reorder 0.782, repeat 0.896, bases under 200 characters 0.826; before
  // lone-message adoption: 0.928, truncate 0.766, reorder 0.834; before campaigns of up to three
  // were adopted (lone messages only): 0.941, natural members 0.691
  assert.ok(held.recall >= 0.945, `held-out recall ${held.recall}`)
  assert.ok(held.attacks['natural']!.recall >= 0.8, `natural ${held.attacks['natural']!.recall}`)
  assert.ok(held.attacks['truncate']!.recall >= 0.78, `truncate ${held.attacks['truncate']!.recall}`)
  assert.ok(held.attacks['reorder']!.recall >= 0.845, `reorder ${held.attacks['reorder']!.recall}`)
  // 0.929 before J alone was tried on texts under half the other's length (a copy pasted twice)
  assert.ok(held.attacks['repeat']!.recall >= 0.932, `repeat ${held.attacks['repeat']!.recall}`)
  const baseChars = new Map(set.filter((x) => x.label === 'spam' && x.ops.length === 0).map((x) => [x.group, x.text.length]))
  const short = records.filter((x) => x.half === 'heldout' && (baseChars.get(x.group) ?? Infinity) < 200)
  const shortRecall = pairwiseMetrics(
    short.map((x) => x.group),
    short.map((x) => predicted.get(x.id)!),
  ).recall
  assert.ok(shortRecall >= 0.85, `held-out recall on bases under 200 characters ${shortRecall}`)
  for (const [attack, a] of Object.entries(held.attacks))
    if (attack !== 'truncate' && attack !== 'natural' && attack !== 'reorder') assert.ok(a.recall >= 0.85, `${attack} ${a.recall}`)
})

test('adversarial set in small groups (2 to 5 messages a campaign, as real labelled sets have): precision >= 0.98, held-out recall >= 0.91, repeated copies >= 0.92', () => {
  const set = adversarialSetFrom(PUBLIC, DEFAULT_ADVERSARIAL_SEED, 5)
  const sizes = new Map<string, number>()
  for (const x of set) if (x.label === 'spam') sizes.set(x.group, (sizes.get(x.group) ?? 0) + 1)
  assert.equal(sizes.size, 1262, 'every campaign keeps some of its messages')
  assert.ok(
    [...sizes.values()].every((n) => n >= 2 && n <= 5),
    'each keeps 2 to 5',
  )
  const r = runNeardupEval(parseEvalJsonl(adversarialJsonl(set)), { baselines: false })
  const held = r.halves['heldout']!
  const tune = r.halves['tune']!
  assert.ok(held.precision >= 0.98 && tune.precision >= 0.98, `precision held-out ${held.precision}, tune ${tune.precision}`)
  // measured 0.934 (2026-12-05); the same copies in groups of about 18 are found at 0.941
  assert.ok(held.recall >= 0.91, `held-out recall ${held.recall}`)
  // 0.908 before J alone was tried on texts under half the other's length
  assert.ok(held.attacks['repeat']!.recall >= 0.92, `held-out repeat ${held.attacks['repeat']!.recall}`)
})
