import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import { Command, Option } from 'commander'
import { generateRecords, type GeneratedRecord, type GroundTruth } from '../../generator/index.js'
import { KafkaWriter } from '../../sources/kafka/producer.js'
import { AbuseRadarError } from '../../domain/errors.js'
import { addCommonOptions, configFromOptions, positiveInteger, type CommonOptions } from '../options.js'

interface GenerateOptions extends CommonOptions {
  out?: string
  kafka?: boolean
  messages: string
  seed: string
  rate?: string
  start?: string
  truth?: string
  partitions: string
}

export function generateCommand(): Command {
  return addCommonOptions(
    new Command('generate')
      .description(
        'write a synthetic Telegram-like stream (organic chats, spam campaigns, clones, look-alikes, moderation, reports, malformed records), deterministic for a seed',
      )
      .option('-o, --out <file>', 'write NDJSON records to this file (- for stdout)')
      .option('--kafka', 'produce to the configured Kafka topics (created if missing)')
      .option('-n, --messages <n>', 'message.v1 events to generate (other kinds come in proportion)', '10000')
      .option('--seed <n>', 'random seed: the same seed gives the same stream', '1')
      .option('--rate <n>', 'records per second of wall time (default: as fast as possible)')
      .option('--start <time>', 'event time of the first record (RFC 3339; default: now minus the stream span at 50 events/s)')
      .option('--truth <file>', 'also write the ground truth (campaign of each message, clone and look-alike chats) as JSON')
      .addOption(new Option('--partitions <n>', 'partitions of topics created by --kafka').default('6')),
  ).action(async (options: GenerateOptions) => {
    if (!options.out === !options.kafka) throw new AbuseRadarError('AR_USAGE', 'give exactly one of --out FILE and --kafka')
    const config = configFromOptions(options)
    const messages = positiveInteger(options.messages, '--messages')
    const rate = options.rate === undefined ? null : positiveInteger(options.rate, '--rate')
    const startMs = options.start ? Date.parse(options.start) : Date.now() - Math.ceil(messages / 50) * 1000
    if (!Number.isFinite(startMs)) throw new AbuseRadarError('AR_USAGE', `--start: not a time: ${options.start}`)
    const truth: GroundTruth | null = options.truth
      ? { campaignOf: new Map(), cloneOf: new Map(), lookalikeOf: new Map(), spamChats: new Set() }
      : null
    const records = generateRecords({
      seed: positiveInteger(options.seed, '--seed'),
      messages,
      startMs,
      topics: config.settings.kafka.topics,
      ...(rate ? { ratePerSecond: rate } : {}),
      ...(truth ? { truth } : {}),
    })
    const paced = rate ? pace(records, rate) : records
    let written = 0
    if (options.kafka) {
      const writer = new KafkaWriter({
        brokers: config.settings.kafka.brokers,
        clientId: `${config.settings.kafka.client_id}-generator`,
        partitions: positiveInteger(options.partitions, '--partitions'),
      })
      await writer.connect(Object.values(config.settings.kafka.topics))
      try {
        let batch: GeneratedRecord[] = []
        for await (const record of paced) {
          batch.push(record)
          if (batch.length >= 1000) {
            await writer.send(batch)
            written += batch.length
            batch = []
          }
        }
        await writer.send(batch)
        written += batch.length
      } finally {
        await writer.close()
      }
    } else {
      const out = options.out === '-' ? process.stdout : createWriteStream(options.out as string)
      for await (const record of paced) {
        const flowing = out.write(record.value)
        if (!out.write('\n') || !flowing) await once(out, 'drain')
        written++
      }
      if (out !== process.stdout)
        await new Promise<void>((resolve, reject) =>
          (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())),
        )
    }
    if (truth && options.truth) await writeFile(options.truth, JSON.stringify(truthToJson(truth), null, 1))
    process.stderr.write(`abuse-radar generate: ${written} records written\n`)
  })
}

/** Yields records no faster than `perSecond`, in small bursts. */
export async function* pace<T>(records: Iterable<T>, perSecond: number): AsyncGenerator<T> {
  const started = performance.now()
  let count = 0
  for (const record of records) {
    yield record
    if (++count % Math.max(1, Math.floor(perSecond / 20)) === 0) {
      const due = started + (count / perSecond) * 1000
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
  }
}

export function truthToJson(truth: GroundTruth) {
  return {
    campaignOf: Object.fromEntries(truth.campaignOf),
    cloneOf: Object.fromEntries(truth.cloneOf),
    lookalikeOf: Object.fromEntries(truth.lookalikeOf),
    spamChats: [...truth.spamChats],
  }
}
