/**
 * Exactly once under crashes: the processor is SIGKILLed at random moments while consuming (with
 * batches being written every few hundred milliseconds, so kills land before, during and after
 * writes and commits), restarted each time, and the aggregates still equal the expectation exactly.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateWithTruth } from '../../src/sources/generator/index.js'
import { createTopics } from '../../src/testing/kafka-broker.js'
import { processorEnv, produceAll, recordsBehind, query, sleep, spawnProcessor, stopProcessor, tempDir, testBrokers, uniqueTopics, waitForCatchUp } from '../../src/testing/harness.js'
import { countDifferences, MESSAGE_STATS_QUERY, MODERATION_STATS_QUERY, expectedAggregates, messageStatsFromRows, moderationStatsFromRows } from '../../src/testing/oracle.js'

const KILLS = 5

test(`SIGKILL at ${KILLS} random moments, restart after each → exact aggregates`, async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('kill')
  await createTopics(brokers, Object.values(topics), 4)
  const { records } = generateWithTruth({ seed: 11, messages: 40_000, startMs: Date.UTC(2026, 10, 28, 6), duplicateShare: 0.01, malformedShare: 0.005, topics })
  const expected = expectedAggregates(records)
  await produceAll(brokers, records)

  const dataDir = tempDir('kill')
  const group = `g-kill-${Date.now()}`
  // Small batches and a slow fetch, so the run spans the kills and every kill interrupts something.
  const env = processorEnv(brokers, topics, group, dataDir, {
    ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '100',
    ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS: '500',
    ABUSE_RADAR__KAFKA__MAX_BYTES_PER_PARTITION: '65536',
  })
  const seed = Number(process.env.TEST_SEED ?? Date.now())
  let state = seed
  const random = () => ((state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296)
  const kills: number[] = []
  for (let i = 0; i < KILLS; i++) {
    const processor = spawnProcessor(env)
    const delay = 2500 + Math.floor(random() * 3000)
    kills.push(delay)
    await sleep(delay)
    processor.child.kill('SIGKILL')
    const { signal } = await processor.exited
    assert.equal(signal, 'SIGKILL', `run ${i} had exited by itself:\n${processor.stderr()}`)
  }
  const behind = await recordsBehind(brokers, group, Object.values(topics))
  assert.ok(behind > 0, 'the kills interrupted the run (it had not finished before the last kill)')
  const last = spawnProcessor(env)
  await waitForCatchUp(brokers, group, Object.values(topics), 240_000)
  await stopProcessor(last)

  const diagnostics = `seed ${seed}, kills after ${kills.join(', ')} ms`
  assert.deepEqual(countDifferences(messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)), expected.messages), [], diagnostics)
  assert.deepEqual(countDifferences(moderationStatsFromRows(await query(dataDir, MODERATION_STATS_QUERY)), expected.moderation), [], diagnostics)
  const [letters] = await query<{ n: string; distinct_offsets: string }>(dataDir, 'SELECT count() AS n, uniqExact(topic, partition, offset) AS distinct_offsets FROM dead_letters')
  assert.equal(Number(letters?.n), expected.totals.deadLetters, diagnostics)
  assert.equal(Number(letters?.distinct_offsets), expected.totals.deadLetters, diagnostics)
})
