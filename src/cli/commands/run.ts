import { Command } from 'commander'
import type { Config } from '../../config/schema.js'
import { exitCodeOf } from '../../domain/errors.js'
import type { Logger, SourceRecord } from '../../domain/ports.js'
import { createLogger } from '../../observability/logger.js'
import { startHttpServer, type HealthChecks } from '../../observability/http.js'
import { Metrics } from '../../observability/metrics.js'
import { readNdjson } from '../../sources/file/ndjson.js'
import { driveLocal } from '../../pipeline/local-drive.js'
import { addCommonOptions, configFromOptions, requireReadableFile, type CommonOptions } from '../options.js'
import {
  KafkaPipeline,
  buildLocalPipeline,
  loadPipelineInputs,
  openMigratedStore,
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
        'replay an NDJSON file of records (one JSON object a line, any of the three schemas) instead of Kafka; exits when everything is written',
      )
      .option('--progress', 'print a progress line to stderr every few seconds')
      .addHelpText(
        'after',
        '\nExit codes: 0 after a clean shutdown (SIGTERM/SIGINT) or a finished replay; 1 on a fatal error;\n2 on invalid configuration.',
      ),
  ).action(async (options: RunOptions) => {
    const config = configFromOptions(options)
    const logger = createLogger(config.settings.observability.log_level)
    if (options.input) requireReadableFile(options.input, '--input')
    const inputs = loadPipelineInputs(config, logger)
    if (options.input) {
      const parts = await buildLocalPipeline(config, inputs, logger)
      const summary = await driveRecords(
        config,
        parts,
        logger,
        readNdjson(options.input, config.settings.pipeline.max_record_bytes),
        options.progress === true,
      )
      process.stdout.write(`${JSON.stringify({ file: options.input, ...summary })}\n`)
    } else {
      await consumeKafka(config, inputs, logger, options.progress === true)
    }
  })
}

async function serveHttp(config: Config, metrics: Metrics, health: HealthChecks, logger: Logger) {
  const { http_host, http_port } = config.settings.observability
  const http = await startHttpServer(http_host, http_port, metrics.registry, health)
  logger.info({ url: http.url }, 'serving /metrics, /livez, /readyz')
  return http
}

async function consumeKafka(config: Config, inputs: PipelineInputs, logger: Logger, progress: boolean): Promise<void> {
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
    },
    logger,
  )
  const reporter = progress ? new ProgressReporter(metrics, 5000) : null
  const stopSignals = startSignals(store.store, metrics, config, logger)
  let stopping = false
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return
    stopping = true
    logger.info({ reason }, 'shutting down: stop fetching, write, commit, disconnect')
    stopSignals()
    reporter?.stop()
    try {
      await pipeline.stop()
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'final write failed; the records will be consumed again after a restart')
      code ||= 1
    }
    await http.close()
    await store.close()
    logger.info({ code }, 'stopped')
    process.exit(code)
  }
  pipeline.onFatal((error) => {
    logger.error({ err: error.message }, 'fatal error')
    void shutdown('fatal error', exitCodeOf(error))
  })
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0))
  process.once('SIGINT', () => void shutdown('SIGINT', 0))
  await pipeline.start()
}

/**
 * Runs a local record stream to its end (or Ctrl-C) with metrics served; shared by file replays and
 * the demo. Returns the totals.
 */
export async function driveRecords(
  config: Config,
  parts: PipelineParts,
  logger: Logger,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  progress: boolean,
): Promise<Record<string, number>> {
  let lastTick = performance.now()
  const ticker = setInterval(() => (lastTick = performance.now()), 1000)
  const http = await serveHttp(
    config,
    parts.metrics,
    { sinceLastTickMs: () => performance.now() - lastTick, sourceReady: () => true, sinkReachable: () => parts.store.store.ping() },
    logger,
  )
  const reporter = progress ? new ProgressReporter(parts.metrics, 2000) : null
  const stopSignals = startSignals(parts.store.store, parts.metrics, config, logger)
  let interrupted = false
  const interrupt = () => {
    interrupted = true
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  // widened: set in a callback, which narrowing from the initializer cannot see
  let fatal = null as Error | null
  parts.processor.onFatal((error) => {
    fatal = error
    interrupted = true
  })
  try {
    await driveLocal(records, parts.processor, { chunkSize: 2000, shouldStop: () => interrupted })
  } finally {
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
  return parts.metrics.totals()
}
