/**
 * A row ClickHouse refuses for its content, against the real engine: the store reports which table
 * refused, finds the row by bisection on a Null-engine probe, and the processor writes the rest of
 * the batch and the row as a dead letter.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BatchOutput } from '../../src/domain/facts.js'
import type { BatchRange, FactsSink, SourceRecord } from '../../src/domain/ports.js'
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { Processor } from '../../src/pipeline/processor.js'
import { NOOP_OBSERVER } from '../../src/domain/observers.js'
import { NO_TEXT_VERDICT } from '../../src/facts/build.js'
import { FakeCheckpoints, silentLogger, TEST_PROCESSOR_SETTINGS } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

const message = (eventId: string) =>
  Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: eventId,
      type: 'created',
      ts: 1764331200000,
      chat: { id: '-7', type: 'group' },
      message_id: eventId,
      sender: { id: 'u' },
    }),
  )

test('a row the engine cannot store becomes a dead letter; the rest of its batch is counted', async () => {
  const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: tempDir('rejected'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'rejected' } })
  const store = await openMigratedStore(config, silentLogger, new Metrics())
  try {
    // Stands in for a value only ClickHouse finds wrong: the event time of message "c" as text it cannot parse.
    const corrupting: FactsSink = {
      writeBatch: (range: BatchRange, output: BatchOutput) => {
        for (const row of output.messages) if (row.event_id === 'c') (row as { ts: unknown }).ts = 'the day after tomorrow'
        return store.store.writeBatch(range, output)
      },
      findRejectedRows: (output, rows) => store.store.findRejectedRows(output, rows),
      loadSeenEventKeys: (since) => store.store.loadSeenEventKeys(since),
      ping: () => store.store.ping(),
    }
    const checkpoints = new FakeCheckpoints()
    const processor = new Processor({
      sink: corrupting,
      checkpoints,
      analyzer: { analyze: () => NO_TEXT_VERDICT },
      pseudonymize: (id) => `p${id}`,
      observer: NOOP_OBSERVER,
      logger: silentLogger,
      now: () => Date.now(),
      settings: { ...TEST_PROCESSOR_SETTINGS, flushMaxRecords: 100, deadLetterPrefixBytes: 4096 },
    })
    const records: SourceRecord[] = ['a', 'b', 'c', 'd', 'e'].map((id, offset) => ({
      topic: 'rejects',
      partition: 0,
      offset,
      value: message(id),
      timestampMs: 0,
    }))
    await processor.accept('rejects', 0, records)
    await processor.flush(true)

    const db = store.store.database
    const [created] = await store.store.select<{ created: string }>(
      `SELECT sum(created) AS created FROM ${db}.message_stats_1m WHERE chat_id = '-7'`,
    )
    assert.equal(Number(created?.created), 4)
    const letters = await store.store.select<{ offset: string; reason: string; payload_prefix: string }>(
      `SELECT offset, reason, payload_prefix FROM ${db}.dead_letters WHERE topic = 'rejects'`,
    )
    assert.deepEqual(
      letters.map((l) => [Number(l.offset), l.reason]),
      [[2, 'rejected_by_store']],
    )
    // The refused row is kept redacted; its source offset (computed by the processor) identifies it.
    assert.equal(JSON.parse(letters[0]!.payload_prefix).source_offset, 2)
    assert.deepEqual(checkpoints.committed.get('rejects:0'), { offset: 5, inflight: null })
  } finally {
    await store.close()
  }
})
