/**
 * Exactly once under crashes: the processor is SIGKILLed at random moments while consuming (with
 * batches being written every few hundred milliseconds, so kills land before, during and after
 * writes and commits), restarted each time, and what it wrote equals what a clean run of the same
 * input (own group and data directory, never killed) writes: the aggregates exactly (and as the
 * oracle expects), the dead letters exactly, one fingerprint row per message version, and the same
 * partition of messages into campaigns up to what a restarted index cannot know.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateWithTruth } from '../../src/generator/index.js'
import { createTopics } from '../support/kafka-broker.js'
import {
  processorEnv,
  produceAll,
  recordsBehind,
  query,
  sleep,
  spawnProcessor,
  stopProcessor,
  tempDir,
  testBrokers,
  uniqueTopics,
  type ProcessorProcess,
  type TestTopics,
} from '../support/harness.js'
import {
  countDifferences,
  MESSAGE_STATS_QUERY,
  MODERATION_STATS_QUERY,
  expectedAggregates,
  messageStatsFromRows,
  moderationStatsFromRows,
  type MinuteCounts,
} from '../support/oracle.js'
import { ASSIGNMENTS, CAMPAIGN_MEMBERS, clusterOf, messageKey, truthLabels, type Assignment } from '../support/campaigns.js'
import { pairwiseMetrics } from '../../src/eval/metrics.js'

const KILLS = 10
const MESSAGES = 30_000

// Small batches and a slow fetch, so a run spans the kills and every kill interrupts something. A
// restarted processor gets its partitions only once the killed one's session expired: the shortest
// session the broker allows (and a rebalance no longer than that) keeps ten restarts in the budget.
// Each run has its own campaign exchange, as separate deployments do: sharing one, the runs would
// take up each other's campaigns (measured: precision 0.95 between them instead of 0.99).
const envFor = (brokers: string[], topics: TestTopics, group: string, dataDir: string) =>
  processorEnv(brokers, topics, group, dataDir, {
    ABUSE_RADAR__KAFKA__TOPICS__CAMPAIGN_EXCHANGE: `xch-${group}`,
    ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '100',
    ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS: '500',
    ABUSE_RADAR__KAFKA__MAX_BYTES_PER_PARTITION: '65536',
    ABUSE_RADAR__KAFKA__SESSION_TIMEOUT_MS: '6000',
    ABUSE_RADAR__KAFKA__REBALANCE_TIMEOUT_MS: '6000',
  })

interface DeadLetter {
  topic: string
  partition: number
  offset: string
  reason: string
  n: string
}

/** Grouped, not distinct: dead_letters is a plain MergeTree (no merge removes copies), so a row written twice shows as n = 2. */
const DEAD_LETTERS = 'SELECT topic, partition, offset, reason, count() AS n FROM dead_letters GROUP BY topic, partition, offset, reason'

interface FingerprintCounts {
  rows: string
  messages: string
}

const FINGERPRINT_COUNTS = 'SELECT count() AS rows, uniqExact(chat_id, message_id) AS messages FROM message_fingerprints'

/** Each campaign's count next to the messages the fingerprints say were ever in it; an id missing on one side is ''. */
const CAMPAIGN_COUNTS = `SELECT c.campaign_id AS listed_id, c.messages AS messages, m.campaign_id AS member_id, m.n AS members
  FROM campaigns_latest AS c FULL JOIN (${CAMPAIGN_MEMBERS}) AS m ON m.campaign_id = c.campaign_id`

interface CampaignCount {
  listed_id: string
  messages: string
  member_id: string
  members: string
}

interface Run {
  messages: Map<string, MinuteCounts>
  moderation: Map<string, number>
  deadLetters: DeadLetter[]
  fingerprints: FingerprintCounts | undefined
  assignments: Assignment[]
  campaigns: CampaignCount[]
}

/** What a run wrote (one query at a time: the embedded engine allows one process per data directory). */
async function readRun(dataDir: string): Promise<Run> {
  return {
    messages: messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)),
    moderation: moderationStatsFromRows(await query(dataDir, MODERATION_STATS_QUERY)),
    deadLetters: await query<DeadLetter>(dataDir, DEAD_LETTERS),
    fingerprints: (await query<FingerprintCounts>(dataDir, FINGERPRINT_COUNTS))[0],
    assignments: await query<Assignment>(dataDir, ASSIGNMENTS),
    campaigns: await query<CampaignCount>(dataDir, CAMPAIGN_COUNTS),
  }
}

const tally = (keys: Iterable<string>): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
  return counts
}

/**
 * Polls the group's lag until `done(lag)`, failing with the processor's stderr if it exits first (a
 * killed one's lag is read with `processor` null). The lag is NaN while the broker cannot tell it (no
 * group coordinator yet on a fresh broker).
 */
async function lagUntil(
  brokers: string[],
  group: string,
  topics: TestTopics,
  processor: ProcessorProcess | null,
  done: (lag: number) => boolean,
): Promise<number> {
  const deadline = Date.now() + 240_000
  for (;;) {
    const lag = await recordsBehind(brokers, group, Object.values(topics)).catch(() => Number.NaN)
    if (done(lag)) return lag
    assert.ok(
      !processor || (processor.child.exitCode === null && processor.child.signalCode === null),
      `processor exited:\n${processor?.stderr()}`,
    )
    assert.ok(Date.now() < deadline, `group ${group} still ${lag} records behind after 240 s`)
    await sleep(100)
  }
}

/** Lets a processor consume everything, then stops it. */
async function catchUp(brokers: string[], group: string, topics: TestTopics, processor: ProcessorProcess): Promise<void> {
  await lagUntil(brokers, group, topics, processor, (lag) => lag === 0)
  await stopProcessor(processor)
}

test(`SIGKILL at ${KILLS} random moments, restart after each → aggregates, dead letters and campaigns of a clean run`, async (t) => {
  const started = Date.now()
  const brokers = testBrokers()
  const topics = uniqueTopics('kill')
  await createTopics(brokers, Object.values(topics), 4)
  const { records, truth } = generateWithTruth({
    seed: 11,
    messages: MESSAGES,
    startMs: Date.UTC(2026, 10, 28, 6),
    duplicateShare: 0.01,
    malformedShare: 0.005,
    topics,
  })
  const expected = expectedAggregates(records)
  const malformed = records.filter((r) => r.kind === 'malformed')
  await produceAll(brokers, records)
  // A failed assertion must not leave a processor running on this shared machine.
  const spawned: ProcessorProcess[] = []
  t.after(() => spawned.forEach((p) => p.child.exitCode === null && p.child.signalCode === null && p.child.kill('SIGKILL')))
  const spawn = (env: Record<string, string>) => {
    const processor = spawnProcessor(env)
    spawned.push(processor)
    return processor
  }
  const seed = Number(process.env.TEST_SEED ?? Date.now())
  process.stdout.write(`# TEST_SEED=${seed} repeats these kill delays\n`)

  // The reference: the same input through a processor that is never killed, run (and read) while
  // the killed run is mostly waiting for its restarts, to keep the file within its time budget.
  const cleanDir = tempDir('kill-clean')
  const cleanGroup = `g-kill-clean-${Date.now()}`
  const cleanRun = catchUp(brokers, cleanGroup, topics, spawn(envFor(brokers, topics, cleanGroup, cleanDir))).then(() => readRun(cleanDir))
  cleanRun.catch(() => {}) // awaited below; until then a failure must not count as unhandled

  const dataDir = tempDir('kill')
  const group = `g-kill-${Date.now()}`
  const env = envFor(brokers, topics, group, dataDir)
  let state = seed
  const random = () => (state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296
  const lives: string[] = []
  let behind = records.length
  for (let i = 0; i < KILLS; i++) {
    const processor = spawn(env)
    const spawnedAt = Date.now()
    // The kill lands at a random moment after this life's first commit, so every life consumes:
    // start-up and waiting out the previous life's session would otherwise take most of the kills.
    const before = behind
    await lagUntil(brokers, group, topics, processor, (lag) => lag < before)
    const firstCommit = Date.now() - spawnedAt
    const delay = Math.floor(random() * 1200)
    await sleep(delay)
    processor.child.kill('SIGKILL')
    const { signal } = await processor.exited
    assert.equal(signal, 'SIGKILL', `run ${i} had exited by itself:\n${processor.stderr()}`)
    behind = await lagUntil(brokers, group, topics, null, (lag) => !Number.isNaN(lag))
    lives.push(`${firstCommit}+${delay} ms → ${behind} behind`)
  }
  assert.ok(behind > 0, 'the kills interrupted the run (it had not finished before the last kill)')
  await catchUp(brokers, group, topics, spawn(env))
  const killed = await readRun(dataDir)
  const clean = await cleanRun
  const diagnostics = `seed ${seed}, lives (first commit + kill delay): ${lives.join(', ')}`
  process.stdout.write(`# ${diagnostics}\n`)

  // Aggregates: the oracle's, in both runs (the clean run too, so a difference in the killed run is
  // the crashes', not the pipeline's).
  for (const [name, run] of [
    ['clean', clean],
    ['killed', killed],
  ] as const) {
    assert.deepEqual(countDifferences(run.messages, expected.messages), [], `${name} run: ${diagnostics}`)
    assert.deepEqual(countDifferences(run.moderation, expected.moderation), [], `${name} run: ${diagnostics}`)
  }

  // Dead letters: the clean run rejected each malformed record for the one reason it was broken
  // for; the killed run wrote the clean run's rows, offset for offset, each once.
  assert.deepEqual(
    countDifferences(tally(clean.deadLetters.map((l) => l.reason)), tally(malformed.map((r) => r.malformedReason as string))),
    [],
  )
  const offset = (l: DeadLetter) => `${l.topic}|${l.partition}|${l.offset}`
  const written = new Map(killed.deadLetters.map((l) => [`${offset(l)}|${l.reason}`, Number(l.n)]))
  assert.deepEqual(countDifferences(written, new Map(clean.deadLetters.map((l) => [`${offset(l)}|${l.reason}`, 1]))), [], diagnostics)
  assert.equal(new Set(killed.deadLetters.map(offset)).size, malformed.length, diagnostics)

  // Fingerprints: one row per message version, so as many rows and messages as the clean run.
  assert.deepEqual(killed.fingerprints, clean.fingerprints, diagnostics)

  // Campaigns: the same messages, partitioned almost the same way. Not exactly: the order in which
  // partitions are consumed decides which near-duplicate founds a group (two clean runs agree to
  // F1 ≈ 0.99), and a restarted index holds signatures but no texts, so near-duplicates of short
  // texts that only the text check joined part at each restart: after ten restarts about one
  // organic pair in eight. Measured: F1 0.974-0.985 over all messages, 0.987-0.997 over the
  // generator's spam copies; 0.89 and 0.88 with the index not restored at start.
  const killedClusters = new Map(killed.assignments.map((a) => [messageKey(a), clusterOf(a)]))
  assert.equal(killedClusters.size, clean.assignments.length, diagnostics)
  assert.deepEqual(clean.assignments.filter((a) => !killedClusters.has(messageKey(a))).map(messageKey), [], diagnostics)
  const agreement = (assignments: Assignment[]) =>
    pairwiseMetrics(
      assignments.map(clusterOf),
      assignments.map((a) => killedClusters.get(messageKey(a)) as string),
    )
  const labels = truthLabels(records, truth)
  const all = agreement(clean.assignments)
  const spam = agreement(clean.assignments.filter((a) => labels.has(messageKey(a))))
  process.stdout.write(
    `# ${clean.assignments.length} messages, ${clean.fingerprints?.rows} fingerprint rows, ${malformed.length} dead letters\n` +
      `# campaigns clean vs killed, all messages: ${JSON.stringify(all)}\n# spam copies: ${JSON.stringify(spam)}\n`,
  )
  assert.ok(all.f1 >= 0.96, `F1 between the clean and the killed run's campaigns: ${all.f1}; ${diagnostics}`)
  assert.ok(spam.f1 >= 0.98, `F1 between the clean and the killed run's campaigns of spam copies: ${spam.f1}; ${diagnostics}`)

  // Campaign counts, in each run: campaigns_latest counts every message ever in a campaign once, as
  // the fingerprints show, so a replayed batch counted again (or a member lost) shows here. Not
  // exactly, as in the scale-out test: a message edited after it was deleted counts again when a
  // restart fell between the two (the index remembers deletes in memory only; docs/limits.md), and
  // one an edit moved between two campaigns that were merged later counts twice (restarts found a
  // few campaigns twice: about 30 merges in the killed run).
  for (const [name, run] of [
    ['clean', clean],
    ['killed', killed],
  ] as const) {
    const id = (c: CampaignCount) => c.listed_id || c.member_id
    const counted = new Map(run.campaigns.map((c) => [id(c), c.listed_id ? Number(c.messages) : 0]))
    const members = new Map(run.campaigns.map((c) => [id(c), c.member_id ? Number(c.members) : 0]))
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)
    let off = 0
    for (const [key, n] of members) off += Math.abs((counted.get(key) as number) - n)
    process.stdout.write(
      `# ${name} run: ${counted.size} campaigns, ${total(counted)} messages counted, ${total(members)} members, ${off} off\n`,
    )
    assert.ok(
      off <= 0.002 * total(members),
      `${name} run: ${off} of ${total(members)} campaign memberships miscounted: ${countDifferences(counted, members).join(', ')}; ${diagnostics}`,
    )
  }
  process.stdout.write(`# ${Math.round((Date.now() - started) / 1000)} s\n`)
})
