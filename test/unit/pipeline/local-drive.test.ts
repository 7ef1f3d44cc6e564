import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { SourceRecord } from '../../../src/domain/ports.js'
import { driveLocal } from '../../../src/pipeline/local-drive.js'
import type { Processor } from '../../../src/pipeline/processor.js'
import { FakeCheckpoints, FakeSink, testProcessor } from '../../support/fakes.js'

const processor = (sink: FakeSink, checkpoints: FakeCheckpoints) => testProcessor(sink, checkpoints, { settings: { flushMaxRecords: 3 } })

const record = (offset: number): SourceRecord => ({ topic: 't', partition: 0, offset, value: Buffer.from('not json'), timestampMs: 0 })

async function* stream(offsets: number[], then: Promise<void> = Promise.resolve()): AsyncGenerator<SourceRecord> {
  for (const offset of offsets) yield record(offset)
  await then
}

const ranges = (sink: FakeSink) => sink.written.map((w) => [w.range.firstOffset, w.range.lastOffset])

test('a stop while the stream waits for input ends the run at once, and what was read is written and committed', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  let stop = () => {}
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const never = new Promise<void>(() => {})
  const run = driveLocal(stream([0, 1, 2, 3], never), processor(sink, checkpoints), { chunkSize: 100, idleMs: 60_000, stopped })
  setImmediate(stop)
  assert.equal(await run, 4)
  assert.deepEqual(ranges(sink), [
    [0, 2],
    [3, 3],
  ])
  assert.deepEqual(await checkpoints.load('t', 0), { nextOffset: 4, inflightLastOffset: null })
})

test('records a slow stream gave are written once it goes quiet, without waiting for more', async () => {
  const sink = new FakeSink()
  let more = () => {}
  const rest = new Promise<void>((resolve) => (more = resolve))
  const run = driveLocal(stream([0], rest), processor(sink, new FakeCheckpoints()), { chunkSize: 100, idleMs: 10 })
  while (sink.written.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  assert.deepEqual(ranges(sink), [[0, 0]])
  more()
  assert.equal(await run, 1)
})

test('a replay read from its checkpoint past blank lines (a gap of offsets) is taken, not refused', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  await checkpoints.commit([{ topic: 't', partition: 0, firstOffset: 0, lastOffset: 4 }])
  assert.equal(await driveLocal(stream([7, 8]), processor(sink, checkpoints), { chunkSize: 100, idleMs: 60_000 }), 2)
  assert.deepEqual(ranges(sink), [[7, 8]])
})

test('waiting on the stop beside each read keeps nothing per record (no reaction piles up on a stop that never comes)', async () => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  // Only the drive loop is measured: records are handed to a processor that keeps nothing.
  const keepsNothing = { accept: () => Promise.resolve(false), flush: () => Promise.resolve() } as unknown as Processor
  const stopped = new Promise<void>(() => {})
  async function* records(n: number): AsyncGenerator<SourceRecord> {
    for (let offset = 0; offset < n; offset++) yield record(offset)
  }
  gc()
  const before = process.memoryUsage().heapUsed
  assert.equal(await driveLocal(records(200_000), keepsNothing, { chunkSize: 1000, idleMs: 60_000, stopped }), 200_000)
  gc()
  const retainedBytes = process.memoryUsage().heapUsed - before
  // One Promise.race per record against `stopped` kept 160 MB here (each race and the record it resolved to) until `stopped` settled.
  assert.ok(retainedBytes < 4_000_000, `${retainedBytes} bytes retained after 200,000 records`)
  void stopped
})
