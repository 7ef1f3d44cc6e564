import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateRecords, generateWithTruth } from '../../src/sources/generator/index.js'

/**
 * Throughput of a plain loop over the generator, next to a baseline: JSON.stringify + Buffer.from
 * of the very same records (prebuilt objects), which calibrates for the machine. Best of several
 * runs, interleaved, so that a busy machine disturbs both alike. The assertion only catches a
 * collapse; the figures are printed.
 */
test('the generator is fast', () => {
  const opts = { seed: 7, messages: 50_000, startMs: Date.parse('2026-11-28T12:00:00Z') }
  const { records } = generateWithTruth(opts)
  const objects = records.filter((r) => r.kind !== 'malformed').map((r) => JSON.parse(r.value.toString('utf8')) as unknown)
  let generator = Infinity
  let baseline = Infinity
  for (let run = 0; run < 7; run++) {
    let t0 = performance.now()
    let n = 0
    for (const r of generateRecords(opts)) n += r.value.length
    generator = Math.min(generator, performance.now() - t0)
    t0 = performance.now()
    for (const o of objects) n += Buffer.from(JSON.stringify(o)).length
    baseline = Math.min(baseline, performance.now() - t0)
    assert.ok(n > 0)
  }
  const genRate = records.length / (generator / 1000)
  const baseRate = objects.length / (baseline / 1000)
  console.log(
    `generator ${Math.round(genRate / 1000)}k records/s; baseline (JSON.stringify + Buffer.from of the same records) ${Math.round(baseRate / 1000)}k records/s; ratio ${(genRate / baseRate).toFixed(2)}`,
  )
  assert.ok(genRate > 20_000, `${Math.round(genRate)} records/s`)
})
