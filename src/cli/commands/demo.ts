import { Command } from 'commander'
import type { SourceRecord } from '../../domain/ports.js'
import { createLogger } from '../../observability/logger.js'
import { generateRecords } from '../../generator/index.js'
import { addCommonOptions, configFromOptions, positiveInteger, type CommonOptions } from '../options.js'
import { buildLocalPipeline, loadPipelineInputs } from '../runtime.js'
import { driveRecords } from './run.js'
import { pace } from './generate.js'

interface DemoOptions extends CommonOptions {
  messages: string
  rate: string
  seed?: string
  partitions: string
}

/**
 * `npm start`: the whole pipeline on embedded defaults with no Kafka: a generated live stream, the
 * embedded ClickHouse in ./data, metrics served, progress on the terminal; Ctrl-C stops cleanly.
 */
export function demoCommand(): Command {
  return addCommonOptions(
    new Command('demo')
      .description('run the pipeline on a generated live stream into the embedded ClickHouse (no Kafka needed); Ctrl-C to stop')
      .option('-n, --messages <n>', 'messages to generate before stopping by itself', '1000000')
      .option('--rate <n>', 'records per second', '3000')
      .option('--seed <n>', 'random seed (default: from the clock, so each run adds new events)')
      .option('--partitions <n>', 'partitions the stream is spread over, as Kafka would', '6'),
  ).action(async (options: DemoOptions) => {
    const config = configFromOptions(options, { 'observability.log_level': process.env.LOG_LEVEL ?? 'warn' })
    const logger = createLogger(config.settings.observability.log_level)
    const messages = positiveInteger(options.messages, '--messages')
    const rate = positiveInteger(options.rate, '--rate')
    const partitions = positiveInteger(options.partitions, '--partitions')
    const seed = options.seed ? Number(options.seed) : Date.now() % 2_147_483_647
    const parts = await buildLocalPipeline(config, loadPipelineInputs(config, logger), logger, {
      cutBySizeOnly: false,
      resumable: false,
      topic: config.settings.kafka.topics.messages,
    })
    const generated = generateRecords({ seed, messages, startMs: Date.now(), ratePerSecond: rate, topics: config.settings.kafka.topics })
    const { totals } = await driveRecords(config, parts, logger, partitioned(pace(generated, rate), partitions, `demo-${seed}`), {
      progressMs: 2000,
      // the port actually served: an ephemeral one when the configured one is taken
      onServing: (url) =>
        process.stderr.write(
          `abuse-radar demo: ${rate} records/s (seed ${seed}) into the embedded ClickHouse at ${parts.store.location}\n` +
            `  metrics: ${url}/metrics   query: npx abuse-radar sql "SELECT ..." after stopping   Ctrl-C to stop\n`,
        ),
    })
    process.stderr.write(`abuse-radar demo: stopped. ${JSON.stringify(totals)}\n`)
    process.stderr.write(
      `  try: npx abuse-radar sql "SELECT chat_type, sum(created) AS messages, sum(spam) AS spam FROM message_stats_1m GROUP BY chat_type"\n`,
    )
  })
}

/**
 * Spreads records over partitions by key, with per-partition offsets, as a Kafka topic would. The
 * source topic names carry the run, so batches of different runs never share a deduplication token.
 */
async function* partitioned(
  records: AsyncIterable<{ topic: string; key: string | null; value: Buffer }>,
  partitions: number,
  run: string,
): AsyncGenerator<SourceRecord> {
  const offsets = new Map<string, number>()
  let roundRobin = 0
  for await (const record of records) {
    const partition = record.key === null ? roundRobin++ % partitions : keyHash(record.key) % partitions
    const id = `${record.topic}:${partition}`
    const offset = offsets.get(id) ?? 0
    offsets.set(id, offset + 1)
    yield { topic: `${record.topic}@${run}`, partition, offset, value: record.value, timestampMs: Date.now() }
  }
}

function keyHash(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return h >>> 0
}
