/**
 * The Kafka broker stopped for 30 s in the middle of consumption and started again: the processor
 * stays up, reconnects by itself, consumes what was published after the restart, and the aggregates
 * are exact (nothing lost, nothing doubled).
 *
 * Runs on a broker of its own (started here on free ports, with its own data directory), never on
 * the suite's shared broker from TEST_KAFKA_BROKERS, since it stops it. Depending on how long the
 * broker takes to come back, kafkajs either keeps its group session (1 rebalance) or crashes and
 * restarts the consumer during the outage (2 rebalances). The second path used to double whole
 * batches: commits sent while the consumer restarted resolved without reaching Kafka
 * (src/sources/kafka/source.ts, commitRanges).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateWithTruth } from '../../src/generator/index.js'
import { createTopics, freePort, startBroker } from '../support/kafka-broker.js'
import {
  processorEnv,
  produceAll,
  query,
  scrapeMetric,
  sleep,
  spawnProcessor,
  stopProcessor,
  tempDir,
  uniqueTopics,
  waitForCatchUp,
  waitForMetric,
} from '../support/harness.js'
import {
  countDifferences,
  MESSAGE_STATS_QUERY,
  MODERATION_STATS_QUERY,
  expectedAggregates,
  messageStatsFromRows,
  moderationStatsFromRows,
} from '../support/oracle.js'

const DOWN_MS = 30_000

test('broker down for 30 s mid-stream, then back → the processor reconnects by itself; exact counts', { timeout: 420_000 }, async () => {
  const broker = await startBroker()
  try {
    const brokers = broker.brokers
    const topics = uniqueTopics('brokerdown')
    await createTopics(brokers, Object.values(topics), 4)
    const before = generateWithTruth({
      seed: 21,
      messages: 20_000,
      startMs: Date.UTC(2026, 10, 28, 10),
      duplicateShare: 0.01,
      malformedShare: 0.005,
      topics,
    })
    const after = generateWithTruth({
      seed: 22,
      messages: 8_000,
      startMs: Date.UTC(2026, 10, 28, 14),
      duplicateShare: 0.01,
      malformedShare: 0.005,
      topics,
    })
    const expected = expectedAggregates([...before.records, ...after.records])
    await produceAll(brokers, before.records)

    const dataDir = tempDir('brokerdown')
    const port = await freePort()
    const group = `g-brokerdown-${Date.now()}`
    // Small fetches and batches, so the stop lands while records are buffered and batches in flight.
    const processor = spawnProcessor(
      processorEnv(brokers, topics, group, dataDir, {
        ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port),
        ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '200',
        ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS: '1000',
        ABUSE_RADAR__KAFKA__MAX_BYTES_PER_PARTITION: '32768',
      }),
    )
    try {
      const batches = await waitForMetric(port, 'abuse_batches_written_total', 3, 60_000)
      assert.ok(batches >= 3, `the processor wrote batches before the stop (${batches}):\n${processor.stderr()}`)
      const writtenAtStop = await scrapeMetric(port, 'abuse_records_written_total')
      const downStarted = Date.now()
      await broker.down()
      // While the broker is away the processor must neither exit nor wedge its loop.
      while (Date.now() - downStarted < DOWN_MS) {
        await sleep(5000)
        assert.equal(processor.child.exitCode, null, `the processor exited while the broker was down:\n${processor.stderr()}`)
        assert.equal((await fetch(`http://127.0.0.1:${port}/livez`)).status, 200, 'the processor is live while the broker is down')
      }
      const downFor = Date.now() - downStarted
      await broker.up()
      assert.ok(writtenAtStop < before.records.length, `the stop landed mid-stream (${writtenAtStop} of ${before.records.length} written)`)
      // Wait until every partition has its leader again before producing: kafkajs' producer (not
      // idempotent) resends a whole request when one partition answers "not the leader", so the
      // other partitions' records would be in the log twice (seen as extra dead letters: a malformed
      // record has no event id to deduplicate it by).
      await createTopics(brokers, Object.values(topics), 4)

      // Records published after the restart reach the same, never restarted, processor.
      await produceAll(brokers, after.records)
      const recovery = Date.now()
      await waitForCatchUp(brokers, group, Object.values(topics), 240_000)
      const recoveredIn = Date.now() - recovery
      const rebalances = await scrapeMetric(port, 'abuse_rebalances_total')
      const retries = await scrapeMetric(port, 'abuse_sink_retries_total')
      await stopProcessor(processor)
      process.stderr.write(
        `broker down ${downFor} ms; caught up ${recoveredIn} ms after the second half was published; rebalances ${rebalances}, retried operations ${retries}\n`,
      )
      assert.doesNotMatch(processor.stderr(), /checkpoint below what the sink already holds/, 'no partition started below what was written')
    } finally {
      if (processor.child.exitCode === null) processor.child.kill('SIGKILL')
    }

    // Every source offset is written once: a doubled batch shows here with its offsets.
    const doubled = await query<{ source_topic: string; source_partition: number; first: string; last: string; n: string }>(
      dataDir,
      `SELECT source_topic, source_partition, min(source_offset) AS first, max(source_offset) AS last, count() AS n
       FROM (SELECT source_topic, source_partition, source_offset FROM seen_events GROUP BY source_topic, source_partition, source_offset HAVING count() > 1)
       GROUP BY source_topic, source_partition ORDER BY source_topic, source_partition`,
    )
    assert.deepEqual(doubled, [], 'source offsets written more than once (topic, partition, first, last, count)')

    assert.deepEqual(countDifferences(messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)), expected.messages), [])
    assert.deepEqual(countDifferences(moderationStatsFromRows(await query(dataDir, MODERATION_STATS_QUERY)), expected.moderation), [])
    const [letters] = await query<{ n: string; distinct_offsets: string }>(
      dataDir,
      'SELECT count() AS n, uniqExact(topic, partition, offset) AS distinct_offsets FROM dead_letters',
    )
    assert.equal(Number(letters?.n), expected.totals.deadLetters)
    assert.equal(Number(letters?.distinct_offsets), expected.totals.deadLetters)
  } finally {
    await broker.stop()
  }
})
