import { closeSync, openSync } from 'node:fs'
import { constants } from 'node:os'
import { isatty } from 'node:tty'
import { Command } from 'commander'
import type { Config } from '../../config/schema.js'
import { exitCodeOf } from '../../domain/errors.js'
import type { Logger, SourceRecord } from '../../domain/ports.js'
import { createLogger } from '../../observability/logger.js'
import { startHttpServer, type HealthChecks } from '../../observability/http.js'
import { Metrics } from '../../observability/metrics.js'
import { fileSource, streamSource } from '../../sources/file/ndjson.js'
import { detachStandardInput } from '../../sources/file/stdin.js'
import { driveLocal } from '../../pipeline/local-drive.js'
import { UnwrittenAtStopError } from '../../pipeline/stop-signal.js'
import { addCommonOptions, configFromOptions, requireReadableFile, type CommonOptions } from '../options.js'
import {
  checkKafkaInputs,
  KafkaPipeline,
  buildLocalPipeline,
  loadPipelineInputs,
  openMigratedStore,
  probeStore,
  type PipelineInputs,
  type PipelineParts,
} from '../runtime.js'
import { ProgressReporter } from '../progress.js'
import { startSignals } from '../signals.js'

interface RunOptions extends CommonOptions {
  input?: string
  progress?: boolean
}

export function runCommand(): Command {
  return addCommonOptions(
    new Command('run')
      .description('consume the Kafka topics (or replay a file) and write the aggregates to ClickHouse')
      .option(
        '-i, --input <file>',
        'replay an NDJSON file of records (one JSON object a line, any of the three schemas; - for standard input) instead of Kafka; exits when everything is written',
      )
      .option('--progress', 'print a progress line to stderr every few seconds (observability.progress_interval_ms sets how often)')
      .addHelpText(
        'after',
        [
          '',
          "A replayed file keeps its position in ClickHouse (table file_checkpoints, keyed by the file's name and content):",
          'stopped by a signal or killed, the same file run again continues exactly where it stopped; a file replayed',
          'to its end before is not counted again ("nothingToDo": true). Standard input cannot be read again: it is',
          'never resumed, and a rerun of the same records counts their dead letters again (valid events are recognised',
          'by event_id within pipeline.dedup_horizon_hours). A replay serves /metrics on observability.http_port, or on',
          'an ephemeral port (logged) when that one is taken.',
          '',
          'Exit codes: 0 after a clean shutdown (SIGTERM/SIGINT) of the Kafka consumer or a finished replay; 130 (SIGINT)',
          'or 143 (SIGTERM) when a replay was stopped before its end (what it read is written; run it again to finish), or',
          'when the Kafka consumer stopped with records it could not write in time (left uncommitted, consumed again after',
          'a restart); 1 on a fatal error; 2 on invalid configuration. A stop prints a one-line JSON summary on stdout.',
        ].join('\n'),
      ),
  ).action(async (options: RunOptions) => {
    const config = configFromOptions(options)
    const logger = createLogger(config.settings.observability.log_level)
    if (options.input && options.input !== STDIN) requireReadableFile(options.input, '--input')
    const inputs = loadPipelineInputs(config, logger)
    if (options.input !== STDIN) leaveStandardInputUnread()
    if (options.input) await replayInput(config, inputs, logger, options.input, progressIntervalMs(config, options.progress, 2000))
    else await consumeKafka(config, inputs, logger, progressIntervalMs(config, options.progress, 5000))
  })
}

/** `--input -` */
const STDIN = '-'

/**
 * Standard input that nothing here reads (a file replay, the Kafka consumer) becomes /dev/null
 * before the store opens: the embedded engine reads a piped descriptor 0 as data for every INSERT
 * and refuses them all (ClickHouse error 48), as `echo hi | abuse-radar run --input f.ndjson` did.
 * `--input -` moves its input off descriptor 0 instead (sources/file/stdin.ts).
 */
function leaveStandardInputUnread(): void {
  if (isatty(0)) return
  closeSync(0)
  // the lowest free descriptor: 0, just closed
  const devNull = openSync('/dev/null', 'r')
  if (devNull !== 0) throw new Error(`standard input: /dev/null opened as descriptor ${devNull}, not 0`)
}

/** observability.progress_interval_ms when set, else `fallbackMs` with --progress; 0: no progress line. */
function progressIntervalMs(config: Config, flag: boolean | undefined, fallbackMs: number): number {
  return config.settings.observability.progress_interval_ms || (flag === true ? fallbackMs : 0)
}

/**
 * Replays a file from its checkpoint (or standard input from its start) and prints the run's summary
 * as one JSON line on stdout. Stopped by a signal, the exit code is 128 + the signal's number.
 */
async function replayInput(config: Config, inputs: PipelineInputs, logger: Logger, input: string, progressMs: number): Promise<void> {
  const maxLineBytes = config.settings.pipeline.max_record_bytes
  const stdin = input === STDIN ? detachStandardInput() : null
  const source = stdin ? streamSource(stdin.stream, maxLineBytes, Date.now()) : await fileSource(input, maxLineBytes)
  const parts = await buildLocalPipeline(config, inputs, logger, {
    cutBySizeOnly: true,
    resumable: source.resumable,
    topic: source.topic,
  })
  const checkpoint = await parts.checkpoints.load(source.topic, 0)
  const resumedFrom = Math.max(0, checkpoint.nextOffset)
  if (resumedFrom > 0) {
    logger.info(
      { input, source: source.topic, line: resumedFrom, replayingUntil: checkpoint.inflightLastOffset },
      'resuming the replay where the last run stopped',
    )
  }
  // Standard input is left where it stands when a signal stops the run: nothing may keep waiting on it.
  const run = await driveRecords(config, parts, logger, source.read(resumedFrom), { progressMs }).finally(() => stdin?.close())
  const nothingToDo = resumedFrom > 0 && run.recordsRead === 0 && run.interruptedBy === null
  if (nothingToDo) logger.info({ input, source: source.topic, lines: resumedFrom }, 'replayed to its end before: nothing to do')
  if (run.interruptedBy) {
    logger.warn(
      { input, signal: run.interruptedBy },
      source.resumable ? 'stopped before the end: run it again to continue' : 'stopped before the end of standard input',
    )
  }
  const summary = {
    file: input,
    source: source.topic,
    resumedFrom: source.resumable ? resumedFrom : null,
    interrupted: run.interruptedBy !== null,
    nothingToDo,
    ...run.totals,
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`)
  if (run.interruptedBy) process.exitCode = 128 + constants.signals[run.interruptedBy]
}

async function serveHttp(
  config: Config,
  metrics: Metrics,
  health: HealthChecks,
  logger: Logger,
  port = config.settings.observability.http_port,
) {
  const http = await startHttpServer(config.settings.observability.http_host, port, metrics.registry, health)
  logger.info({ url: http.url }, 'serving /metrics, /livez, /readyz')
  return http
}

/**
 * A local run does not need the configured port (two replays at once, a replay beside the consumer):
 * when it is taken, the same endpoints go on an ephemeral port, logged. A Kafka consumer keeps
 * failing instead: Prometheus scrapes it at the configured port.
 */
async function serveHttpAnywhere(config: Config, metrics: Metrics, health: HealthChecks, logger: Logger) {
  try {
    return await serveHttp(config, metrics, health, logger)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    const http = await serveHttp(config, metrics, health, logger, 0)
    logger.warn({ url: http.url, port: config.settings.observability.http_port }, 'metrics port taken: serving on an ephemeral port')
    return http
  }
}

/**
 * What the start would fail on is checked before anything is opened: the store (a server that does
 * not answer, an embedded engine not installed), then the input topics. A missing topic then leaves
 * nothing created and the embedded engine never started (its teardown at exit can hang a process
 * that started it moments before: docs/limits.md). A signal while the brokers are still being asked
 * (kafkajs retries an unreachable one for about half a minute) ends the process at once, as one
 * before the start would.
 */
async function checkBeforeOpening(config: Config, logger: Logger): Promise<void> {
  const leaveNow = (signal: NodeJS.Signals) => {
    logger.info({ reason: signal, code: 0 }, 'stopped')
    process.exit(0)
  }
  process.once('SIGTERM', leaveNow)
  process.once('SIGINT', leaveNow)
  try {
    await probeStore(config)
    await checkKafkaInputs(config, logger)
  } finally {
    process.off('SIGTERM', leaveNow)
    process.off('SIGINT', leaveNow)
  }
}

async function consumeKafka(config: Config, inputs: PipelineInputs, logger: Logger, progressMs: number): Promise<void> {
  await checkBeforeOpening(config, logger)
  const metrics = new Metrics()
  const store = await openMigratedStore(config, logger, metrics)
  const pipeline = await KafkaPipeline.create(config, logger, store, metrics, inputs)
  const http = await serveHttp(
    config,
    metrics,
    {
      sinceLastTickMs: () => pipeline.sinceLastTickMs(),
      sourceReady: () => pipeline.source.ready,
      sinkReachable: () => store.store.ping(),
      failingWrites: () => pipeline.processor.failingWrites(),
      unreadyAfterFailingMs: config.settings.pipeline.unready_after_failing_seconds * 1000,
    },
    logger,
  )
  const reporter = progressMs > 0 ? new ProgressReporter(metrics, progressMs) : null
  const stopSignals = startSignals(store.store, metrics, config, logger)
  // The one way out, taken once: a signal, a fatal error or a failed start, whichever comes first.
  let stopping = false
  const beginLeaving = (): boolean => {
    if (stopping) return false
    stopping = true
    stopSignals()
    reporter?.stop()
    return true
  }
  const closeServing = async () => {
    await http.close()
    await store.close()
  }
  const shutdown = async (reason: string, code: number, signal: NodeJS.Signals | null = null) => {
    if (!beginLeaving()) return
    logger.info({ reason }, 'shutting down: stop fetching, write, commit, disconnect')
    let unwritten: string | null = null
    try {
      await pipeline.stop()
    } catch (error) {
      if (signal && error instanceof UnwrittenAtStopError) {
        // Interrupted, as a replay stopped before its end: what was written is committed, the rest is read again.
        unwritten = error.message
        code = 128 + constants.signals[signal]
        logger.warn({ signal, err: unwritten }, 'stopped with records unwritten; they are consumed again after a restart')
      } else {
        logger.error({ err: (error as Error).message }, 'final write failed; the records will be consumed again after a restart')
        code ||= 1
      }
    }
    if (signal) {
      const summary = { source: 'kafka', group: config.settings.kafka.group_id, interrupted: unwritten !== null, unwritten }
      process.stdout.write(`${JSON.stringify({ ...summary, ...(await metrics.totals()) })}\n`)
    }
    await closeServing()
    logger.info({ code }, 'stopped')
    process.exit(code)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0, 'SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT', 0, 'SIGINT'))
  try {
    await pipeline.start()
  } catch (error) {
    // A failed start (a refused member, an unreachable broker) is reported by main with its code.
    // The embedded engine is closed first: left open, its teardown at exit held a process that had
    // printed its error for minutes more often. A signal's shutdown already under way closes them and exits.
    if (!beginLeaving()) return new Promise<never>(() => {})
    await closeServing()
    throw error
  }
  // Registered once started, so a failed start has one reporter (above); an error of the processor
  // during the start is told at once.
  pipeline.onFatal((error) => {
    logger.error({ err: error.message }, 'fatal error')
    void shutdown('fatal error', exitCodeOf(error))
  })
}

export interface LocalRunOptions {
  /** A progress line every this many ms; 0: none. */
  progressMs: number
  /** Told where /metrics is served (the configured port, or an ephemeral one when it was taken). */
  onServing?: (url: string) => void
}

export interface LocalRun {
  totals: Record<string, number>
  /** Records this run read from the stream. */
  recordsRead: number
  /** The signal that stopped the run before the stream's end (what was read is written), or null. */
  interruptedBy: NodeJS.Signals | null
}

/**
 * Runs a local record stream to its end (or SIGINT/SIGTERM) with metrics served; shared by replays and
 * the demo. A signal stops reading, and what was read is written and committed; a second one ends the
 * process at once, which the checkpoint's in-flight mark makes as safe as a SIGKILL.
 */
export async function driveRecords(
  config: Config,
  parts: PipelineParts,
  logger: Logger,
  records: AsyncIterable<SourceRecord>,
  options: LocalRunOptions,
): Promise<LocalRun> {
  let lastTick = performance.now()
  const ticker = setInterval(() => (lastTick = performance.now()), 1000)
  const http = await serveHttpAnywhere(
    config,
    parts.metrics,
    {
      sinceLastTickMs: () => performance.now() - lastTick,
      sourceReady: () => true,
      sinkReachable: () => parts.store.store.ping(),
      failingWrites: () => parts.processor.failingWrites(),
      unreadyAfterFailingMs: config.settings.pipeline.unready_after_failing_seconds * 1000,
    },
    logger,
  )
  options.onServing?.(http.url)
  const reporter = options.progressMs > 0 ? new ProgressReporter(parts.metrics, options.progressMs) : null
  const stopSignals = startSignals(parts.store.store, parts.metrics, config, logger)
  // widened: set in callbacks, which narrowing from the initializer cannot see
  let interruptedBy = null as NodeJS.Signals | null
  let fatal = null as Error | null
  let stop = () => {}
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const interrupt = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal
    // backoff waits end now, and the final write is bounded by pipeline.shutdown_grace_ms
    parts.processor.beginStop()
    stop()
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  parts.processor.onFatal((error) => {
    fatal = error
    stop()
  })
  let recordsRead: number
  try {
    recordsRead = await driveLocal(records, parts.processor, { chunkSize: 2000, idleMs: 500, stopped })
  } finally {
    await parts.processor.close()
    await parts.similarity.stop()
    clearInterval(ticker)
    stopSignals()
    reporter?.stop()
    await http.close()
    await parts.store.close()
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
  if (fatal) throw fatal
  return { totals: await parts.metrics.totals(), recordsRead, interruptedBy }
}
