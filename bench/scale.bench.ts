// `npm run bench:scale`: the cost of scale-out. The same generated stream (default 200,000 messages)
// through one instance and through three instances of one consumer group, each run with its own
// group, campaign-exchange topic and database, in the configured campaigns.scale_out mode (merge by
// default; `--scale-out exchange` for the other). The instances run in this process and share its
// embedded engine, as the scale-out test's do (the engine is one per process): CPU is the process's
// (every instance and the engine), so per message it is comparable between the two runs, but the three
// instances share one event loop and cannot show a speed-up. Writes bench/results/scale.json and
// prints a table (docs/scale-out.md reads it).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../src/config/load.js'
import { KafkaPipeline, openMigratedStore, type Store } from '../src/cli/runtime.js'
import { Metrics } from '../src/observability/metrics.js'
import { pairwiseMetrics, type PairwiseMetrics } from '../src/eval/metrics.js'
import { startBroker } from '../test/support/kafka-broker.js'
import { processorEnv, tempDir, waitForCatchUp } from '../test/support/harness.js'
import { silentLogger } from '../test/support/fakes.js'
import { MESSAGE_STATS_QUERY, MODERATION_STATS_QUERY } from '../test/support/oracle.js'
import { ASSIGNMENTS, clusterOf, messageKey, type Assignment } from '../test/support/campaigns.js'
import { createBenchTopics, defaultStartMs, produceBulk, type Topics } from './pipeline/stream.js'
import { log } from './pipeline/log.js'
import { printRows } from './pipeline/table.js'

const RESULTS_DIR = new URL('./results/', import.meta.url)
const CATCH_UP_TIMEOUT_MS = 40 * 60_000

interface RunResult {
  instances: number
  seconds: number
  cpuSeconds: number
  /** Bytes of exchange records all instances fetched (their own included) and published. */
  exchangeFetchedBytes: number
  exchangePublishedBytes: number
  /** Seconds from catching up until the leader's campaign merge covered all that was stored (merge mode). */
  mergeDelaySeconds: number
  store: Store
}

type ScaleOut = 'merge' | 'exchange'

function scaleOutOption(argv: string[]): ScaleOut {
  const at = argv.indexOf('--scale-out')
  const value = at >= 0 ? argv[at + 1] : 'merge'
  if (value !== 'merge' && value !== 'exchange') throw new Error(`--scale-out: merge or exchange, got ${value}`)
  return value
}

function messagesOption(argv: string[]): number {
  const at = argv.indexOf('--messages')
  const value = at >= 0 ? argv[at + 1] : process.env.BENCH_MESSAGES
  const messages = Number(value ?? 200_000)
  if (!Number.isInteger(messages) || messages <= 0) throw new Error(`--messages: a positive integer, got ${value}`)
  return messages
}

async function counter(metrics: Metrics[], direction: string): Promise<number> {
  let sum = 0
  for (const m of metrics) sum += (await m.campaignExchangeBytes.get()).values.find((v) => v.labels.direction === direction)?.value ?? 0
  return sum
}

/** `instances` pipelines of one group over `topics`, from the first start until the group has committed every record. */
async function measure(brokers: string[], topics: Topics, dataDir: string, instances: number, scaleOut: ScaleOut): Promise<RunResult> {
  const name = `n${instances}`
  const group = `bench-scale-${name}-${Date.now()}`
  const env = processorEnv(brokers, topics, group, dataDir, {
    ABUSE_RADAR__CLICKHOUSE__DATABASE: `scale_${name}`,
    ABUSE_RADAR__KAFKA__TOPICS__CAMPAIGN_EXCHANGE: `xch-${name}-${topics.messages}`,
    // the default configuration's flush intervals, not the tests' shorter ones
    ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '1000',
    ABUSE_RADAR__PIPELINE__FLUSH_MAX_INTERVAL_MS: '3000',
    ABUSE_RADAR__CAMPAIGNS__SCALE_OUT: scaleOut,
  })
  const config = loadConfig({ env })
  const store = await openMigratedStore(config, silentLogger, new Metrics())
  const metrics = Array.from({ length: instances }, () => new Metrics())
  const members: KafkaPipeline[] = []
  for (const m of metrics) members.push(await KafkaPipeline.create(config, silentLogger, store, m))
  log(`${instances} instance(s): consuming`)
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  await Promise.all(members.map((member) => member.start()))
  await waitForCatchUp(brokers, group, Object.values(topics), CATCH_UP_TIMEOUT_MS)
  const seconds = (performance.now() - started) / 1000
  await waitForExchange(metrics, 30_000)
  const mergeDelaySeconds = await waitForMerge(members, 5 * 60_000)
  const cpu = process.cpuUsage(cpuBefore)
  for (const member of members) await member.stop()
  const result = {
    instances,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    exchangeFetchedBytes: await counter(metrics, 'fetched'),
    exchangePublishedBytes: await counter(metrics, 'published'),
    mergeDelaySeconds,
    store,
  }
  log(
    `  ${seconds.toFixed(1)} s, ${result.cpuSeconds.toFixed(1)} CPU s, exchange ${(result.exchangeFetchedBytes / 1e6).toFixed(1)} MB fetched, merge delay ${mergeDelaySeconds.toFixed(1)} s`,
  )
  return result
}

async function rowsOf(store: Store, sql: string): Promise<string[]> {
  const db = store.store.database
  const qualified = sql.replace(
    /\b(FROM|JOIN) (message_fingerprints|campaign_aliases|message_stats_1m|moderation_stats_1m)\b/g,
    `$1 ${db}.$2`,
  )
  return (await store.store.select<Record<string, unknown>>(qualified)).map((row) => JSON.stringify(row)).sort()
}

/**
 * Every column of the two per-minute aggregate tables. Spam and in_campaign depend on campaign
 * membership, which online grouping decides a little differently with other arrival orders (see the
 * F1); the event counts (MESSAGE_STATS_QUERY, MODERATION_STATS_QUERY) must not differ at all.
 */
const ALL_MESSAGE_STATS = `SELECT toString(minute) AS minute, chat_id, chat_type, country, lang, sum(created) AS created,
  sum(edited) AS edited, sum(deleted) AS deleted, sum(spam) AS spam, sum(in_campaign) AS in_campaign,
  sum(with_links) AS with_links, sum(forwarded) AS forwarded, uniqMerge(senders) AS senders
  FROM message_stats_1m GROUP BY minute, chat_id, chat_type, country, lang`

/** Rows of `sql` in one run and not in the other, both ways (0: identical); the columns that differ are logged. */
async function rowsDiffering(a: Store, b: Store, sql: string, dimensions: readonly string[]): Promise<number> {
  const [left, right] = [await rowsOf(a, sql), await rowsOf(b, sql)]
  if (left.length === 0) throw new Error(`no rows: ${sql}`)
  const inRight = new Set(right)
  const inLeft = new Set(left)
  const onlyLeft = left.filter((row) => !inRight.has(row))
  const onlyRight = right.filter((row) => !inLeft.has(row))
  if (onlyLeft.length + onlyRight.length > 0) {
    const keyOf = (row: Record<string, unknown>) => dimensions.map((d) => String(row[d])).join('|')
    const others = new Map(onlyRight.map((row) => JSON.parse(row) as Record<string, unknown>).map((row) => [keyOf(row), row]))
    const byColumn = new Map<string, number>()
    for (const row of onlyLeft.map((r) => JSON.parse(r) as Record<string, unknown>)) {
      const other = others.get(keyOf(row))
      for (const [column, value] of Object.entries(row))
        if (!dimensions.includes(column) && other?.[column] !== value) byColumn.set(column, (byColumn.get(column) ?? 0) + 1)
    }
    log(
      `  ${onlyLeft.length} of ${left.length} rows differ (${[...byColumn].map(([c, n]) => `${c} in ${n}`).join(', ')}): ${sql.slice(0, 50)}...`,
    )
  }
  return onlyLeft.length + onlyRight.length
}

/**
 * Waits until every instance fetched all that all published, at most `timeoutMs`: an instance stopped
 * right after the group caught up has not always read the exchange's last records yet.
 */
async function waitForExchange(metrics: Metrics[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const published = await counter(metrics, 'published')
    const fetched = await Promise.all(metrics.map((m) => counter([m], 'fetched')))
    if (fetched.every((bytes) => bytes >= published) || Date.now() > deadline) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/**
 * In merge mode, waits until the leader's merge covers everything stored until now (the group has
 * committed every record, so every row is stored); returns the seconds it took (0 without a merge).
 */
async function waitForMerge(members: readonly KafkaPipeline[], timeoutMs: number): Promise<number> {
  const caughtUpAt = Date.now()
  const mergers = members.flatMap((member) => (member.merger ? [member.merger] : []))
  if (mergers.length === 0) return 0
  const deadline = caughtUpAt + timeoutMs
  while (!mergers.some((merger) => (merger.mergedThrough ?? 0) >= caughtUpAt)) {
    if (Date.now() > deadline) throw new Error(`the campaign merge did not cover the stream within ${timeoutMs / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return (Date.now() - caughtUpAt) / 1000
}

/**
 * Pairwise agreement of the three instances' campaign partition with the one instance's (aliases
 * resolved): precision is how many pairs the three put together that the one did too (a merge too
 * eager, or borderline messages grouped otherwise), recall how many of the one's pairs the three
 * kept (campaigns founded apart and never joined).
 */
async function campaignAgreement(one: Store, three: Store): Promise<PairwiseMetrics> {
  const parse = (rows: string[]) => rows.map((row) => JSON.parse(row) as Assignment)
  const single = parse(await rowsOf(one, ASSIGNMENTS))
  const several = new Map(parse(await rowsOf(three, ASSIGNMENTS)).map((a) => [messageKey(a), clusterOf(a)]))
  return pairwiseMetrics(
    single.map(clusterOf),
    single.map((a) => several.get(messageKey(a)) ?? `missing:${messageKey(a)}`),
  )
}

async function main(): Promise<void> {
  const messages = messagesOption(process.argv.slice(2))
  const scaleOut = scaleOutOption(process.argv.slice(2))
  log('starting a Kafka broker')
  const broker = await startBroker({ log: (message) => log(`  ${message}`) })
  const dataDir = tempDir('bench-scale')
  const runs: RunResult[] = []
  try {
    const brokers = broker.brokers
    const suffix = Date.now().toString(36)
    const topicsOne = await createBenchTopics(brokers, `s1-${suffix}`)
    const topicsThree = await createBenchTopics(brokers, `s3-${suffix}`)
    const startMs = defaultStartMs(messages)
    log(`producing ${messages.toLocaleString('en')} messages (and their other records) twice, once per run`)
    // Every record keyed by its chat id, as the input contract asks: copies of a keyless event on two
    // instances' partitions are counted by both (docs/limits.md), which is not what this measures.
    const produced = await produceBulk(brokers, topicsOne, messages, { startMs, keyless: 0 })
    await produceBulk(brokers, topicsThree, messages, { startMs, keyless: 0 })
    runs.push(await measure(brokers, topicsOne, dataDir, 1, scaleOut))
    runs.push(await measure(brokers, topicsThree, dataDir, 3, scaleOut))
    const [one, three] = runs as [RunResult, RunResult]
    const perMessage = (value: number) => value / produced.messageEvents
    const messageKeys = ['minute', 'chat_id', 'chat_type', 'country', 'lang']
    const moderationKeys = ['minute', 'action', 'category', 'source', 'country']
    const countRowsDiffering =
      (await rowsDiffering(one.store, three.store, MESSAGE_STATS_QUERY, messageKeys)) +
      (await rowsDiffering(one.store, three.store, MODERATION_STATS_QUERY, moderationKeys))
    const allRowsDiffering =
      (await rowsDiffering(one.store, three.store, ALL_MESSAGE_STATS, messageKeys)) +
      (await rowsDiffering(one.store, three.store, MODERATION_STATS_QUERY, moderationKeys))
    const agreement = await campaignAgreement(one.store, three.store)
    const results = {
      date: new Date().toISOString(),
      messages: produced.messageEvents,
      records: produced.records,
      instances_share_one_process: true,
      scale_out: scaleOut,
      cpu_us_per_msg_n1: round(perMessage(one.cpuSeconds * 1e6)),
      cpu_us_per_msg_n3: round(perMessage(three.cpuSeconds * 1e6)),
      exchange_bytes_per_msg_n1: round(perMessage(one.exchangeFetchedBytes)),
      exchange_bytes_per_msg_n3: round(perMessage(three.exchangeFetchedBytes)),
      exchange_published_bytes_per_msg_n1: round(perMessage(one.exchangePublishedBytes)),
      exchange_published_bytes_per_msg_n3: round(perMessage(three.exchangePublishedBytes)),
      campaign_f1_n3_vs_n1: round(agreement.f1, 4),
      campaign_precision_n3_vs_n1: round(agreement.precision, 4),
      campaign_recall_n3_vs_n1: round(agreement.recall, 4),
      // the exchange is applied as it arrives (0); the merge's is the three instances' run
      merge_delay_s: round(three.mergeDelaySeconds),
      aggregates_equal: allRowsDiffering === 0,
      aggregate_rows_differing: allRowsDiffering,
      event_counts_equal: countRowsDiffering === 0,
      seconds_n1: round(one.seconds),
      seconds_n3: round(three.seconds),
    }
    mkdirSync(RESULTS_DIR, { recursive: true })
    const file = path.join(RESULTS_DIR.pathname, 'scale.json')
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n')
    const ratio = (n3: number, n1: number) => (n1 === 0 ? (n3 === 0 ? 'none in either' : 'none at n1') : `${(n3 / n1).toFixed(2)} x n1`)
    printRows(
      ['figure', 'N = 1', 'N = 3', 'N = 3 against N = 1', 'goal'],
      [
        [
          'CPU per message (all instances and the engine)',
          `${results.cpu_us_per_msg_n1} µs`,
          `${results.cpu_us_per_msg_n3} µs`,
          ratio(results.cpu_us_per_msg_n3, results.cpu_us_per_msg_n1),
          '<= 1.15 x n1',
        ],
        [
          'exchange bytes fetched per message (all instances)',
          `${results.exchange_bytes_per_msg_n1}`,
          `${results.exchange_bytes_per_msg_n3}`,
          ratio(results.exchange_bytes_per_msg_n3, results.exchange_bytes_per_msg_n1),
          '<= 1.2 x n1',
        ],
        ['campaign partition, pairwise F1 against N = 1', '', `${results.campaign_f1_n3_vs_n1}`, '', '>= 0.98'],
        [
          '  its precision / recall against N = 1',
          '',
          `${results.campaign_precision_n3_vs_n1} / ${results.campaign_recall_n3_vs_n1}`,
          '',
          '',
        ],
        ['merge delay', `${round(one.mergeDelaySeconds)} s`, `${results.merge_delay_s} s`, '', '<= 60 s'],
        ['aggregate tables identical (every column)', '', `${results.aggregates_equal} (${allRowsDiffering} rows differ)`, '', 'true'],
        ['event counts identical (created, edited, deleted, forwarded, actions)', '', `${results.event_counts_equal}`, '', 'true'],
        ['wall time', `${results.seconds_n1} s`, `${results.seconds_n3} s`, '', ''],
      ],
    )
    log(`written ${path.relative(process.cwd(), file)}`)
  } finally {
    for (const run of runs) await run.store.close()
    await broker.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits))
}

await main()
