/**
 * The campaign index is rebuilt from message_fingerprints after a restart: a message deleted before
 * the restart must not come back into it (migration 6 keeps the deletions of public messages).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { SourceRecord } from '../../src/domain/ports.js'
import { loadConfig } from '../../src/config/load.js'
import { loadAnalysisInputs, openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { Processor } from '../../src/pipeline/processor.js'
import { createAnalyzer } from '../../src/pipeline/analysis.js'
import { FakeCheckpoints, silentLogger, TEST_PROCESSOR_SETTINGS } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

const NOW = Date.now()
const TEXT = 'Join our VIP signals channel, 500 USDT a day guaranteed, write to the admin for the private link today'
const event = (eventId: string, messageId: string, type: 'created' | 'deleted', chatType = 'group') =>
  Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: eventId,
      type,
      ts: NOW - 60_000 + Number(eventId.slice(1)) * 1000, // recent: the table's TTL drops old rows
      chat: { id: '-100', type: chatType, title: 'Signals' },
      message_id: messageId,
      sender: { id: 'u1' },
      ...(type === 'created' ? { text: TEXT } : {}),
    }),
  )

test('a message deleted before a restart is not restored into the campaign index', async () => {
  const config = loadConfig({
    env: { ABUSE_RADAR_DATA_DIR: tempDir('restore-deletes'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'restore_deletes' },
  })
  const metrics = new Metrics()
  const store = await openMigratedStore(config, silentLogger, metrics)
  try {
    const processor = new Processor({
      sink: store.store,
      checkpoints: new FakeCheckpoints(),
      analyzer: createAnalyzer(config, loadAnalysisInputs(config), metrics),
      pseudonymize: (id) => `p${id}`,
      observer: metrics,
      logger: silentLogger,
      now: () => Date.now(),
      settings: { ...TEST_PROCESSOR_SETTINGS, flushMaxRecords: 100 },
    })
    const values = [event('e1', '1', 'created'), event('e2', '2', 'created'), event('e3', '3', 'created'), event('e4', '2', 'deleted')]
    const records: SourceRecord[] = values.map((value, offset) => ({ topic: 'restore', partition: 0, offset, value, timestampMs: 0 }))
    await processor.accept('restore', 0, records)
    await processor.flush(true)

    const restored = await store.store.loadRecentFingerprints(24 * 3_600_000, 1000, [])
    assert.deepEqual(restored.map((r) => r.messageId).sort(), ['1', '3'])
    assert.equal(new Set(restored.map((r) => r.campaignId)).size, 1, 'the two copies left are one campaign')
    const [deletion] = await store.store.select<{ n: string }>(
      `SELECT count() AS n FROM ${store.store.database}.message_fingerprints WHERE type = 'deleted'`,
    )
    assert.equal(Number(deletion?.n), 1)
  } finally {
    await store.close()
  }
})
