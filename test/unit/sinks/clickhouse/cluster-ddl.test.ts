/**
 * The schema in both modes, from the migrations' rendered DDL (the embedded engine cannot run a
 * cluster): single node (clickhouse.cluster '') and cluster ('abuse_cluster': Replicated* tables ON
 * CLUSTER, Distributed tables in front, materialized views writing into the _local tables). When the
 * embedded engine (optional dependency chdb) is installed, every statement of both modes is also
 * parsed by ClickHouse itself (EXPLAIN AST: syntax only, nothing created).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ClickHouseClient } from '@clickhouse/client'
import { MIGRATIONS, configuredViews, type SchemaOptions } from '../../../../src/sinks/clickhouse/migrations.js'
import { ClickHouseStore } from '../../../../src/sinks/clickhouse/store.js'
import type { BatchOutput } from '../../../../src/domain/facts.js'
import type * as ChdbConnection from 'chdb/connection'

const DB = 'abuse'
const CLUSTER = 'abuse_cluster'
const options = (cluster: string): SchemaOptions => ({
  database: DB,
  cluster,
  rowTtlDays: 30,
  aggregateTtlDays: 400,
  dedupHorizonHours: 24,
  deduplicationWindow: 12345,
  minCampaignMessages: 2,
  campaignMerge: true,
})
const statements = (cluster: string) => [...MIGRATIONS.flatMap((m) => m.statements(options(cluster))), ...configuredViews(options(cluster))]
// DROP and ALTER statements of later migrations change what the CREATEs made, and INSERTs move rows;
// the shapes below are the CREATEs'.
const render = (cluster: string) => statements(cluster).filter((sql) => !/^(DROP VIEW|DROP TABLE|ALTER TABLE|INSERT INTO) /.test(sql))
/** The rows migrations move (migration 23), parsed by ClickHouse beside the CREATEs. */
const inserts = (cluster: string) => statements(cluster).filter((sql) => sql.startsWith('INSERT INTO '))

interface Created {
  kind: 'database' | 'table' | 'materialized view' | 'view'
  name: string
  onCluster: string | null
  engine: string | null
  engineArgs: string | null
  /** Distributed: the table it was created AS. */
  as: string | null
  /** Materialized views: their target table. */
  to: string | null
  /** Views and materialized views: the tables they select from. */
  from: string[]
  settings: string
  sql: string
}

/** The text inside the parentheses that open at `start` (balanced, quotes respected). */
function balanced(s: string, start: number): string {
  let depth = 0
  let quote: string | null = null
  for (let i = start; i < s.length; i++) {
    const c = s[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = null
      continue
    }
    if (c === "'" || c === '`') quote = c
    else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return s.slice(start + 1, i)
  }
  throw new Error(`unbalanced parentheses in ${s.slice(start, start + 80)}`)
}

function parse(sql: string): Created {
  // views that follow the configuration are replaced at every start; everything else is created once
  const head =
    /^CREATE (DATABASE|TABLE|MATERIALIZED VIEW|VIEW) IF NOT EXISTS ([\w.]+)(?: ON CLUSTER (\w+))?/.exec(sql) ??
    /^CREATE OR REPLACE (VIEW) ([\w.]+)(?: ON CLUSTER (\w+))?/.exec(sql)
  assert.ok(head, `not a CREATE ... IF NOT EXISTS (or CREATE OR REPLACE VIEW) statement:\n${sql.slice(0, 200)}`)
  const kind = head[1]!.toLowerCase() as Created['kind']
  // The engine clause comes after the column list: search for it outside the columns' comments.
  const engineMatch = /\bENGINE = (\w+)/.exec(sql.replace(/COMMENT '(?:[^'\\]|\\.)*'/g, "COMMENT ''"))
  let engineArgs: string | null = null
  if (engineMatch) {
    const at = sql.indexOf(`ENGINE = ${engineMatch[1]}`) + `ENGINE = ${engineMatch[1]}`.length
    if (sql[at] === '(') engineArgs = balanced(sql, at)
  }
  const select = kind.endsWith('view') ? sql.slice(sql.search(/\bAS\s+SELECT\b/)) : ''
  return {
    kind,
    name: head[2]!,
    onCluster: head[3] ?? null,
    engine: kind === 'table' ? (engineMatch?.[1] ?? null) : null,
    engineArgs,
    as: /^CREATE TABLE IF NOT EXISTS [\w.]+(?: ON CLUSTER \w+)? AS ([\w.]+)/.exec(sql)?.[1] ?? null,
    to: / TO ([\w.]+) AS\b/.exec(sql)?.[1] ?? null,
    from: [...select.matchAll(/\bFROM ([\w.]+)/g)].map((m) => m[1]!),
    settings: /\nSETTINGS (.*)$/m.exec(sql)?.[1] ?? '',
    sql,
  }
}

const MERGE_TREE = /^(Replicated)?(Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing|Graphite)?MergeTree$/

const single = render('').map(parse)
const cluster = render(CLUSTER).map(parse)
const tables = (all: Created[]) => all.filter((c) => c.kind === 'table')
const byName = (all: Created[]) => new Map(all.map((c) => [c.name, c]))

test('both modes create the same public names (cluster mode adds only the _local tables)', () => {
  const publicNames = (all: Created[]) =>
    all
      .map((c) => c.name)
      .filter((n) => !n.endsWith('_local'))
      .sort()
  assert.deepEqual(publicNames(cluster), publicNames(single))
  assert.ok(single.length > 10, 'the migrations render statements')
})

test('single node: no ON CLUSTER, no Replicated or Distributed engine, a deduplication window on every MergeTree', () => {
  for (const c of single) {
    assert.equal(c.onCluster, null, `${c.name}: ON CLUSTER in single-node mode`)
    assert.doesNotMatch(c.sql, /ON CLUSTER|Replicated|Distributed\(|\{shard\}|\{replica\}/, c.name)
  }
  for (const t of tables(single)) {
    assert.ok(t.engine, `${t.name}: no engine`)
    if (t.engine === 'Null') continue
    assert.match(t.engine, MERGE_TREE, `${t.name}: engine ${t.engine}`)
    assert.match(t.settings, /\bnon_replicated_deduplication_window = 12345\b/, `${t.name}: settings ${t.settings}`)
    assert.doesNotMatch(t.name, /_local$/)
  }
  for (const mv of single.filter((c) => c.kind === 'materialized view')) {
    assert.ok(mv.to && !mv.to.endsWith('_local'), `${mv.name} writes into ${mv.to}`)
  }
})

test('cluster: every CREATE runs ON CLUSTER', () => {
  for (const c of cluster) assert.equal(c.onCluster, CLUSTER, `${c.kind} ${c.name} lacks ON CLUSTER ${CLUSTER}`)
})

test('cluster: every MergeTree-family engine is Replicated*, with {shard}/{replica} macros, a path of its own and replicated_deduplication_window', () => {
  const paths = new Map<string, string>()
  const mergeTrees = tables(cluster).filter((t) => t.engine !== 'Null' && t.engine !== 'Distributed')
  assert.ok(mergeTrees.length >= 8, `expected the data tables, found ${mergeTrees.map((t) => t.name).join(', ')}`)
  for (const t of mergeTrees) {
    assert.match(t.engine ?? '', MERGE_TREE, `${t.name}: engine ${t.engine}`)
    assert.match(t.engine ?? '', /^Replicated/, `${t.name}: ${t.engine} is not replicated`)
    assert.ok(t.name.endsWith('_local'), `${t.name}: replicated data lives in <table>_local`)
    const args = t.engineArgs ?? ''
    const [zkPath, replica] = args.split(',').map((a) => a.trim())
    assert.match(zkPath ?? '', /^'\/clickhouse\/tables\/\{shard\}\/[^']+'$/, `${t.name}: Keeper path ${zkPath}`)
    assert.equal(replica, "'{replica}'", `${t.name}: replica name ${replica}`)
    // Two tables on one Keeper path would be replicas of each other.
    assert.ok(!paths.has(zkPath!), `${t.name} and ${paths.get(zkPath!)} share the Keeper path ${zkPath}`)
    paths.set(zkPath!, t.name)
    assert.match(t.settings, /\breplicated_deduplication_window = 12345\b/, `${t.name}: settings ${t.settings}`)
    assert.doesNotMatch(t.settings, /non_replicated_deduplication_window/, t.name)
  }
  // The version column of a ReplacingMergeTree survives the switch to Replicated.
  const similarity = byName(cluster).get(`${DB}.chat_similarity_local`)
  assert.equal(similarity?.engine, 'ReplicatedReplacingMergeTree')
  assert.match(similarity?.engineArgs ?? '', /'\{replica\}', updated_at$/)
})

test('cluster: a Distributed table named <table> stands in front of each <table>_local, on the same cluster', () => {
  const all = byName(cluster)
  const locals = tables(cluster).filter((t) => t.name.endsWith('_local'))
  for (const local of locals) {
    const publicName = local.name.replace(/_local$/, '')
    const front = all.get(publicName)
    assert.ok(front, `no table ${publicName} in front of ${local.name}`)
    assert.equal(front.engine, 'Distributed', `${publicName}: engine ${front.engine}`)
    assert.equal(front.as, local.name, `${publicName} should be created AS ${local.name}`)
    const [clusterArg, dbArg, tableArg] = (front.engineArgs ?? '').split(',').map((a) => a.trim())
    assert.deepEqual(
      [clusterArg, dbArg, tableArg],
      [CLUSTER, DB, local.name.split('.')[1]],
      `${publicName}: Distributed(${front.engineArgs})`,
    )
  }
  // And nothing is Distributed without a local table behind it.
  for (const t of tables(cluster).filter((x) => x.engine === 'Distributed')) assert.ok(all.has(`${t.name}_local`), t.name)
})

test('cluster: the facts tables are Null on every node; their materialized views write into _local tables', () => {
  const all = byName(cluster)
  const facts = ['message_facts', 'moderation_facts', 'report_facts'].map((f) => all.get(`${DB}.${f}`))
  for (const f of facts) {
    assert.ok(f, 'facts table missing')
    assert.equal(f.engine, 'Null', `${f.name}: the processor inserts here, one batch per insert, on the node it talks to`)
  }
  const mvs = cluster.filter((c) => c.kind === 'materialized view')
  assert.ok(mvs.length >= 8, `materialized views: ${mvs.map((m) => m.name).join(', ')}`)
  for (const mv of mvs) {
    assert.ok(mv.to?.endsWith('_local'), `${mv.name} writes into ${mv.to}, not a _local table`)
    const target = all.get(mv.to!)
    assert.ok(target && /^Replicated/.test(target.engine ?? ''), `${mv.name}: target ${mv.to} is not a replicated table`)
    // Reading a Distributed table from a view triggered per insert would fan the insert out.
    for (const source of mv.from) {
      assert.equal(all.get(source)?.engine, 'Null', `${mv.name} reads ${source}; materialized views must read the local facts tables`)
    }
  }
})

test('cluster: plain views read through the Distributed tables (every shard)', () => {
  const all = byName(cluster)
  const views = cluster.filter((c) => c.kind === 'view')
  assert.ok(views.length >= 2)
  for (const v of views) {
    for (const source of v.from) {
      const engine = all.get(source)?.engine
      assert.ok(
        engine === 'Distributed' || all.get(source)?.kind === 'view' || source.startsWith('('),
        `${v.name} reads ${source} (${engine}), not a Distributed table`,
      )
    }
  }
})

test('every rendered statement of both modes parses in ClickHouse (EXPLAIN AST)', async (t) => {
  let chdb: typeof ChdbConnection
  try {
    chdb = await import('chdb/connection')
  } catch {
    t.skip('the embedded engine (optional dependency chdb) is not installed')
    return
  }
  const { createClient } = await import('@clickhouse/client')
  const connection = chdb.createChdbConnection({ path: ':memory:' }) as unknown as NonNullable<
    Parameters<typeof createClient>[0]
  >['connection']
  const client = createClient({ connection })
  try {
    for (const sql of [...render(''), ...render(CLUSTER)]) {
      const result = await client.query({ query: `EXPLAIN AST ${sql}`, format: 'TabSeparated' }).catch((error: Error) => {
        throw new Error(`ClickHouse rejects:\n${sql}\n-> ${error.message.split('\n')[0]}`)
      })
      assert.match(await result.text(), /Create/, sql.slice(0, 80))
    }
    for (const sql of [...inserts(''), ...inserts(CLUSTER)]) {
      const result = await client.query({ query: `EXPLAIN AST ${sql}`, format: 'TabSeparated' }).catch((error: Error) => {
        throw new Error(`ClickHouse rejects:\n${sql}\n-> ${error.message.split('\n')[0]}`)
      })
      assert.match(await result.text(), /InsertQuery/, sql.slice(0, 80))
    }
  } finally {
    await client.close()
  }
})

test('cluster: the processor inserts only into Null facts tables or _local tables (never through a Distributed table)', async () => {
  const inserted: string[] = []
  const fake = {
    insert: async ({ table }: { table: string }) => {
      inserted.push(table)
    },
    // the store asks each table's time columns (system.columns) before its first insert
    query: async () => ({ json: async () => [] }),
  }
  const store = new ClickHouseStore(fake as unknown as ClickHouseClient, options(CLUSTER))
  const one = [{ ts: 0 }] as never[]
  const output: BatchOutput = { messages: one, moderation: one, reports: one, deadLetters: one }
  await store.writeBatch({ topic: 'abuse.messages', partition: 0, firstOffset: 0, lastOffset: 9 }, output)
  const all = byName(cluster)
  assert.ok(inserted.length >= 4, `inserted into ${inserted.join(', ')}`)
  for (const table of inserted) {
    const engine = all.get(table)?.engine
    assert.ok(engine === 'Null' || table.endsWith('_local'), `the processor inserts into ${table} (${engine})`)
  }
})
