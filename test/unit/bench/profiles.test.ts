import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { summariseDelays, type CpuProfile } from '../../../bench/pipeline/profiles.js'
import { BUILD_DIR } from '../../../bench/compile.js'

// Three nodes: the garbage collector, a function of the compiled build's campaigns folder, and kafkajs.
const GC = 1
const INDEX = 2
const KAFKA = 3
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 })
const nodes = [
  { id: GC, callFrame: frame('(garbage collector)', '') },
  { id: INDEX, callFrame: frame('grow', `file://${path.join(BUILD_DIR, 'campaigns', 'lsh.js')}`) },
  { id: KAFKA, callFrame: frame('decode', `file://${path.join(process.cwd(), 'node_modules', 'kafkajs', 'src', 'decoder.js')}`) },
]

/** A profile from 1,000,000 µs on, one sample a millisecond, sampling `ids` in order. */
function profileOf(ids: number[]): CpuProfile {
  return { nodes, startTime: 1_000_000, samples: ids, timeDeltas: ids.map(() => 1000) }
}

test('only the samples within a delay count, by the module of the function sampled', () => {
  // samples at 1,001,000 .. 1,010,000 µs: 1-3 kafkajs, 4-7 the index, 8-10 GC
  const profile = profileOf([KAFKA, KAFKA, KAFKA, INDEX, INDEX, INDEX, INDEX, GC, GC, GC])
  // one delay of 5 ms ending at 1,008,000 µs: samples 3 (at 1,003,000) to 8 (at 1,008,000)
  const summary = summariseDelays(profile, [[1_008_000, 5]])
  assert.equal(summary.delays, 1)
  assert.equal(summary.sampledMs, 6)
  assert.deepEqual(
    summary.modules.map((m) => [m.module, m.ms]),
    [
      ['src/campaigns', 4],
      ['kafkajs', 1],
      ['(garbage collector)', 1],
    ],
  )
  assert.equal(summary.modules[0]?.pct, 66.7)
})

test('delays given in any order are each counted over their own samples', () => {
  const profile = profileOf([GC, GC, INDEX, INDEX, KAFKA, KAFKA])
  const summary = summariseDelays(profile, [
    [1_006_000, 1],
    [1_002_000, 1],
  ])
  assert.equal(summary.delays, 2)
  assert.deepEqual(
    summary.modules.map((m) => [m.module, m.ms]),
    [
      ['(garbage collector)', 2],
      ['kafkajs', 2],
    ],
  )
})
