/**
 * A batch the sink cannot write holds back its own partition only: the other partitions keep
 * writing and committing, readiness names the failing partition after the configured time, and a
 * stop ends the backoff at once, leaving the failing batch uncommitted (marked in flight).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import type { BatchRange, SourceRecord } from '../../../src/domain/ports.js'
import type { BatchOutput } from '../../../src/domain/facts.js'
import { InfrastructureError } from '../../../src/domain/errors.js'
import type { ProcessorSettings } from '../../../src/pipeline/processor.js'
import { UnwrittenAtStopError } from '../../../src/pipeline/stop-signal.js'
import { NOOP_OBSERVER, type PipelineObserver } from '../../../src/domain/observers.js'
import { startHttpServer } from '../../../src/observability/http.js'
import { Metrics } from '../../../src/observability/metrics.js'
import { FakeCheckpoints, FakeSink, testProcessor } from '../../support/fakes.js'

const settings: Partial<ProcessorSettings> = { flushMaxRecords: 2, retryInitialMs: 20, retryMaxMs: 40, shutdownGraceMs: 2000 }

/** A sink whose writes of one partition fail (retryably) while `failing` holds. */
class PartitionDownSink extends FakeSink {
  failing = true
  constructor(private readonly downPartition: number) {
    super()
  }
  override async writeBatch(range: BatchRange, output: BatchOutput): Promise<void> {
    if (this.failing && range.partition === this.downPartition) {
      this.writes++
      throw new InfrastructureError('insert into message_facts: ClickHouse error 241: Memory limit exceeded', 'clickhouse', true)
    }
    return super.writeBatch(range, output)
  }
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
const records = (partition: number, ids: string[], from = 0): SourceRecord[] =>
  ids.map((id, i) => ({ topic: 't', partition, offset: from + i, value: msg(id), timestampMs: 0 }))

function processor(sink: FakeSink, checkpoints: FakeCheckpoints, metrics: PipelineObserver = NOOP_OBSERVER) {
  return testProcessor(sink, checkpoints, { settings, observer: metrics })
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

test("partition 0 keeps writing and committing while partition 1's writes fail; partition 1 catches up when the sink takes it", async () => {
  const sink = new PartitionDownSink(1)
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints)
  await p.accept('t', 1, records(1, ['x1', 'x2']))
  await p.accept('t', 0, records(0, ['a', 'b']))
  await p.flush(false)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 2, inflight: null }, 'partition 0 committed')
  assert.deepEqual(checkpoints.committed.get('t:1'), { offset: 0, inflight: 1 }, 'partition 1 marked in flight, not committed')
  assert.equal(p.isPaused, false, 'consumption goes on')
  // More records for partition 0 while partition 1 still fails: written and committed at once.
  await p.accept('t', 0, records(0, ['c', 'd'], 2))
  await p.flush(false)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 4, inflight: null })
  assert.deepEqual(sink.messageIds(), ['a', 'b', 'c', 'd'])
  assert.equal(p.buffered, 2, "only partition 1's records wait")
  const [failing] = p.failingWrites()
  assert.deepEqual([failing?.topic, failing?.partition, failing?.code], ['t', 1, 'AR_CLICKHOUSE_UNAVAILABLE'])
  assert.match(failing?.error ?? '', /ClickHouse error 241/)
  sink.failing = false
  await p.flush(true)
  assert.deepEqual(checkpoints.committed.get('t:1'), { offset: 2, inflight: null })
  assert.deepEqual(sink.messageIds().sort(), ['a', 'b', 'c', 'd', 'x1', 'x2'])
  assert.deepEqual(p.failingWrites(), [])
  assert.equal(p.buffered, 0)
})

test('retries back off exponentially (capped) instead of hammering the sink', async () => {
  const sink = new PartitionDownSink(0)
  const p = processor(sink, new FakeCheckpoints())
  await p.accept('t', 0, records(0, ['a', 'b']))
  const started = Date.now()
  const flushed = p.flush(true)
  await until(() => sink.writes >= 6)
  const elapsed = Date.now() - started
  // 5 waits of at least half of 20, 40, 40, 40, 40 ms: at least 90 ms; without backoff, a few ms.
  assert.ok(elapsed >= 90, `6 attempts took ${elapsed} ms`)
  sink.failing = false
  await flushed
  assert.deepEqual(sink.messageIds(), ['a', 'b'])
})

test('a non-retryable failure is not retried: it is fatal, and nothing is committed', async () => {
  const sink = new FakeSink()
  sink.writeBatch = () => Promise.reject(new InfrastructureError('ClickHouse error 60: Unknown table', 'clickhouse', false))
  const checkpoints = new FakeCheckpoints()
  const p = processor(sink, checkpoints)
  const fatal: Error[] = []
  p.onFatal((error) => fatal.push(error))
  await p.accept('t', 0, records(0, ['a', 'b']))
  await assert.rejects(p.flush(true), /Unknown table/)
  assert.equal(fatal.length, 1)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 0, inflight: 1 })
})

test('a stop during a backoff ends it at once; the failing batch stays uncommitted, the others are written', async () => {
  const sink = new PartitionDownSink(1)
  const checkpoints = new FakeCheckpoints()
  const p = testProcessor(sink, checkpoints, { settings: { ...settings, retryInitialMs: 60_000, retryMaxMs: 60_000 } })
  await p.accept('t', 1, records(1, ['x1', 'x2']))
  await p.accept('t', 0, records(0, ['a']))
  const flushed = p.flush(true)
  await until(() => sink.writes === 2)
  const stopAt = Date.now()
  p.beginStop()
  await assert.rejects(flushed, /t:1 failing for \d+ s \(AR_CLICKHOUSE_UNAVAILABLE: .*241.*\); they stay uncommitted/)
  await assert.rejects(
    p.flush(true),
    UnwrittenAtStopError,
    'a stop leaving records unwritten says so by its type (the command exits "interrupted")',
  )
  await assert.rejects(p.flush(true), /t:1 failing/)
  assert.ok(Date.now() - stopAt < 1000, `stopped in ${Date.now() - stopAt} ms, not after the 60 s backoff`)
  assert.equal(sink.writes, 3, 'one last attempt at the failing batch')
  assert.deepEqual(checkpoints.committed.get('t:1'), { offset: 0, inflight: 1 }, 'marked in flight: replayed at the next start')
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 1, inflight: null }, 'the healthy partition was written')
})

test('a stop gives up on a write that hangs once pipeline.shutdown_grace_ms has passed', async () => {
  const sink = new FakeSink()
  sink.writeBatch = () => new Promise<void>(() => {})
  const checkpoints = new FakeCheckpoints()
  const p = testProcessor(sink, checkpoints, { settings: { ...settings, shutdownGraceMs: 150 } })
  await p.accept('t', 0, records(0, ['a', 'b']))
  void p.flush(false).catch(() => {})
  p.beginStop()
  const started = Date.now()
  // the grace timer does not hold the process open by itself (a process with nothing else left may end)
  const keepAlive = setInterval(() => {}, 1000)
  await assert.rejects(p.flush(true), /shutdown_grace_ms \(150 ms\) passed with 2 records accepted and not written/)
  clearInterval(keepAlive)
  assert.ok(Date.now() - started < 1000)
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 0, inflight: 1 })
})

const get = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    request(url, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })

test('/readyz turns 503 naming the partition and the code once its writes failed for longer than configured; the metric shows it', async () => {
  const sink = new PartitionDownSink(1)
  const metrics = new Metrics()
  const p = processor(sink, new FakeCheckpoints(), metrics)
  const http = await startHttpServer('127.0.0.1', 0, metrics.registry, {
    sinceLastTickMs: () => 0,
    sourceReady: () => true,
    sinkReachable: () => Promise.resolve(true),
    failingWrites: () => p.failingWrites(),
    unreadyAfterFailingMs: 300,
  })
  try {
    await p.accept('t', 1, records(1, ['x1', 'x2']))
    const flushed = p.flush(true)
    await until(() => sink.writes >= 1)
    assert.equal((await get(`${http.url}/readyz`)).status, 200, 'failing, but not for long yet')
    await until(() => (p.failingWrites()[0]?.failingForMs ?? 0) >= 300)
    const unready = await get(`${http.url}/readyz`)
    assert.equal(unready.status, 503)
    const body = JSON.parse(unready.body) as { partitions: { topic: string; partition: number; code: string; error: string }[] }
    assert.deepEqual(
      body.partitions.map((f) => [f.topic, f.partition, f.code]),
      [['t', 1, 'AR_CLICKHOUSE_UNAVAILABLE']],
    )
    assert.match(body.partitions[0]?.error ?? '', /ClickHouse error 241/)
    assert.match(
      await metrics.registry.metrics(),
      /abuse_sink_failing_seconds\{topic="t",partition="1",code="AR_CLICKHOUSE_UNAVAILABLE"\} 0\.[3-9]|abuse_sink_failing_seconds\{topic="t",partition="1",code="AR_CLICKHOUSE_UNAVAILABLE"\} [1-9]/,
    )
    sink.failing = false
    await flushed
    assert.equal((await get(`${http.url}/readyz`)).status, 200, 'ready again once written')
    assert.doesNotMatch(await metrics.registry.metrics(), /abuse_sink_failing_seconds\{/)
  } finally {
    await http.close()
  }
})

test('a partition whose writes fail pauses alone at its first failure and resumes once written; the shared buffer never fills', async () => {
  const sink = new PartitionDownSink(1)
  const checkpoints = new FakeCheckpoints()
  // room for 6 records: partition 1's 2 stuck records plus partition 0's flow would fill it if partition 1 kept taking records
  const p = testProcessor(sink, checkpoints, { settings: { ...settings, maxBufferedRecords: 6 } })
  const pauses: [string, number, boolean][] = []
  const globalPauses: boolean[] = []
  p.onPartitionPauseChange((topic, partition, paused) => pauses.push([topic, partition, paused]))
  p.onPauseChange((paused) => globalPauses.push(paused))
  await p.accept('t', 1, records(1, ['x1', 'x2']))
  assert.deepEqual(pauses, [], 'nothing paused before a write failed')
  await p.flush(false)
  assert.deepEqual(pauses, [['t', 1, true]], 'paused at the first failure')
  assert.deepEqual(p.pausedPartitions, [{ topic: 't', partition: 1 }])
  for (let from = 0; from < 20; from += 2) {
    await p.accept('t', 0, records(0, [`a${from}`, `a${from + 1}`], from))
    await p.flush(false)
  }
  assert.deepEqual(checkpoints.committed.get('t:0'), { offset: 20, inflight: null }, 'partition 0 wrote and committed all 20')
  assert.equal(p.buffered, 2, "only partition 1's two records wait")
  assert.deepEqual(globalPauses, [], 'the other partitions were never paused')
  sink.failing = false
  await p.flush(true)
  assert.deepEqual(pauses, [
    ['t', 1, true],
    ['t', 1, false],
  ])
  assert.deepEqual(p.pausedPartitions, [])
  assert.deepEqual(checkpoints.committed.get('t:1'), { offset: 2, inflight: null })
})

test('a rebalance resumes the partitions paused alone: their batches are dropped and read again by the next owner', async () => {
  const sink = new PartitionDownSink(1)
  const p = processor(sink, new FakeCheckpoints())
  const pauses: [string, number, boolean][] = []
  p.onPartitionPauseChange((topic, partition, paused) => pauses.push([topic, partition, paused]))
  await p.accept('t', 1, records(1, ['x1', 'x2']))
  await p.flush(false)
  p.resetAssignments()
  assert.deepEqual(pauses, [
    ['t', 1, true],
    ['t', 1, false],
  ])
  assert.deepEqual(p.pausedPartitions, [])
  assert.deepEqual(p.failingWrites(), [])
})
