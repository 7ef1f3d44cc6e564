import { test } from 'node:test'
import assert from 'node:assert/strict'
import { IllegalTransitionError, OwnershipLostError } from '../../../src/exactly-once/errors.js'
import { Generation, type GenerationPhase } from '../../../src/exactly-once/generation.js'

function inPhase(phase: GenerationPhase): Generation {
  const generation = new Generation(3)
  if (phase === 'refused') generation.commitRefused()
  if (phase === 'ended') generation.next()
  assert.equal(generation.phase, phase)
  return generation
}

const isIllegal = (phase: GenerationPhase, event: string) => (error: unknown) =>
  error instanceof IllegalTransitionError && error.code === 'AR_INTERNAL' && error.from === phase && error.event === event

test('legal transitions: held → refused, held → ended, refused → ended; ending one begins the next, held', () => {
  const refused = inPhase('held')
  refused.commitRefused()
  assert.equal(refused.phase, 'refused')
  for (const from of ['held', 'refused'] as const) {
    const generation = inPhase(from)
    const next = generation.next()
    assert.equal(generation.phase, 'ended')
    assert.equal(next.phase, 'held')
    assert.equal(next.number, 4)
  }
})

test('illegal transitions throw a coded programming error and change nothing', () => {
  for (const phase of ['refused', 'ended'] as const) {
    const generation = inPhase(phase)
    assert.throws(() => generation.commitRefused(), isIllegal(phase, 'commitRefused'))
    assert.equal(generation.phase, phase)
  }
  const ended = inPhase('ended')
  assert.throws(() => ended.next(), isIllegal('ended', 'ended'))
  assert.equal(ended.phase, 'ended')
})

test('what each phase allows: held writes; refused is current but writes nothing; ended fences every step', () => {
  const expected: Record<GenerationPhase, { isCurrent: boolean; mayWrite: boolean }> = {
    held: { isCurrent: true, mayWrite: true },
    refused: { isCurrent: true, mayWrite: false },
    ended: { isCurrent: false, mayWrite: false },
  }
  for (const [phase, allowed] of Object.entries(expected) as [GenerationPhase, { isCurrent: boolean; mayWrite: boolean }][]) {
    const generation = inPhase(phase)
    assert.deepEqual({ isCurrent: generation.isCurrent, mayWrite: generation.mayWrite }, allowed, phase)
    if (phase === 'ended') {
      assert.throws(
        () => generation.assertCurrent(),
        (error: unknown) => error instanceof OwnershipLostError && error.code === 'AR_OWNERSHIP_LOST' && !error.retryable,
      )
    } else assert.doesNotThrow(() => generation.assertCurrent(), phase)
  }
})
