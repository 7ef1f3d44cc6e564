// The figures of a run as one JSON document: bench/results/latest.json and a dated copy (git-ignored).
// The headline keys come first; the sections after them say how each was obtained.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../../test/support/harness.js'
import { kafkaVersion } from '../../test/support/kafka-broker.js'
import type { BaselineResult } from './baseline-consumer.js'
import type { LatencyResult } from './latency.js'
import type { Options } from './options.js'
import type { LoopStats } from './probe.js'
import { round } from './numbers.js'
import type { Memory } from './proc.js'
import type { HeapSummary } from './profiles.js'
import { analysisStagesUs } from './stage-clock.js'
import type { StagesResult } from './stages.js'
import { PARTITIONS, type Produced } from './stream.js'
import { ratesByFifth, type Throughput } from './throughput.js'

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results')

export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

/** Everything a full run measured. */
export interface Measured {
  options: Options
  produced: Produced
  c0: BaselineResult
  floor: BaselineResult
  throughput: Throughput
  latency: LatencyResult
  peakRssMb: number
  /** The 500 ms sample with the highest RSS (VmHWM may be higher, between two samples). */
  peakSample: (Memory & { phase: string }) | null
  countsCorrect: boolean
  stages: StagesResult
  heap: HeapSummary | null
  loadBefore: number[]
  benchSeconds: number
}

export type Result = ReturnType<typeof buildResult>

export function buildResult(m: Measured) {
  const c0Rate = m.c0.records / m.c0.seconds
  const floorRate = m.floor.records / m.floor.seconds
  const pipelineRate = m.produced.records / m.throughput.seconds
  const eventLoopP99 = Math.max(m.throughput.loop.p99, m.latency.window.loop.p99)
  return {
    date: new Date().toISOString(),
    commit: gitCommit(),
    /** what ran: the compiled build (as the image runs it) or the sources through tsx (--from-sources) */
    processor_build: m.options.fromSources ? 'sources-tsx' : 'compiled',
    c0_msgs_per_s: Math.round(c0Rate),
    pipeline_msgs_per_s: Math.round(pipelineRate),
    ratio: round(pipelineRate / c0Rate, 3),
    floor_msgs_per_s: Math.round(floorRate),
    floor_ratio: round(pipelineRate / floorRate, 3),
    cpu_us_per_msg: round((m.throughput.procCpuSeconds * 1e6) / m.produced.records),
    stages_us_per_msg: m.stages.usPerRecord,
    latency_p50_ms: Math.round(m.latency.p50Ms),
    latency_p99_ms: Math.round(m.latency.p99Ms),
    rss_mb: Math.round(m.peakRssMb),
    rss_peak_sample_mb: m.peakSample
      ? {
          rss: Math.round(m.peakSample.rssMb),
          anon: Math.round(m.peakSample.anonMb),
          file: Math.round(m.peakSample.fileMb),
          phase: m.peakSample.phase,
        }
      : null,
    /** the processor's own memoryUsage() at the highest RSS it sampled in each phase: V8 heap, typed arrays, the rest (the engine) */
    memory_at_peak_mb: { max_rate: m.throughput.loop.memoryAtPeak, latency: m.latency.window.loop.memoryAtPeak },
    eventloop_p99_ms: round(eventLoopP99),
    clickhouse_inserts_per_s: round(m.throughput.inserts / m.throughput.seconds),
    clickhouse_insert_p99_ms: round(m.throughput.insertP99Ms),
    goals: {
      ratio_ge_0_7: pipelineRate / c0Rate >= 0.7,
      eventloop_p99_le_50ms: eventLoopP99 <= 50,
      latency_p99_le_5s: m.latency.p99Ms <= 5000,
      rss_le_1_5gb: m.peakRssMb <= 1536,
    },
    counts_correct: m.countsCorrect,
    stream: streamSection(m.options, m.produced),
    c0: { records: m.c0.records, seconds: round(m.c0.seconds, 2) },
    floor: { records: m.floor.records, seconds: round(m.floor.seconds, 2), checksum: m.floor.checksum },
    pipeline: pipelineSection(m.throughput, m.produced.records),
    latency: latencySection(m.latency),
    stages: stagesSection(m.stages),
    machine: machineSection(m.loadBefore),
    processor_env: m.options.processorEnv,
    ...(m.heap ? { heap_at_end_of_max_rate_phase: m.heap } : {}),
    bench_seconds: round(m.benchSeconds),
  }
}

function streamSection(options: Options, produced: Produced) {
  return {
    messages: options.messages,
    records: produced.records,
    bytes: produced.bytes,
    mean_record_bytes: Math.round(produced.bytes / produced.records),
    by_kind: produced.byKind,
    topics: 3,
    partitions_per_topic: PARTITIONS,
    produce_seconds: round(produced.seconds),
  }
}

function pipelineSection(t: Throughput, records: number) {
  return {
    seconds: round(t.seconds, 2),
    cpu_seconds: round(t.cpuSeconds),
    proc_cpu_seconds: round(t.procCpuSeconds),
    cpu_cores_used: round(t.procCpuSeconds / t.seconds, 2),
    batches: t.batches,
    inserts: t.inserts,
    inserts_by_table: t.insertsByTable,
    insert_p50_ms: round(t.insertP50Ms),
    insert_p99_ms: round(t.insertP99Ms),
    stage_seconds: Object.fromEntries(Object.entries(t.stageSeconds).map(([stage, seconds]) => [stage, round(seconds)])),
    eventloop_ms: loopSection(t.loop),
    heap_used_mb_at_end: Math.round(t.heapUsedMb),
    external_mb_at_end: Math.round(t.externalMb),
    state_at_end: t.state,
    records_per_s_by_fifth: ratesByFifth(t.timeline, records),
  }
}

/** The delay's percentiles, and what its long delays coincided with (./probe.ts). */
function loopSection(loop: LoopStats) {
  const { stalls } = loop
  return {
    p50: round(loop.p50),
    p99: round(loop.p99),
    max: round(loop.max),
    delays_over_50: stalls.delaysOver50ms,
    delays_over_50_in_gc_pause: stalls.delaysOver50msInGcPause,
    gc_pauses_over_20: stalls.gcPausesOver20ms,
    gc_pause_max: stalls.gcPauseMaxMs,
  }
}

function latencySection(l: LatencyResult) {
  return {
    target_rate: l.targetRate,
    achieved_rate: Math.round(l.achievedRate),
    records: l.records,
    p50_ms: Math.round(l.p50Ms),
    p90_ms: Math.round(l.p90Ms),
    p99_ms: Math.round(l.p99Ms),
    max_ms: Math.round(l.maxMs),
    offset_poll_interval_ms: 100,
    offset_poll_rtt_ms: round(l.pollMs),
    cpu_cores_used: round(l.window.cpuSeconds / l.window.seconds, 2),
    inserts_per_s: round(l.window.inserts / l.window.seconds),
    insert_p99_ms: round(l.window.insertP99Ms),
    eventloop_ms: loopSection(l.window.loop),
    heap_used_mb_at_end: Math.round(l.window.heapUsedMb),
  }
}

/** How the stages phase ran, and the real analyze() next to the sum of the analysis stages it times apart. */
function stagesSection(s: StagesResult) {
  return {
    build: s.build,
    messages: s.messages,
    records: s.records,
    batches: s.batches,
    seconds: round(s.seconds),
    cpu_cores_used: round(s.cpuSeconds / s.seconds, 2),
    store_cpu_us_per_msg: s.storeCpuUsPerRecord,
    analysis_stages_us_per_msg: round(analysisStagesUs(s.usPerRecord), 2),
    analyze_us_per_msg: s.analyzeUsPerRecord,
  }
}

/** The machine is shared: the load average before and after tells whether the figures are comparable. */
function machineSection(loadBefore: number[]) {
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: round(os.totalmem() / 2 ** 30),
    loadavg_before: loadBefore.map((x) => round(x, 2)),
    loadavg_after: os.loadavg().map((x) => round(x, 2)),
    node: process.version,
    kafka: kafkaVersion(),
  }
}

/** `--stages-only`: the stages phase alone, in stages-latest.json; returns its path. */
export function writeStagesResult(stages: StagesResult, loadBefore: number[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = path.join(RESULTS_DIR, 'stages-latest.json')
  const result = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    stages_us_per_msg: stages.usPerRecord,
    stages: stagesSection(stages),
    machine: machineSection(loadBefore),
  }
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  return file
}

/** Writes latest.json and a copy named by the date; returns the copy's path. */
export function writeResult(result: Result): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const json = `${JSON.stringify(result, null, 2)}\n`
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json)
  const dated = path.join(RESULTS_DIR, `${result.date.replace(/[:.]/g, '-').slice(0, 19)}.json`)
  writeFileSync(dated, json)
  return dated
}
