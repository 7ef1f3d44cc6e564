/**
 * Rows ClickHouse refuses for their content become dead letters; the rest of the batch is written
 * under its token and the checkpoint moves on (instead of a fatal stop).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { SourceRecord } from '../../src/domain/ports.js'
import { Processor } from '../../src/pipeline/processor.js'
import { NOOP_OBSERVER } from '../../src/pipeline/observer.js'
import { NO_TEXT_VERDICT } from '../../src/facts/build.js'
import { FakeCheckpoints, FakeSink, silentLogger } from '../../src/testing/fakes.js'

const message = (eventId: string) =>
  Buffer.from(JSON.stringify({ schema: 'message.v1', event_id: eventId, type: 'created', ts: 1764331200000, chat: { id: '-1', type: 'group' }, message_id: eventId, sender: { id: 'u' } }))

function processor(sink: FakeSink, checkpoints: FakeCheckpoints): Processor {
  return new Processor({
    sink,
    checkpoints,
    analyzer: { analyze: () => NO_TEXT_VERDICT },
    pseudonymize: (id) => `p(${id.length})`,
    observer: NOOP_OBSERVER,
    logger: silentLogger,
    now: () => Date.now(),
    settings: {
      flushIntervalMs: Number.POSITIVE_INFINITY,
      flushMaxRecords: 100,
      maxBufferedRecords: 1000,
      maxRecordBytes: 1 << 20,
      dedupHorizonMs: 3_600_000,
      deadLetterPrefixBytes: 4096,
      retryInitialMs: 1,
      retryMaxMs: 2,
    },
  })
}

test('rows the store refuses become dead letters with the row as payload; the others are written', async () => {
  const sink = new FakeSink()
  sink.refuseMessage = (row) => row.event_id === 'b' || row.event_id === 'd'
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints)
  const records: SourceRecord[] = ['a', 'b', 'c', 'd', 'e'].map((id, offset) => ({ topic: 't', partition: 0, offset, value: message(id), timestampMs: 0 }))
  await p.accept('t', 0, records)
  await p.flush(true)
  assert.equal(sink.written.length, 1)
  const output = sink.written[0]!.output
  assert.deepEqual(output.messages.map((m) => m.event_id), ['a', 'c', 'e'])
  assert.deepEqual(
    output.deadLetters.map((d) => [d.offset, d.reason]),
    [[1, 'rejected_by_store'], [3, 'rejected_by_store']],
  )
  assert.equal(JSON.parse(output.deadLetters[0]!.payload_prefix).event_id, 'b', 'the refused row, as JSON')
  assert.match(output.deadLetters[0]!.detail, /^messages: fake: cannot parse a value/)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 5, inflight: null })
})

test('a refusal that cannot be narrowed to rows stays fatal, and nothing is committed', async () => {
  const sink = new FakeSink()
  sink.refuseMessage = () => true
  sink.findRejectedRows = async () => []
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints)
  await p.accept('t', 0, [{ topic: 't', partition: 0, offset: 0, value: message('a'), timestampMs: 0 }])
  await assert.rejects(p.flush(true), /fake: cannot parse a value/)
  assert.equal(sink.written.length, 0)
  assert.deepEqual(checkpoints.committed.get('t:0') ?? null, { offset: 0, inflight: 0 })
})
