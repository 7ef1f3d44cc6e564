// The embedded engine killed in the middle of its inserts, again and again: the experiment behind
// src/sinks/clickhouse/orphan-dedup-records.ts (docs/limits.md).
//
//   tsx scripts/engine-kill-stress.ts [ROUNDS] [--without-repair]
//
// A child process opens the engine in a fresh directory and inserts x = 1, 2, ... into a Null table
// that feeds seven views (as message_facts does), each insert under its own token, printing each
// one confirmed. It is SIGKILLed 100 to 500 ms after it starts inserting. Another child then opens
// the directory (the start that repairs, unless --without-repair), replays the insert that may have
// been cut (the next x, same token, as the processor replays a batch left in flight), and counts
// every view's table: each must hold 1 .. x exactly once. The tables keep 10 tokens (a small
// deduplication window rotates the token log often, and each rotation's fsync widens the gap
// between a token's record and its part), so about one kill in twenty lands in that gap.
import { spawn, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { openClickHouse } from '../src/sinks/clickhouse/client.js'

const VIEWS = 7
const WINDOW = 10
const SELF = fileURLToPath(import.meta.url)

interface Opened {
  client: ClickHouseClient
  orphanTokens: number
}

/** The engine at `dir`: as the processor opens it (repairing first), or directly, without the repair. */
async function open(dir: string, repair: boolean): Promise<Opened> {
  if (repair) {
    const target = {
      url: '',
      database: 'stress',
      username: '',
      password: null,
      dataDir: dir,
      requestTimeoutMs: 30_000,
      applicationName: 'stress',
    }
    const { client, orphanTokens } = await openClickHouse(target)
    return { client, orphanTokens: orphanTokens.length }
  }
  const location = path.resolve(dir, 'clickhouse')
  mkdirSync(location, { recursive: true })
  const specifier = 'chdb/connection'
  const chdb = (await import(specifier)) as { createChdbConnection(options: { path: string }): unknown }
  const client = createClient({ connection: chdb.createChdbConnection({ path: location }) as never })
  await client.command({ query: 'CREATE DATABASE IF NOT EXISTS stress' })
  await client.command({ query: 'USE stress' })
  return { client, orphanTokens: 0 }
}

async function createTables(client: ClickHouseClient): Promise<void> {
  await client.command({ query: 'CREATE TABLE IF NOT EXISTS facts (x UInt64) ENGINE = Null' })
  for (let k = 1; k <= VIEWS; k++) {
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS view${k} (x UInt64) ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = ${WINDOW}`,
    })
    await client.command({ query: `CREATE MATERIALIZED VIEW IF NOT EXISTS view${k}_mv TO view${k} AS SELECT x FROM facts` })
  }
}

const insert = (client: ClickHouseClient, x: number) =>
  client.insert({
    table: 'facts',
    values: [{ x }],
    format: 'JSONEachRow',
    clickhouse_settings: {
      insert_deduplication_token: `token-${x}`,
      insert_deduplicate: 1,
      deduplicate_blocks_in_dependent_materialized_views: 1,
    },
  })

/** Child: inserts from `first` on until killed. */
async function insertForever(dir: string, first: number, repair: boolean): Promise<never> {
  const { client } = await open(dir, repair)
  await createTables(client)
  console.log('ready')
  for (let x = first; ; x++) {
    await insert(client, x)
    console.log(x)
  }
}

/** Child: the restart, the replay of `x`, and every view's count. */
async function replayAndCount(dir: string, x: number, repair: boolean): Promise<void> {
  const { client, orphanTokens } = await open(dir, repair)
  await createTables(client)
  await insert(client, x)
  const counts: { rows: number; distinct: number }[] = []
  for (let k = 1; k <= VIEWS; k++) {
    const result = await client.query({ query: `SELECT count() AS rows, uniqExact(x) AS distinct FROM view${k}`, format: 'JSONEachRow' })
    const [row] = await result.json<{ rows: string; distinct: string }>()
    counts.push({ rows: Number(row?.rows), distinct: Number(row?.distinct) })
  }
  console.log(JSON.stringify({ orphanTokens, counts }))
  await client.close()
}

async function main(rounds: number, repair: boolean): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-kill-stress-'))
  const flag = repair ? [] : ['--without-repair']
  let next = 1
  let repaired = 0
  let offBefore = 0
  for (let round = 0; round < rounds; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, 'insert', dir, String(next), ...flag], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let confirmed = next - 1
    let ready = false
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line === 'ready') ready = true
        else confirmed = Number(line)
      }
    })
    while (!ready) await new Promise((resolve) => setTimeout(resolve, 20))
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400))
    child.kill('SIGKILL')
    await new Promise((resolve) => child.on('close', resolve))
    const x = confirmed + 1
    const output = execFileSync(process.execPath, ['--import', 'tsx', SELF, 'replay', dir, String(x), ...flag]).toString()
    const { orphanTokens, counts } = JSON.parse(output.trim().split('\n').at(-1) as string) as {
      orphanTokens: number
      counts: { rows: number; distinct: number }[]
    }
    // Rows the views miss or hold twice now, of 1 .. x each: a loss stays, so only a change is printed.
    const off = counts.reduce((sum, c) => sum + (x - c.distinct) + (c.rows - c.distinct), 0)
    repaired += orphanTokens
    if (orphanTokens > 0 || off !== offBefore)
      console.log(
        `kill ${round + 1}: x = ${x}, tokens without their part dropped ${orphanTokens}, rows per view ${counts.map((c) => c.rows).join(' ')}${off === 0 ? '' : `  (${off} rows missing or doubled)`}`,
      )
    offBefore = off
    next = x + 1
  }
  console.log(
    `${rounds} kills ${repair ? 'with' : 'without'} the repair: ${repaired} tokens without their part dropped; at the end ${offBefore} rows missing or doubled in the ${VIEWS} views of ${next - 1} rows each`,
  )
}

const [command, ...rest] = process.argv.slice(2)
const repair = !process.argv.includes('--without-repair')
if (command === 'insert') await insertForever(rest[0] as string, Number(rest[1]), repair)
else if (command === 'replay') await replayAndCount(rest[0] as string, Number(rest[1]), repair)
else await main(Number(command ?? 100), repair)
