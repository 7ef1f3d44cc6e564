import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodeTabSeparated, isoTime } from '../../../../src/sinks/clickhouse/tab-separated.js'

const NONE: ReadonlySet<string> = new Set()

test('fields are escaped as TabSeparated requires, arrays and maps as Values literals', () => {
  const { columns, body } = encodeTabSeparated(
    [
      {
        s: 'a\tb\nc\rd\\e\0f\'g"',
        n: 1.5,
        big: 12345678901234567890n,
        b: true,
        nil: null,
        arr: ["it's", 'x\ty', 3, null],
        map: { "k'": 2 },
      },
      { s: '', n: Number.NaN, big: 0n, b: false, nil: 'v', arr: [], map: {} },
    ],
    NONE,
  )
  assert.deepEqual(columns, ['s', 'n', 'big', 'b', 'nil', 'arr', 'map'])
  assert.equal(
    body,
    "a\\tb\\nc\\rd\\\\e\\0f'g\"\t1.5\t12345678901234567890\t1\t\\N\t['it\\'s','x\\ty',3,NULL]\t{'k\\'':2}\n" + '\tnan\t0\t0\tv\t[]\t{}\n',
  )
})

test('numbers in time columns are epoch milliseconds written as ISO 8601 times; strings there pass as they are', () => {
  const times = new Set(['ts', 'seen'])
  const { body } = encodeTabSeparated(
    [
      { ts: 0, seen: 1764000000123, n: 0 },
      { ts: '2026-11-28 12:00:00', seen: null, n: 5 },
    ],
    times,
  )
  assert.equal(body, '1970-01-01 00:00:00.000\t2025-11-24 16:00:00.123\t0\n2026-11-28 12:00:00\t\\N\t5\n')
  assert.throws(() => encodeTabSeparated([{ ts: Number.NaN }], times), /column ts holds the time NaN/)
})

test('non-finite numbers take ClickHouse spellings', () => {
  assert.equal(encodeTabSeparated([{ a: Infinity, b: -Infinity }], NONE).body, 'inf\t-inf\n')
})

test('a row missing a column of the first row is refused, not defaulted', () => {
  assert.throws(() => encodeTabSeparated([{ a: 1, b: 2 }, { a: 1 }], NONE), /row without column b/)
})

test('values with no TabSeparated form are refused', () => {
  assert.throws(() => encodeTabSeparated([{ a: { nested: [1] } }], NONE), /nested array/)
  assert.throws(() => encodeTabSeparated([{ a: () => 1 }], NONE), /holds a function/)
  assert.throws(() => encodeTabSeparated([], NONE), /no rows/)
})

test('isoTime is the UTC calendar time of Date, without a Date', () => {
  const expected = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
  const edges = [
    0,
    1,
    999,
    86_399_999,
    Date.UTC(2000, 1, 29, 23, 59, 59, 999),
    Date.UTC(2100, 2, 1),
    Date.UTC(2299, 11, 31, 23, 59, 59, 999),
  ]
  for (const ms of edges) assert.equal(isoTime(ms), expected(ms))
  let seed = 12345
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    const ms = Math.floor((seed / 2_147_483_648) * Date.UTC(2300, 0, 1))
    assert.equal(isoTime(ms), expected(ms))
  }
})
