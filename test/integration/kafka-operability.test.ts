/**
 * Operating the Kafka side (docs/operations.md): the lag metric is the group's committed lag on every
 * partition from the first seconds, a partition added while running is consumed, a second member
 * with another embedded store is refused, a reset of the group's offsets counts nothing twice, a
 * missing input topic is named before anything is created, and one partition that cannot write
 * stays one bad partition (the poison scenario, with its timeline), and a stop that leaves it
 * unwritten says so with the "interrupted" exit code. A SIGTERM during the start (an unreachable
 * broker) stops the process at once.
 */
import { existsSync, writeFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test, type TestContext } from 'node:test'
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
      ABUSE_RADAR__PIPELINE__FLUSH_MAX_INTERVAL_MS: '60000',
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

test('an input topic that does not exist is named, exit code 2, and nothing is created (no database, no exchange topic)', async () => {
  const brokers = testBrokers()
  const topics = uniqueTopics('missing')
  await createTopics(brokers, [topics.messages, topics.moderation], 1)
  const dataDir = tempDir('missing')
  const processor = spawnProcessor(processorEnv(brokers, topics, `g-missing-${Date.now()}`, dataDir))
  const { code } = await processor.exited
  assert.equal(code, 2, processor.stderr())
  assert.match(processor.stderr(), new RegExp(`AR_CONFIG_INVALID.*\\n.*input topic "${topics.reports}" does not exist`))
  assert.doesNotMatch(processor.stderr(), /does not host this topic-partition/)
  const existing = await withAdmin(brokers, (admin) => admin.listTopics())
  assert.equal(existing.includes(`xch-${topics.messages}`), false, 'the exchange topic was not created')
  assert.equal(existing.includes(topics.reports), false)
  // checked before the embedded engine is opened: its teardown at exit can hang right after the migrations (docs/limits.md)
  assert.equal(existsSync(path.join(dataDir, 'clickhouse')), false, 'the embedded database was not opened')
})

test('a SIGTERM while the start still waits for an unreachable broker stops at once: exit 0, nothing reported as a failed start', async () => {
  // a port nothing listens on: freePort finds one free and lets it go
  const brokers = [`127.0.0.1:${await freePort()}`]
  const processor = spawnProcessor(
    processorEnv(brokers, uniqueTopics('unreachable'), `g-unreachable-${Date.now()}`, tempDir('unreachable'), {
      ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'info',
    }),
  )
  const deadline = Date.now() + 60_000
  // the start is under way once kafkajs has failed to connect (kafkajs retries for about half a minute)
  while (!/ECONNREFUSED/.test(processor.stderr()) && Date.now() < deadline) await sleep(100)
  assert.match(processor.stderr(), /ECONNREFUSED/, 'the start tried the broker')
  processor.child.kill('SIGTERM')
  const exit = await Promise.race([processor.exited, sleep(30_000).then(() => null)])
  if (!exit) processor.child.kill('SIGKILL')
  assert.ok(exit, `exited after the SIGTERM, not after the start gave up: ${processor.stderr().slice(-2000)}`)
  assert.equal(exit.code, 0, processor.stderr())
  assert.doesNotMatch(processor.stderr(), /AR_[A-Z_]+/, 'no failed start is reported beside the shutdown')
  assert.match(processor.stderr(), /"msg":"stopped"/)
})

const DAY_MS = 86_400_000

/** An ordinary public message at `tsMs`. */
function publicMessage(id: string, tsMs: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: id,
      type: 'created',
      ts: new Date(tsMs).toISOString(),
      chat: { id: '-100700', type: 'supergroup', title: 'Gardening tips', username: 'gardening_tips' },
      message_id: id,
      sender: { id: `u-${id}` },
      text: `watering schedule number ${id} for tomatoes and basil`,
    }),
  )
}

/** Sends records to one partition of a topic. */
async function sendTo(brokers: string[], topic: string, partition: number, values: Buffer[]): Promise<void> {
  const producer = new Kafka({ clientId: 'test-operability', brokers, logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  })
  await producer.connect()
  try {
    await producer.send({ topic, messages: values.map((value) => ({ value, partition })) })
  } finally {
    await producer.disconnect()
  }
}

/** The poison partition: 120 ordinary messages whose event times span 130 days (all within retention), on partition 1. */
function poisonMessages(prefix: string): Buffer[] {
  const first = Date.now() - 135 * DAY_MS
  return Array.from({ length: 120 }, (_, i) => publicMessage(`${prefix}-${i}`, first + Math.round((i * 130 * DAY_MS) / 119)))
}

const normalMessages = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => publicMessage(`${prefix}-${i}`, Date.now() - 60_000 + i))

/** The group's committed offset per "topic:partition" (-1: none). */
async function committedOffsets(brokers: string[], group: string, topic: string): Promise<Map<string, number>> {
  return withAdmin(brokers, async (admin) => {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] })
    return new Map((committed?.partitions ?? []).map((p) => [`${topic}:${p.partition}`, Number(p.offset)]))
  })
}

/** The partitions /readyz names, or null while it answers 200. */
async function unreadyPartitions(port: number): Promise<string[] | null> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`)
  if (response.status === 200) return null
  const body = (await response.json()) as { partitions?: { topic: string; partition: number; code: string }[] }
  return (body.partitions ?? []).map((p) => `${p.topic}:${p.partition} ${p.code}`)
}

/** Seconds since `startedMs`, for the timeline. */
const at = (startedMs: number) => `${((Date.now() - startedMs) / 1000).toFixed(1)} s`

/** Topics for the poison scenario: messages on 3 partitions, the others on 1; none of them created by the processor. */
async function poisonTopics(brokers: string[], name: string): Promise<TestTopics> {
  const topics = uniqueTopics(name)
  await createTopics(brokers, [topics.messages], 3)
  await createTopics(brokers, [topics.moderation, topics.reports, `xch-${topics.messages}`], 1)
  return topics
}

function poisonEnv(brokers: string[], topics: TestTopics, group: string, dataDir: string, port: number, faultFile: string) {
  return processorEnv(brokers, topics, group, dataDir, {
    // ClickHouse refuses partition 1's batches (a retryable failure) while this file names it
    ABUSE_RADAR_FAULT_FILE: faultFile,
    ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port),
    ABUSE_RADAR__CLICKHOUSE__INSERT_RETRY__INITIAL_BACKOFF_MS: '100',
    ABUSE_RADAR__CLICKHOUSE__INSERT_RETRY__MAX_BACKOFF_MS: '500',
    ABUSE_RADAR__PIPELINE__UNREADY_AFTER_FAILING_SECONDS: '2',
    ABUSE_RADAR__KAFKA__LAG_POLL_INTERVAL_MS: '500',
  })
}

test('poison partition: partition 1 cannot write; the others write and commit, it pauses alone, /readyz names it, lag is exact; then it catches up', async (t: TestContext) => {
  const brokers = testBrokers()
  const topics = await poisonTopics(brokers, 'poison')
  const msgs = topics.messages
  await sendTo(brokers, msgs, 1, poisonMessages('poison'))
  await sendTo(brokers, msgs, 0, normalMessages('p0', 20))
  await sendTo(brokers, msgs, 2, normalMessages('p2', 20))
  const dataDir = tempDir('poison')
  const faultFile = path.join(dataDir, 'partition-down')
  writeFileSync(faultFile, `${msgs}:1\n`)
  const group = `g-poison-${Date.now()}`
  const port = await freePort()
  const started = Date.now()
  const timeline: string[] = []
  const processor = spawnProcessor(poisonEnv(brokers, topics, group, dataDir, port, faultFile))
  try {
    await until('partitions 0 and 2 committed', 60_000, async () => {
      const committed = await committedOffsets(brokers, group, msgs)
      return committed.get(`${msgs}:0`) === 20 && committed.get(`${msgs}:2`) === 20 ? committed : null
    })
    timeline.push(`${at(started)}: partitions 0 and 2 committed 20 each; partition 1 nothing`)
    const named = await until('/readyz naming partition 1', 30_000, () => unreadyPartitions(port))
    assert.deepEqual(named, [`${msgs}:1 AR_CLICKHOUSE_UNAVAILABLE`])
    timeline.push(`${at(started)}: /readyz 503 naming ${msgs}:1 (unready_after_failing_seconds 2)`)
    // the in-flight mark: offset 0, the batch's first, with its range in the commit's metadata
    assert.equal((await committedOffsets(brokers, group, msgs)).get(`${msgs}:1`), 0, 'partition 1 committed nothing past its first offset')
    const expectedLag = new Map([
      [`${msgs}:0`, 0],
      [`${msgs}:1`, 120],
      [`${msgs}:2`, 0],
      [`${topics.moderation}:0`, 0],
      [`${topics.reports}:0`, 0],
    ])
    await until('the lag metric at 0 / 120 / 0', 10_000, async () => {
      const lags = await exportedLag(port)
      return lags.get(`${msgs}:1`) === 120 && lags.size === 5 ? lags : null
    })
    assert.deepEqual(await exportedLag(port), expectedLag)
    assert.deepEqual(await committedLag(brokers, group, Object.values(topics)), expectedLag)
    timeline.push(`${at(started)}: lag metric msg:0 0, msg:1 120, msg:2 0 (equal to end minus committed from the admin client)`)

    // Partition 1 paused alone: 20 more records there stay in Kafka while partition 0's, sent after them, are written.
    await sendTo(brokers, msgs, 1, normalMessages('p1-late', 20))
    await sendTo(brokers, msgs, 0, normalMessages('p0-late', 20))
    await until('partition 0 committed 40', 60_000, async () =>
      (await committedOffsets(brokers, group, msgs)).get(`${msgs}:0`) === 40 ? true : null,
    )
    timeline.push(`${at(started)}: 20 more on partition 1 and then 20 on partition 0: partition 0 committed 40, partition 1 not fetched`)
    assert.equal(await scrapeMetric(port, 'abuse_records_consumed_total'), 180, 'the 20 late records of partition 1 were not fetched')
    assert.equal(await scrapeMetric(port, 'abuse_buffered_records'), 120, "only partition 1's first 120 records are held")
    assert.equal(await scrapeMetric(port, 'abuse_backpressure_active'), 0, 'the other partitions were never paused')
    assert.ok((await scrapeMetric(port, 'abuse_sink_retries_total')) >= 2, 'partition 1 was retried')
    await until('lag 140 on partition 1', 10_000, async () => ((await exportedLag(port)).get(`${msgs}:1`) === 140 ? true : null))

    rmSync(faultFile)
    const healed = Date.now()
    timeline.push(`${at(started)}: fault removed`)
    await until('partition 1 committed 140', 60_000, async () =>
      (await committedOffsets(brokers, group, msgs)).get(`${msgs}:1`) === 140 ? true : null,
    )
    timeline.push(`${at(started)}: partition 1 committed 140 (${((Date.now() - healed) / 1000).toFixed(1)} s after the fault ended)`)
    await until('/readyz 200', 10_000, async () => ((await unreadyPartitions(port)) === null ? true : null))
    await until('lag 0 everywhere', 10_000, async () => ([...(await exportedLag(port)).values()].every((lag) => lag === 0) ? true : null))
    timeline.push(`${at(started)}: /readyz 200, lag 0 on every partition`)
  } finally {
    rmSync(faultFile, { force: true })
    await stopProcessor(processor)
  }
  assert.equal((processor.stderr().match(/pausing a partition whose writes fail/g) ?? []).length, 1, 'partition 1 paused once, alone')
  t.diagnostic(`timeline:\n  ${timeline.join('\n  ')}`)
  const perPartition = await query<{ partition: number; events: string }>(
    dataDir,
    `SELECT source_partition AS partition, count(DISTINCT source_offset) AS events FROM seen_events WHERE source_topic = '${msgs}' GROUP BY partition ORDER BY partition`,
  )
  assert.deepEqual(
    perPartition.map((r) => [Number(r.partition), Number(r.events)]),
    [
      [0, 40],
      [1, 140],
      [2, 20],
    ],
  )
  // the 130 days of the poison batch were written: the store cut its insert by event day
  const [days] = await query<{ created: string; days: string }>(
    dataDir,
    `SELECT sum(created) AS created, uniqExact(toDate(minute)) AS days FROM message_stats_1m`,
  )
  assert.deepEqual([Number(days?.created), Number(days?.days)], [200, 121])
})

test('a SIGTERM while a partition cannot write exits 143 with an "interrupted" summary; a restart writes what was left, exactly once', async () => {
  const brokers = testBrokers()
  const topics = await poisonTopics(brokers, 'poison-stop')
  const msgs = topics.messages
  await sendTo(brokers, msgs, 1, poisonMessages('stop'))
  await sendTo(brokers, msgs, 0, normalMessages('s0', 20))
  const dataDir = tempDir('poison-stop')
  const faultFile = path.join(dataDir, 'partition-down')
  writeFileSync(faultFile, `${msgs}:1\n`)
  const group = `g-poison-stop-${Date.now()}`
  const port = await freePort()
  const env = poisonEnv(brokers, topics, group, dataDir, port, faultFile)
  const first = spawnProcessor(env)
  let stdout = ''
  first.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  await until('partition 0 committed', 60_000, async () =>
    (await committedOffsets(brokers, group, msgs)).get(`${msgs}:0`) === 20 ? true : null,
  )
  await until('partition 1 failing', 30_000, () => unreadyPartitions(port))
  first.child.kill('SIGTERM')
  const { code } = await first.exited
  assert.equal(code, 143, first.stderr())
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>
  assert.equal(summary.interrupted, true)
  assert.equal(summary.source, 'kafka')
  assert.match(
    String(summary.unwritten),
    new RegExp(`stopped with batches unwritten: ${msgs}:1 failing for \\d+ s \\(AR_CLICKHOUSE_UNAVAILABLE`),
  )
  assert.deepEqual([summary.messages, summary.records_written], [140, 20])
  assert.doesNotMatch(first.stderr(), /final write failed/)
  assert.equal((await committedOffsets(brokers, group, msgs)).get(`${msgs}:1`), 0, 'partition 1 left uncommitted (marked in flight)')

  rmSync(faultFile)
  const second = spawnProcessor(env)
  await waitForCatchUp(brokers, group, Object.values(topics))
  await stopProcessor(second)
  const [counts] = await query<{ created: string }>(dataDir, 'SELECT sum(created) AS created FROM message_stats_1m')
  assert.equal(Number(counts?.created), 140, 'every message once')
})
