/**
 * ClickHouse unavailable for a while (the embedded engine made to fail its inserts): consumption
 * pauses, nothing is committed, and after it returns the counts are exact.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { generateWithTruth } from '../../src/generator/index.js'
import { createTopics, freePort } from '../support/kafka-broker.js'
import {
  processorEnv,
  produceAll,
  query,
  scrapeMetric,
  spawnProcessor,
  stopProcessor,
  tempDir,
  testBrokers,
  uniqueTopics,
  waitForCatchUp,
  waitForMetric,
} from '../support/harness.js'
import { countDifferences, MESSAGE_STATS_QUERY, expectedAggregates, messageStatsFromRows } from '../support/oracle.js'

test('inserts failing → paused, retried, nothing committed; recovery → exact counts', async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('outage')
  await createTopics(brokers, Object.values(topics), 2)
  const { records } = generateWithTruth({ seed: 3, messages: 5000, startMs: Date.UTC(2026, 10, 28, 1), topics })
  const expected = expectedAggregates(records)
  await produceAll(brokers, records)

  const dataDir = tempDir('outage')
  const faultFile = path.join(dataDir, 'clickhouse-down')
  writeFileSync(faultFile, 'down')
  const port = await freePort()
  const group = `g-outage-${Date.now()}`
  const processor = spawnProcessor(
    processorEnv(brokers, topics, group, dataDir, {
      ABUSE_RADAR_FAULT_FILE: faultFile,
      ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port),
      ABUSE_RADAR__CLICKHOUSE__INSERT_RETRY__MAX_BACKOFF_MS: '500',
    }),
  )
  try {
    const retries = await waitForMetric(port, 'abuse_sink_retries_total', 3, 30_000)
    assert.ok(retries >= 3, `writes were retried (${retries})`)
    assert.equal(await scrapeMetric(port, 'abuse_backpressure_active'), 1, 'consumption is paused')
    assert.equal(await scrapeMetric(port, 'abuse_batches_written_total'), 0, 'nothing written or committed')
    const ready = await fetch(`http://127.0.0.1:${port}/livez`)
    assert.equal(ready.status, 200, 'still alive while waiting')
  } finally {
    rmSync(faultFile)
  }
  await waitForCatchUp(brokers, group, Object.values(topics))
  assert.equal(await scrapeMetric(port, 'abuse_backpressure_active'), 0, 'resumed')
  assert.ok((await scrapeMetric(port, 'abuse_backpressure_seconds_total')) > 0)
  await stopProcessor(processor)
  assert.deepEqual(countDifferences(messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)), expected.messages), [])
})
