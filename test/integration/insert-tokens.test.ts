/**
 * The embedded engine applies a query's settings as SET statements that last for its one session.
 * An insert that sent no deduplication token ran under the last batch's: a second insert into the
 * same table under that stale token was dropped as a duplicate, without an error. Against the
 * embedded engine, each kind of write that has no token of its own, twice after one batch.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { DeadLetterRow } from '../../src/domain/facts.js'
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { FileCheckpoints } from '../../src/sinks/clickhouse/file-checkpoints.js'
import { silentLogger } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

const RANGE = { topic: 'tokens', partition: 0, firstOffset: 0, lastOffset: 0 }

test('writes without a token of their own land after a batch written under its token', async () => {
  const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: tempDir('insert-tokens'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'insert_tokens' } })
  const store = await openMigratedStore(config, silentLogger, new Metrics())
  const db = store.store.database
  const rows = async (table: string) => Number((await store.store.select<{ n: string }>(`SELECT count() AS n FROM ${db}.${table}`))[0]?.n)
  try {
    const deadLetter: DeadLetterRow = {
      topic: 'tokens',
      partition: 0,
      offset: 0,
      received_at: Date.now(),
      reason: 'not_json',
      detail: 'not JSON',
      payload_prefix: '',
      payload_sha256: '',
      payload_bytes: 1,
    }
    await store.store.writeBatch(RANGE, { messages: [], moderation: [], reports: [], deadLetters: [deadLetter] })
    assert.equal(await rows('dead_letters'), 1)

    const now = Date.now()
    await store.store.writeCampaignAliases([{ alias: 'c1', canonical: 'c0', mergedAtMs: now }])
    await store.store.writeCampaignAliases([{ alias: 'c2', canonical: 'c0', mergedAtMs: now }])
    assert.equal(await rows('campaign_aliases'), 2, 'campaign merges')

    const checkpoints = new FileCheckpoints(store.store, false)
    await checkpoints.markInflight([{ ...RANGE, topic: 'file' }])
    await checkpoints.commit([{ ...RANGE, topic: 'file' }])
    await checkpoints.markInflight([{ ...RANGE, topic: 'file', firstOffset: 1, lastOffset: 1 }])
    assert.deepEqual(await checkpoints.load('file', 0), { nextOffset: 1, inflightLastOffset: 1 }, 'file checkpoints')
  } finally {
    await store.close()
  }
})
