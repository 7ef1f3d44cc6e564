/**
 * An insert into message_facts feeds its views one after another, so a kill can leave a batch in
 * message_fingerprints and not in `campaigns`. The restart rebuilds the campaign index from
 * message_fingerprints: if the rebuild took the batch in, the replay met its own messages there,
 * counted none as new members, and `campaigns` undercounted (file-replay-resume.test.ts in CI: 3,269
 * of 3,457). The rebuild leaves out the rows at or past the committed offset (migration 15), so the
 * replay writes the rows the first attempt wrote. Against the embedded engine: the kill is a write
 * that reaches message_fingerprints alone (every other view of message_facts detached) and then
 * fails for good, with the batch marked in flight in the file checkpoints.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BatchRange, FactsSink, ReplayStart, SeenEventKey, SourceRecord } from '../../src/domain/ports.js'
import type { BatchOutput } from '../../src/domain/facts.js'
import { InfrastructureError } from '../../src/domain/errors.js'
import { loadConfig } from '../../src/config/load.js'
import { createProcessor, loadAnalysisInputs, openMigratedStore, type Store } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { createAnalyzer } from '../../src/pipeline/analysis.js'
import { FileCheckpoints } from '../../src/sinks/clickhouse/file-checkpoints.js'
import { silentLogger, testProcessor } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

const TOPIC = 'replayed-batch'
const NOW = Date.now()
const TEXT = 'Join our VIP signals channel, 500 USDT a day guaranteed, write to the admin for the private link today'
const OTHER_TEXTS = [
  'Lost a black wallet near the central station yesterday evening, please call',
  'The choir meets on Thursday at seven in the small hall, new voices welcome',
]
const message = (offset: number, chat: number, type: 'created' | 'edited', text: string): SourceRecord => ({
  topic: TOPIC,
  partition: 0,
  offset,
  timestampMs: 0,
  value: Buffer.from(
    JSON.stringify({
      schema: 'message.v1',
      event_id: `e${offset}`,
      type,
      ts: NOW - 60_000 + offset * 1000, // recent: the table's TTL drops old rows
      chat: { id: `-10${chat}`, type: 'group', title: 'Signals' },
      message_id: '1',
      sender: { id: `u${offset}` },
      text,
    }),
  ),
})
/**
 * Two batches of six. The first: four copies of one text (a campaign) and two other posts. The
 * second: those two posts edited into copies (each a new member: its campaign changes), and four
 * more copies. An edit counts as a member only when the index says its message was elsewhere: that
 * is what a rebuild holding the second batch gets wrong.
 */
const RECORDS: SourceRecord[] = [
  message(0, 0, 'created', TEXT),
  message(1, 1, 'created', TEXT),
  message(2, 2, 'created', TEXT),
  message(3, 3, 'created', TEXT),
  message(4, 4, 'created', OTHER_TEXTS[0] as string),
  message(5, 5, 'created', OTHER_TEXTS[1] as string),
  message(6, 4, 'edited', TEXT),
  message(7, 5, 'edited', TEXT),
  message(8, 6, 'created', TEXT),
  message(9, 7, 'created', TEXT),
  message(10, 8, 'created', TEXT),
  message(11, 9, 'created', TEXT),
]

/** Writes the second batch into message_fingerprints (and the seen events) only, then fails as a killed process would. */
class KilledBetweenViews implements FactsSink {
  constructor(private readonly store: Store) {}

  findRejectedRows(output: keyof BatchOutput, rows: readonly object[]): Promise<number[]> {
    return this.store.store.findRejectedRows(output, rows)
  }

  loadSeenEventKeys(sinceMs: number): Promise<SeenEventKey[]> {
    return this.store.store.loadSeenEventKeys(sinceMs)
  }

  ping(): Promise<boolean> {
    return this.store.store.ping()
  }

  async writeBatch(range: BatchRange, output: BatchOutput): Promise<void> {
    if (range.firstOffset === 0) return this.store.store.writeBatch(range, output)
    const db = this.store.store.database
    const [facts] = await this.store.store.select<{ views: string[] }>(
      `SELECT dependencies_table AS views FROM system.tables WHERE database = {db:String} AND name = 'message_facts'`,
      { db },
    )
    const others = (facts?.views ?? []).filter((view) => view !== 'message_fingerprints_mv' && !view.startsWith('seen_events'))
    assert.ok(others.includes('campaigns_mv'), `views of message_facts: ${facts?.views.join(', ')}`)
    for (const view of others) await this.store.store.command(`DETACH TABLE ${db}.${view}`)
    try {
      await this.store.store.writeBatch(range, output)
    } finally {
      for (const view of others) await this.store.store.command(`ATTACH TABLE ${db}.${view}`)
    }
    throw new InfrastructureError('killed after the first view', 'clickhouse', false)
  }
}

test('a batch left in message_fingerprints alone by a kill is replayed from the state it first met: each member counted once', async () => {
  const config = loadConfig({
    env: { ABUSE_RADAR_DATA_DIR: tempDir('restore-replayed'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'restore_replayed' },
  })
  const metrics = new Metrics()
  const store = await openMigratedStore(config, silentLogger, metrics)
  const db = store.store.database
  const checkpoints = new FileCheckpoints(store.store, false)
  const count = async (query: string) => Number((await store.store.select<{ n: string }>(query))[0]?.n)
  try {
    const killed = testProcessor(new KilledBetweenViews(store), checkpoints, {
      analyzer: createAnalyzer(config, loadAnalysisInputs(config), metrics),
      pseudonymize: (id) => `p${id}`,
      observer: metrics,
      settings: { flushMaxRecords: 6 },
    })
    await killed.accept(TOPIC, 0, RECORDS)
    await assert.rejects(killed.flush(true), /killed after the first view/)
    assert.deepEqual(await checkpoints.load(TOPIC, 0), { nextOffset: 6, inflightLastOffset: 11 })
    assert.equal(await count(`SELECT count() AS n FROM ${db}.message_fingerprints`), 12, 'the second batch reached message_fingerprints')
    assert.equal(await count(`SELECT sum(messages) AS n FROM ${db}.campaigns`), 6, 'and not campaigns')

    const replayed = await checkpoints.replayStarts(TOPIC)
    assert.deepEqual(replayed, [{ topic: TOPIC, partition: 0, offset: 6 }])
    const campaignsOf = async (starts: ReplayStart[]) =>
      new Set((await store.store.loadRecentFingerprints(3_600_000, 1000, starts)).map((row) => row.campaignId)).size
    assert.equal(await campaignsOf([]), 1, 'with the second batch, the two edited posts are in the campaign')
    assert.equal(await campaignsOf(replayed), 3, 'without it, they are not yet: the rebuild leaves the batch out')
    const textsPosted = async (starts: ReplayStart[]) =>
      new Set((await store.store.loadRecentChatPosts(3_600_000, 1000, starts)).map((post) => post.exactHash)).size
    assert.equal(await textsPosted([]), 1, 'chat similarity: the edited posts as edited')
    assert.equal(await textsPosted(replayed), 3, 'chat similarity: the posts before their edits')

    const { processor } = await createProcessor(
      config,
      silentLogger,
      store,
      metrics,
      checkpoints,
      { ...loadAnalysisInputs(config), pseudonymKey: 'a test pseudonym key' },
      {
        cutBySizeOnly: true,
        shareEntries: false,
        messagesTopic: TOPIC,
      },
    )
    await processor.accept(TOPIC, 0, RECORDS.slice(6))
    await processor.flush(true)
    assert.deepEqual(await checkpoints.load(TOPIC, 0), { nextOffset: 12, inflightLastOffset: null })
    assert.equal(await count(`SELECT count() AS n FROM ${db}.message_fingerprints`), 12, 'the replay is deduplicated there')
    const [campaign] = await store.store.select<{ campaigns: string; messages: string; chats: string }>(
      `SELECT count() AS campaigns, sum(messages) AS messages, sum(chats) AS chats FROM ${db}.campaigns_latest`,
    )
    assert.deepEqual(campaign, { campaigns: '1', messages: '10', chats: '10' }, 'each member counted once')
  } finally {
    await store.close()
  }
})
