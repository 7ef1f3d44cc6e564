import path from 'node:path'
import { constants } from 'node:os'
import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { collectBacktestDiff, diffRows } from '../../backtest/diff.js'
import { renderBacktestHtml } from '../../backtest/html.js'
import { rulesVersionOf } from '../../backtest/rule-versions.js'
import { collectSamples } from '../../backtest/samples.js'
import { countLines, counted, newRunId, progressLine, scratchDatabase } from '../../backtest/run.js'
import { loadRulesFile } from '../../config/analysis-files.js'
import { PACKAGE_ROOT } from '../../config/load.js'
import type { Config } from '../../config/schema.js'
import { AbuseRadarError } from '../../domain/errors.js'
import type { Logger, SourceRecord } from '../../domain/ports.js'
import { createLogger } from '../../observability/logger.js'
import { Metrics } from '../../observability/metrics.js'
import { LocalCheckpoints, driveLocal } from '../../pipeline/local-drive.js'
import { copyToShadowStatement } from '../../sinks/clickhouse/schema/rule-outcomes.js'
import { fileSource } from '../../sources/file/ndjson.js'
import { readTimeRange } from '../../sources/kafka/range.js'
import { parseReportTime } from '../../reports/rules/outcomes.js'
import { formatRows } from '../format.js'
import { addCommonOptions, configFromOptions, requireReadableFile, type CommonOptions } from '../options.js'
import { StateWriter, createProcessor, loadPipelineInputs, openStore, schemaOptions, type PipelineInputs, type Store } from '../runtime.js'

/** Campaigns shown for each of newly flagged and no longer flagged. */
const SAMPLES_SHOWN = 10

interface BacktestOptions extends CommonOptions {
  input?: string
  from?: string
  to?: string
  rules?: string
  json?: boolean
  out?: string
}

export function backtestCommand(): Command {
  return addCommonOptions(
    new Command('backtest')
      .description(
        "replay past traffic through the whole analysis with a candidate configuration, into shadow tables, and compare with production's verdicts on the same message versions",
      )
      .option('-i, --input <file>', 'an NDJSON file of past records (as `run --input` reads)')
      .option('--from <time>', 'instead of --input: the records of the Kafka topics from this day (YYYY-MM-DD) or RFC 3339 time')
      .option('--to <time>', 'with --from: up to this time (excluded), read by a group of its own that commits nothing')
      .option('--rules <file>', 'the candidate rules file (default: the configured scoring.rules_file)')
      .option('--json', 'print the diff as one JSON object')
      .option('-o, --out <dir>', 'also write backtest-RUN_ID.html: the diff with campaign samples of what changed')
      .addHelpText(
        'after',
        [
          '',
          'The candidate is the production configuration (defaults, environment, flags) with the --config files and',
          '--rules over it; without either, a backtest must reproduce production exactly. The replay writes into a',
          "scratch database that is dropped afterwards; the candidate's verdicts stay in backtest_message_fingerprints",
          'under the printed run_id, the diff in backtest_runs. Production tables are only read.',
          '',
          'Example:',
          '  abuse-radar backtest --input yesterday.ndjson --rules candidate-rules.yaml --json',
        ].join('\n'),
      ),
  ).action(async (options: BacktestOptions) => {
    const source = sourceOf(options)
    if (options.rules !== undefined) requireReadableFile(options.rules, '--rules')
    const production = configFromOptions({ ...options, config: undefined })
    const logger = createLogger(production.settings.observability.log_level)
    const candidate = candidateConfig(options, production)
    // every input of the candidate is validated before anything opens ClickHouse
    const inputs = loadPipelineInputs(candidate.config, logger)
    const baselineRules = rulesOf(production)
    const runId = newRunId(Date.now())
    const startedAt = Date.now()
    const prod = await openStore(production, undefined, { useDatabase: true, createIfMissing: false })
    try {
      await requireShadowTables(prod)
      const interrupted = await replayIntoShadow({
        production,
        candidate: candidate.config,
        runId,
        source,
        prod,
        inputs,
        logger,
      })
      if (interrupted) {
        process.exitCode = 128 + constants.signals[interrupted]
        logger.warn({ runId, signal: interrupted }, 'backtest stopped before the end: nothing compared')
        return
      }
      const diff = await collectBacktestDiff(prod.store, {
        runId,
        baselineThreshold: baselineRules.rules.threshold,
        candidateThreshold: inputs.rules.threshold,
        minCampaignMessages: candidate.config.settings.campaigns.min_messages,
        rules: [...new Set([...baselineRules.rules.rules, ...inputs.rules.rules].map((r) => r.id))],
      })
      const run = {
        run_id: runId,
        started_at: startedAt,
        finished_at: Date.now(),
        input: source.name,
        baseline_rules_version: baselineRules.version,
        candidate_rules_version: rulesVersionOf(readFileSync(candidate.rulesFile, 'utf8')),
        diff: JSON.stringify(diff),
      }
      await prod.store.insertStatement(`INSERT INTO ${prod.store.database}.backtest_runs FORMAT JSONEachRow ${JSON.stringify(run)}`)
      if (options.out !== undefined) {
        const samples = await collectSamples(prod.store, {
          runId,
          baselineThreshold: baselineRules.rules.threshold,
          candidateThreshold: inputs.rules.threshold,
          limit: SAMPLES_SHOWN,
        })
        const page = renderBacktestHtml(diff, samples, {
          input: source.name,
          generatedAt: new Date(run.finished_at).toISOString(),
          baselineRulesVersion: run.baseline_rules_version,
          candidateRulesVersion: run.candidate_rules_version,
        })
        await mkdir(options.out, { recursive: true })
        const file = path.join(options.out, `backtest-${runId}.html`)
        await writeFile(file, page)
        process.stderr.write(`[abuse-radar] backtest page: ${file}\n`)
      }
      process.stdout.write(
        options.json
          ? `${JSON.stringify(diff)}\n`
          : `run ${runId}: ${diff.messages} message versions\n${formatRows(diffRows(diff), 'table')}`,
      )
    } finally {
      await prod.close()
    }
  })
}

/** Where the past records come from: a file, or a time range of the Kafka topics. */
interface PastRecords {
  name: string
  /** records in total, when known beforehand (a file's lines) */
  total: () => Promise<number | null>
  read: (config: Config, runId: string, logger: Logger) => Promise<AsyncIterable<SourceRecord>>
}

function sourceOf(options: BacktestOptions): PastRecords {
  const ranged = options.from !== undefined || options.to !== undefined
  if (ranged === (options.input !== undefined)) throw new AbuseRadarError('AR_USAGE', 'give either --input FILE or --from TIME --to TIME')
  if (options.input !== undefined) {
    const file = options.input
    requireReadableFile(file, '--input')
    return {
      name: file,
      total: () => countLines(file),
      read: async (config) => (await fileSource(file, config.settings.pipeline.max_record_bytes)).read(0),
    }
  }
  if (options.from === undefined || options.to === undefined) throw new AbuseRadarError('AR_USAGE', '--from and --to go together')
  const fromMs = parseReportTime(options.from, '--from')
  const toMs = parseReportTime(options.to, '--to')
  if (toMs <= fromMs) throw new AbuseRadarError('AR_USAGE', `--to (${options.to}) must be after --from (${options.from})`)
  return {
    name: `kafka ${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()}`,
    total: () => Promise.resolve(null),
    read: (config, runId, logger) => {
      const { kafka } = config.settings
      return Promise.resolve(
        readTimeRange({
          brokers: kafka.brokers,
          clientId: kafka.client_id,
          ssl: kafka.ssl,
          sasl: { mechanism: kafka.sasl.mechanism, username: kafka.sasl.username, password: config.secrets.kafkaSaslPassword },
          logger,
          topics: [kafka.topics.messages, kafka.topics.moderation, kafka.topics.reports],
          groupId: `${kafka.group_id}.backtest.${runId}`,
          fromMs,
          toMs,
        }),
      )
    },
  }
}

/**
 * The candidate: production with the --config files and --rules over it, on production's ClickHouse
 * (whatever the --config files say of it) and in the run's scratch database.
 */
function candidateConfig(options: BacktestOptions, production: Config): { config: Config; rulesFile: string } {
  const overrides = options.rules === undefined ? {} : { 'scoring.rules_file': path.resolve(options.rules) }
  const config = configFromOptions(options, overrides)
  return {
    config: { ...config, settings: { ...config.settings, clickhouse: production.settings.clickhouse } },
    rulesFile: path.resolve(PACKAGE_ROOT, config.settings.scoring.rules_file),
  }
}

/**
 * Production's schema is the processor's to migrate, never a backtest's: the shadow tables must be
 * there already (migration 11, applied by any processor of this version at its start).
 */
async function requireShadowTables(prod: Store): Promise<void> {
  const db = prod.store.database
  const [found] = await prod.store.select<{ tables: string }>(
    `SELECT count() AS tables FROM system.tables WHERE database = {db:String} AND name IN ('backtest_message_fingerprints', 'backtest_runs')`,
    { db },
  )
  if (Number(found?.tables ?? 0) < 2)
    throw new AbuseRadarError(
      'AR_USAGE',
      `database ${db} has no backtest tables yet: start the processor of this version once (it migrates the schema)`,
    )
}

function rulesOf(config: Config) {
  const file = path.resolve(PACKAGE_ROOT, config.settings.scoring.rules_file)
  return { rules: loadRulesFile(file), version: rulesVersionOf(readFileSync(file, 'utf8')) }
}

/**
 * Runs the whole pipeline over the file into a scratch database, copies its fingerprints into the
 * shadow table and drops the scratch database, whatever happens. Returns the signal that stopped it, if any.
 */
async function replayIntoShadow(run: {
  production: Config
  candidate: Config
  runId: string
  source: PastRecords
  prod: Store
  inputs: PipelineInputs
  logger: Logger
}): Promise<NodeJS.Signals | null> {
  const { candidate: base, runId, source, prod, inputs, logger } = run
  const scratchName = scratchDatabase(base.settings.clickhouse.database, runId)
  const config: Config = { ...base, settings: { ...base.settings, clickhouse: { ...base.settings.clickhouse, database: scratchName } } }
  const metrics = new Metrics()
  // not bound to the scratch database: the embedded engine has one session per process, and USE would move production's too
  const scratch = await openStore(config, metrics, { useDatabase: false })
  // widened: set in callbacks, which narrowing from the initializer cannot see
  let interruptedBy = null as NodeJS.Signals | null
  try {
    await scratch.store.migrate()
    const { processor, analysis } = await createProcessor(config, logger, scratch, metrics, new LocalCheckpoints(), inputs, {
      cutBySizeOnly: true,
      shareEntries: false,
      messagesTopic: config.settings.kafka.topics.messages,
    })
    const similarity = new StateWriter(analysis, scratch.store, logger, metrics, config.settings.channels.write_interval_ms)
    const total = await source.total()
    let read = 0
    let shown = -1
    const progress = setInterval(() => {
      if (read === shown) return
      shown = read
      process.stderr.write(`${progressLine(runId, read, total)}\n`)
    }, 1000)
    let fatal = null as Error | null
    let stop = () => {}
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const interrupt = (signal: NodeJS.Signals) => {
      interruptedBy ??= signal
      processor.beginStop()
      stop()
    }
    process.once('SIGINT', interrupt)
    process.once('SIGTERM', interrupt)
    processor.onFatal((error) => {
      fatal = error
      stop()
    })
    try {
      await driveLocal(
        counted(await source.read(config, runId, logger), (n) => (read = n)),
        processor,
        { chunkSize: 2000, idleMs: 500, stopped },
      )
    } finally {
      await processor.close()
      await similarity.stop()
      clearInterval(progress)
      process.off('SIGINT', interrupt)
      process.off('SIGTERM', interrupt)
    }
    if (fatal) throw fatal
    if (read !== shown) process.stderr.write(`${progressLine(runId, read, total)}\n`)
    if (!interruptedBy) await prod.store.insertStatement(copyToShadowStatement(schemaOptions(run.production), scratchName, runId))
  } finally {
    await scratch.store.command(`DROP DATABASE IF EXISTS ${scratchName}`)
    await scratch.close()
  }
  return interruptedBy
}
