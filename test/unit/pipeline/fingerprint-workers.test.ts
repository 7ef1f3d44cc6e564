import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Worker } from 'node:worker_threads'
import { loadConfig } from '../../../src/config/load.js'
import { loadAnalysisInputs } from '../../../src/cli/runtime.js'
import { NOOP_ANALYSIS_OBSERVER } from '../../../src/domain/observers.js'
import type { SourceRecord } from '../../../src/domain/ports.js'
import { decodeRecord } from '../../../src/decode/decode.js'
import { fingerprintText } from '../../../src/fingerprint/index.js'
import { unpackText, type PreparedText } from '../../../src/fingerprint/packed.js'
import { normalizeText } from '../../../src/normalize/index.js'
import { generateRecords } from '../../../src/generator/index.js'
import { createAnalyzer } from '../../../src/pipeline/analysis.js'
import {
  FingerprintWorkers,
  PREPARED_PART,
  WORKER_YOUNG_GENERATION_MB,
  requestOf,
  startWorker,
  valuesOf,
} from '../../../src/pipeline/fingerprint-workers.js'
import { FakeCheckpoints, FakeSink, testProcessor } from '../../support/fakes.js'

const event = (fields: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: `e${Math.random()}`,
      type: 'created',
      ts: Date.now(),
      chat: { id: '-1001', type: 'channel' },
      message_id: '1',
      sender: { id: 'u1' },
      ...fields,
    }),
  )

test('a request carries its values alone, not the buffers they are views of, and gives them back in order', () => {
  const fetched = Buffer.from('xxxx{"a":1}yyyy{"b":22}zzzz')
  const values = [fetched.subarray(4, 11), null, fetched.subarray(15, 23), Buffer.alloc(0)]
  const request = requestOf(7, values)
  assert.equal(request.bytes.byteLength, 15, 'only the values: 7 + 8 bytes of a 27-byte buffer')
  const back = valuesOf(request).map((v) => (v === null ? null : Buffer.from(v).toString()))
  assert.deepEqual(back, ['{"a":1}', null, '{"b":22}', ''])
})

test('a worker thread prepares the texts of public messages, and only those', async () => {
  const workers = new FingerprintWorkers(1, () => assert.fail('no worker should fail'))
  try {
    const text = 'Earn 500 USDT a day, write to @helper https://t.me/+abc 🔥'
    const values = [
      event({ text }),
      event({ text, chat: { id: '42', type: 'private' } }),
      event({ type: 'deleted' }),
      Buffer.from('{not json'),
      null,
      event({ text: 'another text' }),
    ]
    const [part, ...more] = workers.prepare(values)
    assert.equal(more.length, 0)
    const packed = await part!
    assert.ok(packed)
    assert.deepEqual([...packed.sourceLength], [text.length, -1, -1, -1, -1, 'another text'.length])
    const prepared = unpackText(packed, 0, text)!
    const inline = normalizeText(text)
    assert.equal(prepared.normalized.text, inline.text)
    assert.equal(prepared.fingerprint.exactHash, fingerprintText(inline).exactHash)
  } finally {
    await workers.stop()
  }
})

/** One worker, with each failure's `givingUp` recorded and its slots in view, to kill workers. */
function watchedWorkers() {
  const failures: boolean[] = []
  const workers = new FingerprintWorkers(1, (_error, givingUp) => failures.push(givingUp))
  return { workers, failures, slots: (workers as unknown as { slots: { worker: Worker }[] }).slots }
}

test('a worker runs with a small young generation: its garbage is short-lived', async () => {
  const worker = startWorker()
  try {
    await new Promise((resolve) => worker.once('online', resolve))
    assert.equal(worker.resourceLimits?.maxYoungGenerationSizeMb, WORKER_YOUNG_GENERATION_MB)
  } finally {
    await worker.terminate()
  }
})

test('a worker that dies is replaced: what it held comes back as null, the next request is answered', async () => {
  const { workers, failures, slots } = watchedWorkers()
  try {
    const first = slots[0]!.worker
    const pending = workers.prepare([event({ text: 'held by the worker that dies' })])
    await first.terminate()
    assert.deepEqual(await Promise.all(pending), [null])
    assert.deepEqual(failures, [false])
    assert.notEqual(slots[0]!.worker, first, 'a new worker took its place')
    const [part] = workers.prepare([event({ text: 'answered by the new one' })])
    assert.equal((await part!)?.sourceLength[0], 'answered by the new one'.length)
  } finally {
    await workers.stop()
  }
})

test('workers that die before answering once are not started again: deliveries are analysed inline', async () => {
  const { workers, failures, slots } = watchedWorkers()
  try {
    for (let i = 0; i < 3; i++) await slots[0]!.worker.terminate()
    assert.deepEqual(failures, [false, false, true])
    assert.equal(slots.length, 0)
    assert.deepEqual(workers.prepare([event({ text: 'no worker left' })]), [])
  } finally {
    await workers.stop()
  }
})

const RUN = fileURLToPath(new URL('../../support/fingerprint-workers-run.ts', import.meta.url))
const runToItsEnd = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', RUN, ...args], { timeout: 120_000 }).then(({ stdout }) => stdout)

test('an idle worker does not keep a finished run alive; one with a request to answer does', async () => {
  // without the unref after the listeners, the first run never ended (a test file hung after passing)
  assert.equal(await runToItsEnd(), 'end of the run\n')
  // without the ref while a request is out, the run ended before the answer (exit code 13)
  assert.equal(await runToItsEnd('prepare'), `prepared ${'answered before the end'.length}\nend of the run\n`)
})

/** The generated stream as source records: partitions by chat, offsets per partition. */
function sourceRecords(messages: number): Map<string, SourceRecord[]> {
  const byPartition = new Map<string, SourceRecord[]>()
  for (const r of generateRecords({ seed: 7, messages, startMs: Date.now() - 3_600_000 })) {
    let h = 0
    for (const c of r.key ?? '') h = (h * 31 + c.charCodeAt(0)) >>> 0
    const partition = h % 3
    const id = `${r.topic}:${partition}`
    const list = byPartition.get(id) ?? []
    list.push({ topic: r.topic, partition, offset: list.length, value: r.value, timestampMs: 0 })
    byPartition.set(id, list)
  }
  return byPartition
}

async function runProcessor(streams: Map<string, SourceRecord[]>, workers: FingerprintWorkers | undefined) {
  const config = loadConfig({ env: {} })
  const analysis = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER)
  let preparedUsed = 0
  const sink = new FakeSink()
  const processor = testProcessor(sink, new FakeCheckpoints(), {
    settings: { flushMaxRecords: 500 },
    analyzer: {
      analyze: (e, sender, prepared?: PreparedText) => {
        if (prepared) preparedUsed++
        return analysis.analyze(e, sender, prepared)
      },
    },
    ...(workers ? { fingerprints: workers } : {}),
  })
  // deliveries of 700 new records, partitions in turn: parts of PREPARED_PART, and a last short one;
  // each after the first begins with the last 100 records of the one before (as a fetch that
  // overlaps the previous one), which the processor skips before preparing
  const cursors = new Map([...streams.keys()].map((id) => [id, 0]))
  for (let active = true; active;) {
    active = false
    for (const [id, list] of streams) {
      const from = cursors.get(id)!
      if (from >= list.length) continue
      active = true
      const delivery = list.slice(Math.max(0, from - 100), from + 700)
      cursors.set(id, Math.min(list.length, from + 700))
      await processor.accept(delivery[0]!.topic, delivery[0]!.partition, delivery)
    }
  }
  await processor.flush(true)
  await processor.close()
  const messages = sink.written.flatMap((w) => w.output.messages).sort((a, b) => a.event_id.localeCompare(b.event_id) || a.ts - b.ts)
  return { messages, preparedUsed }
}

test('with a worker thread the processor writes exactly the facts it writes without one', async () => {
  const streams = sourceRecords(3000)
  let texts = 0
  for (const list of streams.values())
    for (const r of list) {
      const d = decodeRecord(r.value, 1 << 20)
      if (
        d.ok &&
        d.value.kind === 'message' &&
        d.value.event.type !== 'deleted' &&
        d.value.event.chat.type !== 'private' &&
        d.value.event.text
      )
        texts++
    }
  assert.ok(PREPARED_PART < 700, 'deliveries span several parts')
  const inline = await runProcessor(streams, undefined)
  const threaded = await runProcessor(streams, new FingerprintWorkers(1, () => assert.fail('no worker should fail')))
  assert.equal(inline.preparedUsed, 0)
  // duplicated events (the generator's copies) are dropped before analysis: at most every text once
  assert.ok(threaded.preparedUsed > 0.9 * texts && threaded.preparedUsed <= texts, `${threaded.preparedUsed} of ${texts}`)
  assert.equal(threaded.messages.length, inline.messages.length)
  assert.deepEqual(threaded.messages, inline.messages)
})
