import { test } from 'node:test'
import assert from 'node:assert/strict'
import { IllegalTransitionError } from '../../../src/exactly-once/errors.js'
import {
  PARTITION_TRANSITIONS,
  PartitionLifecycle,
  type PartitionEvent,
  type PartitionPhase,
} from '../../../src/exactly-once/partition-lifecycle.js'

const PHASES = Object.keys(PARTITION_TRANSITIONS) as PartitionPhase[]
const EVENTS: PartitionEvent[] = ['loaded', 'admit', 'replayDone', 'revoke']

/** A lifecycle in `phase`, reached through legal transitions only; `inflight` is the range's last offset left by the previous owner. */
function inPhase(phase: PartitionPhase, inflight: number | null = null): PartitionLifecycle {
  const lifecycle = new PartitionLifecycle()
  if (phase === 'loading') return lifecycle
  if (phase === 'revoked') {
    lifecycle.revoke()
    return lifecycle
  }
  lifecycle.loaded({ nextOffset: 10, inflightLastOffset: phase === 'replaying' ? (inflight ?? 12) : inflight })
  if (phase === 'seekingBack') assert.equal(lifecycle.admit(15, 10), 'seekBack')
  if (phase === 'replaying' || phase === 'accepting') assert.equal(lifecycle.admit(10, 10), 'accept')
  assert.equal(lifecycle.phase, phase)
  return lifecycle
}

/** Every legal transition: from, event (as a call), to, and what admit answered. */
const LEGAL: {
  from: PartitionPhase
  event: PartitionEvent
  inflight?: number
  call: (l: PartitionLifecycle) => unknown
  to: PartitionPhase
  answer?: string
}[] = [
  { from: 'loading', event: 'loaded', call: (l) => l.loaded({ nextOffset: 10, inflightLastOffset: null }), to: 'awaiting' },
  { from: 'loading', event: 'revoke', call: (l) => l.revoke(), to: 'revoked' },
  { from: 'awaiting', event: 'admit', call: (l) => l.admit(11, 10), to: 'seekingBack', answer: 'seekBack' },
  { from: 'awaiting', event: 'admit', inflight: 12, call: (l) => l.admit(10, 10), to: 'replaying', answer: 'accept' },
  { from: 'awaiting', event: 'admit', call: (l) => l.admit(10, 10), to: 'accepting', answer: 'accept' },
  { from: 'awaiting', event: 'revoke', call: (l) => l.revoke(), to: 'revoked' },
  { from: 'seekingBack', event: 'admit', inflight: 12, call: (l) => l.admit(15, 10), to: 'replaying', answer: 'accept' },
  { from: 'seekingBack', event: 'admit', call: (l) => l.admit(15, 10), to: 'accepting', answer: 'accept' },
  { from: 'seekingBack', event: 'revoke', call: (l) => l.revoke(), to: 'revoked' },
  { from: 'replaying', event: 'admit', call: (l) => l.admit(20, 13), to: 'replaying', answer: 'accept' },
  { from: 'replaying', event: 'replayDone', call: (l) => l.replayDone(), to: 'accepting' },
  { from: 'replaying', event: 'revoke', call: (l) => l.revoke(), to: 'revoked' },
  { from: 'accepting', event: 'admit', call: (l) => l.admit(50, 13), to: 'accepting', answer: 'accept' },
  { from: 'accepting', event: 'revoke', call: (l) => l.revoke(), to: 'revoked' },
]

test('every legal transition leads where the table says', () => {
  for (const { from, event, inflight, call, to, answer } of LEGAL) {
    const lifecycle = inPhase(from, inflight ?? null)
    const result = call(lifecycle)
    assert.equal(lifecycle.phase, to, `${from} --${event}--> ${to}`)
    if (answer !== undefined) assert.equal(result, answer, `${from} --${event}--> ${to} answers ${answer}`)
  }
})

test('the legal transitions tested are exactly those of the table', () => {
  const tested = new Set(LEGAL.map(({ from, event, to }) => `${from} ${event} ${to}`))
  const declared = new Set(
    PHASES.flatMap((from) =>
      Object.entries(PARTITION_TRANSITIONS[from]).flatMap(([event, targets]) => targets.map((to) => `${from} ${event} ${to}`)),
    ),
  )
  assert.deepEqual([...tested].sort(), [...declared].sort())
})

test('every illegal transition throws a coded programming error and leaves the phase as it was', () => {
  const calls: Record<PartitionEvent, (l: PartitionLifecycle) => unknown> = {
    loaded: (l) => l.loaded({ nextOffset: 0, inflightLastOffset: null }),
    admit: (l) => l.admit(0, 0),
    replayDone: (l) => l.replayDone(),
    revoke: (l) => l.revoke(),
  }
  let illegal = 0
  for (const phase of PHASES) {
    for (const event of EVENTS) {
      if (PARTITION_TRANSITIONS[phase][event]) continue
      illegal++
      const lifecycle = inPhase(phase)
      assert.throws(
        () => calls[event](lifecycle),
        (error: unknown) =>
          error instanceof IllegalTransitionError && error.code === 'AR_INTERNAL' && error.from === phase && error.event === event,
        `${phase} --${event}--> must throw`,
      )
      assert.equal(lifecycle.phase, phase)
    }
  }
  assert.equal(
    illegal,
    13,
    'loading: admit, replayDone; awaiting, seekingBack, accepting: loaded, replayDone; replaying: loaded; revoked: all four',
  )
})

test('only the first delivery of a generation is judged against the checkpoint', () => {
  const lifecycle = inPhase('awaiting')
  assert.equal(lifecycle.admit(10, 10), 'accept', 'a delivery at the checkpoint starts the partition')
  assert.equal(lifecycle.admit(40, 12), 'accept', 'a later one past nextOffset is a gap in the log, taken')
  const before = inPhase('awaiting')
  assert.equal(before.admit(7, 10), 'accept', 'a delivery from before the checkpoint is taken (the processor skips the records below it)')
  const refused = inPhase('awaiting')
  assert.equal(refused.admit(15, 10), 'seekBack')
  assert.equal(refused.admit(15, 10), 'accept', 'refused once only: the same skip again is a real gap')
})

test('cutAt is the in-flight range end while replaying, and null in every other phase', () => {
  const lifecycle = new PartitionLifecycle()
  assert.equal(lifecycle.cutAt, null)
  lifecycle.loaded({ nextOffset: 10, inflightLastOffset: 14 })
  assert.equal(lifecycle.cutAt, null, 'not before the partition starts')
  assert.equal(lifecycle.admit(10, 10), 'accept')
  assert.equal(lifecycle.phase, 'replaying')
  assert.equal(lifecycle.cutAt, 14)
  lifecycle.replayDone()
  assert.equal(lifecycle.cutAt, null)
  assert.equal(inPhase('accepting').cutAt, null)
  assert.equal(inPhase('seekingBack', 14).cutAt, null)
})

test('a partition revoked while loading, or at any later phase, reports it', () => {
  for (const phase of PHASES.filter((p) => p !== 'revoked')) {
    const lifecycle = inPhase(phase)
    assert.equal(lifecycle.isRevoked, false)
    lifecycle.revoke()
    assert.equal(lifecycle.isRevoked, true)
  }
})
