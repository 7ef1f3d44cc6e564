/**
 * `npm run bench`: the pipeline against a real Kafka broker and the embedded ClickHouse, next to the
 * ceiling of the Kafka client itself. See bench/README.md for what is measured and how.
 *
 *   tsx bench/pipeline.bench.ts [--messages N] [--latency-seconds S] [--brokers HOST:PORT] [--profile[=latency]] [--heap]
 *                               [--set ABUSE_RADAR__SECTION__KEY=VALUE ...]
 *
 * Phases, all in one run:
 *   0. start a broker (or use --brokers), create 3 topics x 6 partitions, produce a generated stream
 *      of N message.v1 records (default 1,000,000) plus its moderation, report, duplicate and malformed
 *      records, keyed by chat id;
 *   1. C0: a child process with a bare kafkajs consumer (same consumer settings as the processor),
 *      eachBatch doing nothing but counting, from first batch to last record;
 *   2. the processor as a child process (`node bin/abuse-radar.js run`, embedded engine in a temp
 *      dir) on the same topics, from its first consumed record to the last record written and
 *      committed; RSS from /proc, event-loop delay from a preloaded monitorEventLoopDelay probe,
 *      ClickHouse inserts from the processor's own /metrics;
 *   3. latency: the same processor, a live stream produced at half the rate of phase 2; each record's
 *      production time against the moment the group's committed offset passes it (the processor
 *      commits only after ClickHouse confirmed the insert, so from then on its minute is queryable);
 *   4. a correctness guard (the counts in ClickHouse equal what was produced), then results.
 *
 * `--profile` runs phases 0 and 2 only, with the inspector's CPU profiler on during phase 2, and
 * writes bench/results/profile-latest.json (top self-time functions) and the raw profile
 * (profile-latest.cpuprofile.json); `--profile=latency` profiles phase 3 instead. `--set` passes
 * configuration overrides to the processor (experiments; recorded in the results).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFileSync } from 'node:child_process'
import { Kafka, logLevel, CompressionTypes, type Admin, type Producer } from 'kafkajs'
import { loadConfig } from '../src/config/load.js'
import { generateRecords, type GeneratedRecord } from '../src/generator/index.js'
import { KafkaWriter } from '../src/sources/kafka/producer.js'
import { createTopics, freePort, kafkaVersion, startBroker, type KafkaBroker } from '../test/support/kafka-broker.js'
import { query, tempDir, REPO_ROOT } from '../test/support/harness.js'

const BENCH_FILE = fileURLToPath(import.meta.url)
const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results')
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const PARTITIONS = 6
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const now = () => performance.now()

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  messages: number
  latencySeconds: number
  brokers: string[] | null
  /** CPU-profile the max-rate phase ('pipeline', which then ends the run) or the latency phase. */
  profile: 'pipeline' | 'latency' | null
  /** Sample the heap by allocation site and report it at the end of the max-rate phase. */
  heap: boolean
  /** Extra environment for the processor (`--set ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS=5000`), for experiments. */
  processorEnv: Record<string, string>
}

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    if (i >= 0) return argv[i + 1]
    const eq = argv.find((a) => a.startsWith(`${name}=`))
    return eq?.slice(name.length + 1)
  }
  const int = (name: string, env: string | undefined, fallback: number) => {
    const raw = value(name) ?? env
    if (raw === undefined) return fallback
    const n = Number(raw.replace(/_/g, ''))
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got ${raw}`)
    return n
  }
  if (argv.includes('--help')) {
    process.stdout.write('usage: tsx bench/pipeline.bench.ts [--messages N] [--latency-seconds S] [--brokers HOST:PORT] [--profile[=latency]] [--heap] [--set KEY=VALUE ...]\n')
    process.exit(0)
  }
  const processorEnv: Record<string, string> = {}
  argv.forEach((a, i) => {
    if (a !== '--set') return
    const kv = argv[i + 1] ?? ''
    const eq = kv.indexOf('=')
    if (eq <= 0) throw new Error(`--set: expected KEY=VALUE, got ${kv}`)
    processorEnv[kv.slice(0, eq)] = kv.slice(eq + 1)
  })
  const brokers = value('--brokers') ?? process.env.BENCH_BROKERS
  return {
    messages: int('--messages', process.env.BENCH_MESSAGES, 1_000_000),
    latencySeconds: int('--latency-seconds', process.env.BENCH_LATENCY_SECONDS, 60),
    brokers: brokers ? brokers.split(',') : null,
    profile: argv.includes('--profile') || argv.includes('--profile=pipeline') ? 'pipeline' : argv.includes('--profile=latency') ? 'latency' : null,
    heap: argv.includes('--heap'),
    processorEnv,
  }
}

// ---------------------------------------------------------------------------------------------
// Small statistics helpers

function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null)

// ---------------------------------------------------------------------------------------------
// Prometheus text parsing (the processor's /metrics)

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

async function scrape(port: number): Promise<Sample[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) })
  }
  return samples
}

const sum = (samples: Sample[], name: string, filter: (l: Record<string, string>) => boolean = () => true) =>
  samples.filter((s) => s.name === name && filter(s.labels)).reduce((acc, s) => acc + s.value, 0)

/** Cumulative bucket counts of a histogram, summed over label sets: le → count. */
function buckets(samples: Sample[], name: string): Map<number, number> {
  const out = new Map<number, number>()
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue
    const le = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le)
    out.set(le, (out.get(le) ?? 0) + s.value)
  }
  return out
}

/** histogram_quantile over the difference of two scrapes (linear interpolation inside a bucket). */
function histogramQuantile(q: number, before: Map<number, number>, after: Map<number, number>): number {
  const les = [...after.keys()].sort((a, b) => a - b)
  const counts = les.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0))
  const total = counts.at(-1) ?? 0
  if (total <= 0) return Number.NaN
  const rank = q * total
  let prevLe = 0
  let prevCount = 0
  for (let i = 0; i < les.length; i++) {
    const le = les[i] as number
    const c = counts[i] as number
    if (c >= rank) {
      if (!Number.isFinite(le)) return prevLe
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, c - prevCount)
    }
    prevLe = le
    prevCount = c
  }
  return prevLe
}

// ---------------------------------------------------------------------------------------------
// The event-loop / profiler probe, preloaded into the processor with --import (a data: URL module).
// Every SIGUSR2 writes the event-loop delay histogram since the previous one to BENCH_PROBE_FILE and
// resets it; with BENCH_PROFILE_FILE set, SIGUSR2 number BENCH_PROFILE_FROM (default 1) also starts
// the CPU profiler and the next one stops it and writes the profile. With BENCH_HEAP_FILE set, the
// sampling heap profiler runs from the start and SIGUSR2 number 2 writes what it holds (objects not
// yet collected, by allocation site) at the end of the max-rate phase.

const PROBE_SOURCE = `
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
const h = monitorEventLoopDelay({ resolution: 10 })
h.enable()
let heapSession = null
if (process.env.BENCH_HEAP_FILE) {
  heapSession = new Session()
  heapSession.connect()
  heapSession.post('HeapProfiler.startSampling', { samplingInterval: 131072 })
}
let seq = 0
let profiling = 0
let session = null
const ms = (ns) => ns / 1e6
process.on('SIGUSR2', () => {
  const stats = { seq: ++seq, p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), count: h.count }
  h.reset()
  const profileFile = process.env.BENCH_PROFILE_FILE
  const from = Number(process.env.BENCH_PROFILE_FROM || 1)
  if (profileFile && profiling === 0 && seq >= from) {
    profiling = 1
    session = new Session()
    session.connect()
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')))
  } else if (profileFile && profiling === 1) {
    profiling = 2
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(profileFile, JSON.stringify(result.profile))
      session.disconnect()
    })
  }
  if (heapSession && seq === 2) {
    heapSession.post('HeapProfiler.getSamplingProfile', (error, result) => {
      if (!error) writeFileSync(process.env.BENCH_HEAP_FILE, JSON.stringify(result.profile))
    })
  }
  writeFileSync(process.env.BENCH_PROBE_FILE, JSON.stringify(stats))
})
`
const PROBE_URL = `data:text/javascript,${encodeURIComponent(PROBE_SOURCE)}`

interface LoopStats {
  seq: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  count: number
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Child {
  child: ChildProcess
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function spawnChild(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-20_000)
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return { child, stderr: () => err, exited }
}

function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 }
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 0: produce

interface Topics {
  messages: string
  moderation: string
  reports: string
}

interface Produced {
  records: number
  bytes: number
  messageEvents: number
  byKind: Record<string, number>
  seconds: number
}

async function produceBulk(brokers: string[], topics: Topics, messages: number): Promise<Produced> {
  const writer = new KafkaWriter({ brokers, clientId: 'bench-producer', partitions: PARTITIONS })
  await writer.connect(Object.values(topics))
  const started = now()
  // Event time: 50 messages per second (the generator's default rate), ending now.
  const startMs = Date.now() - Math.ceil((messages / 50) * 1000)
  const byKind: Record<string, number> = {}
  let records = 0
  let bytes = 0
  const inFlight = new Set<Promise<void>>()
  let batch: GeneratedRecord[] = []
  const flush = async () => {
    const send = writer.send(batch)
    batch = []
    const tracked = send.finally(() => inFlight.delete(tracked))
    inFlight.add(tracked)
    if (inFlight.size >= 4) await Promise.race(inFlight)
  }
  let lastReport = now()
  try {
    for (const r of generateRecords({ seed: 1, messages, startMs, topics })) {
      batch.push(r)
      records++
      bytes += r.value.length
      byKind[r.kind] = (byKind[r.kind] ?? 0) + 1
      if (batch.length >= 4000) await flush()
      if (now() - lastReport > 10_000) {
        lastReport = now()
        log(`  produced ${records.toLocaleString('en')} records`)
      }
    }
    if (batch.length > 0) await flush()
    await Promise.all(inFlight)
  } finally {
    await writer.close()
  }
  return { records, bytes, messageEvents: byKind.message ?? 0, byKind, seconds: (now() - started) / 1000 }
}

// ---------------------------------------------------------------------------------------------
// Phase 1: C0, a bare kafkajs consumer (runs as a child: `--role=c0`)

interface C0Result {
  records: number
  seconds: number
}

async function runC0Child(): Promise<void> {
  const { brokers, topics, group, expected } = JSON.parse(process.env.BENCH_C0 ?? '{}') as { brokers: string[]; topics: string[]; group: string; expected: number }
  const { kafka: k } = loadConfig({ env: {} }).settings
  const kafka = new Kafka({ clientId: 'bench-c0', brokers, logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({
    groupId: group,
    sessionTimeout: k.session_timeout_ms,
    rebalanceTimeout: k.rebalance_timeout_ms,
    heartbeatInterval: k.heartbeat_interval_ms,
    maxBytesPerPartition: k.max_bytes_per_partition,
    maxBytes: k.max_bytes,
    maxWaitTimeInMs: k.max_wait_ms,
    allowAutoTopicCreation: false,
  })
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning: true })
  let records = 0
  let first = 0
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: k.partitions_consumed_concurrently,
      eachBatch: async ({ batch }) => {
        if (first === 0) first = now()
        records += batch.messages.length
        if (records >= expected) resolve(now())
      },
    })
  })
  const last = await done
  process.stdout.write(`${JSON.stringify({ records, seconds: (last - first) / 1000 } satisfies C0Result)}\n`)
  await consumer.disconnect()
  process.exit(0)
}

async function runC0(brokers: string[], topics: Topics, expected: number): Promise<C0Result> {
  const c0 = spawnChild(['--import', 'tsx', BENCH_FILE, '--role=c0'], {
    BENCH_C0: JSON.stringify({ brokers, topics: Object.values(topics), group: `bench-c0-${Date.now()}`, expected }),
  })
  let out = ''
  c0.child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const timer = setTimeout(() => c0.child.kill('SIGKILL'), 300_000)
  const { code } = await c0.exited
  clearTimeout(timer)
  if (code !== 0) throw new Error(`C0 consumer failed (${code}):\n${c0.stderr()}`)
  return JSON.parse(out.trim().split('\n').at(-1) as string) as C0Result
}

// ---------------------------------------------------------------------------------------------
// Phase 2: the processor

class Processor {
  readonly proc: Child
  private probeSeq = 0
  peakRssMb = 0
  private readonly memTimer: NodeJS.Timeout

  constructor(
    readonly env: Record<string, string>,
    readonly port: number,
    private readonly probeFile: string,
    profileFile: string | null,
    profileFrom = 1,
    heapFile: string | null = null,
  ) {
    this.proc = spawnChild(['--import', PROBE_URL, CLI, 'run'], {
      ...env,
      BENCH_PROBE_FILE: probeFile,
      ...(profileFile ? { BENCH_PROFILE_FILE: profileFile, BENCH_PROFILE_FROM: String(profileFrom) } : {}),
      ...(heapFile ? { BENCH_HEAP_FILE: heapFile } : {}),
    })
    this.proc.child.stdout?.resume()
    this.memTimer = setInterval(() => this.sampleMemory(), 500)
  }

  get pid(): number {
    return this.proc.child.pid as number
  }

  sampleMemory(): { rssMb: number; hwmMb: number } | null {
    const m = memoryOf(this.pid)
    if (m && m.rssMb > this.peakRssMb) this.peakRssMb = m.rssMb
    return m
  }

  /** The processor's /metrics; a failure is retried while it runs, and reported with its stderr once it exited. */
  async metrics(): Promise<Sample[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await scrape(this.port)
      } catch (error) {
        if (this.proc.child.exitCode !== null || this.proc.child.signalCode !== null || attempt >= 10) {
          await Promise.race([this.proc.exited, sleep(2000)])
          const { exitCode, signalCode } = this.proc.child
          throw new Error(`scraping the processor failed (${(error as Error).message}); exit ${exitCode ?? signalCode ?? 'none'}:\n${this.proc.stderr()}`)
        }
        await sleep(1000)
      }
    }
  }

  /** Event-loop delay since the previous call (and, with profiling, starts or stops the profiler). */
  async loop(): Promise<LoopStats> {
    const want = ++this.probeSeq
    this.proc.child.kill('SIGUSR2')
    const deadline = now() + 10_000
    for (;;) {
      try {
        const stats = JSON.parse(readFileSync(this.probeFile, 'utf8')) as LoopStats
        if (stats.seq === want) return stats
      } catch {
        // not written yet
      }
      if (now() > deadline) throw new Error('the event-loop probe did not answer')
      await sleep(20)
    }
  }

  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = now() + timeoutMs
    for (;;) {
      if (this.proc.child.exitCode !== null) throw new Error(`the processor exited:\n${this.proc.stderr()}`)
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/readyz`)).status === 200) return
      } catch {
        // not listening yet
      }
      if (now() > deadline) throw new Error(`the processor was not ready after ${timeoutMs} ms:\n${this.proc.stderr()}`)
      await sleep(200)
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.memTimer)
    if (this.proc.child.exitCode !== null) return
    this.proc.child.kill('SIGTERM')
    const timer = setTimeout(() => this.proc.child.kill('SIGKILL'), 60_000)
    const { code, signal } = await this.proc.exited
    clearTimeout(timer)
    if (code !== 0) throw new Error(`the processor exited with ${code ?? signal}:\n${this.proc.stderr()}`)
  }

  kill(): void {
    clearInterval(this.memTimer)
    if (this.proc.child.exitCode === null) this.proc.child.kill('SIGKILL')
  }
}

interface Window {
  seconds: number
  records: number
  cpuSeconds: number
  inserts: number
  insertP99Ms: number
  insertP50Ms: number
  insertsByTable: Record<string, number>
  stageSeconds: Record<string, number>
  batches: number
  loop: LoopStats
  heapUsedMb: number
  externalMb: number
  /** Gauges at the end of the window: what the processor holds. */
  state: Record<string, number>
}

/** Differences of the processor's counters between two scrapes. */
function windowOf(before: Sample[], after: Sample[], seconds: number, records: number, loop: LoopStats): Window {
  const d = (name: string, filter?: (l: Record<string, string>) => boolean) => sum(after, name, filter) - sum(before, name, filter)
  const insertsByTable: Record<string, number> = {}
  for (const s of after) {
    if (s.name !== 'abuse_sink_insert_duration_seconds_count') continue
    const table = s.labels.table as string
    insertsByTable[table] = d('abuse_sink_insert_duration_seconds_count', (l) => l.table === table)
  }
  const stageSeconds: Record<string, number> = {}
  for (const stage of ['process', 'write', 'commit']) stageSeconds[stage] = d('abuse_stage_duration_seconds_sum', (l) => l.stage === stage)
  const hb = buckets(before, 'abuse_sink_insert_duration_seconds')
  const ha = buckets(after, 'abuse_sink_insert_duration_seconds')
  return {
    seconds,
    records,
    cpuSeconds: d('process_cpu_seconds_total'),
    inserts: d('abuse_sink_insert_duration_seconds_count'),
    insertP99Ms: histogramQuantile(0.99, hb, ha) * 1000,
    insertP50Ms: histogramQuantile(0.5, hb, ha) * 1000,
    insertsByTable,
    stageSeconds,
    batches: d('abuse_batches_written_total'),
    loop,
    heapUsedMb: sum(after, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    externalMb: sum(after, 'nodejs_external_memory_bytes') / 2 ** 20,
    state: Object.fromEntries(
      ['abuse_neardup_index_entries', 'abuse_campaigns_active', 'abuse_chat_similarity_pairs', 'abuse_buffered_records', 'abuse_partitions_assigned', 'nodejs_heap_size_total_bytes'].map((name) => [
        name,
        Math.round(sum(after, name)),
      ]),
    ),
  }
}

/** Records per second over each fifth of the stream (written counts against time): does it slow down? */
function ratesByFifth(timeline: [number, number][], total: number): (number | null)[] {
  const rates: (number | null)[] = []
  let from: [number, number] = [0, 0]
  for (let k = 1; k <= 5; k++) {
    const to = timeline.find(([, w]) => w >= (total * k) / 5) ?? timeline.at(-1)
    if (!to) break
    // null: one write covered several fifths (small streams).
    rates.push(to === from ? null : Math.round((to[1] - from[1]) / Math.max(0.001, to[0] - from[0])))
    from = to
  }
  return rates
}

/** Phase 2: from the first consumed record until `total` records are written and committed. */
async function measureThroughput(p: Processor, total: number): Promise<Window & { timeline: [number, number][] }> {
  const deadline = now() + 30 * 60_000
  let samples = await p.metrics()
  while (sum(samples, 'abuse_records_consumed_total') === 0) {
    if (p.proc.child.exitCode !== null) throw new Error(`the processor exited:\n${p.proc.stderr()}`)
    if (now() > deadline) throw new Error('the processor consumed nothing')
    await sleep(100)
    samples = await p.metrics()
  }
  const started = now()
  await p.loop()
  const before = samples
  const timeline: [number, number][] = []
  let lastReport = now()
  for (;;) {
    await sleep(250)
    if (p.proc.child.exitCode !== null) throw new Error(`the processor exited:\n${p.proc.stderr()}`)
    samples = await p.metrics()
    const written = sum(samples, 'abuse_records_written_total')
    timeline.push([(now() - started) / 1000, written])
    if (written >= total) break
    if (now() > deadline) throw new Error(`the processor wrote ${written} of ${total} records in 30 minutes`)
    if (now() - lastReport > 10_000) {
      lastReport = now()
      const m = p.sampleMemory()
      log(`  written ${written.toLocaleString('en')} / ${total.toLocaleString('en')}, ${Math.round(written / ((now() - started) / 1000))} records/s, RSS ${Math.round(m?.rssMb ?? 0)} MB`)
    }
  }
  const seconds = (now() - started) / 1000
  const loop = await p.loop()
  return { ...windowOf(before, samples, seconds, total, loop), timeline }
}

// ---------------------------------------------------------------------------------------------
// Phase 3: latency at a fixed rate

/** A stable partition per key (chat id), round robin without one: the keyed producer contract. */
function partitionOf(key: string | null, counter: number): number {
  if (key === null) return counter % PARTITIONS
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return (h >>> 0) % PARTITIONS
}

interface Segment {
  first: number
  last: number
  sentAt: number
}

interface LatencyResult {
  targetRate: number
  achievedRate: number
  records: number
  messageEvents: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  pollMs: number
  window: Window
}

async function measureLatency(p: Processor, brokers: string[], topics: Topics, rate: number, seconds: number, alreadyWritten: number): Promise<LatencyResult> {
  const kafka = new Kafka({ clientId: 'bench-live', brokers, logLevel: logLevel.ERROR })
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false })
  const admin: Admin = kafka.admin()
  await producer.connect()
  await admin.connect()
  const pending = new Map<string, Segment[]>()
  const latencies: number[] = []
  const topicList = Object.values(topics)
  const group = p.env.ABUSE_RADAR__KAFKA__GROUP_ID as string
  let polling = true
  let drainDeadline = Number.POSITIVE_INFINITY
  let polls = 0
  let pollTimeTotal = 0
  /** Every 100 ms: the committed offsets; a record below one is written (and queryable). */
  const poller = (async () => {
    while (polling || [...pending.values()].some((s) => s.length > 0)) {
      const t0 = now()
      const committed = await admin.fetchOffsets({ groupId: group, topics: topicList })
      const seenAt = now()
      polls++
      pollTimeTotal += seenAt - t0
      for (const { topic, partitions } of committed) {
        for (const { partition, offset } of partitions) {
          const queue = pending.get(`${topic}:${partition}`)
          const next = Number(offset)
          if (!queue || next < 0) continue
          while (queue.length > 0) {
            const seg = queue[0] as Segment
            if (seg.first >= next) break
            const upTo = Math.min(seg.last, next - 1)
            for (let o = seg.first; o <= upTo; o++) latencies.push(seenAt - seg.sentAt)
            if (upTo === seg.last) queue.shift()
            else seg.first = upTo + 1
          }
        }
      }
      if (!polling && now() > drainDeadline) throw new Error('latency phase: committed offsets did not reach every produced record')
      await sleep(Math.max(0, 100 - (now() - seenAt)))
    }
  })()

  const before = await p.metrics()
  await p.loop()
  const started = now()
  // Event time follows the wall clock: the generator's message rate is set so its records arrive at `rate`.
  const generator = generateRecords({ seed: 2, messages: Math.ceil(rate * seconds * 1.2), startMs: Date.now(), ratePerSecond: rate / 1.06, topics })
  let sent = 0
  let counter = 0
  let messageEvents = 0
  const sends: Promise<void>[] = []
  const tickMs = 20
  while (now() - started < seconds * 1000) {
    const due = Math.floor(((now() - started) / 1000) * rate) - sent
    if (due > 0) {
      const byTopic = new Map<string, { key: string | null; value: Buffer; partition: number }[]>()
      for (let i = 0; i < due; i++) {
        const next = generator.next()
        if (next.done) break
        const r = next.value
        if (r.kind === 'message') messageEvents++
        let list = byTopic.get(r.topic)
        if (!list) byTopic.set(r.topic, (list = []))
        list.push({ key: r.key, value: r.value, partition: partitionOf(r.key, counter++) })
      }
      const counts = new Map<string, number>()
      for (const [topic, list] of byTopic) for (const m of list) counts.set(`${topic}:${m.partition}`, (counts.get(`${topic}:${m.partition}`) ?? 0) + 1)
      const sentAt = now()
      sent += due
      sends.push(
        producer.sendBatch({ compression: CompressionTypes.None, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }).then((metadata) => {
          for (const m of metadata) {
            const id = `${m.topicName}:${m.partition}`
            const n = counts.get(id) ?? 0
            const base = Number(m.baseOffset)
            let queue = pending.get(id)
            if (!queue) pending.set(id, (queue = []))
            // Responses can resolve out of order: keep each queue sorted by offset.
            const seg = { first: base, last: base + n - 1, sentAt }
            let at = queue.length
            while (at > 0 && (queue[at - 1] as Segment).first > base) at--
            queue.splice(at, 0, seg)
          }
        }),
      )
    }
    await sleep(tickMs)
  }
  await Promise.all(sends)
  const produceSeconds = (now() - started) / 1000
  // Wait until everything produced is written.
  const total = alreadyWritten + sent
  const deadline = now() + 120_000
  let after = await p.metrics()
  while (sum(after, 'abuse_records_written_total') < total) {
    if (now() > deadline) throw new Error(`latency phase: ${sum(after, 'abuse_records_written_total')} of ${total} records written after 2 minutes`)
    await sleep(250)
    after = await p.metrics()
  }
  const loop = await p.loop()
  const windowSeconds = (now() - started) / 1000
  drainDeadline = now() + 30_000
  polling = false
  await poller
  await producer.disconnect()
  await admin.disconnect()
  const sorted = Float64Array.from(latencies).sort()
  return {
    targetRate: rate,
    achievedRate: sent / produceSeconds,
    records: sent,
    messageEvents,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
    pollMs: pollTimeTotal / Math.max(1, polls),
    window: windowOf(before, after, windowSeconds, sent, loop),
  }
}

// ---------------------------------------------------------------------------------------------
// CPU profile summary

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function shortUrl(url: string): string {
  if (url === '') return ''
  const file = url.replace(/^file:\/\//, '')
  const nm = file.lastIndexOf('node_modules/')
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length)
  if (file.startsWith(REPO_ROOT)) return file.slice(REPO_ROOT.length)
  return file
}

function moduleOf(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)'
  const s = shortUrl(url)
  if (s.startsWith('node:')) return 'node internals'
  if (s.startsWith('@')) return s.split('/').slice(0, 2).join('/')
  if (s.startsWith('src/')) return s.split('/').slice(0, 2).join('/')
  return s.split('/')[0] as string
}

function summariseProfile(profile: CpuProfile): { totalMs: number; functions: { fn: string; where: string; selfMs: number; pct: number }[]; modules: { module: string; selfMs: number; pct: number }[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000
    const id = profile.samples[i] as number
    self.set(id, (self.get(id) ?? 0) + dt)
    total += dt
  }
  const fns = new Map<string, { fn: string; where: string; selfMs: number }>()
  const modules = new Map<string, number>()
  for (const [id, ms] of self) {
    const node = byId.get(id)
    if (!node) continue
    const { functionName, url, lineNumber } = node.callFrame
    const fn = functionName || '(anonymous)'
    // Positions in TypeScript sources are those of tsx's output: the file says enough.
    const where = url ? (url.endsWith('.ts') ? shortUrl(url) : `${shortUrl(url)}:${lineNumber + 1}`) : ''
    const key = `${fn}@${where}`
    const entry = fns.get(key) ?? { fn, where, selfMs: 0 }
    entry.selfMs += ms
    fns.set(key, entry)
    const mod = moduleOf(url, fn)
    modules.set(mod, (modules.get(mod) ?? 0) + ms)
  }
  const pct = (ms: number) => Math.round((1000 * ms) / total) / 10
  return {
    totalMs: Math.round(total),
    functions: [...fns.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 30)
      .map((f) => ({ ...f, selfMs: Math.round(f.selfMs), pct: pct(f.selfMs) })),
    modules: [...modules]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([module, ms]) => ({ module, selfMs: Math.round(ms), pct: pct(ms) })),
  }
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: HeapNode[]
}

interface HeapProfile {
  head: HeapNode
}

/** Sampled bytes per allocation site (the function that allocated), largest first. */
function summariseHeap(profile: HeapProfile): { totalMb: number; sites: { fn: string; where: string; mb: number }[] } {
  const sites = new Map<string, { fn: string; where: string; bytes: number }>()
  let total = 0
  const stack: HeapNode[] = [profile.head]
  while (stack.length > 0) {
    const node = stack.pop() as HeapNode
    stack.push(...node.children)
    if (node.selfSize === 0) continue
    total += node.selfSize
    const { functionName, url, lineNumber } = node.callFrame
    const fn = functionName || '(anonymous)'
    const where = url ? (url.endsWith('.ts') ? shortUrl(url) : `${shortUrl(url)}:${lineNumber + 1}`) : ''
    const key = `${fn}@${where}`
    const site = sites.get(key) ?? { fn, where, bytes: 0 }
    site.bytes += node.selfSize
    sites.set(key, site)
  }
  const mb = (b: number) => Math.round(b / 2 ** 20)
  return {
    totalMb: mb(total),
    sites: [...sites.values()]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 25)
      .map((site) => ({ fn: site.fn, where: site.where, mb: mb(site.bytes) })),
  }
}

// ---------------------------------------------------------------------------------------------
// Main

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const benchStarted = now()
  const loadBefore = os.loadavg()
  let broker: KafkaBroker | null = null
  let processor: Processor | null = null
  const workDir = tempDir('bench')
  const stopAll = async () => {
    processor?.kill()
    await broker?.stop()
  }
  const onSignal = () => void stopAll().finally(() => process.exit(130))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    let brokers = options.brokers
    if (!brokers) {
      log('starting a Kafka broker')
      broker = await startBroker({ log: (m) => log(`  ${m}`) })
      brokers = broker.brokers
    }
    const suffix = `${process.pid}-${Date.now().toString(36)}`
    const topics: Topics = { messages: `bench-msg-${suffix}`, moderation: `bench-mod-${suffix}`, reports: `bench-rep-${suffix}` }
    await createTopics(brokers, Object.values(topics), PARTITIONS)

    log(`producing ${options.messages.toLocaleString('en')} messages (+ moderation, reports, duplicates, malformed) to 3 topics x ${PARTITIONS} partitions`)
    const produced = await produceBulk(brokers, topics, options.messages)
    log(`  ${produced.records.toLocaleString('en')} records, ${(produced.bytes / 1e6).toFixed(0)} MB in ${produced.seconds.toFixed(1)} s`)

    let c0: C0Result | null = null
    if (!options.profile) {
      log('C0: bare kafkajs consumer')
      c0 = await runC0(brokers, topics, produced.records)
      log(`  ${c0.records.toLocaleString('en')} records in ${c0.seconds.toFixed(2)} s: ${Math.round(c0.records / c0.seconds).toLocaleString('en')} records/s`)
    }

    log('pipeline: the processor from its first record to the last one committed')
    const port = await freePort()
    const dataDir = path.join(workDir, 'data')
    const env: Record<string, string> = {
      KAFKA_BROKERS: brokers.join(','),
      ABUSE_RADAR_DATA_DIR: dataDir,
      ABUSE_RADAR__KAFKA__TOPICS__MESSAGES: topics.messages,
      ABUSE_RADAR__KAFKA__TOPICS__MODERATION: topics.moderation,
      ABUSE_RADAR__KAFKA__TOPICS__REPORTS: topics.reports,
      ABUSE_RADAR__KAFKA__TOPICS__CAMPAIGN_EXCHANGE: `bench-exchange-${suffix}`,
      ABUSE_RADAR__KAFKA__GROUP_ID: `bench-pipeline-${suffix}`,
      ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port),
      ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
      ABUSE_RADAR_PSEUDONYM_KEY: 'bench-pseudonym-key-0123456789abcdef',
      ...options.processorEnv,
    }
    const profileFile = options.profile ? path.join(workDir, 'pipeline.cpuprofile') : null
    // Probe signals: 1 and 2 bracket the max-rate phase, 3 and 4 the latency phase.
    const heapFile = options.heap ? path.join(workDir, 'heap.json') : null
    processor = new Processor(env, port, path.join(workDir, 'probe.json'), profileFile, options.profile === 'latency' ? 3 : 1, heapFile)
    await processor.waitReady()
    const throughput = await measureThroughput(processor, produced.records)
    const pipelineRate = produced.records / throughput.seconds
    log(`  ${produced.records.toLocaleString('en')} records in ${throughput.seconds.toFixed(1)} s: ${Math.round(pipelineRate).toLocaleString('en')} records/s`)

    mkdirSync(RESULTS_DIR, { recursive: true })
    let heapTop: { totalMb: number; sites: { fn: string; where: string; mb: number }[] } | null = null
    if (heapFile) {
      const deadline = now() + 60_000
      while (!existsSync(heapFile) && now() < deadline) await sleep(200)
      if (existsSync(heapFile)) {
        heapTop = summariseHeap(JSON.parse(readFileSync(heapFile, 'utf8')) as HeapProfile)
        log(`  heap (sampled, not yet collected) ${heapTop.totalMb} MB; largest allocation sites:`)
        for (const site of heapTop.sites.slice(0, 12)) log(`  ${String(site.mb).padStart(8)} MB  ${site.fn}  (${site.where})`)
      }
    }
    const writeProfile = async (phase: string, window: Window, rate: number) => {
      const deadline = now() + 30_000
      while (!existsSync(profileFile as string) && now() < deadline) await sleep(100)
      const profile = JSON.parse(readFileSync(profileFile as string, 'utf8')) as CpuProfile
      const summary = summariseProfile(profile)
      // Saved as .json so the results folder stays out of git; Chrome DevTools (Performance) and VS Code open it.
      copyFileSync(profileFile as string, path.join(RESULTS_DIR, 'profile-latest.cpuprofile.json'))
      const out = { date: new Date().toISOString(), commit: gitCommit(), phase, heap: heapTop, messages: options.messages, records_per_s_profiled: Math.round(rate), cpu_seconds: round(window.cpuSeconds), window_seconds: round(window.seconds), processor_env: options.processorEnv, ...summary }
      writeFileSync(path.join(RESULTS_DIR, 'profile-latest.json'), `${JSON.stringify(out, null, 2)}\n`)
      log(`\nCPU profile of the ${phase} phase (${(summary.totalMs / 1000).toFixed(1)} s sampled; processor CPU ${window.cpuSeconds.toFixed(1)} s over ${window.seconds.toFixed(1)} s)`)
      log('\n  self %   self ms  module')
      for (const m of summary.modules) log(`  ${m.pct.toFixed(1).padStart(6)} ${String(m.selfMs).padStart(9)}  ${m.module}`)
      log('\n  self %   self ms  function  (where)')
      for (const f of summary.functions) log(`  ${f.pct.toFixed(1).padStart(6)} ${String(f.selfMs).padStart(9)}  ${f.fn}  (${f.where})`)
      log(`\nwritten ${path.relative(REPO_ROOT, path.join(RESULTS_DIR, 'profile-latest.json'))} and profile-latest.cpuprofile.json (the raw profile)`)
    }
    if (options.profile === 'pipeline') {
      await processor.stop()
      await writeProfile('max-rate pipeline', throughput, pipelineRate)
      return
    }

    const rate = Math.max(100, Math.round(pipelineRate / 2))
    log(`latency: a live stream at ${rate.toLocaleString('en')} records/s (half the pipeline's rate) for ${options.latencySeconds} s`)
    const latency = await measureLatency(processor, brokers, topics, rate, options.latencySeconds, produced.records)
    log(`  ${latency.records.toLocaleString('en')} records at ${Math.round(latency.achievedRate).toLocaleString('en')}/s: produce → committed p50 ${Math.round(latency.p50Ms)} ms, p99 ${Math.round(latency.p99Ms)} ms`)
    if (options.profile === 'latency') {
      await processor.stop()
      await writeProfile(`latency (${latency.targetRate} records/s)`, latency.window, latency.achievedRate)
      return
    }
    if (!c0) throw new Error('C0 was not measured')
    const memory = processor.sampleMemory()
    const peakRss = Math.max(processor.peakRssMb, memory?.hwmMb ?? 0)
    await processor.stop()
    processor = null

    log('checking the counts in ClickHouse')
    const [counts] = await query<{ events: string; letters: string }>(
      dataDir,
      `SELECT (SELECT sum(created) + sum(edited) + sum(deleted) FROM message_stats_1m) AS events, (SELECT count() FROM dead_letters) AS letters`,
    )
    const expectedMessages = produced.messageEvents + latency.messageEvents
    const correct = Number(counts?.events) === expectedMessages
    if (!correct) log(`  WARNING: message_stats_1m counts ${counts?.events} message events, expected ${expectedMessages}`)

    const loadAfter = os.loadavg()
    const c0Rate = c0.records / c0.seconds
    const result = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      c0_msgs_per_s: Math.round(c0Rate),
      pipeline_msgs_per_s: Math.round(pipelineRate),
      ratio: round(pipelineRate / c0Rate, 3),
      latency_p50_ms: Math.round(latency.p50Ms),
      latency_p99_ms: Math.round(latency.p99Ms),
      rss_mb: Math.round(peakRss),
      eventloop_p99_ms: round(Math.max(throughput.loop.p99, latency.window.loop.p99)),
      clickhouse_inserts_per_s: round(throughput.inserts / throughput.seconds),
      clickhouse_insert_p99_ms: round(throughput.insertP99Ms),
      goals: {
        ratio_ge_0_7: pipelineRate / c0Rate >= 0.7,
        eventloop_p99_le_50ms: Math.max(throughput.loop.p99, latency.window.loop.p99) <= 50,
        latency_p99_le_5s: latency.p99Ms <= 5000,
        rss_le_1_5gb: peakRss <= 1536,
      },
      counts_correct: correct,
      stream: {
        messages: options.messages,
        records: produced.records,
        bytes: produced.bytes,
        mean_record_bytes: Math.round(produced.bytes / produced.records),
        by_kind: produced.byKind,
        topics: 3,
        partitions_per_topic: PARTITIONS,
        produce_seconds: round(produced.seconds),
      },
      c0: { records: c0.records, seconds: round(c0.seconds, 2) },
      pipeline: {
        seconds: round(throughput.seconds, 2),
        cpu_seconds: round(throughput.cpuSeconds),
        cpu_cores_used: round(throughput.cpuSeconds / throughput.seconds, 2),
        batches: throughput.batches,
        inserts: throughput.inserts,
        inserts_by_table: throughput.insertsByTable,
        insert_p50_ms: round(throughput.insertP50Ms),
        insert_p99_ms: round(throughput.insertP99Ms),
        stage_seconds: Object.fromEntries(Object.entries(throughput.stageSeconds).map(([k, v]) => [k, round(v)])),
        eventloop_ms: { p50: round(throughput.loop.p50), p99: round(throughput.loop.p99), max: round(throughput.loop.max) },
        heap_used_mb_at_end: Math.round(throughput.heapUsedMb),
        external_mb_at_end: Math.round(throughput.externalMb),
        state_at_end: throughput.state,
        records_per_s_by_fifth: ratesByFifth(throughput.timeline, produced.records),
      },
      latency: {
        target_rate: latency.targetRate,
        achieved_rate: Math.round(latency.achievedRate),
        records: latency.records,
        p50_ms: Math.round(latency.p50Ms),
        p90_ms: Math.round(latency.p90Ms),
        p99_ms: Math.round(latency.p99Ms),
        max_ms: Math.round(latency.maxMs),
        offset_poll_interval_ms: 100,
        offset_poll_rtt_ms: round(latency.pollMs),
        cpu_cores_used: round(latency.window.cpuSeconds / latency.window.seconds, 2),
        inserts_per_s: round(latency.window.inserts / latency.window.seconds),
        insert_p99_ms: round(latency.window.insertP99Ms),
        eventloop_ms: { p50: round(latency.window.loop.p50), p99: round(latency.window.loop.p99), max: round(latency.window.loop.max) },
        heap_used_mb_at_end: Math.round(latency.window.heapUsedMb),
      },
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model ?? 'unknown',
        memory_gb: round(os.totalmem() / 2 ** 30),
        loadavg_before: loadBefore.map((x) => round(x, 2)),
        loadavg_after: loadAfter.map((x) => round(x, 2)),
        node: process.version,
        kafka: kafkaVersion(),
      },
      processor_env: options.processorEnv,
      ...(heapTop ? { heap_at_end_of_max_rate_phase: heapTop } : {}),
      bench_seconds: round((now() - benchStarted) / 1000),
    }
    const json = `${JSON.stringify(result, null, 2)}\n`
    writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json)
    const dated = path.join(RESULTS_DIR, `${result.date.replace(/[:.]/g, '-').slice(0, 19)}.json`)
    writeFileSync(dated, json)
    printTable(result)
    process.stdout.write(`\nwritten ${path.relative(REPO_ROOT, path.join(RESULTS_DIR, 'latest.json'))} and ${path.relative(REPO_ROOT, dated)}\n`)
  } finally {
    await stopAll()
    rmSync(workDir, { recursive: true, force: true })
  }
}

type Result = {
  c0_msgs_per_s: number
  pipeline_msgs_per_s: number
  ratio: number | null
  latency_p50_ms: number
  latency_p99_ms: number
  rss_mb: number
  eventloop_p99_ms: number | null
  clickhouse_inserts_per_s: number | null
  clickhouse_insert_p99_ms: number | null
  goals: Record<string, boolean>
  counts_correct: boolean
  stream: { records: number; mean_record_bytes: number }
  pipeline: { cpu_cores_used: number | null }
  latency: { achieved_rate: number }
}

function printTable(r: Result): void {
  const ok = (b: boolean | undefined) => (b === undefined ? '' : b ? 'ok' : 'MISSED')
  const rows: [string, string, string, string][] = [
    ['C0: bare kafkajs consumer', `${r.c0_msgs_per_s.toLocaleString('en')} msg/s`, '', ''],
    ['pipeline (full processor)', `${r.pipeline_msgs_per_s.toLocaleString('en')} msg/s`, '', ''],
    ['pipeline / C0', `${r.ratio}`, '>= 0.7', ok(r.goals.ratio_ge_0_7)],
    [`produce → queryable p50 (at ${r.latency.achieved_rate.toLocaleString('en')}/s)`, `${r.latency_p50_ms} ms`, '', ''],
    [`produce → queryable p99 (at ${r.latency.achieved_rate.toLocaleString('en')}/s)`, `${r.latency_p99_ms} ms`, '<= 5000 ms', ok(r.goals.latency_p99_le_5s)],
    ['processor peak RSS', `${r.rss_mb} MB`, '<= 1536 MB', ok(r.goals.rss_le_1_5gb)],
    ['event-loop delay p99', `${r.eventloop_p99_ms} ms`, '<= 50 ms', ok(r.goals.eventloop_p99_le_50ms)],
    ['ClickHouse inserts (max-rate phase)', `${r.clickhouse_inserts_per_s} /s`, '', ''],
    ['ClickHouse insert duration p99', `${r.clickhouse_insert_p99_ms} ms`, '', ''],
    ['processor CPU (max-rate phase)', `${r.pipeline.cpu_cores_used} cores`, '', ''],
    ['counts in ClickHouse = produced', r.counts_correct ? 'yes' : 'NO', '', ok(r.counts_correct)],
  ]
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i as 0].length)))
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(w[i] as number)).join(' | ')} |`
  process.stdout.write(`\nabuse-radar pipeline benchmark: ${r.stream.records.toLocaleString('en')} records, mean ${r.stream.mean_record_bytes} B\n\n`)
  process.stdout.write(`${line(['figure', 'measured', 'goal', ''])}\n`)
  process.stdout.write(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|\n`)
  for (const row of rows) process.stdout.write(`${line(row)}\n`)
}

if (process.argv.includes('--role=c0')) await runC0Child()
else
  await main().catch((error: unknown) => {
    log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    process.exit(1)
  })
