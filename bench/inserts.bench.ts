/**
 * Micro-benchmark of what an insert costs the store: `npm run bench:inserts`
 * (or `npx tsx bench/inserts.bench.ts [--messages N] [--sizes A,B,...] [--from-sources]`). It measures
 * the compiled build (./compile.ts), as the image runs it.
 *
 * The generator's stream (seed 1, as `npm run bench`) is analysed once, untimed, into the rows the
 * processor would write; then, for each batch size, the real ClickHouseStore writes them into a
 * fresh database of one embedded engine, cut per topic into batches of that many records (the
 * message topic's batches at the size, the quiet topics' (moderation, reports) at a tenth of it, as
 * partitions that receive a tenth of the traffic fill in the same flush interval). Reported per
 * message: the CPU time of the process (every thread: the TabSeparated encoding on the main thread,
 * the engine's insert, its views and the merges that follow within the settle time), minus the
 * process's idle CPU over the same time.
 *
 * Why: every insert writes a part into the facts table and into each view's table under it, and
 * that costs the engine a few milliseconds whatever the part holds; how many records a batch holds
 * decides how often it is paid (docs/operations.md, "Batches"). Prints a table and one JSON line.
 * No assertion: this only measures.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { loadAnalysisInputs, schemaOptions } from '../src/cli/runtime.js'
import { loadConfig } from '../src/config/load.js'
import type { Config } from '../src/config/schema.js'
import { decodeRecord } from '../src/decode/decode.js'
import type { BatchOutput } from '../src/domain/facts.js'
import { NOOP_ANALYSIS_OBSERVER } from '../src/domain/observers.js'
import { messageFact, moderationFact, reportFact } from '../src/facts/build.js'
import { generateRecords } from '../src/generator/index.js'
import { createAnalyzer } from '../src/pipeline/analysis.js'
import { eventKey } from '../src/pipeline/recent-keys.js'
import { createPseudonymizer } from '../src/privacy/pseudonymize.js'
import { openClickHouse } from '../src/sinks/clickhouse/client.js'
import { ClickHouseStore } from '../src/sinks/clickhouse/store.js'
import { buildOf, ranCompiled } from './compile.js'

if (ranCompiled(import.meta.url)) process.exit()

const args = process.argv.slice(2)
function option(name: string, fallback: string): string {
  const at = args.indexOf(name)
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback
}
const MESSAGES = Number(option('--messages', '20000'))
const SIZES = option('--sizes', '100,250,500,1000,2000,5000').split(',').map(Number)
/** Time after the last insert for the merges it started, counted with it. */
const SETTLE_MS = 5000
const QUIET_TOPIC_SHARE = 10

interface Row {
  topic: string
  offset: number
  kind: keyof BatchOutput
  row: BatchOutput[keyof BatchOutput][number]
}

/** The rows the processor would write for the stream, in stream order, with their topic offsets. */
function analysedRows(config: Config): { rows: Row[]; messages: number } {
  const analysis = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER, { shareEntries: false })
  const pseudonymize = createPseudonymizer('bench-pseudonym-key-0123456789abcdef')
  const nowMs = Date.now()
  const window = { nowMs, maxFutureSkewMs: 3_600_000, maxAgeMs: config.settings.privacy.aggregate_ttl_days * 86_400_000 }
  const offsets = new Map<string, number>()
  const rows: Row[] = []
  let messages = 0
  for (const record of generateRecords({ seed: 1, messages: MESSAGES, startMs: nowMs - (MESSAGES / 50) * 1000 })) {
    const offset = offsets.get(record.topic) ?? 0
    offsets.set(record.topic, offset + 1)
    const decoded = decodeRecord(record.value, config.settings.pipeline.max_record_bytes, window)
    if (!decoded.ok) continue
    const position = { topic: record.topic, partition: 0, offset }
    const key = eventKey(decoded.value.event.event_id)
    const { value } = decoded
    if (value.kind === 'message') {
      messages++
      const sender = pseudonymize(value.event.sender.id)
      const fact = messageFact(value.event, value.tsMs, position, key, sender, analysis.analyze(value, sender), pseudonymize)
      rows.push({ topic: record.topic, offset, kind: 'messages', row: fact })
    } else if (value.kind === 'moderation') {
      rows.push({
        topic: record.topic,
        offset,
        kind: 'moderation',
        row: moderationFact(value.event, value.tsMs, position, key, pseudonymize),
      })
    } else {
      rows.push({ topic: record.topic, offset, kind: 'reports', row: reportFact(value.event, value.tsMs, position, key, pseudonymize) })
    }
  }
  return { rows, messages }
}

interface Batch {
  topic: string
  firstOffset: number
  lastOffset: number
  output: BatchOutput
}

/** The rows cut per topic into batches: `size` records on the message topic, a tenth of it on the others. */
function batchesOf(rows: readonly Row[], size: number): Batch[] {
  const batches: Batch[] = []
  const open = new Map<string, Batch>()
  for (const { topic, offset, kind, row } of rows) {
    let batch = open.get(topic)
    if (!batch) {
      batch = { topic, firstOffset: offset, lastOffset: offset, output: { messages: [], moderation: [], reports: [], deadLetters: [] } }
      open.set(topic, batch)
    }
    ;(batch.output[kind] as unknown[]).push(row)
    batch.lastOffset = offset
    const limit = kind === 'messages' ? size : Math.max(1, Math.round(size / QUIET_TOPIC_SHARE))
    if (batch.lastOffset - batch.firstOffset + 1 >= limit) {
      batches.push(batch)
      open.delete(topic)
    }
  }
  return [...batches, ...open.values()]
}

const cpuMs = (since?: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'abuse-radar-bench-inserts-'))
try {
  const config = loadConfig({ env: {} })
  const { rows, messages } = analysedRows(config)
  const results: { size: number; inserts: number; usPerMessage: number }[] = []
  // One engine for every size (the embedded engine is one per process), a database each.
  const { client } = await openClickHouse({
    url: '',
    database: null,
    username: 'default',
    password: null,
    dataDir,
    requestTimeoutMs: 300_000,
    applicationName: 'bench-inserts',
  })
  try {
    for (const size of SIZES) {
      const sized = loadConfig({ env: {}, overrides: { 'clickhouse.database': `bench_inserts_${size}` } })
      const store = new ClickHouseStore(client, schemaOptions(sized))
      await store.migrate()
      const batches = batchesOf(rows, size)
      await sleep(SETTLE_MS) // the previous size's merges end before this one is measured
      const idleStart = process.cpuUsage()
      await sleep(SETTLE_MS)
      const idleMs = cpuMs(idleStart)
      const started = process.cpuUsage()
      const wallStart = performance.now()
      for (const b of batches) {
        await store.writeBatch({ topic: b.topic, partition: 0, firstOffset: b.firstOffset, lastOffset: b.lastOffset }, b.output)
      }
      await sleep(SETTLE_MS)
      const idleDuringMs = (idleMs * (performance.now() - wallStart)) / SETTLE_MS
      const inserts = batches.reduce((n, b) => n + Object.values(b.output).filter((list) => list.length > 0).length, 0)
      results.push({ size, inserts, usPerMessage: ((cpuMs(started) - idleDuringMs) * 1000) / messages })
    }
  } finally {
    await client.close()
  }
  const largest = results[results.length - 1]!
  console.log(
    `build measured: ${buildOf(import.meta.url)}; ${messages.toLocaleString('en')} messages, ${rows.length.toLocaleString('en')} records`,
  )
  console.log('records per batch (messages / quiet topics)   inserts   CPU µs per message (encoding, engine, merges)   against the largest')
  for (const r of results) {
    const label = `${r.size} / ${Math.max(1, Math.round(r.size / QUIET_TOPIC_SHARE))}`
    console.log(
      `${label.padStart(43)}   ${String(r.inserts).padStart(7)}   ${r.usPerMessage.toFixed(1).padStart(46)}   ${(r.usPerMessage / largest.usPerMessage).toFixed(2).padStart(19)}`,
    )
  }
  console.log(JSON.stringify({ bench: 'inserts', build: buildOf(import.meta.url), messages, records: rows.length, results }))
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
