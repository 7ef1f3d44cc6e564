// The processor under measurement: `abuse-radar run` as a child process (test/support/harness.ts
// spawns it) with the event-loop probe preloaded, its RSS sampled from /proc every 500 ms, its CPU time
// read from /proc, and its /metrics and /readyz read over HTTP.
import { readFileSync } from 'node:fs'
import { sleep, spawnProcessor, stopProcessor, type ProcessorProcess } from '../../test/support/harness.js'
import { scrape, type Sample } from './metrics.js'
import { PROBE_URL, type LoopStats } from './probe.js'
import { cpuSecondsOf, memoryOf, type Memory } from './proc.js'
import type { Topics } from './stream.js'

const STOP_TIMEOUT_MS = 60_000

export interface ProbeFiles {
  /** Where the probe answers each SIGUSR2. */
  probe: string
  /** CPU profile, started by the probe's signal number `profileFrom` and stopped by the next one. */
  profile: string | null
  profileFrom: number
  /** Sampling heap profile, written at the probe's signal number 2. */
  heap: string | null
}

export class MeasuredProcessor {
  readonly process: ProcessorProcess
  peakRssMb = 0
  /** The sample with the highest RSS (how much of it was anonymous, how much file-backed), and the phase it fell in. */
  peakSample: (Memory & { phase: string }) | null = null
  /** What the benchmark is doing now (set by ./run.ts), to say when the peak came. */
  phase = 'start'
  private probeSeq = 0
  private readonly memoryTimer: NodeJS.Timeout

  constructor(
    readonly env: Record<string, string>,
    readonly port: number,
    private readonly files: ProbeFiles,
    /** the CLI entry point to run (./compiled.ts: the compiled build, or the sources through tsx) */
    cli: string,
  ) {
    // NODE_OPTIONS, since the harness runs the CLI without node flags (a data: URL has no spaces to split on).
    const nodeOptions = [process.env.NODE_OPTIONS, `--import=${PROBE_URL}`].filter(Boolean).join(' ')
    this.process = spawnProcessor(
      {
        ...env,
        NODE_OPTIONS: nodeOptions,
        BENCH_PROBE_FILE: files.probe,
        ...(files.profile ? { BENCH_PROFILE_FILE: files.profile, BENCH_PROFILE_FROM: String(files.profileFrom) } : {}),
        ...(files.heap ? { BENCH_HEAP_FILE: files.heap } : {}),
      },
      ['run'],
      cli,
    )
    this.memoryTimer = setInterval(() => this.sampleMemory(), 500)
  }

  get exited(): boolean {
    return this.process.child.exitCode !== null || this.process.child.signalCode !== null
  }

  /** Fails with the processor's stderr when it is gone. */
  assertRunning(): void {
    if (this.exited) throw new Error(`the processor exited:\n${this.process.stderr()}`)
  }

  /** CPU seconds the processor used so far, all threads (the embedded engine's included), from /proc. */
  cpuSeconds(): number {
    const seconds = cpuSecondsOf(this.process.child.pid as number)
    if (seconds === null) throw new Error(`the processor's /proc/<pid>/stat is gone:\n${this.process.stderr()}`)
    return seconds
  }

  sampleMemory(): Memory | null {
    const memory = memoryOf(this.process.child.pid as number)
    if (memory && memory.rssMb > this.peakRssMb) {
      this.peakRssMb = memory.rssMb
      this.peakSample = { ...memory, phase: this.phase }
    }
    return memory
  }

  /** The processor's /metrics; a failure is retried while it runs, and reported with its stderr once it exited. */
  async metrics(): Promise<Sample[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await scrape(this.port)
      } catch (error) {
        if (this.exited || attempt >= 10) {
          await Promise.race([this.process.exited, sleep(2000)])
          const { exitCode, signalCode } = this.process.child
          throw new Error(
            `scraping the processor failed (${(error as Error).message}); exit ${exitCode ?? signalCode ?? 'none'}:\n${this.process.stderr()}`,
            {
              cause: error,
            },
          )
        }
        await sleep(1000)
      }
    }
  }

  /** Event-loop delay since the previous call (and, with profiling, starts or stops the profiler). */
  async loop(): Promise<LoopStats> {
    const want = ++this.probeSeq
    this.process.child.kill('SIGUSR2')
    const deadline = performance.now() + 10_000
    for (;;) {
      try {
        const stats = JSON.parse(readFileSync(this.files.probe, 'utf8')) as LoopStats
        if (stats.seq === want) return stats
      } catch {
        // not written yet
      }
      if (performance.now() > deadline) throw new Error('the event-loop probe did not answer')
      await sleep(20)
    }
  }

  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      this.assertRunning()
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/readyz`)).status === 200) return
      } catch {
        // not listening yet
      }
      if (performance.now() > deadline) throw new Error(`the processor was not ready after ${timeoutMs} ms:\n${this.process.stderr()}`)
      await sleep(200)
    }
  }

  /** SIGTERM and a clean exit (SIGKILL after a minute, which is then an error). */
  async stop(): Promise<void> {
    clearInterval(this.memoryTimer)
    if (this.exited) return
    const killer = setTimeout(() => this.process.child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    try {
      await stopProcessor(this.process)
    } finally {
      clearTimeout(killer)
    }
  }

  kill(): void {
    clearInterval(this.memoryTimer)
    if (!this.exited) this.process.child.kill('SIGKILL')
  }
}

/**
 * The processor's environment: the default configuration on the benchmark's broker, topics and data
 * directory (unlike the tests' processorEnv, which shortens timeouts and flush intervals).
 */
export function benchProcessorEnv(
  brokers: string[],
  topics: Topics,
  suffix: string,
  dataDir: string,
  port: number,
): Record<string, string> {
  return {
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
  }
}
