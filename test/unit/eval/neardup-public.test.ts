/**
 * The pipeline on the public labelled set (test/fixtures/eval/neardup-public.jsonl): it must reach
 * precision >= 0.98 and beat the exact-hash baseline's recall by a wide margin. The figures are
 * computed by the run, never written down here. The set is part of the repository, so a missing
 * file is a failure, not a reason to skip.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { readEvalJsonl, runNeardupEval } from '../../../src/eval/neardup.js'

const file = fileURLToPath(new URL('../../fixtures/eval/neardup-public.jsonl', import.meta.url))

test('public near-duplicate set: precision >= 0.98 and recall far above exact hashing', () => {
  assert.ok(existsSync(file), `${file} is missing: the public set belongs in test/fixtures/eval/ (see its README.md)`)
  const r = runNeardupEval(readEvalJsonl(file))
  const exact = r.baselines['exact_raw']!
  const cosine = r.baselines['token_cosine_0.5']!
  assert.ok(r.precision >= 0.98, `precision ${r.precision}`)
  assert.ok(r.recall >= exact.recall + 0.5, `recall ${r.recall} vs exact ${exact.recall}`)
  assert.ok(r.recall >= 3 * exact.recall)
  assert.ok(r.f1 > cosine.f1, `f1 ${r.f1} vs cosine ${cosine.f1}`)
  assert.equal(r.messages, 5823)
})
