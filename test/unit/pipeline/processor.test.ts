import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BatchRange, Logger, SourceRecord } from '../../../src/domain/ports.js'
import { InfrastructureError } from '../../../src/domain/errors.js'
import { type Processor, type ProcessorSettings } from '../../../src/pipeline/processor.js'
import { NOOP_OBSERVER } from '../../../src/domain/observers.js'
import { FakeCheckpoints, FakeSink, silentLogger, testProcessor } from '../../support/fakes.js'

function processor(sink: FakeSink, checkpoints: FakeCheckpoints, over: Partial<ProcessorSettings> = {}, logger: Logger = silentLogger) {
  return testProcessor(sink, checkpoints, { settings: over, logger, pseudonymize: (id) => `p(${id.length})` })
}

const msg = (eventId: string) =>
  Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: eventId,
      type: 'created',
      ts: 1764331200000,
      chat: { id: '-1', type: 'group' },
      message_id: eventId,
      sender: { id: 'u' },
    }),
  )
const records = (values: (Buffer | null)[], from = 0): SourceRecord[] =>
  values.map((value, i) => ({ topic: 't', partition: 0, offset: from + i, value, timestampMs: 0 }))

test('batches are cut by size, written once, and the checkpoint moves past them', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints)
  await p.accept('t', 0, records([msg('a'), msg('b'), Buffer.from('junk'), msg('a'), msg('c'), msg('d')]))
  await p.flush(true)
  assert.deepEqual(
    sink.written.map((w) => [w.range.firstOffset, w.range.lastOffset]),
    [
      [0, 3],
      [4, 5],
    ],
  )
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c', 'd'], 'the redelivered a is dropped')
  assert.equal(sink.written[0]?.output.deadLetters[0]?.reason, 'not_json')
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 6, inflight: null })
})

test('a batch of flush_min_records is written after flush_interval_ms, a smaller one (a quiet partition) only after flush_max_interval_ms', async () => {
  let now = 1_764_331_200_000
  const sink = new FakeSink()
  const p = testProcessor(sink, new FakeCheckpoints(), {
    now: () => now,
    settings: { flushIntervalMs: 1000, flushMinRecords: 3, flushMaxIntervalMs: 3000, flushMaxRecords: 100 },
  })
  await p.accept('t', 0, records([msg('a'), msg('b'), msg('c')]))
  await p.accept(
    't',
    1,
    records([msg('d'), msg('e')]).map((r) => ({ ...r, partition: 1 })),
  )
  const writtenPartitions = () => sink.written.map((w) => w.range.partition)
  now += 999
  await p.flush()
  assert.deepEqual(writtenPartitions(), [], 'nothing is due before flush_interval_ms')
  now += 1
  await p.flush()
  assert.deepEqual(writtenPartitions(), [0], 'the partition with flush_min_records is written at flush_interval_ms')
  now += 1999
  await p.flush()
  assert.deepEqual(writtenPartitions(), [0], 'a batch below flush_min_records waits while it is younger than flush_max_interval_ms')
  now += 1
  await p.flush()
  assert.deepEqual(writtenPartitions(), [0, 1], 'and is written at flush_max_interval_ms, whatever it holds')
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c', 'd', 'e'])
})

test('a restart after a write that was not committed cuts the same batch, so the sink drops the repeat', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const first = processor(sink, checkpoints, { flushMaxRecords: 100 })
  await first.accept('t', 0, records([msg('a'), msg('b'), msg('c')]))
  checkpoints.loseOwnershipOnCommit = true
  await first.flush(true)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 0, inflight: 2 }, 'in flight, not committed')
  // The next owner sees more records at once; its first batch must still end at offset 2.
  const second = processor(sink, checkpoints, { flushMaxRecords: 100 })
  await second.accept('t', 0, records([msg('a'), msg('b'), msg('c'), msg('d'), msg('e')]))
  await second.flush(true)
  assert.deepEqual(
    sink.written.map((w) => [w.range.firstOffset, w.range.lastOffset]),
    [
      [0, 2],
      [3, 4],
    ],
  )
  assert.equal(sink.writes, 3, 'the replayed batch was written again and dropped by token')
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c', 'd', 'e'])
})

test('duplicates are recognised after a restart from what the sink remembers', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const first = processor(sink, checkpoints)
  await first.accept('t', 0, records([msg('a'), msg('b')]))
  await first.flush(true)
  const second = processor(sink, checkpoints)
  await second.accept('t', 0, records([msg('b'), msg('c'), msg('a')], 2))
  await second.flush(true)
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c'])
})

test('a failing sink is retried with backoff until the batch is written, without loss', async () => {
  const sink = new FakeSink()
  sink.failuresLeft = 3
  const p = processor(sink, new FakeCheckpoints())
  await p.accept('t', 0, records([msg('a'), msg('b')]))
  await p.flush(true)
  assert.equal(sink.writes, 4)
  assert.deepEqual(sink.messageIds(), ['a', 'b'])
  assert.deepEqual(p.failingWrites(), [], 'recovered')
})

test('buffers above the limit pause consumption until written', async () => {
  const sink = new FakeSink()
  const p = processor(sink, new FakeCheckpoints(), { maxBufferedRecords: 3, flushMaxRecords: 100 })
  await p.accept('t', 0, records([msg('a'), msg('b'), msg('c')]))
  assert.equal(p.isPaused, true)
  await p.flush(true)
  assert.equal(p.isPaused, false)
  assert.equal(p.buffered, 0)
})

test('a rebalance drops unwritten records; they come again from the checkpoint', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints, { flushMaxRecords: 100 })
  await p.accept('t', 0, records([msg('a'), msg('b')]))
  await p.flush(true)
  await p.accept('t', 0, records([msg('c'), msg('d')], 2))
  p.resetAssignments()
  assert.equal(p.buffered, 0)
  await p.accept('t', 0, records([msg('c'), msg('d'), msg('e')], 2))
  await p.flush(true)
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c', 'd', 'e'])
})

test('copies of one event on different partitions count once; the same record replayed counts again', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const first = processor(sink, checkpoints, { flushMaxRecords: 100 })
  await first.accept('t', 0, records([msg('a'), msg('b')]))
  await first.accept('t', 1, [{ topic: 't', partition: 1, offset: 0, value: msg('a'), timestampMs: 0 }])
  checkpoints.loseOwnershipOnCommit = true
  await first.flush(true)
  assert.deepEqual(sink.messageIds().sort(), ['a', 'b'], 'the copy of a on partition 1 is dropped')
  // The process dies after writing, before committing. The next one replays partition 0 from 0:
  // a and b are the same records at the same positions (not duplicates of themselves), and the
  // copy of b on partition 1, processed before partition 0, is still recognised.
  const second = processor(sink, checkpoints, { flushMaxRecords: 100 })
  await second.accept('t', 1, [{ topic: 't', partition: 1, offset: 1, value: msg('b'), timestampMs: 0 }])
  await second.accept('t', 0, records([msg('a'), msg('b'), msg('c')]))
  await second.flush(true)
  assert.deepEqual(sink.messageIds().sort(), ['a', 'b', 'c'])
})

test('a first delivery past the checkpoint (fetched before a rebalance) is refused once with a seek back', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  checkpoints.committed.set('t:0', { offset: 2, inflight: 3 })
  const p = processor(sink, checkpoints, { flushMaxRecords: 100 })
  assert.deepEqual(await p.accept('t', 0, records([msg('d'), msg('e')], 3)), { seekTo: 2 })
  assert.equal(p.buffered, 0)
  assert.equal(await p.accept('t', 0, records([msg('c'), msg('d'), msg('e')], 2)), null)
  await p.flush(true)
  assert.deepEqual(
    sink.written.map((w) => [w.range.firstOffset, w.range.lastOffset]),
    [
      [2, 3],
      [4, 4],
    ],
    'the interrupted range is cut exactly again',
  )
  // The same skip twice is a real gap in the log (compaction, control records): accepted.
  checkpoints.committed.set('u:0', { offset: 0, inflight: null })
  assert.deepEqual(
    await p.accept(
      'u',
      0,
      records([msg('x')], 5).map((r) => ({ ...r, topic: 'u' })),
    ),
    { seekTo: 0 },
  )
  assert.equal(
    await p.accept(
      'u',
      0,
      records([msg('x')], 5).map((r) => ({ ...r, topic: 'u' })),
    ),
    null,
  )
})

/** A logger that keeps the warnings. */
function warnings(): { logger: Logger; lines: { obj: object; msg?: string }[] } {
  const lines: { obj: object; msg?: string }[] = []
  const logger: Logger = { ...silentLogger, warn: (obj, msg) => void lines.push({ obj, msg }), child: () => logger }
  return { logger, lines }
}

test('a delivery that overlaps the last one adds only the records past it, each once', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints)
  await p.accept('t', 0, records([msg('a'), msg('b'), msg('c')]))
  // offsets 1 to 4: b and c again, then d and e
  await p.accept('t', 0, records([msg('b'), msg('c'), msg('d'), msg('e')], 1))
  // wholly accepted before: nothing at all
  await p.accept('t', 0, records([msg('c'), msg('d')], 2))
  await p.flush(true)
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c', 'd', 'e'])
  // batches of four (the test settings' flushMaxRecords), offsets contiguous
  assert.deepEqual(
    sink.written.map((w) => [w.range.firstOffset, w.range.lastOffset]),
    [
      [0, 3],
      [4, 4],
    ],
  )
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 5, inflight: null })
})

test('a checkpoint below what the sink already holds, outside the in-flight range, is reported when the partition loads', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const first = processor(sink, checkpoints)
  await first.accept('t', 0, records([msg('a'), msg('b'), msg('c'), msg('d'), msg('e'), msg('f')]))
  await first.flush(true)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 6, inflight: null })
  // The commits of the second batch [4, 5] never reached Kafka (as kafkajs did while restarting).
  checkpoints.committed.set('t:0', { offset: 4, inflight: null })
  const lost = warnings()
  await processor(sink, checkpoints, {}, lost.logger).accept('t', 0, records([msg('e'), msg('f')], 4))
  assert.deepEqual(
    lost.lines.map((l) => [
      l.msg?.split(':')[0],
      (l.obj as { nextOffset: number; highestWritten: number }).nextOffset,
      (l.obj as { highestWritten: number }).highestWritten,
    ]),
    [['checkpoint below what the sink already holds', 4, 5]],
  )
  // Written but recorded as in flight: the replay cuts the same batch, nothing to report.
  checkpoints.committed.set('t:0', { offset: 4, inflight: 5 })
  const inflight = warnings()
  await processor(sink, checkpoints, {}, inflight.logger).accept('t', 0, records([msg('e'), msg('f')], 4))
  assert.deepEqual(inflight.lines, [])
})

test('a pause taken while a commit is retried does not outlive the generation that lost the partitions', async () => {
  class FailingCommits extends FakeCheckpoints {
    override commit(_ranges: BatchRange[]): Promise<void> {
      return Promise.reject(new InfrastructureError('kafka: commit: Connection error', 'kafka', true))
    }
  }
  const sink = new FakeSink()
  const p = processor(sink, new FailingCommits(), { retryInitialMs: 5, retryMaxMs: 5 })
  const pauses: boolean[] = []
  p.onPauseChange((paused) => pauses.push(paused))
  await p.accept('t', 0, records([msg('a'), msg('b')]))
  const flushed = p.flush(true)
  while (!p.isPaused) await new Promise((resolve) => setTimeout(resolve, 1))
  p.resetAssignments() // the group rebalanced while the commit was failing
  await flushed
  assert.equal(p.isPaused, false, 'the new generation consumes')
  assert.deepEqual(pauses, [true, false])
})

test('after the checkpointer reports ownership lost, nothing is written again until the next generation', async () => {
  const sink = new FakeSink()
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints, { flushMaxRecords: 2 })
  await p.accept('t', 0, records([msg('a'), msg('b'), msg('c'), msg('d')]))
  checkpoints.loseOwnershipOnCommit = true
  await p.flush(true)
  assert.equal(sink.writes, 1, 'the first batch was written, its commit refused')
  await p.flush(true)
  assert.equal(sink.writes, 1, 'no batch of the lost generation is written again')
  p.resetAssignments()
  await p.accept('t', 0, records([msg('a'), msg('b'), msg('c'), msg('d')]))
  await p.flush(true)
  assert.equal(sink.writes, 3, 'the next generation replays the interrupted batch (dropped by its token), then the next')
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c', 'd'])
})

// Rows ClickHouse refuses for their content become dead letters; the rest of the batch is written
// under its token and the checkpoint moves on (instead of a fatal stop).
test('rows the store refuses become dead letters with the row as payload; the others are written', async () => {
  const sink = new FakeSink()
  sink.refuseMessage = (row) => row.event_id === 'b' || row.event_id === 'd'
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints, { flushMaxRecords: 100, deadLetterPrefixBytes: 4096 })
  const records: SourceRecord[] = ['a', 'b', 'c', 'd', 'e'].map((id, offset) => ({
    topic: 't',
    partition: 0,
    offset,
    value: msg(id),
    timestampMs: 0,
  }))
  await p.accept('t', 0, records)
  await p.flush(true)
  assert.equal(sink.written.length, 1)
  const output = sink.written[0]!.output
  assert.deepEqual(
    output.messages.map((m) => m.event_id),
    ['a', 'c', 'e'],
  )
  assert.deepEqual(
    output.deadLetters.map((d) => [d.offset, d.reason]),
    [
      [1, 'rejected_by_store'],
      [3, 'rejected_by_store'],
    ],
  )
  // The payload is the refused row as JSON, redacted like any dead letter: its source offset says which row it was.
  assert.equal(JSON.parse(output.deadLetters[0]!.payload_prefix).source_offset, 1, 'the refused row (b), as JSON')
  assert.match(output.deadLetters[0]!.detail, /^messages: fake: cannot parse a value/)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 5, inflight: null })
})

test('a refusal that cannot be narrowed to rows stays fatal, and nothing is committed', async () => {
  const sink = new FakeSink()
  sink.refuseMessage = () => true
  sink.findRejectedRows = () => Promise.resolve([])
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints, { flushMaxRecords: 100, deadLetterPrefixBytes: 4096 })
  await p.accept('t', 0, [{ topic: 't', partition: 0, offset: 0, value: msg('a'), timestampMs: 0 }])
  await assert.rejects(p.flush(true), /fake: cannot parse a value/)
  assert.equal(sink.written.length, 0)
  assert.deepEqual(checkpoints.committed.get('t:0') ?? null, { offset: 0, inflight: 0 })
})

test('a rebalance while a partition loads: it loads again under the next generation, which takes the delivery', async () => {
  let release = () => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  let loads = 0
  class SlowCheckpoints extends FakeCheckpoints {
    override async load(topic: string, partition: number) {
      if (++loads === 1) await gate
      return super.load(topic, partition)
    }
  }
  const sink = new FakeSink()
  const p = processor(sink, new SlowCheckpoints(), { flushMaxRecords: 100 })
  const accepted = p.accept('t', 0, records([msg('a'), msg('b')]))
  await new Promise((resolve) => setImmediate(resolve))
  p.resetAssignments()
  release()
  assert.equal(await accepted, null)
  assert.equal(loads, 2, 'the checkpoint was read again for the new generation')
  assert.equal(p.buffered, 2)
  await p.flush(true)
  assert.deepEqual(sink.messageIds(), ['a', 'b'])
})

test('a delivery whose partition was revoked the moment it finished loading is dropped, not buffered into the forgotten state', async () => {
  const sink = new FakeSink()
  let resetOnLoad = true
  const p: Processor = testProcessor(sink, new FakeCheckpoints(), {
    settings: { flushMaxRecords: 100 },
    observer: {
      ...NOOP_OBSERVER,
      partitionsAssigned: (count) => {
        // The group joins again between the load and the delivery's processing.
        if (count === 1 && resetOnLoad) {
          resetOnLoad = false
          p.resetAssignments()
        }
      },
    },
  })
  assert.equal(await p.accept('t', 0, records([msg('a'), msg('b')])), null)
  assert.equal(p.buffered, 0, 'nothing counted for a state that no longer exists')
  assert.deepEqual(p.positions(), [])
  await p.accept('t', 0, records([msg('a'), msg('b')]))
  await p.flush(true)
  assert.deepEqual(sink.messageIds(), ['a', 'b'], 'delivered again, taken by the next generation')
})
