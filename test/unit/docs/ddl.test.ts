/** The DDL reader behind docs/contract/tables.md: the statement forms migrations use, and a loud failure on others. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { foldStatements, type Table } from '../../../scripts/docs/ddl.js'

const at = (migration: number, ...statements: string[]) => statements.map((statement) => ({ statement, migration }))

test('tables, views and materialized views, changed by later ALTER TABLE statements', () => {
  const objects = foldStatements([
    ...at(
      1,
      `CREATE TABLE IF NOT EXISTS abuse.t
(
    a String COMMENT 'first, with a comma, and a \\'quote\\'',
    e Enum8('x' = 1, 'y' = 2),
    d DateTime('UTC') DEFAULT now()
) ENGINE = ReplacingMergeTree(d)
PARTITION BY toYYYYMM(d)
ORDER BY (a, e)
TTL d + INTERVAL 30 DAY
SETTINGS non_replicated_deduplication_window = 10
COMMENT 'the table'`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS abuse.t_mv TO abuse.t AS\nSELECT a, e, d FROM abuse.src`,
      `CREATE VIEW IF NOT EXISTS abuse.v AS\nSELECT a, max(d) AS latest FROM abuse.t GROUP BY a`,
    ),
    ...at(
      2,
      `ALTER TABLE abuse.t COMMENT COLUMN a 'renamed comment', ADD COLUMN IF NOT EXISTS b UInt8 COMMENT 'added' AFTER a, DROP COLUMN e`,
      `ALTER TABLE abuse.t MODIFY COMMENT 'the table, now', MODIFY TTL d + INTERVAL 60 DAY`,
    ),
  ])
  const t = objects.find((o) => o.name === 't') as Table
  assert.equal(t.comment, 'the table, now')
  assert.deepEqual(
    t.columns.map((c) => [c.name, c.type, c.comment, c.default]),
    [
      ['a', 'String', 'renamed comment', ''],
      ['b', 'UInt8', 'added', ''],
      ['d', "DateTime('UTC')", '', 'now()'],
    ],
  )
  assert.deepEqual([t.engine, t.partitionBy, t.orderBy, t.ttl], ['ReplacingMergeTree(d)', 'toYYYYMM(d)', '(a, e)', 'd + INTERVAL 60 DAY'])
  assert.deepEqual(
    objects.find((o) => o.name === 't_mv'),
    { kind: 'mv', name: 't_mv', to: 't', from: ['src'], migration: 1 },
  )
  const v = objects.find((o) => o.name === 'v')
  assert.deepEqual(v?.kind === 'view' && v.columns, [
    { name: 'a', expression: 'a' },
    { name: 'latest', expression: 'max(d)' },
  ])
})

test('a statement form the reader does not know fails instead of vanishing from the page', () => {
  assert.throws(() => foldStatements(at(1, 'RENAME TABLE abuse.a TO abuse.b')), /does not understand/)
  assert.throws(() => foldStatements(at(1, "ALTER TABLE abuse.nope MODIFY COMMENT 'x'")), /unknown table/)
})

test('MODIFY SETTING a = 1, b = 2 adds both settings; a bare `name = value` anywhere else is not a setting and fails', () => {
  const table = `CREATE TABLE IF NOT EXISTS abuse.s
(
    a String
) ENGINE = MergeTree
ORDER BY a
SETTINGS index_granularity = 1024`
  const [s] = foldStatements([
    ...at(1, table),
    ...at(2, 'ALTER TABLE abuse.s MODIFY SETTING max_compress_block_size = 262144, min_compress_block_size = 65536'),
  ])
  assert.equal((s as Table).settings, 'index_granularity = 1024, max_compress_block_size = 262144, min_compress_block_size = 65536')
  assert.throws(
    () => foldStatements([...at(1, table), ...at(2, "ALTER TABLE abuse.s MODIFY COMMENT 'x', index_granularity = 8192")]),
    /does not understand this ALTER TABLE action; teach it: index_granularity = 8192/,
  )
})
