/**
 * A second consumer joins the group mid-stream and leaves again; the counts stay exact. Both
 * members run in this process (the embedded engine is one per process) with their own consumer,
 * processor state and member id, writing to one store as instances share one ClickHouse server.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateWithTruth } from '../../src/generator/index.js'
import { createTopics } from '../support/kafka-broker.js'
import {
  partitionEnds,
  processorEnv,
  produceAll,
  tempDir,
  testBrokers,
  uniqueTopics,
  waitForCatchUp,
  waitUntil,
} from '../support/harness.js'
import {
  countDifferences,
  MESSAGE_STATS_QUERY,
  MODERATION_STATS_QUERY,
  expectedAggregates,
  messageStatsFromRows,
  moderationStatsFromRows,
} from '../support/oracle.js'
import { loadConfig } from '../../src/config/load.js'
import { KafkaPipeline, openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { silentLogger } from '../support/fakes.js'
import { trackHandles } from '../support/handles.js'

test('a member joining mid-stream and leaving again → exact counts, and nothing left open after the stops', async () => {
  const handles = trackHandles()
  const brokers = testBrokers()
  const topics = uniqueTopics('join')
  await createTopics(brokers, Object.values(topics), 6)
  // Every record keyed: two copies of a keyless event can land on partitions held by the two members
  // at once, which each member's duplicate filter cannot see (a documented limit, docs/limits.md).
  const { records } = generateWithTruth({ seed: 5, messages: 30_000, startMs: Date.UTC(2026, 10, 28, 3), topics, nullKeyShare: 0 })
  const expected = expectedAggregates(records)
  const half = Math.floor(records.length / 2)
  await produceAll(brokers, records.slice(0, half))

  const group = `g-join-${Date.now()}`
  const env = processorEnv(brokers, topics, group, tempDir('join'), {
    ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS: '1000',
    ABUSE_RADAR__KAFKA__MAX_BYTES_PER_PARTITION: '65536',
  })
  const config = loadConfig({ env })
  const metrics = new Metrics()
  const store = await openMigratedStore(config, silentLogger, metrics)
  try {
    const first = await KafkaPipeline.create(config, silentLogger, store, metrics)
    await first.start()
    // mid-stream: the first member has written part of the first half
    await waitUntil('the first member to write a batch', async () => ((await metrics.totals()).batches_written ?? 0) > 0, 120_000)
    const secondMetrics = new Metrics()
    const second = await KafkaPipeline.create(config, silentLogger, store, secondMetrics)
    await second.start()
    const producing = produceAll(brokers, records.slice(half))
    // it leaves once it has written something of its own: its batches must not be counted twice
    await waitUntil('the second member to write a batch', async () => ((await secondMetrics.totals()).batches_written ?? 0) > 0, 120_000)
    await second.stop()
    await producing
    await waitForCatchUp(brokers, group, Object.values(topics))
    // Everything committed: a restart now would leave nothing out of the state it rebuilds (each
    // partition's replay starts at its end).
    const starts = await first.source.replayStarts(topics.messages)
    assert.deepEqual(
      starts.sort((a, b) => a.partition - b.partition),
      (await partitionEnds(brokers, topics.messages)).map((end) => ({ topic: topics.messages, ...end })),
    )
    await first.stop()
    assert.ok((await metrics.rebalances.get()).values[0]!.value >= 3, 'the first member saw the join and the leave')

    const rows = async (sql: string) =>
      store.store.select<Record<string, unknown>>(sql.replace(/FROM (\w+)/, `FROM ${store.store.database}.$1`))
    assert.deepEqual(countDifferences(messageStatsFromRows(await rows(MESSAGE_STATS_QUERY)), expected.messages), [])
    assert.deepEqual(countDifferences(moderationStatsFromRows(await rows(MODERATION_STATS_QUERY)), expected.moderation), [])
  } finally {
    await store.close()
  }
  await handles.assertNoneLeft()
})
