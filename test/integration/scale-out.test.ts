/**
 * Scale-out (docs/scale-out.md): the same stream through one instance and through three instances
 * of one group (the third joining mid-stream, so the group rebalances while campaigns are being
 * found) gives the same aggregates exactly and campaign partitions that agree. Each run has its own
 * group, campaign exchange topic and ClickHouse database; all instances of a run share that
 * database as instances share one ClickHouse server (they run in this process: the embedded engine
 * is one per process).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateWithTruth } from '../../src/generator/index.js'
import { createTopics } from '../support/kafka-broker.js'
import { processorEnv, produceAll, sleep, tempDir, testBrokers, uniqueTopics, waitForCatchUp, type TestTopics } from '../support/harness.js'
import {
  countDifferences,
  MESSAGE_STATS_QUERY,
  MODERATION_STATS_QUERY,
  expectedAggregates,
  messageStatsFromRows,
  moderationStatsFromRows,
} from '../support/oracle.js'
import { ASSIGNMENTS, CAMPAIGN_MEMBERS, clusterOf, messageKey, truthLabels, type Assignment } from '../support/campaigns.js'
import { pairwiseMetrics } from '../../src/eval/metrics.js'
import { loadConfig } from '../../src/config/load.js'
import { KafkaPipeline, openMigratedStore, type Store } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { silentLogger } from '../support/fakes.js'

interface Run {
  store: Store
  rows<T>(sql: string): Promise<T[]>
}

async function openRun(
  brokers: string[],
  topics: TestTopics,
  dataDir: string,
  name: string,
): Promise<{ run: Run; config: ReturnType<typeof loadConfig>; group: string }> {
  const group = `g-scale-${name}-${Date.now()}`
  const env = processorEnv(brokers, topics, group, dataDir, {
    ABUSE_RADAR__CLICKHOUSE__DATABASE: `scale_${name}`,
    ABUSE_RADAR__KAFKA__TOPICS__CAMPAIGN_EXCHANGE: `xch-${name}-${topics.messages}`,
    ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS: '1000',
    ABUSE_RADAR__KAFKA__MAX_BYTES_PER_PARTITION: '65536',
  })
  const config = loadConfig({ env })
  const store = await openMigratedStore(config, silentLogger, new Metrics())
  const db = store.store.database
  const qualify = (sql: string) =>
    sql.replace(
      /\b(FROM|JOIN) (message_fingerprints|campaign_aliases|campaigns_latest|message_stats_1m|moderation_stats_1m)\b/g,
      `$1 ${db}.$2`,
    )
  return { run: { store, rows: (sql) => store.store.select(qualify(sql)) }, config, group }
}

test('one instance and three (one joining mid-stream) → the same aggregates, the same campaigns', async () => {
  const brokers = testBrokers()
  // the same records on two sets of topics: one run each
  const topics = uniqueTopics('scale1')
  const topicsThree = uniqueTopics('scale3')
  await createTopics(brokers, [...Object.values(topics), ...Object.values(topicsThree)], 6)
  // Keyed records: a keyless duplicate can land on partitions of two instances (docs/limits.md).
  const { records, truth } = generateWithTruth({
    seed: 17,
    messages: 20_000,
    startMs: Date.UTC(2026, 10, 28, 9),
    topics,
    nullKeyShare: 0,
    malformedShare: 0.002,
  })
  const expected = expectedAggregates(records)
  const renamed = new Map([
    [topics.messages, topicsThree.messages],
    [topics.moderation, topicsThree.moderation],
    [topics.reports, topicsThree.reports],
  ])
  const recordsThree = records.map((r) => ({ ...r, topic: renamed.get(r.topic) ?? r.topic }))
  await produceAll(brokers, records)
  const dataDir = tempDir('scale')

  // one instance
  const one = await openRun(brokers, topics, dataDir, 'one')
  const single = await KafkaPipeline.create(one.config, silentLogger, one.run.store, new Metrics())
  await single.start()
  await waitForCatchUp(brokers, one.group, Object.values(topics), 300_000)
  await single.stop()

  // three instances: two from the start, a third joining mid-stream, once the first two have written
  // part of the first half; the second half is produced after it joined, so it holds partitions with
  // records whatever the machine's speed (it used to join while the second half streamed in, and on
  // a fast run found nothing left to do)
  const three = await openRun(brokers, topicsThree, dataDir, 'three')
  const metrics = [new Metrics(), new Metrics(), new Metrics()]
  const members = [] as KafkaPipeline[]
  const half = Math.floor(recordsThree.length / 2)
  await produceAll(brokers, recordsThree.slice(0, half))
  for (const m of metrics.slice(0, 2)) {
    const member = await KafkaPipeline.create(three.config, silentLogger, three.run.store, m)
    await member.start()
    members.push(member)
  }
  await waitUntil(
    async () => (await Promise.all(metrics.slice(0, 2).map((m) => m.batchesWritten.get()))).every((v) => v.values.some((x) => x.value > 0)),
    120_000,
  )
  const third = await KafkaPipeline.create(three.config, silentLogger, three.run.store, metrics[2]!)
  await third.start()
  members.push(third)
  await produceAll(brokers, recordsThree.slice(half), 200)
  await waitForCatchUp(brokers, three.group, Object.values(topicsThree), 300_000)
  for (const member of members) await member.stop()

  const value = async (m: Metrics, metric: 'rebalances' | 'campaignMerges' | 'batchesWritten') =>
    (await m[metric].get()).values.reduce((s, v) => s + v.value, 0)
  const written = await Promise.all(metrics.map((m) => value(m, 'batchesWritten')))
  const received = await Promise.all(
    metrics.map(async (m) => (await m.campaignExchange.get()).values.find((v) => v.labels.direction === 'received')?.value ?? 0),
  )
  const merges = (await Promise.all(metrics.map((m) => value(m, 'campaignMerges')))).reduce((a, b) => a + b, 0)
  const exchangeBytes = async (m: Metrics, direction: 'published' | 'fetched') =>
    (await m.campaignExchangeBytes.get()).values.find((v) => v.labels.direction === direction)?.value ?? 0
  const published = await Promise.all(metrics.map((m) => exchangeBytes(m, 'published')))
  const fetched = await Promise.all(metrics.map((m) => exchangeBytes(m, 'fetched')))
  process.stdout.write(
    `# three instances: batches written ${written.join('/')}, exchange entries received ${received.join('/')}, campaign merges ${merges}\n`,
  )
  assert.ok(
    written.every((n) => n > 0),
    'every instance wrote batches',
  )
  assert.ok(
    received.every((n) => n > 0),
    "every instance received the others' entries",
  )
  assert.ok((await value(metrics[0]!, 'rebalances')) >= 2, 'the first instance saw the third one join')
  // Every instance fetches the whole exchange, its own records too, and nothing else: at most what all published.
  const allPublished = published.reduce((a, b) => a + b, 0)
  process.stdout.write(`# exchange bytes: published ${published.join('/')}, fetched ${fetched.join('/')}\n`)
  assert.ok(
    published.every((n) => n > 0) && fetched.every((n) => n > 0 && n <= allPublished),
    `exchange bytes published ${published.join('/')}, fetched ${fetched.join('/')}`,
  )

  try {
    // the same aggregates, exactly, in both runs
    for (const run of [one.run, three.run]) {
      assert.deepEqual(countDifferences(messageStatsFromRows(await run.rows(MESSAGE_STATS_QUERY)), expected.messages), [])
      assert.deepEqual(countDifferences(moderationStatsFromRows(await run.rows(MODERATION_STATS_QUERY)), expected.moderation), [])
    }
    // Campaign partitions that agree. Online single-link grouping depends on the order messages
    // arrive in, and two runs never interleave partitions alike: one instance against itself (the
    // same records produced again) agrees at pairwise F1 0.988 over all messages; three against one
    // measured 0.987-0.990 (spam copies 0.990-0.992). The goal is 0.99; the test holds what
    // one instance can promise against itself, with a margin for a loaded machine: 0.98.
    const oneAssigned = await one.run.rows<Assignment>(ASSIGNMENTS)
    const threeAssigned = new Map((await three.run.rows<Assignment>(ASSIGNMENTS)).map((a) => [messageKey(a), clusterOf(a)]))
    assert.equal(threeAssigned.size, oneAssigned.length, 'every message fingerprinted once in each run')
    const inThree = (a: Assignment) => threeAssigned.get(messageKey(a)) ?? `missing:${messageKey(a)}`
    const agreement = pairwiseMetrics(oneAssigned.map(clusterOf), oneAssigned.map(inThree))
    const labelled = truthLabels(records, truth)
    const spam = oneAssigned.filter((a) => labelled.has(messageKey(a)))
    const spamAgreement = pairwiseMetrics(spam.map(clusterOf), spam.map(inThree))
    process.stdout.write(
      `# campaign partitions, three instances against one: all ${JSON.stringify(agreement)}; spam copies ${JSON.stringify(spamAgreement)}\n`,
    )
    assert.ok(spam.length > 1000, `${spam.length} labelled spam copies`)
    assert.ok(spamAgreement.f1 >= 0.98, `pairwise F1 on spam copies ${spamAgreement.f1}`)
    assert.ok(agreement.f1 >= 0.98, `pairwise F1 on all messages ${agreement.f1}`)
    // campaigns_latest counts every member under the resolved id: exactly with one instance; with
    // three, an edit that moved a message between two campaigns that were later merged counts
    // twice, and one replayed across a rebalance can miss (docs/limits.md), so a few campaigns may
    // be off by a message (measured: 2 to 15 of about 5,500 memberships, counting both sides of
    // each difference).
    const counts = async (run: Run) => {
      const listed = new Map(
        (await run.rows<{ campaign_id: string; messages: string }>('SELECT campaign_id, messages FROM campaigns_latest')).map((c) => [
          c.campaign_id,
          Number(c.messages),
        ]),
      )
      const members = new Map(
        (await run.rows<{ campaign_id: string; n: string }>(CAMPAIGN_MEMBERS)).map((c) => [c.campaign_id, Number(c.n)]),
      )
      assert.ok(listed.size > 50, `${listed.size} campaigns`)
      let off = 0
      for (const id of new Set([...listed.keys(), ...members.keys()])) off += Math.abs((listed.get(id) ?? 0) - (members.get(id) ?? 0))
      return { listed, members, off, total: [...members.values()].reduce((a, b) => a + b, 0) }
    }
    const single = await counts(one.run)
    assert.deepEqual(countDifferences(single.listed, single.members), [])
    const several = await counts(three.run)
    process.stdout.write(`# campaigns_latest against the fingerprints, three instances: ${several.off} messages off of ${several.total}\n`)
    assert.ok(several.off <= 0.005 * several.total, `${several.off} of ${several.total} campaign memberships miscounted`)
  } finally {
    await one.run.store.close()
    await three.run.store.close()
  }
})

/** Polls `condition` until it holds, failing after `timeoutMs`. */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `condition not met within ${timeoutMs} ms`)
    await sleep(100)
  }
}
