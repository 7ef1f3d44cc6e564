import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateRecords } from '../../../src/generator/index.js'

test('streaming a million messages holds memory bounded', () => {
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const start = used()
  let peak = start
  let messages = 0
  let records = 0
  let bytes = 0
  const t0 = performance.now()
  for (const r of generateRecords({ seed: 1, messages: 1_000_000, startMs: Date.parse('2026-11-28T00:00:00Z') })) {
    records++
    bytes += r.value.length
    if (r.kind === 'message') messages++
    if ((records & 0xffff) === 0) peak = Math.max(peak, used())
  }
  const seconds = (performance.now() - t0) / 1000
  assert.equal(messages, 1_000_000)
  const growthMb = (peak - start) / 1e6
  assert.ok(growthMb < 300, `memory grew by ${growthMb.toFixed(0)} MB`)
  // informational: records per second of this (unprofiled, test-runner) loop
  console.log(
    `generator: ${records} records, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s = ${Math.round(records / seconds / 1000)}k records/s; peak growth ${growthMb.toFixed(0)} MB`,
  )
})
