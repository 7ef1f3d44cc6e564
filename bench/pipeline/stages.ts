// Phase 4, stages: where the processor's time goes per message, without Kafka and without a profiler.
// Run as its own process (./child-job.ts) so that it has the embedded engine to itself. The real
// stage functions of src/ run over the benchmark's generated stream (seed 1) in the order the
// processor calls them (src/pipeline/record-facts.ts; the real MessageAnalysis.analyze reports the
// end of each of its stages through its stageEnded option), each call's wall time going to its stage
// (./stage-clock.ts). Records are cut into batches of pipeline.flush_max_records and written by the
// real ClickHouseStore into a migrated embedded engine, whose connection is wrapped to time its
// inserts: `store` is the time inside the engine's insert calls, `encode` the main thread's busy time
// while writing (the TabSeparated encoding of every row, and what the client and the engine's binding
// do on the main thread). A second pass times analyze() whole, without the stage clock, over the same
// records, to show what the clock itself costs.
import { createClient } from '@clickhouse/client'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { loadAnalysisInputs, schemaOptions } from '../../src/cli/runtime.js'
import { loadConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import { decodeRecord, type EventTimeWindow } from '../../src/decode/decode.js'
import type { BatchOutput } from '../../src/domain/facts.js'
import { NOOP_ANALYSIS_OBSERVER } from '../../src/domain/observers.js'
import { deadLetterRow, messageFact, moderationFact, reportFact } from '../../src/facts/build.js'
import { generateRecords } from '../../src/generator/index.js'
import { createAnalyzer } from '../../src/pipeline/analysis.js'
import { eventKey, PositionCodec, RecentKeys } from '../../src/pipeline/recent-keys.js'
import { createPseudonymizer } from '../../src/privacy/pseudonymize.js'
import { ClickHouseStore } from '../../src/sinks/clickhouse/store.js'
import { buildOf } from '../compile.js'
import { jobOf, reportAndExit } from './child-job.js'
import { STAGES, StageClock, type Stage } from './stage-clock.js'
import { partitionOf } from './stream.js'

export interface StagesJob {
  messages: number
  /** A fresh directory for the embedded engine. */
  dataDir: string
}

export interface StagesResult {
  /** What was measured: the compiled build (as the processor runs) or the sources through tsx. */
  build: 'compiled' | 'sources'
  messages: number
  records: number
  batches: number
  /** Wall time per record in each stage, µs. */
  usPerRecord: Record<Stage, number>
  /** CPU time of the engine's inserts per record (every thread of the process), µs. */
  storeCpuUsPerRecord: number
  /** The real MessageAnalysis.analyze per record, µs (against the sum of the analysis stages). */
  analyzeUsPerRecord: number
  /** The whole first pass: wall and CPU seconds (process.cpuUsage, every thread). */
  seconds: number
  cpuSeconds: number
}

type Connection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>

/** Records analysed once, untimed, before the measured passes. */
const WARM_UP_RECORDS = 10_000
const PSEUDONYM_KEY = 'bench-pseudonym-key-0123456789abcdef'

/** A SourceRecord of the generated stream, at the position the bench's producer would give it. */
interface StreamRecord {
  topic: string
  partition: number
  offset: number
  value: Buffer
}

async function text(stream: Readable): Promise<string> {
  let body = ''
  for await (const chunk of stream) body += String(chunk)
  return body
}

/** Wall and CPU time spent inside the engine's insert calls. */
class EngineInserts {
  wallMs = 0
  cpuUs = 0

  reset(): void {
    this.wallMs = 0
    this.cpuUs = 0
  }

  /** The connection, with its insert calls timed (every other call passes through). */
  wrap(connection: Connection): Connection {
    return new Proxy(connection, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target)
        if (typeof value !== 'function') return value
        if (property !== 'insert') return value.bind(target)
        return async (params: { values: unknown }) => {
          // The store streams its TabSeparated body, encoded as the engine reads it: drained here
          // first, so that the encoding stays in `encode` and only the engine's work is `store`.
          const values =
            params.values instanceof Readable ? Readable.from([await text(params.values)], { objectMode: false }) : params.values
          const wallStart = performance.now()
          const cpuStart = process.cpuUsage()
          try {
            return await value.call(target, { ...params, values })
          } finally {
            const cpu = process.cpuUsage(cpuStart)
            this.cpuUs += cpu.user + cpu.system
            this.wallMs += performance.now() - wallStart
          }
        }
      },
    })
  }
}

/** A migrated ClickHouseStore on the embedded engine in `dataDir`, as openClickHouse builds it, with timed inserts. */
async function openTimedStore(config: Config, dataDir: string, inserts: EngineInserts): Promise<ClickHouseStore> {
  const location = path.join(dataDir, 'clickhouse')
  mkdirSync(location, { recursive: true })
  // A variable specifier, as in src/sinks/clickhouse/client.ts: chdb is an optional dependency.
  const specifier = 'chdb/connection'
  const chdb = (await import(specifier)) as { createChdbConnection(options: { path: string }): Connection }
  const connection = inserts.wrap(chdb.createChdbConnection({ path: location }))
  const client = createClient({ connection, clickhouse_settings: { date_time_input_format: 'best_effort' } })
  const { database } = config.settings.clickhouse
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` })
  await client.command({ query: `USE ${database}` })
  const store = new ClickHouseStore(client, schemaOptions(config))
  await store.migrate()
  return store
}

/** The stream the pipeline phase consumed (seed 1, event time ending now), with Kafka-like positions. */
function generateStream(messages: number): StreamRecord[] {
  const startMs = Date.now() - Math.ceil((messages / 50) * 1000)
  const offsets = new Map<string, number>()
  const records: StreamRecord[] = []
  let unkeyed = 0
  for (const record of generateRecords({ seed: 1, messages, startMs })) {
    const partition = partitionOf(record.key, unkeyed++)
    const id = `${record.topic}\u0000${partition}`
    const offset = offsets.get(id) ?? 0
    offsets.set(id, offset + 1)
    records.push({ topic: record.topic, partition, offset, value: record.value })
  }
  return records
}

async function measureStages({ messages, dataDir }: StagesJob): Promise<StagesResult> {
  const config = loadConfig({ env: {} })
  const inserts = new EngineInserts()
  const store = await openTimedStore(config, dataDir, inserts)
  const records = generateStream(messages)
  const window: EventTimeWindow = {
    nowMs: Date.now(),
    maxFutureSkewMs: config.settings.pipeline.max_future_skew_seconds * 1000,
    maxAgeMs: config.settings.privacy.aggregate_ttl_days * 86_400_000,
  }
  // Compiled code in both passes, as in a processor that has been running: without this the first
  // pass would carry the JIT's warm-up and the second not.
  timeRealAnalysis(config, records.slice(0, WARM_UP_RECORDS), window)
  // The store's first insert into each table reads the table's time columns (one query each, tens
  // of ms in all), which the measured pass would count as `encode`: a first pass over the warm-up
  // records, under other tokens (another topic), makes those reads before it.
  await timeStages(config, store, inserts, records.slice(0, WARM_UP_RECORDS), window, 'bench-stages-warm-up')
  inserts.reset()
  const wallStart = performance.now()
  const cpuStart = process.cpuUsage()
  const { totals, batches } = await timeStages(config, store, inserts, records, window, 'bench-stages')
  const seconds = (performance.now() - wallStart) / 1000
  const cpu = process.cpuUsage(cpuStart)
  // After the stages' pass, whose state (index, similarity, trackers) is garbage by now.
  const analyzeMs = timeRealAnalysis(config, records, window)
  const perRecord = (ms: number) => Math.round((ms * 1000 * 100) / records.length) / 100
  return {
    build: buildOf(import.meta.url),
    messages,
    records: records.length,
    batches,
    usPerRecord: Object.fromEntries(STAGES.map((stage) => [stage, perRecord(totals[stage])])) as Record<Stage, number>,
    storeCpuUsPerRecord: perRecord(inserts.cpuUs / 1000),
    analyzeUsPerRecord: perRecord(analyzeMs),
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }
}

/** The processor's work on every record, stage by stage (processRecord's order), batches written as the processor writes them. */
async function timeStages(
  config: Config,
  store: ClickHouseStore,
  inserts: EngineInserts,
  records: StreamRecord[],
  window: EventTimeWindow,
  topic: string,
): Promise<{ totals: Record<Stage, number>; batches: number }> {
  const { pipeline } = config.settings
  const clock = new StageClock()
  const analysis = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER, {
    shareEntries: false,
    stageEnded: (stage) => clock.lap(stage),
  })
  const seen = new RecentKeys(pipeline.dedup_horizon_hours * 3_600_000)
  const positions = new PositionCodec()
  const pseudonymize = createPseudonymizer(PSEUDONYM_KEY)
  const receivedAt = window.nowMs
  let output: BatchOutput = { messages: [], moderation: [], reports: [], deadLetters: [] }
  let batchFirst = 0
  let batches = 0
  const write = async (lastOffset: number) => {
    const similarityRows = analysis.drainSimilarity()
    clock.lap('similarity')
    const engineMs = inserts.wallMs
    // `encode` is the main thread's busy time during the write (event-loop utilization), not the wall
    // time outside the engine's calls, which also held the waits between the encoded pieces.
    const utilization = performance.eventLoopUtilization()
    await store.writeBatch({ topic, partition: 0, firstOffset: batchFirst, lastOffset }, output)
    await store.writeSimilarity(similarityRows)
    clock.add('encode', performance.eventLoopUtilization(utilization).active)
    clock.add('store', inserts.wallMs - engineMs)
    output = { messages: [], moderation: [], reports: [], deadLetters: [] }
    batchFirst = lastOffset + 1
    batches++
  }
  for (const [i, record] of records.entries()) {
    clock.restart()
    const position = { topic: record.topic, partition: record.partition, offset: record.offset }
    const decoded = decodeRecord(record.value, pipeline.max_record_bytes, window)
    clock.lap('decode')
    if (!decoded.ok) {
      output.deadLetters.push(deadLetterRow(position, record.value, decoded.error, receivedAt, pipeline.dead_letter_prefix_bytes))
      clock.lap('rows')
    } else {
      const { value } = decoded
      const key = eventKey(value.event.event_id)
      const fresh = seen.add(key, positions.encode(record.topic, record.partition, record.offset), receivedAt)
      clock.lap('dedup')
      if (fresh && value.kind === 'message') {
        const sender = pseudonymize(value.event.sender.id)
        clock.lap('rows')
        const verdict = analysis.analyze(value, sender)
        output.messages.push(messageFact(value.event, value.tsMs, position, key, sender, verdict, pseudonymize))
        clock.lap('rows')
      } else if (fresh && value.kind === 'moderation') {
        output.moderation.push(moderationFact(value.event, value.tsMs, position, key, pseudonymize))
        clock.lap('rows')
      } else if (fresh && value.kind === 'report') {
        output.reports.push(reportFact(value.event, value.tsMs, position, key, pseudonymize))
        clock.lap('rows')
      }
    }
    if (i + 1 - batchFirst >= pipeline.flush_max_records) await write(i)
  }
  if (batchFirst < records.length) await write(records.length - 1)
  return { totals: clock.totals(), batches }
}

/** Milliseconds spent in the real MessageAnalysis.analyze over the stream's messages (decoded and deduplicated untimed). */
function timeRealAnalysis(config: Config, records: StreamRecord[], window: EventTimeWindow): number {
  const analyzer = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER)
  const seen = new RecentKeys(config.settings.pipeline.dedup_horizon_hours * 3_600_000)
  const positions = new PositionCodec()
  const pseudonymize = createPseudonymizer(PSEUDONYM_KEY)
  let ms = 0
  for (const record of records) {
    const decoded = decodeRecord(record.value, config.settings.pipeline.max_record_bytes, window)
    if (!decoded.ok || decoded.value.kind !== 'message') continue
    const position = positions.encode(record.topic, record.partition, record.offset)
    if (!seen.add(eventKey(decoded.value.event.event_id), position, window.nowMs)) continue
    const sender = pseudonymize(decoded.value.event.sender.id)
    const started = performance.now()
    analyzer.analyze(decoded.value, sender)
    ms += performance.now() - started
  }
  return ms
}

reportAndExit(await measureStages(jobOf<StagesJob>()))
