/**
 * Scale-out (docs/scale-out.md): the same stream through one instance and through three instances
 * of one group (the third joining mid-stream, so the group rebalances while campaigns are being
 * found), in each campaigns.scale_out mode, gives the same aggregates exactly and campaign
 * partitions that agree (in merge mode, once the merge has covered the stream). Each run has its
 * own group, campaign exchange topic and ClickHouse database; all instances of a run share that
 * database as instances share one ClickHouse server (they run in this process: the embedded engine
 * is one per process).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateWithTruth, type GeneratedRecord } from '../../src/generator/index.js'
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
import {
  ALIAS_CHAINS,
  ASSIGNMENTS,
  ASSIGNMENTS_UNRESOLVED,
  CAMPAIGN_MEMBERS,
  clusterOf,
  countOutsideRange,
  messageKey,
  truthLabels,
  type Assignment,
} from '../support/campaigns.js'
import { pairwiseMetrics } from '../../src/eval/metrics.js'
import { loadConfig } from '../../src/config/load.js'
import { KafkaPipeline, openMigratedStore, type Store } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { trackHandles } from '../support/handles.js'
import { silentLogger } from '../support/fakes.js'

type ScaleOut = 'merge' | 'exchange'

/** What the merge mode's three instances must reach against one (see the test). */
const MERGE_F1_FLOOR = 0.85
/** channels.write_interval_ms here: how soon an index's merges are written as aliases */
const STATE_WRITE_INTERVAL_MS = 1000

interface Run {
  store: Store
  rows<T>(sql: string): Promise<T[]>
}

async function openRun(
  brokers: string[],
  topics: TestTopics,
  dataDir: string,
  name: string,
  scaleOut: ScaleOut,
): Promise<{ run: Run; config: ReturnType<typeof loadConfig>; group: string }> {
  const group = `g-scale-${name}-${Date.now()}`
  const env = processorEnv(brokers, topics, group, dataDir, {
    ABUSE_RADAR__CAMPAIGNS__SCALE_OUT: scaleOut,
    // a merge every second: the test waits for the one that covers the stream
    ABUSE_RADAR__CAMPAIGNS__MERGE_INTERVAL_SECONDS: '1',
    ABUSE_RADAR__CHANNELS__WRITE_INTERVAL_MS: String(STATE_WRITE_INTERVAL_MS),
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

test('one instance and three (one joining mid-stream), exchange and merge → the same aggregates, the same campaigns', async () => {
  const handles = trackHandles()
  const brokers = testBrokers()
  // the same records on three sets of topics: one run each
  const topics = uniqueTopics('scale1')
  const topicsByMode = { exchange: uniqueTopics('scale3x'), merge: uniqueTopics('scale3m') }
  await createTopics(
    brokers,
    [topics, topicsByMode.exchange, topicsByMode.merge].flatMap((t) => Object.values(t)),
    6,
  )
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
  await produceAll(brokers, records)
  const dataDir = tempDir('scale')

  // one instance
  const one = await openRun(brokers, topics, dataDir, 'one', 'merge')
  const single = await KafkaPipeline.create(one.config, silentLogger, one.run.store, new Metrics())
  await single.start()
  await waitForCatchUp(brokers, one.group, Object.values(topics), 300_000)
  await waitForMerge([single])
  await single.stop()
  const runs: Run[] = [one.run]
  try {
    const oneAssigned = await one.run.rows<Assignment>(ASSIGNMENTS)
    const labelled = truthLabels(records, truth)
    const spam = oneAssigned.filter((a) => labelled.has(messageKey(a)))
    assert.ok(spam.length > 1000, `${spam.length} labelled spam copies`)
    const single = await campaignCounts(one.run)
    process.stdout.write(`# one instance: ${single.moved} members moved by an edit within a campaign its merge joined\n`)
    assert.deepEqual(single.outside, [])
    assert.deepEqual(await one.run.rows(ALIAS_CHAINS), [], 'every alias names its campaign, not another alias')
    for (const run of [one.run]) await assertExactAggregates(run, expected)

    for (const mode of ['exchange', 'merge'] as const) {
      const three = await runThree(brokers, records, topics, topicsByMode[mode], dataDir, mode)
      runs.push(three)
      await assertExactAggregates(three, expected)
      // Campaign partitions that agree. Online single-link grouping depends on the order messages
      // arrive in, and two runs never interleave partitions alike: one instance against itself (the
      // same records produced again) agrees at pairwise F1 0.988 over all messages; three against one
      // measured 0.987-0.990 (spam copies 0.990-0.992) with the exchange. The goal is 0.99;
      // the test holds what one instance can promise against itself, with a margin for a loaded
      // machine: 0.98.
      const threeAssigned = new Map((await three.rows<Assignment>(ASSIGNMENTS)).map((a) => [messageKey(a), clusterOf(a)]))
      assert.equal(threeAssigned.size, oneAssigned.length, 'every message fingerprinted once in each run')
      const inThree = (a: Assignment) => threeAssigned.get(messageKey(a)) ?? `missing:${messageKey(a)}`
      const agreement = pairwiseMetrics(oneAssigned.map(clusterOf), oneAssigned.map(inThree))
      const spamAgreement = pairwiseMetrics(spam.map(clusterOf), spam.map(inThree))
      process.stdout.write(
        `# ${mode}: campaign partitions, three instances against one: all ${JSON.stringify(agreement)}; spam copies ${JSON.stringify(spamAgreement)}\n`,
      )
      if (mode === 'exchange') {
        assert.ok(spamAgreement.f1 >= 0.98, `${mode}: pairwise F1 on spam copies ${spamAgreement.f1}`)
        assert.ok(agreement.f1 >= 0.98, `${mode}: pairwise F1 on all messages ${agreement.f1}`)
      } else {
        // The merge compares the representatives' signatures only (the store keeps no text to verify
        // on): measured on the bench:scale stream it brings three instances to F1 0.948 against one
        // (0.915 when it compared founders alone; docs/scale-out.md); on this stream 0.80 before the
        // merge, 0.974 after. Here: against the same run with no alias resolved, it must have
        // joined what the instances founded apart, and agree with one instance within that bound.
        const unresolved = new Map((await three.rows<Assignment>(ASSIGNMENTS_UNRESOLVED)).map((a) => [messageKey(a), clusterOf(a)]))
        const before = pairwiseMetrics(
          oneAssigned.map(clusterOf),
          oneAssigned.map((a) => unresolved.get(messageKey(a)) ?? `missing:${messageKey(a)}`),
        )
        process.stdout.write(`# merge: before the merge, all ${JSON.stringify(before)}\n`)
        assert.ok(agreement.f1 >= before.f1 + 0.02, `merge: F1 ${before.f1} before the merge, ${agreement.f1} after`)
        assert.ok(agreement.precision >= 0.97, `merge: pairwise precision ${agreement.precision} after the merge`)
        assert.ok(agreement.f1 >= MERGE_F1_FLOOR, `merge: pairwise F1 on all messages ${agreement.f1}`)
        assert.deepEqual(await three.rows(ALIAS_CHAINS), [], 'every alias names its campaign, not another alias')
      }
      // campaigns_latest counts every member under the resolved id: exactly with one instance; with
      // three, an edit that moved a message between two campaigns that were later merged counts
      // twice, and one replayed across a rebalance can miss (docs/limits.md), so a few campaigns may
      // be off by a message (measured: 2 to 15 of about 5,500 memberships, counting both sides of
      // each difference).
      const several = await campaignCounts(three)
      process.stdout.write(
        `# ${mode}: campaigns_latest against the fingerprints, three instances: ${several.off} messages off of ${several.total}\n`,
      )
      // The merge joins more campaigns than the exchange (each instance founds its own copy of a
      // campaign), and more memberships are off: measured 25 to 53 of about 5,300 (0.5-1.0 %) in merge
      // mode against the most CAMPAIGN_MEMBERS allows, 9 of 5,285 against its range. What is never
      // counted (a member replayed across a rebalance) is held to the exchange's bound.
      process.stdout.write(`# ${mode}: of which not counted: ${several.uncounted}\n`)
      assert.ok(
        several.uncounted <= 0.005 * several.total,
        `${mode}: ${several.uncounted} of ${several.total} campaign members not counted`,
      )
      const tolerance = mode === 'merge' ? 0.02 : 0.005
      assert.ok(several.off <= tolerance * several.total, `${mode}: ${several.off} of ${several.total} campaign memberships miscounted`)
    }
  } finally {
    for (const run of runs) await run.store.close()
  }
  // Once every member has stopped, nothing of theirs may keep the process alive: two CI runs sat out
  // the file timeout after this test passed (a membership check's admin connection, opened again
  // during a stop; KafkaSource.stop).
  await handles.assertNoneLeft()
})

/** The same aggregates, exactly, as the records say. */
async function assertExactAggregates(run: Run, expected: ReturnType<typeof expectedAggregates>): Promise<void> {
  assert.deepEqual(countDifferences(messageStatsFromRows(await run.rows(MESSAGE_STATS_QUERY)), expected.messages), [])
  assert.deepEqual(countDifferences(moderationStatsFromRows(await run.rows(MODERATION_STATS_QUERY)), expected.moderation), [])
}

/**
 * campaigns_latest's counts against the members the fingerprints show: `off` and `uncounted` sum how
 * far counts lie outside the range CAMPAIGN_MEMBERS allows (`uncounted` the members missing), `total`
 * the members counted once each, `outside` the first campaigns off, for a message.
 */
async function campaignCounts(run: Run) {
  const listed = new Map(
    (await run.rows<{ campaign_id: string; messages: string }>('SELECT campaign_id, messages FROM campaigns_latest')).map((c) => [
      c.campaign_id,
      Number(c.messages),
    ]),
  )
  const members = new Map(
    (await run.rows<{ campaign_id: string; n: string; least: string }>(CAMPAIGN_MEMBERS)).map((c) => [
      c.campaign_id,
      { least: Number(c.least), most: Number(c.n) },
    ]),
  )
  assert.ok(listed.size > 50, `${listed.size} campaigns`)
  let off = 0
  let uncounted = 0
  const outside: string[] = []
  for (const id of new Set([...listed.keys(), ...members.keys()])) {
    const difference = countOutsideRange(listed.get(id), members.get(id))
    if (difference === 0) continue
    off += Math.abs(difference)
    if (difference < 0) uncounted -= difference
    if (outside.length < 10)
      outside.push(`${id}: listed ${listed.get(id) ?? 'nothing'}, members ${JSON.stringify(members.get(id) ?? null)}`)
  }
  const ranges = [...members.values()]
  const moved = ranges.reduce((a, b) => a + b.most - b.least, 0)
  return { off, uncounted, outside, moved, total: ranges.reduce((a, b) => a + b.least, 0) }
}

/**
 * Three instances of one group over `records` renamed to `topicsThree`: two from the start, a third
 * joining once the first two have written part of the first half; the second half is produced after
 * it joined, so it holds partitions with records whatever the machine's speed. Returns once the group
 * has committed everything (and, in merge mode, the merge has covered it), all three stopped.
 */
async function runThree(
  brokers: string[],
  records: readonly GeneratedRecord[],
  topics: TestTopics,
  topicsThree: TestTopics,
  dataDir: string,
  mode: ScaleOut,
): Promise<Run> {
  const renamed = new Map([
    [topics.messages, topicsThree.messages],
    [topics.moderation, topicsThree.moderation],
    [topics.reports, topicsThree.reports],
  ])
  const recordsThree = records.map((r) => ({ ...r, topic: renamed.get(r.topic) ?? r.topic }))
  const three = await openRun(brokers, topicsThree, dataDir, `three_${mode}`, mode)
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
  await waitForMerge(members)
  for (const member of members) await member.stop()

  const sum = async (m: Metrics, metric: 'rebalances' | 'campaignMerges' | 'batchesWritten') =>
    (await m[metric].get()).values.reduce((s, v) => s + v.value, 0)
  const labelled = async (m: Metrics, metric: 'campaignExchange' | 'campaignExchangeBytes' | 'campaignMergeAliases', label: string) =>
    (await m[metric].get()).values.find((v) => v.labels.direction === label)?.value ?? 0
  const written = await Promise.all(metrics.map((m) => sum(m, 'batchesWritten')))
  assert.ok(
    written.every((n) => n > 0),
    `${mode}: every instance wrote batches (${written.join('/')})`,
  )
  assert.ok((await sum(metrics[0]!, 'rebalances')) >= 2, 'the first instance saw the third one join')
  if (mode === 'exchange') {
    const received = await Promise.all(metrics.map((m) => labelled(m, 'campaignExchange', 'received')))
    const published = await Promise.all(metrics.map((m) => labelled(m, 'campaignExchangeBytes', 'published')))
    const fetched = await Promise.all(metrics.map((m) => labelled(m, 'campaignExchangeBytes', 'fetched')))
    const merges = (await Promise.all(metrics.map((m) => sum(m, 'campaignMerges')))).reduce((a, b) => a + b, 0)
    process.stdout.write(`# exchange: entries received ${received.join('/')}, campaign merges ${merges}\n`)
    assert.ok(
      received.every((n) => n > 0),
      "every instance received the others' entries",
    )
    // Every instance fetches the whole exchange, its own records too, and nothing else: about what
    // all published (a fetch repeated when the exchange reader's session restarts reads a batch
    // twice: measured once, 1 % over).
    const allPublished = published.reduce((a, b) => a + b, 0)
    process.stdout.write(`# exchange bytes: published ${published.join('/')}, fetched ${fetched.join('/')}\n`)
    assert.ok(
      published.every((n) => n > 0) && fetched.every((n) => n > 0 && n <= 1.1 * allPublished),
      `exchange bytes published ${published.join('/')}, fetched ${fetched.join('/')}`,
    )
  } else {
    const written = await Promise.all(metrics.map((m) => labelled(m, 'campaignMergeAliases', 'written')))
    const applied = await Promise.all(metrics.map((m) => labelled(m, 'campaignMergeAliases', 'applied')))
    const exchanged = await Promise.all(metrics.map((m) => labelled(m, 'campaignExchangeBytes', 'fetched')))
    process.stdout.write(`# merge: aliases written ${written.join('/')}, applied ${applied.join('/')}\n`)
    assert.ok(written.reduce((a, b) => a + b, 0) > 0, 'the merge joined campaigns founded on different instances')
    assert.deepEqual(exchanged, [0, 0, 0], 'no exchange traffic')
  }
  return three.run
}

/**
 * In merge mode, waits until the leader's merge covers everything stored until now (the group has
 * committed every record) and the aliases the indexes wrote since (each index's merges are written
 * within a state write interval).
 */
async function waitForMerge(members: readonly KafkaPipeline[]): Promise<void> {
  const caughtUpAt = Date.now() + STATE_WRITE_INTERVAL_MS
  const mergers = members.flatMap((member) => (member.merger ? [member.merger] : []))
  if (mergers.length === 0) return
  await waitUntil(async () => mergers.some((merger) => (merger.mergedThrough ?? 0) >= caughtUpAt), 120_000)
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `condition not met within ${timeoutMs} ms`)
    await sleep(100)
  }
}
