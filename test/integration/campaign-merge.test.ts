/**
 * The campaign merge (campaigns.scale_out = merge, docs/scale-out.md) against the embedded engine:
 * two instances, each with its own campaign index, write into one store; the copies of one spam text
 * that each saw found a campaign on each. The leader's merge finds the pair in ClickHouse
 * (representatives and band keys of migrations 13 and 14), writes the alias under the smaller id, and the other instance
 * applies it, so its next copy is counted under the surviving id. An unrelated text stays apart.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { SourceRecord } from '../../src/domain/ports.js'
import { loadConfig } from '../../src/config/load.js'
import { loadAnalysisInputs, openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { createAnalyzer } from '../../src/pipeline/analysis.js'
import { CampaignMerger, MERGE_SETTLE_MS } from '../../src/pipeline/campaign-merge.js'
import { ClickHouseCampaignMerge } from '../../src/sinks/clickhouse/campaign-merge.js'
import { FakeCheckpoints, silentLogger, testProcessor } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'
import { fingerprintText, signatureToHex } from '../../src/fingerprint/index.js'
import { normalizeText } from '../../src/normalize/index.js'

const NOW = Date.now()
const signatureOf = (text: string) => signatureToHex(fingerprintText(normalizeText(text)).signature)
const SPAM = [
  'Join our VIP signals channel, 500 USDT a day guaranteed, write to the admin for the private link today',
  'Join our VIP signals channel!!! 500 USDT a day guaranteed, write to the admin for the private link today',
  'JOIN our VIP signals channel, 500 USDT a day guaranteed; write to the admin for the private link today now',
  'Join our VIP signals channel, 500 USDT a day guaranteed, write to the admin for the private link today 🔥🔥',
  'join our vip signals channel - 500 USDT a day guaranteed, write to the admin for the private link today',
]
const OTHER = [
  'Selling my old road bike, barely used, new tyres, pick up in the city centre this weekend only please',
  'Does anyone know a good dentist near the central station who takes evening appointments on weekdays?',
]

let offset = 0
function record(chatId: string, partition: number, messageId: string, text: string): SourceRecord {
  const value = Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: `e-${chatId}-${messageId}`,
      type: 'created',
      ts: NOW - 60_000 + offset * 100,
      chat: { id: chatId, type: 'group', title: `Chat ${chatId}` },
      message_id: messageId,
      sender: { id: `u${messageId}` },
      text,
    }),
  )
  return { topic: 'merge', partition, offset: offset++, value, timestampMs: 0 }
}

test('campaigns founded on two instances are merged under the smaller id, and the other instance counts its next copy there', async () => {
  const config = loadConfig({
    env: {
      ABUSE_RADAR_DATA_DIR: tempDir('campaign-merge'),
      ABUSE_RADAR__CLICKHOUSE__DATABASE: 'campaign_merge',
      ABUSE_RADAR__CAMPAIGNS__SCALE_OUT: 'merge',
    },
  })
  const store = await openMigratedStore(config, silentLogger, new Metrics())
  try {
    const db = store.store.database
    const instance = () => {
      const metrics = new Metrics()
      const analysis = createAnalyzer(config, loadAnalysisInputs(config), metrics)
      const processor = testProcessor(store.store, new FakeCheckpoints(), { analyzer: analysis, settings: { flushMaxRecords: 100 } })
      return { metrics, analysis, processor }
    }
    const [a, b] = [instance(), instance()]
    await a.processor.accept('merge', 0, [
      record('-100', 0, '1', SPAM[0]!),
      record('-100', 0, '2', SPAM[1]!),
      record('-100', 0, '3', OTHER[0]!),
    ])
    await b.processor.accept('merge', 1, [
      record('-200', 1, '1', SPAM[2]!),
      record('-200', 1, '2', SPAM[3]!),
      record('-200', 1, '3', OTHER[1]!),
    ])
    await a.processor.flush(true)
    await b.processor.flush(true)

    const campaignOf = async (chatId: string, messageId: string) => {
      const [row] = await store.store.select<{ campaign_id: string }>(
        `SELECT campaign_id FROM ${db}.message_fingerprints WHERE chat_id = {chat:String} AND message_id = {message:String}`,
        { chat: chatId, message: messageId },
      )
      return row?.campaign_id ?? ''
    }
    const [campaignA, campaignB] = [await campaignOf('-100', '1'), await campaignOf('-200', '1')]
    assert.equal(await campaignOf('-100', '2'), campaignA, 'instance A grouped its two copies')
    assert.equal(await campaignOf('-200', '2'), campaignB, 'instance B grouped its two copies')
    assert.notEqual(campaignA, campaignB, 'each instance founded the campaign itself')
    // representatives: the founder of the spam campaign on each instance, instance B's second copy
    // (a near-duplicate of its founder; instance A's second copy is an exact copy of its founder,
    // which adds nothing to compare) and the two unrelated texts
    const [representatives] = await store.store.select<{ messages: string; campaigns: string }>(
      `SELECT uniqExact(message) AS messages, uniqExact(campaign_id) AS campaigns FROM ${db}.campaign_representatives`,
    )
    assert.deepEqual({ ...representatives }, { messages: '5', campaigns: '4' })
    // 16 band rows a representative, but one row per (band, campaign): where instance B's two
    // representatives have the same band, one row stands for both
    const bandOf = (text: string, b: number) => signatureOf(text).slice(8 + 32 * b, 8 + 32 * (b + 1))
    const bandsOfBOnly = [...Array(16).keys()].filter((b) => bandOf(SPAM[2]!, b) !== bandOf(SPAM[3]!, b)).length
    assert.ok(bandsOfBOnly > 0 && bandsOfBOnly < 16, `${bandsOfBOnly}`)
    const [bands] = await store.store.select<{ n: string }>(`SELECT uniqExact(band, campaign_id) AS n FROM ${db}.campaign_bands`)
    assert.equal(Number(bands?.n), 4 * 16 + bandsOfBOnly)

    // the clock past the settle time, so what was just stored is in the leader's range
    const now = () => Date.now() + MERGE_SETTLE_MS + 1000
    const merges = new ClickHouseCampaignMerge(store.store)
    const options = { intervalMs: 60_000, minSimilarity: config.settings.campaigns.merge_min_similarity, now }
    const leader = new CampaignMerger(merges, a.analysis, a.metrics, silentLogger, { ...options, leads: () => true })
    const follower = new CampaignMerger(merges, b.analysis, b.metrics, silentLogger, { ...options, leads: () => false })
    await leader.runOnce()
    await follower.runOnce()

    const [canonical, alias] = [campaignA, campaignB].sort() as [string, string]
    const aliases = await store.store.select<{ alias_id: string; canonical_id: string }>(
      `SELECT alias_id, argMax(canonical_id, merged_at) AS canonical_id FROM ${db}.campaign_aliases GROUP BY alias_id`,
    )
    assert.deepEqual(aliases, [{ alias_id: alias, canonical_id: canonical }])
    assert.ok((leader.mergedThrough ?? 0) > Date.now() - 60_000, 'the leader recorded how far it merged')
    const counter = async (m: Metrics, direction: string) =>
      (await m.campaignMergeAliases.get()).values.find((v) => v.labels.direction === direction)?.value ?? 0
    assert.equal(await counter(a.metrics, 'written'), 1)
    assert.equal(await counter(b.metrics, 'applied'), 1)

    // a run again finds the same pair and writes nothing new: the alias already resolves there
    await leader.runOnce()
    assert.equal(await counter(a.metrics, 'written'), 1)

    // instance B's next copy joins its local campaign, now known under the surviving id
    await b.processor.accept('merge', 1, [record('-200', 1, '4', SPAM[4]!)])
    await b.processor.flush(true)
    assert.equal(await campaignOf('-200', '4'), canonical)
  } finally {
    await store.close()
  }
})

test('the views that feed the merge run only with scale_out merge: an exchange deployment stores no representatives', async () => {
  const dataDir = tempDir('campaign-merge-views')
  const storeAndWrite = async (scaleOut: string, chatId: string) => {
    const config = loadConfig({
      env: { ABUSE_RADAR_DATA_DIR: dataDir, ABUSE_RADAR__CLICKHOUSE__DATABASE: 'merge_views', ABUSE_RADAR__CAMPAIGNS__SCALE_OUT: scaleOut },
    })
    const store = await openMigratedStore(config, silentLogger, new Metrics())
    try {
      const analyzer = createAnalyzer(config, loadAnalysisInputs(config), new Metrics())
      const processor = testProcessor(store.store, new FakeCheckpoints(), { analyzer, settings: { flushMaxRecords: 100 } })
      await processor.accept('merge', 0, [record(chatId, 0, '1', SPAM[0]!)])
      await processor.flush(true)
      const db = store.store.database
      const views = await store.store.select<{ name: string }>(
        `SELECT name FROM system.tables WHERE database = {db:String} AND name IN {views:Array(String)} ORDER BY name`,
        // the views of the merge before migration 14 too: a start drops them
        { db, views: ['campaign_founders_mv', 'campaign_bands_mv', 'campaign_representatives_mv', 'campaign_representative_bands_mv'] },
      )
      const [representatives] = await store.store.select<{ n: string }>(`SELECT count() AS n FROM ${db}.campaign_representatives`)
      return { views: views.map((v) => v.name), representatives: Number(representatives?.n) }
    } finally {
      await store.close()
    }
  }
  assert.deepEqual(await storeAndWrite('merge', '-300'), {
    views: ['campaign_representative_bands_mv', 'campaign_representatives_mv'],
    representatives: 1,
  })
  // the same store switched to the exchange: the views are dropped, a new founder adds no row
  assert.deepEqual(await storeAndWrite('exchange', '-400'), { views: [], representatives: 1 })
})
