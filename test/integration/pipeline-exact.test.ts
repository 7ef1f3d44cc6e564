/**
 * The pipeline end to end against the real broker and the embedded engine: a generated stream of
 * known content, with redeliveries and every kind of malformed record, gives exactly the expected
 * aggregates; then the whole stream published again after a restart changes nothing.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateWithTruth } from '../../src/generator/index.js'
import { createTopics } from '../support/kafka-broker.js'
import {
  processorEnv,
  produceAll,
  query,
  spawnProcessor,
  stopProcessor,
  tempDir,
  testBrokers,
  uniqueTopics,
  waitForCatchUp,
} from '../support/harness.js'
import {
  countDifferences,
  MESSAGE_STATS_QUERY,
  MODERATION_STATS_QUERY,
  expectedAggregates,
  messageStatsFromRows,
  moderationStatsFromRows,
} from '../support/oracle.js'

test('generated stream → exact message and moderation aggregates, dead letters with reasons; a republished stream counts once', async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('exact')
  await createTopics(brokers, Object.values(topics), 3)
  const { records } = generateWithTruth({
    seed: 7,
    messages: 3000,
    startMs: Date.UTC(2026, 10, 28, 9),
    duplicateShare: 0.02,
    malformedShare: 0.01,
    topics,
  })
  const expected = expectedAggregates(records)
  assert.ok(expected.totals.duplicates > 20 && expected.totals.deadLetters > 10, 'the stream has redeliveries and malformed records')
  const malformedReasons = new Set(records.filter((r) => r.kind === 'malformed').map((r) => r.malformedReason))
  for (const reason of ['not_json', 'not_object', 'unknown_schema', 'missing_field', 'wrong_type', 'invalid_utf8', 'invalid_ts']) {
    assert.ok(malformedReasons.has(reason as never), `the stream has a ${reason} record`)
  }
  await produceAll(brokers, records)

  const dataDir = tempDir('exact')
  const group = `g-exact-${Date.now()}`
  const env = processorEnv(brokers, topics, group, dataDir)
  const processor = spawnProcessor(env)
  await waitForCatchUp(brokers, group, Object.values(topics))
  await stopProcessor(processor)

  const messageStats = messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY))
  assert.deepEqual(countDifferences(messageStats, expected.messages), [])
  assert.deepEqual(countDifferences(moderationStatsFromRows(await query(dataDir, MODERATION_STATS_QUERY)), expected.moderation), [])
  const deadLetters = await query<{ reason: string; n: string }>(dataDir, 'SELECT reason, count() AS n FROM dead_letters GROUP BY reason')
  const byReason = Object.fromEntries(deadLetters.map((r) => [r.reason, Number(r.n)]))
  const expectedByReason: Record<string, number> = {}
  for (const r of records)
    if (r.kind === 'malformed') expectedByReason[r.malformedReason as string] = (expectedByReason[r.malformedReason as string] ?? 0) + 1
  assert.deepEqual(byReason, expectedByReason)

  // Every event published a second time, consumed after a restart: nothing changes.
  await produceAll(
    brokers,
    records.filter((r) => r.kind !== 'malformed'),
  )
  const again = spawnProcessor(env)
  await waitForCatchUp(brokers, group, Object.values(topics))
  await stopProcessor(again)
  assert.deepEqual(countDifferences(messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)), expected.messages), [])
  assert.deepEqual(countDifferences(moderationStatsFromRows(await query(dataDir, MODERATION_STATS_QUERY)), expected.moderation), [])
  const [letters] = await query<{ n: string }>(dataDir, 'SELECT count() AS n FROM dead_letters')
  assert.equal(Number(letters?.n), expected.totals.deadLetters)
})
