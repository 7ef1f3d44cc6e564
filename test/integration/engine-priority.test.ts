/**
 * The embedded engine's threads run at a lower priority than Node's (src/sinks/clickhouse/engine-priority.ts):
 * after inserts through views and the merges they start, every thread of this process that is not
 * Node's has nice ENGINE_THREAD_NICE, and Node's threads (the event loop among them) keep 0.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { openClickHouse } from '../../src/sinks/clickhouse/client.js'
import { ENGINE_THREAD_NICE } from '../../src/sinks/clickhouse/engine-priority.js'
import { tempDir } from '../support/harness.js'

interface ThreadNice {
  name: string
  nice: number
}

function threads(): ThreadNice[] {
  const found: ThreadNice[] = []
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      // fields after the command name, which is in parentheses and may hold spaces: state is field 3, nice field 19
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      found.push({ name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: Number(fields[16]) })
    } catch {
      // the thread ended meanwhile
    }
  }
  return found
}

test('the embedded engine runs its threads below the event loop', { skip: process.platform !== 'linux' }, async () => {
  const { client } = await openClickHouse({
    url: '',
    database: 'priority',
    username: 'default',
    password: null,
    dataDir: tempDir('engine-priority'),
    requestTimeoutMs: 60_000,
    applicationName: 'test',
  })
  try {
    await client.command({ query: 'CREATE TABLE facts (minute DateTime, n UInt64) ENGINE = MergeTree ORDER BY minute' })
    await client.command({ query: 'CREATE TABLE totals (minute DateTime, n UInt64) ENGINE = SummingMergeTree ORDER BY minute' })
    await client.command({ query: 'CREATE MATERIALIZED VIEW totals_mv TO totals AS SELECT minute, sum(n) AS n FROM facts GROUP BY minute' })
    for (let i = 0; i < 20; i++) {
      await client.insert({ table: 'facts', values: [{ minute: 1_764_331_200 + i * 60, n: i }], format: 'JSONEachRow' })
    }
    const deadline = Date.now() + 30_000
    let seen = threads()
    const engineThreads = () => seen.filter((t) => t.name !== 'node')
    while (engineThreads().some((t) => t.nice !== ENGINE_THREAD_NICE) && Date.now() < deadline) {
      await sleep(200)
      seen = threads()
    }
    assert.ok(engineThreads().length > 0, 'the engine has threads of its own')
    assert.deepEqual(
      engineThreads().filter((t) => t.nice !== ENGINE_THREAD_NICE),
      [],
      `every engine thread at nice ${ENGINE_THREAD_NICE}`,
    )
    assert.deepEqual(
      seen.filter((t) => t.name === 'node' && t.nice !== 0),
      [],
      "Node's threads keep the default priority",
    )
    const total = await (await client.query({ query: 'SELECT sum(n) AS n FROM totals', format: 'JSONEachRow' })).json<{ n: string }>()
    assert.equal(Number(total[0]?.n), 190, 'the engine works as before')
  } finally {
    await client.close()
  }
})
