/**
 * Migrations 16 to 18 and 21 to 23 (src/sinks/clickhouse/schema/merge-memory.ts). 16: `campaigns` counts its link
 * domains in a map summed by the merge, and campaigns_latest.top_link_domains is the ten most
 * counted, ties by name. Against the embedded engine: across two inserts (two parts, summed when
 * read) and after the parts are merged; and over a database written at version 15, whose rows kept
 * a topK state, which migration 23 turns into counts before it drops the column. 17: the two
 * tables with the widest merges write 256 KiB compression blocks (and, migration 21, merge fewer parts at once;
 * 22, message_fingerprints merges vertically at any size). 18: one row of a campaign carries
 * its signature, the others NULL, and campaigns_latest and background merges keep that one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore, openStore, schemaOptions } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { MIGRATIONS } from '../../src/sinks/clickhouse/migrations.js'
import { MAX_PARTS_TO_MERGE_AT_ONCE } from '../../src/sinks/clickhouse/schema/merge-memory.js'
import type { ClickHouseStore } from '../../src/sinks/clickhouse/store.js'
import type { MessageFact } from '../../src/domain/facts.js'
import { member as memberOf, write } from '../support/campaign-facts.js'
import { silentLogger } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

const member = (campaignId: string, domains: string[], signature: string | null = null) => memberOf(campaignId, { domains, signature })

async function topDomains(store: ClickHouseStore): Promise<Record<string, string[]>> {
  const rows = await store.select<{ campaign_id: string; top_link_domains: string[] }>(
    `SELECT campaign_id, top_link_domains FROM ${store.database}.campaigns_latest ORDER BY campaign_id`,
  )
  return Object.fromEntries(rows.map((r) => [r.campaign_id, r.top_link_domains]))
}

test('campaigns_latest.top_link_domains: the ten most counted domains, the same before and after a merge; 256 KiB blocks', async () => {
  const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: tempDir('link-domains'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'links' } })
  const { store, close } = await openMigratedStore(config, silentLogger, new Metrics())
  try {
    const settings = await store.select<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = 'links' AND create_table_query LIKE '%max_compress_block_size = 262144%' ORDER BY name`,
    )
    assert.deepEqual(
      settings.map((t) => t.name),
      ['campaigns', 'message_fingerprints'],
    )
    const fewerParts = await store.select<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = 'links' AND create_table_query LIKE '%max_parts_to_merge_at_once = ${MAX_PARTS_TO_MERGE_AT_ONCE}%' ORDER BY name`,
    )
    assert.deepEqual(
      fewerParts.map((t) => t.name),
      ['campaigns', 'message_fingerprints'],
    )
    const vertical = await store.select<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = 'links' AND create_table_query LIKE '%vertical_merge_algorithm_min_rows_to_activate = 1%' ORDER BY name`,
    )
    assert.deepEqual(
      vertical.map((t) => t.name),
      ['message_fingerprints'],
    )
    // two parts, summed when read: no background merge until OPTIMIZE below
    await store.command('SYSTEM STOP MERGES links.campaigns')
    const singles = Array.from({ length: 10 }, (_, i) => `d${i}.example`)
    // a.com 5 times, b.org and c.net 3 times each, ten domains once: split over two inserts
    await write(store, [
      member('c1', ['a.com', 'b.org']),
      member('c1', ['a.com', 'c.net', ...singles.slice(0, 5)]),
      member('c1', ['a.com']),
      member('c2', []),
      member('c2', []),
    ])
    await write(store, [member('c1', ['a.com', 'b.org', 'c.net']), member('c1', ['a.com', 'b.org', 'c.net', ...singles.slice(5)])])
    const expected = {
      c1: ['a.com', 'b.org', 'c.net', 'd0.example', 'd1.example', 'd2.example', 'd3.example', 'd4.example', 'd5.example', 'd6.example'],
      c2: [],
    }
    const [parts] = await store.select<{ n: string }>(
      `SELECT count() AS n FROM system.parts WHERE database = 'links' AND table = 'campaigns' AND active`,
    )
    assert.equal(parts?.n, '2')
    assert.deepEqual(await topDomains(store), expected)
    await store.command('SYSTEM START MERGES links.campaigns')
    await store.command('OPTIMIZE TABLE links.campaigns FINAL')
    const [counts] = await store.select<{ n: string; domains: [string[], string[]] }>(
      `SELECT count() AS n, any(link_domain_counts) AS domains FROM links.campaigns WHERE campaign_id = 'c1'`,
    )
    assert.equal(counts?.n, '1')
    assert.deepEqual(counts?.domains[0].slice(0, 3), ['a.com', 'b.org', 'c.net'])
    assert.deepEqual(counts?.domains[1].slice(0, 3), ['5', '3', '3'])
    assert.deepEqual(await topDomains(store), expected)
    // the fingerprints of the two inserts, merged vertically into one part: the same rows
    const fingerprints = () =>
      store.select<Record<string, unknown>>('SELECT * FROM links.message_fingerprints ORDER BY chat_id, message_id, ts')
    const before = await fingerprints()
    assert.equal(before.length, 7)
    await store.command('OPTIMIZE TABLE links.message_fingerprints FINAL')
    const [merged] = await store.select<{ n: string }>(
      `SELECT count() AS n FROM system.parts WHERE database = 'links' AND table = 'message_fingerprints' AND active`,
    )
    assert.equal(merged?.n, '1')
    assert.deepEqual(await fingerprints(), before)
  } finally {
    await close()
  }
})

/** A fact row as a processor at schema version 15 wrote it: without the text keys of migration 20. */
function atVersion15(row: MessageFact): MessageFact {
  const old: Partial<MessageFact> = { ...row }
  delete old.head_key
  delete old.tail_key
  return old as MessageFact
}

test('rows written at version 15: migration 23 moves their topK domains into the counts, in the same order, and drops the column', async () => {
  const config = loadConfig({
    env: { ABUSE_RADAR_DATA_DIR: tempDir('link-domains-upgrade'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'upgrade' },
  })
  const opened = await openStore(config)
  try {
    // the database as version 15 left it
    const schema = schemaOptions(config)
    await opened.store.command('CREATE DATABASE IF NOT EXISTS upgrade')
    await opened.store.command(
      'CREATE TABLE upgrade.schema_migrations (version UInt32, name String, applied_at DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY version',
    )
    for (const migration of MIGRATIONS.filter((m) => m.version <= 15)) {
      for (const statement of migration.statements(schema)) await opened.store.command(statement)
      await opened.store.command(`INSERT INTO upgrade.schema_migrations (version, name) VALUES (${migration.version}, 'before')`)
    }
    await write(opened.store, [member('old', ['x.com', 'y.com']), member('old', ['x.com']), member('both', ['p.com'])].map(atVersion15))

    assert.deepEqual(await opened.store.migrate(), [16, 17, 18, 19, 20, 21, 22, 23])
    const topK = await opened.store.select<{ name: string }>(
      `SELECT name FROM system.columns WHERE database = 'upgrade' AND table = 'campaigns' AND name = 'top_link_domains'`,
    )
    assert.deepEqual(topK, [], 'migration 23 dropped the topK column')
    // its domains, as counts of their topK rank: x.com (linked twice) before y.com ('both' has one message: no campaign yet)
    assert.deepEqual(await topDomains(opened.store), { old: ['x.com', 'y.com'] })
    const [converted] = await opened.store.select<{ rows: string; messages: string; domains: [string[], string[]] }>(
      `SELECT count() AS rows, sum(messages) AS messages, sumMap(link_domain_counts) AS domains FROM upgrade.campaigns WHERE campaign_id = 'old'`,
    )
    assert.deepEqual(
      converted,
      {
        rows: '2',
        messages: '2',
        domains: [
          ['x.com', 'y.com'],
          ['2', '1'],
        ],
      },
      'one row more (the two old ones were one insert: one row), no message more',
    )
    const [comment] = await opened.store.select<{ comment: string }>(
      `SELECT comment FROM system.columns WHERE database = 'upgrade' AND table = 'campaigns' AND name = 'signature'`,
    )
    assert.match(comment?.comment ?? '', /^near-duplicate signature, hex .*the member that made the group a campaign/)
    await write(opened.store, [member('both', ['q.com']), member('new', ['n.com']), member('new', ['m.com', 'n.com'])])
    // both's old domain counts beside its new one (before migration 23 its new counts hid it)
    assert.deepEqual(await topDomains(opened.store), { both: ['p.com', 'q.com'], new: ['n.com', 'm.com'], old: ['x.com', 'y.com'] })
  } finally {
    await opened.close()
  }
})

test('campaigns.signature: the one row of a campaign that carries it wins, across parts and after a merge', async () => {
  const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: tempDir('campaign-signature'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'sigs' } })
  const { store, close } = await openMigratedStore(config, silentLogger, new Metrics())
  const signature = 'ab'.repeat(260)
  const signatures = async () =>
    Object.fromEntries(
      (
        await store.select<{ campaign_id: string; signature: string | null }>(
          'SELECT campaign_id, signature FROM sigs.campaigns_latest ORDER BY campaign_id',
        )
      ).map((r) => [r.campaign_id, r.signature]),
    )
  try {
    await store.command('SYSTEM STOP MERGES sigs.campaigns')
    // the founder's row (NULL) in one part, the second member's (the signature) and a third (NULL) in another
    await write(store, [member('c3', []), member('single', [])])
    await write(store, [member('c3', [], signature), member('c3', [])])
    // campaigns_latest lists campaigns only (campaigns.min_messages members), not the single message
    assert.deepEqual(await signatures(), { c3: signature })
    await store.command('SYSTEM START MERGES sigs.campaigns')
    await store.command('OPTIMIZE TABLE sigs.campaigns FINAL')
    const rows = await store.select<{ campaign_id: string; signature: string | null; messages: string }>(
      'SELECT campaign_id, signature, messages FROM sigs.campaigns ORDER BY campaign_id',
    )
    assert.deepEqual(rows, [
      { campaign_id: 'c3', signature, messages: '3' },
      { campaign_id: 'single', signature: null, messages: '1' },
    ])
  } finally {
    await close()
  }
})
