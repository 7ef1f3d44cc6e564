// The benchmark's phases in order (bench/README.md says what each measures), and what is cleaned up
// whatever happens: the processor, the broker this run started, the temp folder.
import { mkdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { query, REPO_ROOT, tempDir } from '../../test/support/harness.js'
import { freePort, startBroker, type KafkaBroker } from '../../test/support/kafka-broker.js'
import type { BaselineResult, BaselineWork } from './baseline-consumer.js'
import { runBaseline } from './baselines.js'
import { runChildJob } from './child-job.js'
import { measureLatency, type LatencyResult } from './latency.js'
import { log } from './log.js'
import { benchProcessorEnv, MeasuredProcessor } from './measured-processor.js'
import type { Window } from './metrics.js'
import type { Options } from './options.js'
import { processorCli } from './compiled.js'
import { compiledBenchModule } from '../compile.js'
import { readHeapProfile, writeCpuProfile, type HeapSummary } from './profiles.js'
import { buildResult, RESULTS_DIR, writeResult, writeStagesResult } from './results.js'
import type { StagesJob, StagesResult } from './stages.js'
import { createBenchTopics, PARTITIONS, produceBulk, type Produced, type Topics } from './stream.js'
import { printStagesTable, printTable } from './table.js'
import { measureThroughput, type Throughput } from './throughput.js'

const fmt = (n: number) => Math.round(n).toLocaleString('en')
const STAGES_TIMEOUT_MS = 30 * 60_000

export class PipelineBenchmark {
  private readonly started = performance.now()
  private readonly loadBefore = os.loadavg()
  private readonly workDir = tempDir('bench')
  private readonly suffix = `${process.pid}-${Date.now().toString(36)}`
  private broker: KafkaBroker | null = null
  private processor: MeasuredProcessor | null = null

  constructor(private readonly options: Options) {}

  /** Runs every phase; stops what it started even on failure or Ctrl-C. */
  async run(): Promise<void> {
    const onSignal = () => void this.cleanUp().finally(() => process.exit(130))
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      await this.phases()
    } finally {
      await this.cleanUp()
    }
  }

  private async phases(): Promise<void> {
    if (this.options.stagesOnly) {
      const stages = await this.stages()
      printStagesTable(stages)
      process.stdout.write(`\nwritten ${path.relative(REPO_ROOT, writeStagesResult(stages, this.loadBefore))}\n`)
      return
    }
    const brokers = this.options.brokers ?? (await this.startBroker())
    const topics = await createBenchTopics(brokers, this.suffix)
    const produced = await this.produce(brokers, topics)
    const c0 = this.options.profile ? null : await this.baseline('c0', brokers, topics, produced.records)
    const floor = this.options.profile ? null : await this.baseline('floor', brokers, topics, produced.records)
    const dataDir = path.join(this.workDir, 'data')
    const processor = await this.startProcessor(brokers, topics, dataDir)
    processor.phase = 'max-rate'
    const throughput = await this.throughput(processor, produced.records)
    processor.phase = 'after max-rate'
    mkdirSync(RESULTS_DIR, { recursive: true })
    const heap = this.options.heap ? await readHeapProfile(path.join(this.workDir, 'heap.json')) : null
    if (this.options.profile === 'pipeline')
      return this.profiled('max-rate pipeline', throughput, produced.records / throughput.seconds, heap)
    processor.phase = 'latency'
    const latency = await this.latency(processor, brokers, topics, produced.records / throughput.seconds, produced.records)
    processor.phase = 'after latency'
    if (this.options.profile === 'latency')
      return this.profiled(`latency (${latency.targetRate} records/s)`, latency.window, latency.achievedRate, heap)
    if (!c0 || !floor) throw new Error('the baselines were not measured')
    const peakRssMb = Math.max(processor.peakRssMb, processor.sampleMemory()?.hwmMb ?? 0)
    await this.stopProcessor()
    const countsCorrect = await checkCounts(dataDir, produced.messageEvents + latency.messageEvents)
    const stages = await this.stages()
    const benchSeconds = (performance.now() - this.started) / 1000
    const result = buildResult({
      options: this.options,
      produced,
      c0,
      floor,
      throughput,
      latency,
      peakRssMb,
      peakSample: processor.peakSample,
      countsCorrect,
      stages,
      heap,
      loadBefore: this.loadBefore,
      benchSeconds,
    })
    const dated = writeResult(result)
    printTable(result)
    printStagesTable(stages)
    process.stdout.write(
      `\nwritten ${path.relative(REPO_ROOT, path.join(RESULTS_DIR, 'latest.json'))} and ${path.relative(REPO_ROOT, dated)}\n`,
    )
  }

  private async startBroker(): Promise<string[]> {
    log('starting a Kafka broker')
    this.broker = await startBroker({ log: (message) => log(`  ${message}`) })
    return this.broker.brokers
  }

  private async produce(brokers: string[], topics: Topics): Promise<Produced> {
    log(
      `producing ${fmt(this.options.messages)} messages (+ moderation, reports, duplicates, malformed) to 3 topics x ${PARTITIONS} partitions`,
    )
    const produced = await produceBulk(brokers, topics, this.options.messages)
    log(`  ${fmt(produced.records)} records, ${(produced.bytes / 1e6).toFixed(0)} MB in ${produced.seconds.toFixed(1)} s`)
    return produced
  }

  private async baseline(work: BaselineWork, brokers: string[], topics: Topics, records: number): Promise<BaselineResult> {
    log(work === 'c0' ? 'C0: bare kafkajs consumer' : 'floor: JSON.parse, NFKC and case folding, a 64-bit hash, on one thread')
    const result = await runBaseline(work, brokers, topics, records)
    log(`  ${fmt(result.records)} records in ${result.seconds.toFixed(2)} s: ${fmt(result.records / result.seconds)} records/s`)
    return result
  }

  /** Each stage's time per message, in a process of its own with an embedded engine of its own. */
  private async stages(): Promise<StagesResult> {
    log(`stages: each stage of the processor alone, over ${fmt(this.options.stageMessages)} generated messages`)
    const job: StagesJob = { messages: this.options.stageMessages, dataDir: path.join(this.workDir, 'stages') }
    const sources = new URL('stages.ts', import.meta.url)
    const module = this.options.fromSources ? sources : compiledBenchModule(sources)
    const stages = await runChildJob<StagesJob, StagesResult>(module, job, STAGES_TIMEOUT_MS)
    log(`  ${fmt(stages.records)} records in ${stages.seconds.toFixed(1)} s`)
    return stages
  }

  private async startProcessor(brokers: string[], topics: Topics, dataDir: string): Promise<MeasuredProcessor> {
    log('pipeline: the processor from its first record to the last one committed')
    const port = await freePort()
    const env = { ...benchProcessorEnv(brokers, topics, this.suffix, dataDir, port), ...this.options.processorEnv }
    this.processor = new MeasuredProcessor(
      env,
      port,
      {
        probe: path.join(this.workDir, 'probe.json'),
        profile: this.options.profile ? this.cpuProfileFile : null,
        // Probe signals: 1 and 2 bracket the max-rate phase, 3 and 4 the latency phase.
        profileFrom: this.options.profile === 'latency' ? 3 : 1,
        heap: this.options.heap ? path.join(this.workDir, 'heap.json') : null,
      },
      processorCli(this.options.fromSources),
    )
    await this.processor.waitReady()
    return this.processor
  }

  private get cpuProfileFile(): string {
    return path.join(this.workDir, 'pipeline.cpuprofile')
  }

  private async throughput(processor: MeasuredProcessor, records: number): Promise<Throughput> {
    const throughput = await measureThroughput(processor, records)
    log(`  ${fmt(records)} records in ${throughput.seconds.toFixed(1)} s: ${fmt(records / throughput.seconds)} records/s`)
    return throughput
  }

  private async latency(
    processor: MeasuredProcessor,
    brokers: string[],
    topics: Topics,
    pipelineRate: number,
    written: number,
  ): Promise<LatencyResult> {
    const rate = Math.max(100, Math.round(pipelineRate / 2))
    log(`latency: a live stream at ${fmt(rate)} records/s (half the pipeline's rate) for ${this.options.latencySeconds} s`)
    const latency = await measureLatency(processor, brokers, topics, rate, this.options.latencySeconds, written)
    log(
      `  ${fmt(latency.records)} records at ${fmt(latency.achievedRate)}/s: produce → committed p50 ${fmt(latency.p50Ms)} ms, p99 ${fmt(latency.p99Ms)} ms`,
    )
    return latency
  }

  /** Ends a `--profile` run: the processor stops (which flushes nothing more to measure) and the profile is written. */
  private async profiled(phase: string, window: Window, rate: number, heap: HeapSummary | null): Promise<void> {
    await this.stopProcessor()
    const { messages, processorEnv } = this.options
    await writeCpuProfile(this.cpuProfileFile, { phase, window, rate, messages, heap, processorEnv })
  }

  private async stopProcessor(): Promise<void> {
    await this.processor?.stop()
    this.processor = null
  }

  private async cleanUp(): Promise<void> {
    this.processor?.kill()
    this.processor = null
    await this.broker?.stop()
    rmSync(this.workDir, { recursive: true, force: true })
  }
}

/** The correctness guard: every message event produced is counted once in ClickHouse (read after the processor stopped). */
async function checkCounts(dataDir: string, expected: number): Promise<boolean> {
  log('checking the counts in ClickHouse')
  const [counts] = await query<{ events: string }>(
    dataDir,
    'SELECT sum(created) + sum(edited) + sum(deleted) AS events FROM message_stats_1m',
  )
  const correct = Number(counts?.events) === expected
  if (!correct) log(`  WARNING: message_stats_1m counts ${counts?.events} message events, expected ${expected}`)
  return correct
}
