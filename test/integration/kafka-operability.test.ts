/**
 * Operating the Kafka side (docs/operations.md): the lag metric is the group's committed lag on every
 * partition from the first seconds, a partition added while running is consumed, a second member
 * with another embedded store is refused, a reset of the group's offsets counts nothing twice, and a
 * missing input topic is named before anything is created.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs'
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
  type TestTopics,
} from '../support/harness.js'
import {
  countDifferences,
  MESSAGE_STATS_QUERY,
  MODERATION_STATS_QUERY,
  expectedAggregates,
  messageStatsFromRows,
  moderationStatsFromRows,
} from '../support/oracle.js'

const LAG = 'abuse_consumer_lag_messages'

async function withAdmin<T>(brokers: string[], use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'test-operability', brokers, logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    return await use(admin)
  } finally {
    await admin.disconnect()
  }
}

/** End offset minus the group's committed offset (the log start when none), per "topic:partition". */
async function committedLag(brokers: string[], group: string, topics: string[]): Promise<Map<string, number>> {
  return withAdmin(brokers, async (admin) => {
    const lags = new Map<string, number>()
    const committed = await admin.fetchOffsets({ groupId: group, topics })
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        const offset = Number(committed.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? -1)
        lags.set(`${topic}:${partition}`, Number(high) - (offset >= 0 ? offset : Number(low)))
      }
    }
    return lags
  })
}

/** The lag series a processor exports, per "topic:partition". */
async function exportedLag(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const lags = new Map<string, number>()
  for (const match of text.matchAll(/^abuse_consumer_lag_messages\{topic="([^"]+)",partition="(\d+)"\} (\d+)$/gm)) {
    lags.set(`${match[1]}:${match[2]}`, Number(match[3]))
  }
  return lags
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => null)
    if (value !== null) return value
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await sleep(200)
  }
}

function stream(topics: TestTopics, seed: number, messages: number) {
  return generateWithTruth({ seed, messages, startMs: Date.UTC(2026, 10, 28, 6), duplicateShare: 0.02, malformedShare: 0.01, topics })
}

test('lag: every partition of the input topics within seconds of start, equal to end minus committed (not what was fetched)', async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('lag')
  // the exchange topic too: created by a processor as the broker's first topic, its metadata lagged (see the report)
  await createTopics(brokers, [...Object.values(topics), `xch-${topics.messages}`], 3)
  const { records } = stream(topics, 11, 8000)
  await produceAll(brokers, records)
  const group = `g-lag-${Date.now()}`
  const port = await freePort()
  // Nothing is written (so nothing committed) for a minute: the processor has fetched everything, the group has committed nothing.
  const processor = spawnProcessor(
    processorEnv(brokers, topics, group, tempDir('lag'), {
      ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port),
      ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '60000',
      ABUSE_RADAR__KAFKA__LAG_POLL_INTERVAL_MS: '500',
    }),
  )
  try {
    await waitForMetric(port, 'abuse_records_consumed_total', records.length, 60_000)
    const served = Date.now()
    const exported = await until('9 lag series', 5000, async () => {
      const lags = await exportedLag(port)
      return lags.size === 9 ? lags : null
    })
    assert.ok(Date.now() - served < 5000)
    assert.deepEqual(exported, await committedLag(brokers, group, Object.values(topics)))
    assert.equal(
      [...exported.values()].reduce((a, b) => a + b, 0),
      records.length,
      'every record is still waiting for ClickHouse, though all were fetched',
    )
  } finally {
    await stopProcessor(processor)
  }
  // the stop wrote and committed everything
  assert.deepEqual([...(await committedLag(brokers, group, Object.values(topics))).values()], Array(9).fill(0))
})

test('a partition added while running is consumed within about 30 s (kafka.metadata_max_age_ms)', async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('grow')
  await createTopics(brokers, Object.values(topics), 2)
  const { records } = stream(topics, 12, 500)
  await produceAll(brokers, records)
  const group = `g-grow-${Date.now()}`
  const port = await freePort()
  const processor = spawnProcessor(
    processorEnv(brokers, topics, group, tempDir('grow'), {
      ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port),
      ABUSE_RADAR__KAFKA__LAG_POLL_INTERVAL_MS: '500',
    }),
  )
  try {
    await waitForCatchUp(brokers, group, Object.values(topics))
    await withAdmin(brokers, (admin) => admin.createPartitions({ topicPartitions: [{ topic: topics.messages, count: 3 }] }))
    const added = Date.now()
    const producer = new Kafka({ clientId: 'test-operability', brokers, logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    })
    await producer.connect()
    const onNewPartition = records.filter((r) => r.topic === topics.messages).slice(0, 50)
    await producer.send({ topic: topics.messages, messages: onNewPartition.map((r) => ({ value: r.value, partition: 2 })) })
    await producer.disconnect()
    await until('the new partition in the lag metric', 10_000, async () =>
      (await scrapeMetric(port, LAG, { topic: topics.messages, partition: '2' })) === 50 ? true : null,
    )
    await waitForCatchUp(brokers, group, [topics.messages], 45_000)
    const seconds = (Date.now() - added) / 1000
    assert.ok(seconds < 45, `consumed after ${seconds} s`)
    await until('lag 0 on the new partition', 5000, async () => ((await exportedLag(port)).get(`${topics.messages}:2`) === 0 ? true : null))
  } finally {
    await stopProcessor(processor)
  }
})

test('a second member of the group with another embedded store is refused with exit code 2; the first keeps running', async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('embedded')
  await createTopics(brokers, Object.values(topics), 3)
  const group = `g-embedded-${Date.now()}`
  const port = await freePort()
  const first = spawnProcessor(
    processorEnv(brokers, topics, group, tempDir('embedded-a'), { ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port) }),
  )
  try {
    assert.equal(await waitForMetric(port, 'abuse_rebalances_total', 1, 60_000), 1, 'the first member joined')
    const second = spawnProcessor(processorEnv(brokers, topics, group, tempDir('embedded-b')))
    const exit = await Promise.race([second.exited, sleep(60_000).then(() => null)])
    if (!exit) second.child.kill('SIGKILL')
    assert.equal(exit?.code, 2, second.stderr())
    assert.match(second.stderr(), /AR_CONFIG_INVALID/)
    assert.match(second.stderr(), new RegExp(`consumer group "${group}" already has a member on .* writing to an embedded ClickHouse`))
    assert.match(second.stderr(), /several instances|one ClickHouse server/)
    assert.equal(first.child.exitCode, null, 'the first member still runs')
  } finally {
    await stopProcessor(first)
  }
})

test("a reset of the group's offsets to earliest while stopped counts nothing twice; the skipped events are counted and warned about", async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('reset')
  await createTopics(brokers, Object.values(topics), 3)
  const { records } = stream(topics, 13, 3000)
  const expected = expectedAggregates(records)
  await produceAll(brokers, records)
  const dataDir = tempDir('reset')
  const group = `g-reset-${Date.now()}`
  const env = processorEnv(brokers, topics, group, dataDir)
  const first = spawnProcessor({ ...env, ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS: '500' })
  await waitForCatchUp(brokers, group, Object.values(topics))
  await stopProcessor(first)

  await withAdmin(brokers, async (admin) => {
    for (const topic of Object.values(topics)) await admin.resetOffsets({ groupId: group, topic, earliest: true })
  })
  const port = await freePort()
  // other batch boundaries than the first run's: the batches' deduplication tokens cannot match
  const second = spawnProcessor({
    ...env,
    ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS: '700',
    ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port),
  })
  let skipped: number
  try {
    await waitForCatchUp(brokers, group, Object.values(topics))
    skipped = await scrapeMetric(port, 'abuse_replayed_events_skipped_total')
  } finally {
    await stopProcessor(second)
  }
  const events = records.length - expected.totals.deadLetters - expected.totals.duplicates
  assert.equal(skipped, events, 'every event of the first run is skipped')
  assert.match(second.stderr(), /offsets reset \(or a commit lost\); events already written are skipped/)
  assert.deepEqual(countDifferences(messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)), expected.messages), [])
  assert.deepEqual(countDifferences(moderationStatsFromRows(await query(dataDir, MODERATION_STATS_QUERY)), expected.moderation), [])
})

test('an input topic that does not exist is named, exit code 2, and nothing is created (not even the exchange topic)', async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('missing')
  await createTopics(brokers, [topics.messages, topics.moderation], 1)
  const processor = spawnProcessor(processorEnv(brokers, topics, `g-missing-${Date.now()}`, tempDir('missing')))
  const { code } = await processor.exited
  assert.equal(code, 2, processor.stderr())
  assert.match(processor.stderr(), new RegExp(`AR_CONFIG_INVALID.*\\n.*input topic "${topics.reports}" does not exist`))
  assert.doesNotMatch(processor.stderr(), /does not host this topic-partition/)
  const existing = await withAdmin(brokers, (admin) => admin.listTopics())
  assert.equal(existing.includes(`xch-${topics.messages}`), false, 'the exchange topic was not created')
  assert.equal(existing.includes(topics.reports), false)
})
