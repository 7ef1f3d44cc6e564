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
  sleep,
  spawnProcessor,
  stopProcessor,
  tempDir,
  testBrokers,
  uniqueTopics,
  waitForCatchUp,
  waitForMetric,
  partitionsFailingToWrite,
} from '../support/harness.js'
import { countDifferences, MESSAGE_STATS_QUERY, expectedAggregates, messageStatsFromRows } from '../support/oracle.js'

test('inserts failing → retried with backoff, unready, buffering bounded, nothing committed; recovery → exact counts', async () => {
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
      ABUSE_RADAR__PIPELINE__UNREADY_AFTER_FAILING_SECONDS: '1',
    }),
  )
  const partitions = 2 * Object.keys(topics).length
  try {
    const retries = await waitForMetric(port, 'abuse_sink_retries_total', 3, 30_000)
    assert.ok(retries >= 3, `writes were retried (${retries})`)
    // each partition pauses alone at its first failed write, so buffering stops with what was fetched before
    await until(`all ${partitions} partitions paused`, 30_000, async () => (await partitionsFailingToWrite(port)) === partitions)
    assert.equal(await scrapeMetric(port, 'abuse_batches_written_total'), 0, 'nothing written or committed')
    const live = await fetch(`http://127.0.0.1:${port}/livez`)
    assert.equal(live.status, 200, 'still alive while waiting')
    const failing = await failingPartitions(port, 30_000)
    assert.ok(
      failing.length > 0 && failing.every((p) => p.code === 'AR_CLICKHOUSE_UNAVAILABLE'),
      `/readyz names the failing partitions: ${JSON.stringify(failing)}`,
    )
  } finally {
    rmSync(faultFile)
  }
  await waitForCatchUp(brokers, group, Object.values(topics))
  assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200, 'ready again')
  await stopProcessor(processor)
  assert.deepEqual(countDifferences(messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)), expected.messages), [])
})

async function until(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await sleep(100)
  }
}

/** The partitions /readyz names as failing, once it does (it answers 503 with JSON after pipeline.unready_after_failing_seconds). */
async function failingPartitions(port: number, timeoutMs: number): Promise<{ topic: string; partition: number; code: string }[]> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`)
    if (response.status === 503 && response.headers.get('content-type')?.includes('application/json')) {
      return ((await response.json()) as { partitions: { topic: string; partition: number; code: string }[] }).partitions
    }
    await sleep(100)
  }
  return []
}
