/**
 * Every table that keeps what the processor learned from messages expires it (privacy), and
 * `campaigns` (migration 19, src/sinks/clickhouse/schema/retention.ts) expires a campaign
 * `privacy.aggregate_ttl_days` after its last message. Against the embedded engine.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { RECENT_TS, member, write } from '../support/campaign-facts.js'
import { silentLogger } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

/** Tables without a TTL, and why: none holds anything taken from a message. */
const KEPT_FOR_EVER: Record<string, string> = {
  schema_migrations: 'the migrations applied',
  rule_versions: 'the configured rules and thresholds, by hash',
  backtest_runs: 'one row per backtest run: its configuration and counts',
}

test('every table that stores rows has a TTL, but the three that hold no message data', async () => {
  const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: tempDir('ttl-tables'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'ttls' } })
  const { store, close } = await openMigratedStore(config, silentLogger, new Metrics())
  try {
    const tables = await store.select<{ name: string; ttl: number }>(
      `SELECT name, create_table_query LIKE '% TTL %' AS ttl FROM system.tables
       WHERE database = 'ttls' AND engine LIKE '%MergeTree' ORDER BY name`,
    )
    assert.ok(tables.length >= 15, `the migrated database's tables: ${tables.map((t) => t.name).join(', ')}`)
    assert.deepEqual(
      tables.filter((t) => Number(t.ttl) === 0).map((t) => t.name),
      Object.keys(KEPT_FOR_EVER).sort(),
    )
  } finally {
    await close()
  }
})

test('campaigns: a row goes aggregate_ttl_days after its last message; rows aggregated with later ones stay with them', async () => {
  const config = loadConfig({
    env: {
      ABUSE_RADAR_DATA_DIR: tempDir('ttl-campaigns'),
      ABUSE_RADAR__CLICKHOUSE__DATABASE: 'expiry',
      ABUSE_RADAR__PRIVACY__AGGREGATE_TTL_DAYS: '2',
    },
  })
  const { store, close } = await openMigratedStore(config, silentLogger, new Metrics())
  const threeDaysAgo = RECENT_TS - 3 * 86_400_000
  try {
    // One insert aggregates a batch's members of a campaign into one row: `merged` gets one row
    // whose last message is recent. `quiet` and the first member of `split` are three days old.
    await write(store, [
      member('quiet', { ts: threeDaysAgo }),
      member('quiet', { ts: threeDaysAgo }),
      member('split', { ts: threeDaysAgo }),
      member('merged', { ts: threeDaysAgo }),
      member('merged'),
    ])
    // That part's TTL is applied before the later member of `split` arrives, as a background TTL
    // merge does to a part past its TTL. Which comes first when both parts are there, the old
    // part's TTL or the merge of the two, is the engine's choice: with both parts written before
    // one OPTIMIZE, one CI run in many merged first and kept the old row of `split`.
    await store.command('OPTIMIZE TABLE expiry.campaigns FINAL')
    await write(store, [member('split')])
    await store.command('OPTIMIZE TABLE expiry.campaigns FINAL')
    const rows = await store.select<{ campaign_id: string; messages: string }>(
      'SELECT campaign_id, messages FROM expiry.campaigns ORDER BY campaign_id',
    )
    // The old row of `split` went with its TTL, though its campaign is still active (docs/limits.md).
    assert.deepEqual(rows, [
      { campaign_id: 'merged', messages: '2' },
      { campaign_id: 'split', messages: '1' },
    ])
  } finally {
    await close()
  }
})
