import { Command } from 'commander'
import type { Config } from '../../config/schema.js'
import type { Logger, SourceRecord } from '../../domain/ports.js'
import { createLogger } from '../../observability/logger.js'
import { startHttpServer } from '../../observability/http.js'
import { readNdjson } from '../../sources/file/ndjson.js'
import { KafkaSource } from '../../sources/kafka/source.js'
import { LocalCheckpoints, driveLocal } from '../../pipeline/local-drive.js'
import type { Checkpointer } from '../../pipeline/processor.js'
import { addCommonOptions, configFromOptions, type CommonOptions } from '../options.js'
import { buildPipeline, type PipelineParts } from '../runtime.js'
import { ProgressReporter } from '../progress.js'

interface RunOptions extends CommonOptions {
  input?: string
  progress?: boolean
}

export function runCommand(): Command {
  return addCommonOptions(
    new Command('run')
      .description('consume the Kafka topics (or replay a file) and write the aggregates to ClickHouse')
      .option('-i, --input <file>', 'replay an NDJSON file of records (one JSON object a line, any of the three schemas) instead of Kafka; exits when everything is written')
      .option('--progress', 'print a progress line to stderr every few seconds')
      .addHelpText(
        'after',
        '\nExit codes: 0 after a clean shutdown (SIGTERM/SIGINT) or a finished replay; 1 on a fatal error;\n2 on invalid configuration.',
      ),
  ).action(async (options: RunOptions) => {
    const config = configFromOptions(options)
    const logger = createLogger(config.settings.observability.log_level)
    if (options.input) await replayFile(config, logger, options.input, options.progress === true)
    else await consumeKafka(config, logger, options.progress === true)
  })
}

/** The processing loop's tick: writes due batches and proves liveness. */
function startFlushLoop(parts: PipelineParts, flushIntervalMs: number): { lastTickMs: () => number; stop(): void } {
  let last = performance.now()
  let running = false
  const timer = setInterval(
    () => {
      last = performance.now()
      if (running) return
      running = true
      parts.processor.flush(false).then(
        () => (running = false),
        () => (running = false),
      )
    },
    Math.max(10, Math.min(250, Math.floor(flushIntervalMs / 4))),
  )
  return { lastTickMs: () => performance.now() - last, stop: () => clearInterval(timer) }
}

async function serveHttp(config: Config, parts: PipelineParts, loop: { lastTickMs: () => number }, sourceReady: () => boolean, logger: Logger) {
  const { http_host, http_port } = config.settings.observability
  const http = await startHttpServer(http_host, http_port, parts.metrics.registry, {
    sinceLastTickMs: loop.lastTickMs,
    sourceReady,
    sinkReachable: () => parts.store.store.ping(),
  })
  logger.info({ url: http.url }, 'serving /metrics, /livez, /readyz')
  return http
}

async function consumeKafka(config: Config, logger: Logger, progress: boolean): Promise<void> {
  const { kafka } = config.settings
  const source = new KafkaSource({
    brokers: kafka.brokers,
    clientId: kafka.client_id,
    groupId: kafka.group_id,
    topics: [kafka.topics.messages, kafka.topics.moderation, kafka.topics.reports],
    fromBeginning: kafka.from_beginning,
    ssl: kafka.ssl,
    sasl: { mechanism: kafka.sasl.mechanism, username: kafka.sasl.username, password: config.secrets.kafkaSaslPassword },
    sessionTimeoutMs: kafka.session_timeout_ms,
    rebalanceTimeoutMs: kafka.rebalance_timeout_ms,
    heartbeatIntervalMs: kafka.heartbeat_interval_ms,
    maxBytesPerPartition: kafka.max_bytes_per_partition,
    maxBytes: kafka.max_bytes,
    partitionsConsumedConcurrently: kafka.partitions_consumed_concurrently,
    logger,
  })
  const parts = await buildPipeline(config, logger, source, { cutBySizeOnly: false })
  const { processor, metrics } = parts
  const loop = startFlushLoop(parts, config.settings.pipeline.flush_interval_ms)
  const http = await serveHttp(config, parts, loop, () => source.ready, logger)
  const reporter = progress ? new ProgressReporter(metrics, 5000) : null
  source.onRebalance(() => metrics.rebalances.inc())
  processor.onPauseChange((paused) => {
    logger.warn({ paused, buffered: processor.buffered }, paused ? 'backpressure: pausing consumption' : 'backpressure released: resuming')
    if (paused) source.pause()
    else source.resume()
  })
  const lagTimer = setInterval(() => void updateLag(source, parts).catch(() => {}), 10_000)
  let stopping = false
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return
    stopping = true
    logger.info({ reason }, 'shutting down: stop fetching, write, commit, disconnect')
    clearInterval(lagTimer)
    source.pause()
    processor.beginStop()
    try {
      await processor.flush(true)
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'final write failed; the records will be consumed again after restart')
      code = code || 1
    }
    loop.stop()
    reporter?.stop()
    await source.stop()
    await http.close()
    await parts.store.close()
    logger.info({ code }, 'stopped')
    process.exit(code)
  }
  processor.onFatal((error) => {
    logger.error({ err: error.message }, 'fatal error')
    void shutdown('fatal error', 1)
  })
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0))
  process.once('SIGINT', () => void shutdown('SIGINT', 0))
  await source.start(processor)
  logger.info({ topics: Object.values(kafka.topics), group: kafka.group_id, brokers: kafka.brokers }, 'consuming')
}

async function updateLag(source: KafkaSource, parts: PipelineParts): Promise<void> {
  const positions = new Map(parts.processor.positions().map((p) => [`${p.topic}:${p.partition}`, p.nextOffset]))
  for (const { topic, partition, high } of await source.highWatermarks()) {
    const next = positions.get(`${topic}:${partition}`)
    if (next !== undefined) parts.metrics.consumerLag.set({ topic, partition: String(partition) }, Math.max(0, high - next))
  }
}

/** Replays a file through the same pipeline, then exits; prints a summary as one JSON line on stdout. */
async function replayFile(config: Config, logger: Logger, file: string, progress: boolean): Promise<void> {
  const checkpoints: Checkpointer = new LocalCheckpoints()
  const parts = await buildPipeline(config, logger, checkpoints, { cutBySizeOnly: true })
  const summary = await driveRecords(config, parts, logger, readNdjson(file, config.settings.pipeline.max_record_bytes), progress)
  process.stdout.write(`${JSON.stringify({ file, ...summary })}\n`)
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
  const loop = startFlushLoop(parts, config.settings.pipeline.flush_interval_ms)
  const http = await serveHttp(config, parts, loop, () => true, logger)
  const reporter = progress ? new ProgressReporter(parts.metrics, 2000) : null
  let interrupted = false
  const interrupt = () => {
    interrupted = true
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  let fatal: Error | null = null
  parts.processor.onFatal((error) => {
    fatal = error
    interrupted = true
  })
  try {
    await driveLocal(records, parts.processor, { chunkSize: 2000, shouldStop: () => interrupted })
  } finally {
    loop.stop()
    reporter?.stop()
    await http.close()
    await parts.store.close()
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
  if (fatal) throw fatal
  return parts.metrics.totals()
}
