import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { CampaignAlias, CampaignMergeStore, CampaignPair } from '../../../src/domain/ports.js'
import { fingerprintText, signatureToHex } from '../../../src/fingerprint/index.js'
import { normalizeText } from '../../../src/normalize/index.js'
import { CampaignMerger, MERGE_SETTLE_MS, NEW_LEADER_LOOKBACK_MS } from '../../../src/pipeline/campaign-merge.js'
import { InfrastructureError } from '../../../src/domain/errors.js'
import { Metrics } from '../../../src/observability/metrics.js'
import { silentLogger } from '../../support/fakes.js'

type Written = CampaignAlias & { mergedAtMs: number }

const signatureOf = (text: string) => signatureToHex(fingerprintText(normalizeText(text)).signature)
const SPAM = 'Join our VIP signals channel, 500 USDT a day guaranteed, write to the admin for the private link today'
/** c1 and c2 were founded by the same text; c3 by an unrelated one */
const SIGNATURES = new Map([
  ['c1', [signatureOf(SPAM)]],
  ['c2', [signatureOf(SPAM + '!!')]],
  ['c3', [signatureOf('Selling my old road bike, barely used, new tyres, pick up in the city centre this weekend only')]],
])

/** A store that answers the candidate pairs it is given for any range, and keeps the aliases written. */
class FakeMergeStore implements CampaignMergeStore {
  ranges: [number, number][] = []
  aliases: Written[] = []
  failNext = false
  constructor(public pairs: CampaignPair[]) {}
  async findCandidatePairs(fromMs: number, toMs: number): Promise<CampaignPair[]> {
    if (this.failNext) {
      this.failNext = false
      throw new InfrastructureError('store down', 'clickhouse', true)
    }
    this.ranges.push([fromMs, toMs])
    return this.pairs
  }
  async loadRepresentativeSignatures(ids: readonly string[]): Promise<Map<string, string[]>> {
    return new Map(ids.flatMap((id) => (SIGNATURES.has(id) ? [[id, SIGNATURES.get(id)!] as const] : [])))
  }
  async loadAliasesOf(ids: readonly string[]): Promise<CampaignAlias[]> {
    // latest per alias, oldest first
    const latest = new Map<string, string>()
    for (const row of this.aliases) {
      latest.delete(row.alias)
      latest.set(row.alias, row.canonical)
    }
    return [...latest].filter(([a, c]) => ids.includes(a) || ids.includes(c)).map(([alias, canonical]) => ({ alias, canonical }))
  }
  async loadAliasesSince(sinceMs: number): Promise<Written[]> {
    return this.aliases.filter((row) => row.mergedAtMs >= sinceMs)
  }
  async writeCampaignAliases(rows: readonly Written[]): Promise<void> {
    this.aliases.push(...rows)
  }
}

function setUp(pairs: CampaignPair[], leads: () => boolean) {
  let clock = 1_000_000_000
  const store = new FakeMergeStore(pairs)
  const applied: string[] = []
  const metrics = new Metrics()
  const merger = new CampaignMerger(store, { applyAlias: (a, c) => applied.push(`${a}->${c}`) }, metrics, silentLogger, {
    intervalMs: 30_000,
    minSimilarity: 0.6,
    leads,
    now: () => clock,
  })
  const advance = (ms: number) => (clock += ms)
  const runs = async (outcome: string) =>
    (await metrics.campaignMergeRuns.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0
  return { store, applied, merger, advance, now: () => clock, runs }
}

test('the leader merges from a look-back at first, then from where it stopped, each range overlapping the last by the settle time', async () => {
  const { store, merger, advance, now } = setUp([{ a: 'c1', b: 'c2' }], () => true)
  const first = now()
  await merger.runOnce()
  advance(30_000)
  await merger.runOnce()
  const to1 = first - MERGE_SETTLE_MS
  assert.deepEqual(store.ranges, [
    [to1 - NEW_LEADER_LOOKBACK_MS - MERGE_SETTLE_MS, to1],
    [to1 - MERGE_SETTLE_MS, now() - MERGE_SETTLE_MS],
  ])
  assert.equal(merger.mergedThrough, now() - MERGE_SETTLE_MS)
  // the alias was written once: the second run found it resolved already
  assert.deepEqual(
    store.aliases.map((r) => `${r.alias}->${r.canonical}`),
    ['c2->c1'],
  )
})

test('only candidates whose founders agree are merged; every instance applies the aliases written, the leader its own too', async () => {
  const leader = setUp(
    [
      { a: 'c1', b: 'c2' },
      { a: 'c1', b: 'c3' },
      { a: 'c2', b: 'c9' },
    ],
    () => true,
  )
  await leader.merger.runOnce()
  assert.deepEqual(leader.applied, ['c2->c1'])
  const follower = setUp([], () => false)
  follower.store.aliases = leader.store.aliases
  await follower.merger.runOnce()
  assert.deepEqual(follower.applied, ['c2->c1'])
  assert.deepEqual(follower.store.ranges, [], 'a follower asks for no pairs')
  assert.equal(follower.merger.mergedThrough, null)
  assert.equal(await follower.runs('followed'), 1)
})

test('a failed run changes nothing and the next run covers its range again', async () => {
  const { store, merger, advance, runs } = setUp([{ a: 'c1', b: 'c2' }], () => true)
  await merger.runOnce()
  const through = merger.mergedThrough
  advance(30_000)
  store.failNext = true
  await merger.runOnce()
  assert.equal(merger.mergedThrough, through)
  assert.equal(await runs('failed'), 1)
  advance(30_000)
  await merger.runOnce()
  assert.equal(store.ranges[1]![0], through! - MERGE_SETTLE_MS, 'the run after the failure starts where the last good one ended')
})

test('an instance that stops leading forgets its range: when it leads again it looks back as a new leader does', async () => {
  let leading = true
  const { store, merger, advance, now } = setUp([], () => leading)
  await merger.runOnce()
  leading = false
  advance(30_000)
  await merger.runOnce()
  assert.equal(merger.mergedThrough, null)
  leading = true
  advance(30_000)
  await merger.runOnce()
  const to = now() - MERGE_SETTLE_MS
  assert.deepEqual(store.ranges.at(-1), [to - NEW_LEADER_LOOKBACK_MS - MERGE_SETTLE_MS, to])
})

test('an alias written in the range that names an alias (an index wrote it while the last run planned) is rewritten, with no pair found', async () => {
  const { store, merger, now, applied } = setUp([], () => true)
  store.aliases.push(
    { alias: 'c5', canonical: 'c2', mergedAtMs: now() - 2_000 },
    { alias: 'c9', canonical: 'c5', mergedAtMs: now() - 1_000 },
  )
  await merger.runOnce()
  assert.deepEqual(
    store.aliases.slice(2).map((r) => `${r.alias}->${r.canonical}`),
    ['c9->c2'],
  )
  assert.deepEqual(applied, ['c5->c2', 'c9->c5', 'c9->c2'])
  await merger.runOnce()
  assert.equal(store.aliases.length, 3, 'once rewritten, nothing more to write')
})
