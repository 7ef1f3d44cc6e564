/**
 * The composition root: builds adapters from the configuration and wires them to the pipeline.
 * Commands call these; nothing else constructs a client, a consumer or a metrics registry.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import type { Config } from '../config/schema.js'
import { ConfigError } from '../domain/errors.js'
import type { Checkpointer, Logger } from '../domain/ports.js'
import { createPseudonymizer } from '../privacy/pseudonymize.js'
import { openClickHouse, probeClickHouse, type ClickHouseMode, type ClickHouseTarget } from '../sinks/clickhouse/client.js'
import type { OrphanRecord } from '../sinks/clickhouse/orphan-dedup-records.js'
import { ClickHouseStore } from '../sinks/clickhouse/store.js'
import { FileCheckpoints } from '../sinks/clickhouse/file-checkpoints.js'
import { PACKAGE_ROOT } from '../config/load.js'
import type { SchemaOptions } from '../sinks/clickhouse/migrations.js'
import { Processor, type ProcessorSettings } from '../pipeline/processor.js'
import type { InsertObserver, PipelineObserver } from '../domain/observers.js'
import { createAnalyzer, type AnalysisInputs, type MessageAnalysis } from '../pipeline/analysis.js'
import { loadProtectedNamesFile, loadRulesFile } from '../config/analysis-files.js'
import { Metrics } from '../observability/metrics.js'
import { KafkaSource } from '../sources/kafka/source.js'
import { storeMarker } from '../sources/kafka/membership.js'
import type { CampaignExchange } from '../sources/kafka/exchange.js'
import { kafkaClientOptions } from './kafka-client.js'
import { checkInputTopics } from '../sources/kafka/topics.js'
import type { CampaignMerger } from '../pipeline/campaign-merge.js'
import { campaignExchange, campaignMerger } from './scale-out.js'
import { LocalCheckpoints } from '../pipeline/local-drive.js'
import { FingerprintWorkers } from '../pipeline/fingerprint-workers.js'
import { FaultInjectingSink } from '../pipeline/fault-injection.js'
import { recordRulesVersion } from '../backtest/rule-versions.js'
import { ruleOutcomeViews } from '../sinks/clickhouse/schema/rule-outcomes.js'

export interface Store {
  store: ClickHouseStore
  mode: ClickHouseMode
  location: string
  /** see OpenedClickHouse.orphanTokens */
  orphanTokens: OrphanRecord[]
  close: () => Promise<void>
}

export function schemaOptions(config: Config): SchemaOptions {
  const { clickhouse, privacy, pipeline } = config.settings
  return {
    database: clickhouse.database,
    cluster: clickhouse.cluster,
    rowTtlDays: privacy.row_ttl_days,
    aggregateTtlDays: privacy.aggregate_ttl_days,
    dedupHorizonHours: pipeline.dedup_horizon_hours,
    deduplicationWindow: clickhouse.deduplication_window,
    minCampaignMessages: config.settings.campaigns.min_messages,
    campaignMerge: config.settings.campaigns.scale_out === 'merge',
  }
}

/**
 * Opens ClickHouse; `useDatabase` makes the configured database the default one for unqualified names,
 * `createIfMissing` and `readOnly` are passed on to openClickHouse.
 */
type StoreOptions = { useDatabase?: boolean } & Pick<ClickHouseTarget, 'createIfMissing' | 'readOnly'>

function clickHouseTarget(config: Config, options: StoreOptions): ClickHouseTarget {
  const { clickhouse } = config.settings
  return {
    database: options.useDatabase ? clickhouse.database : null,
    url: clickhouse.url,
    username: clickhouse.username,
    password: config.secrets.clickhousePassword,
    dataDir: clickhouse.data_dir,
    requestTimeoutMs: clickhouse.request_timeout_ms,
    applicationName: config.settings.kafka.client_id,
    createIfMissing: options.createIfMissing ?? true,
    readOnly: options.readOnly ?? false,
  }
}

/** Fails as opening the store would (an unreachable server, no embedded engine), having created and started nothing. */
export function probeStore(config: Config): Promise<void> {
  return probeClickHouse(clickHouseTarget(config, {}))
}

export async function openStore(config: Config, observer?: InsertObserver, options: StoreOptions = {}): Promise<Store> {
  const { client, mode, location, orphanTokens } = await openClickHouse(clickHouseTarget(config, options))
  const store = new ClickHouseStore(client, schemaOptions(config), observer)
  return { store, mode, location, orphanTokens, close: () => client.close() }
}

/**
 * The pseudonymisation key: from the environment; in embedded mode, if unset, one generated once and
 * kept in the data directory (so pseudonyms stay stable across runs of a laptop demo). A server
 * deployment must set it: pseudonyms in a shared store must not depend on one pod's disk.
 */
function resolvePseudonymKey(config: Config, logger: Logger): string {
  if (config.secrets.pseudonymKey) return config.secrets.pseudonymKey
  // the mode openClickHouse will choose
  if (config.settings.clickhouse.url) throw new ConfigError(['ABUSE_RADAR_PSEUDONYM_KEY: required when writing to a ClickHouse server'])
  const file = path.resolve(config.settings.clickhouse.data_dir, 'pseudonym.key')
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
    chmodSync(file, 0o600)
    logger.warn({ file }, 'ABUSE_RADAR_PSEUDONYM_KEY not set: generated a local pseudonym key for the embedded database')
  }
  return readFileSync(file, 'utf8').trim()
}

export interface PipelineParts {
  metrics: Metrics
  processor: Processor
  store: Store
  similarity: StateWriter
  /** Where the processor keeps each partition's position (a file replay reads from there). */
  checkpoints: Checkpointer
}

/** Opens and migrates the configured ClickHouse, reporting inserts to `metrics`. */
export async function openMigratedStore(config: Config, logger: Logger, metrics: Metrics): Promise<Store> {
  // Bound to the database too, so the shared report queries can use unqualified names.
  const store = await openStore(config, metrics, { useDatabase: true })
  if (store.orphanTokens.length > 0)
    logger.warn(
      { orphanTokens: store.orphanTokens.map(({ table, part, blockId }) => ({ table: path.basename(table), part, blockId })) },
      'insert tokens without their part (the engine was killed between the two): dropped, so the replayed batches are written',
    )
  const applied = await store.store.migrate()
  logger.info(
    { mode: store.mode, location: store.location, database: store.store.database, migrationsApplied: applied },
    'ClickHouse ready',
  )
  await trackRules(config, store, logger)
  return store
}

/** Every start: the rules file's version (rule_versions), and the rule outcome views with the configured window. */
async function trackRules(config: Config, store: Store, logger: Logger): Promise<void> {
  const { rules_file, outcome_window_hours } = config.settings.scoring
  await recordRulesVersion(store.store, rules_file, readFileSync(path.resolve(PACKAGE_ROOT, rules_file), 'utf8'), logger)
  for (const statement of ruleOutcomeViews(schemaOptions(config), outcome_window_hours * 3600)) await store.store.command(statement)
}

/**
 * A processor over an opened, migrated store, with its campaign index rebuilt from the store up to
 * the checkpoints of `messagesTopic` (the topic message records are read from). `cutBySizeOnly` for
 * deterministic local replays.
 */
export async function createProcessor(
  config: Config,
  logger: Logger,
  store: Store,
  metrics: Metrics,
  checkpoints: Checkpointer,
  inputs: PipelineInputs,
  options: { cutBySizeOnly: boolean; shareEntries: boolean; messagesTopic: string },
): Promise<{ processor: Processor; analysis: MessageAnalysis }> {
  limitHeapGrowth(config.settings.pipeline.heap_growing_percent)
  const analyzer = createAnalyzer(config, inputs, metrics, { shareEntries: options.shareEntries })
  const replayed = await checkpoints.replayStarts(options.messagesTopic)
  const restored = await analyzer.restore(store.store, replayed)
  logger.info({ ...restored, replayedFrom: replayed }, 'campaign index and chat similarity rebuilt')
  const { pipeline, clickhouse } = config.settings
  const settings: ProcessorSettings = {
    flushIntervalMs: options.cutBySizeOnly ? Number.POSITIVE_INFINITY : pipeline.flush_interval_ms,
    flushMinRecords: pipeline.flush_min_records,
    flushMaxIntervalMs: options.cutBySizeOnly ? Number.POSITIVE_INFINITY : pipeline.flush_max_interval_ms,
    flushMaxRecords: pipeline.flush_max_records,
    maxBufferedRecords: pipeline.max_buffered_records,
    maxRecordBytes: pipeline.max_record_bytes,
    dedupHorizonMs: pipeline.dedup_horizon_hours * 3_600_000,
    deadLetterPrefixBytes: pipeline.dead_letter_prefix_bytes,
    maxFutureSkewMs: pipeline.max_future_skew_seconds * 1000,
    maxEventAgeMs: config.settings.privacy.aggregate_ttl_days * 86_400_000,
    retryInitialMs: clickhouse.insert_retry.initial_backoff_ms,
    retryMaxMs: clickhouse.insert_retry.max_backoff_ms,
    shutdownGraceMs: pipeline.shutdown_grace_ms,
  }
  const observer: PipelineObserver = metrics
  const processor = new Processor({
    sink: FaultInjectingSink.wrapIfConfigured(store.store, process.env, logger),
    checkpoints,
    analyzer,
    pseudonymize: createPseudonymizer(inputs.pseudonymKey),
    observer,
    logger,
    now: () => Date.now(),
    settings,
    ...(pipeline.fingerprint_workers > 0
      ? {
          fingerprints: new FingerprintWorkers(pipeline.fingerprint_workers, (error, givingUp) => {
            metrics.fingerprintWorkerFailures.inc()
            if (givingUp)
              logger.error({ err: error }, 'fingerprint workers keep failing: none is started again, the main thread analyses everything')
            else logger.warn({ err: error }, 'a fingerprint worker failed: replaced; its deliveries were analysed on the main thread')
          }),
        }
      : {}),
  })
  return { processor, analysis: analyzer }
}

/**
 * V8's heap growing factor for this process (pipeline.heap_growing_percent), unless its command line
 * or NODE_OPTIONS sets one. V8 reads the flag at each full collection, so setting it at start applies
 * from the next one.
 */
function limitHeapGrowth(percent: number): void {
  const flag = '--heap-growing-percent'
  if ([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith(flag))) return
  v8.setFlagsFromString(`${flag}=${percent}`)
}

/**
 * The rules and protected-names files (paths relative to the package), validated: every problem of
 * each file listed, both files reported when both are invalid (an AggregateError of the two).
 */
export function loadAnalysisInputs(config: Config): AnalysisInputs {
  const resolve = (file: string) => path.resolve(PACKAGE_ROOT, file)
  const loaded = [
    attempt(() => loadRulesFile(resolve(config.settings.scoring.rules_file))),
    attempt(() => loadProtectedNamesFile(resolve(config.settings.channels.protected_names_file))),
  ] as const
  const [rules, protectedNames] = loaded
  if (!rules.ok || !protectedNames.ok) {
    const errors = loaded.flatMap((result) => (result.ok ? [] : [result.error]))
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'invalid input files')
  }
  return { rules: rules.value, protectedNames: protectedNames.value.names, affixes: protectedNames.value.affixes }
}

function attempt<T>(load: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: load() }
  } catch (error) {
    return { ok: false, error }
  }
}

/** What a pipeline reads besides the configuration. */
export interface PipelineInputs extends AnalysisInputs {
  pseudonymKey: string
}

/**
 * Reads and validates the pipeline's inputs before anything opens ClickHouse, so an invalid file
 * leaves the store (and the embedded engine's data directory) untouched. Only then, in embedded
 * mode, may a pseudonym key be generated into the data directory.
 */
export function loadPipelineInputs(config: Config, logger: Logger): PipelineInputs {
  const analysis = loadAnalysisInputs(config)
  return { ...analysis, pseudonymKey: resolvePseudonymKey(config, logger) }
}

/**
 * Writes the state that is not per batch, every `channels.write_interval_ms` and once more on stop:
 * the chat pairs that changed, and campaign merges (aliases). Rows that fail to write are kept for
 * the next attempt (both tables keep the latest state, so a late or repeated write is harmless).
 */
export class StateWriter {
  private pendingPairs: object[] = []
  private pendingMerges: { alias: string; canonical: string; mergedAtMs: number }[] = []
  private readonly timer: NodeJS.Timeout
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly analysis: MessageAnalysis,
    private readonly store: ClickHouseStore,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => void this.write(), intervalMs)
  }

  write(): Promise<void> {
    this.running = this.running.then(async () => {
      const now = Date.now()
      const merges = this.analysis.drainMerges()
      this.metrics.campaignMerges.inc(merges.length)
      // One row per alias: a drain can name an alias twice (it moved again when its campaign joined
      // another), and of two rows with one merged_at, readers' argMax would take either.
      const latest = new Map(merges.map((m) => [m.alias, m.canonical]))
      // concat, not push(...rows): a spread of a very large drain exceeds the argument limit
      this.pendingMerges = this.pendingMerges.concat([...latest].map(([alias, canonical]) => ({ alias, canonical, mergedAtMs: now })))
      try {
        this.pendingPairs = this.pendingPairs.concat(this.analysis.drainSimilarity())
      } catch (error) {
        // A defect in the similarity stage must not stop the pipeline: log it, keep consuming.
        this.logger.error({ err: (error as Error).message, stack: (error as Error).stack }, 'chat similarity failed')
      }
      this.pendingPairs = await this.writeOrKeep(this.pendingPairs, (rows) => this.store.writeSimilarity(rows), 'chat pairs')
      this.pendingMerges = await this.writeOrKeep(this.pendingMerges, (rows) => this.store.writeCampaignAliases(rows), 'campaign merges')
    })
    return this.running
  }

  /** Writes rows; returns what is left for the next attempt (the newest million at most). */
  private async writeOrKeep<T>(rows: T[], write: (rows: T[]) => Promise<void>, what: string): Promise<T[]> {
    if (rows.length === 0) return rows
    try {
      await write(rows)
      return []
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, rows: rows.length }, `writing ${what} failed; will retry`)
      return rows.slice(-1_000_000)
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    // pairs changed since the stream's last settle (the last messages of a replay) are judged now
    this.analysis.settleSimilarity()
    await this.write()
  }
}

/**
 * Store, metrics and processor for a local stream (a file, standard input or the generator) whose
 * records come under `topic`. Replays cut batches by size only, so a re-run gives the same batches;
 * a live demo also cuts them by time. A `resumable` stream (a file) keeps its checkpoint in the
 * store (FileCheckpoints).
 */
export async function buildLocalPipeline(
  config: Config,
  inputs: PipelineInputs,
  logger: Logger,
  options: { cutBySizeOnly: boolean; resumable: boolean; topic: string },
): Promise<PipelineParts> {
  const metrics = new Metrics()
  const store = await openMigratedStore(config, logger, metrics)
  const checkpoints = options.resumable
    ? new FileCheckpoints(store.store, config.settings.clickhouse.cluster !== '')
    : new LocalCheckpoints()
  const { processor, analysis } = await createProcessor(config, logger, store, metrics, checkpoints, inputs, {
    cutBySizeOnly: options.cutBySizeOnly,
    shareEntries: false,
    messagesTopic: options.topic,
  })
  const similarity = new StateWriter(analysis, store.store, logger, metrics, config.settings.channels.write_interval_ms)
  return { metrics, processor, store, similarity, checkpoints }
}

function inputTopics(config: Config): string[] {
  const { topics } = config.settings.kafka
  return [topics.messages, topics.moderation, topics.reports]
}

/**
 * Fails with every input topic the brokers do not have, named. `run` calls it before it opens the
 * store, so a missing topic leaves nothing created, and the process ends without having loaded the
 * embedded engine (whose teardown at exit, right after the migrations, can hang: docs/limits.md).
 */
export function checkKafkaInputs(config: Config, logger: Logger): Promise<void> {
  return checkInputTopics(kafkaClientOptions(config, logger), inputTopics(config))
}

function kafkaSource(config: Config, logger: Logger, store: Store): KafkaSource {
  const { kafka } = config.settings
  return new KafkaSource({
    ...kafkaClientOptions(config, logger),
    groupId: kafka.group_id,
    topics: inputTopics(config),
    fromBeginning: kafka.from_beginning,
    sessionTimeoutMs: kafka.session_timeout_ms,
    rebalanceTimeoutMs: kafka.rebalance_timeout_ms,
    heartbeatIntervalMs: kafka.heartbeat_interval_ms,
    maxBytesPerPartition: kafka.max_bytes_per_partition,
    maxBytes: kafka.max_bytes,
    maxWaitTimeMs: kafka.max_wait_ms,
    partitionsConsumedConcurrently: kafka.partitions_consumed_concurrently,
    metadataMaxAgeMs: kafka.metadata_max_age_ms,
    storeMarker: storeMarker(store.mode, store.location),
  })
}

/**
 * One consumer-group member: a Kafka source feeding its own processor, writing to a shared store.
 * Several can run in one process (tests of joins and leaves); `run` starts one.
 */
export class KafkaPipeline {
  private readonly flushTimer: NodeJS.Timeout
  private lagTimer: NodeJS.Timeout | null = null
  /** The consumer-lag poll under way (settled, never rejected): the stop waits for it before the source disconnects. */
  private lagPoll: Promise<void> = Promise.resolve()
  private lastTick = performance.now()
  private stopped: Promise<void> | null = null

  /**
   * Builds a member: its source, and a processor whose campaign index is rebuilt from the store. The
   * `run` command passes the inputs it validated before opening the store.
   */
  static async create(
    config: Config,
    logger: Logger,
    store: Store,
    metrics: Metrics,
    inputs = loadPipelineInputs(config, logger),
  ): Promise<KafkaPipeline> {
    const source = kafkaSource(config, logger, store)
    const exchange = campaignExchange(config, logger, metrics)
    const { processor, analysis } = await createProcessor(config, logger, store, metrics, source, inputs, {
      cutBySizeOnly: false,
      shareEntries: exchange !== null,
      messagesTopic: config.settings.kafka.topics.messages,
    }).catch(async (error: unknown) => {
      // the checkpoints were read through the source's admin client, whose connection would outlive the failed start
      await source.stop()
      throw error
    })
    const similarity = new StateWriter(analysis, store.store, logger, metrics, config.settings.channels.write_interval_ms)
    const merger = campaignMerger(config, logger, metrics, store, source, analysis)
    return new KafkaPipeline(config, logger, metrics, source, processor, analysis, similarity, exchange, merger)
  }

  private constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    readonly metrics: Metrics,
    readonly source: KafkaSource,
    readonly processor: Processor,
    private readonly analysis: MessageAnalysis,
    private readonly similarity: StateWriter,
    private readonly exchange: CampaignExchange | null,
    /** the campaign merge, when campaigns.scale_out is merge */
    readonly merger: CampaignMerger | null,
  ) {
    const { pipeline } = config.settings
    this.source.onRebalance(() => metrics.rebalances.inc())
    this.processor.onPauseChange((paused) => {
      logger.warn(
        { paused, buffered: this.processor.buffered },
        paused ? 'backpressure: pausing consumption' : 'backpressure released: resuming',
      )
      if (paused) this.source.pause()
      else this.source.resume()
    })
    this.processor.onPartitionPauseChange((topic, partition, paused) => {
      if (paused) {
        logger.warn({ topic, partition }, 'pausing a partition whose writes fail; the others go on')
        this.source.pausePartition(topic, partition)
      } else {
        logger.info({ topic, partition }, 'resuming a partition written again')
        this.source.resumePartition(topic, partition)
      }
    })
    this.flushTimer = setInterval(() => this.tick(), Math.max(10, Math.min(250, Math.floor(pipeline.flush_interval_ms / 4))))
  }

  private flushRunning = false
  private tick(): void {
    this.lastTick = performance.now()
    this.exchange?.publish(this.analysis.drainShared())
    if (this.flushRunning) return
    this.flushRunning = true
    this.processor.flush(false).then(
      () => (this.flushRunning = false),
      () => (this.flushRunning = false),
    )
  }

  /** Milliseconds since the processing loop last ticked (liveness). */
  sinceLastTickMs(): number {
    return performance.now() - this.lastTick
  }

  /** `listener` is told of an error that ends this member: the processor's, or a refusal by the group (exit code 2). */
  onFatal(listener: (error: Error) => void): void {
    this.processor.onFatal(listener)
    this.source.onRefused(listener)
  }

  /**
   * Joins the group and returns once this member is admitted to it (sources/kafka/membership.ts); a
   * refused member leaves the group again and the refusal is thrown. Whatever fails, it is stopped
   * first. The input topics are checked before (checkKafkaInputs).
   */
  async start(): Promise<void> {
    try {
      this.pollLag()
      // the exchange first: entries of other instances must reach the index before our own messages do
      await this.exchange?.start((entry) => this.analysis.applyShared(entry))
      await this.source.start(this.processor)
      await this.source.admitted()
    } catch (error) {
      // a missing topic, a refusal, an unreachable broker: leave nothing connected or ticking behind
      await this.stop()
      throw error
    }
    this.merger?.start()
    const { kafka } = this.config.settings
    const { messages, moderation, reports, campaign_exchange } = kafka.topics
    this.logger.info(
      {
        topics: [messages, moderation, reports],
        exchange: this.exchange ? campaign_exchange : null,
        group: kafka.group_id,
        brokers: kafka.brokers,
      },
      'consuming',
    )
  }

  /** abuse_consumer_lag_messages now and every kafka.lag_poll_interval_ms; a failed poll keeps the last values. */
  private pollLag(): void {
    const update = () =>
      (this.lagPoll = this.source.lag().then(
        (lags) => {
          for (const { topic, partition, lag } of lags) this.metrics.consumerLag.set({ topic, partition: String(partition) }, lag)
        },
        (error: Error) => {
          // a poll cut short by the stop is no news
          if (!this.stopped) this.logger.warn({ err: error.message }, 'kafka: reading the consumer lag failed; retried at the next poll')
        },
      ))
    void update()
    this.lagTimer = setInterval(() => void update(), this.config.settings.kafka.lag_poll_interval_ms)
  }

  /** Graceful stop: stop fetching, write and commit what was accepted, leave the group. Throws if the final write failed. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.source.pause()
      this.processor.beginStop()
      try {
        await this.processor.flush(true)
      } finally {
        clearInterval(this.flushTimer)
        if (this.lagTimer) clearInterval(this.lagTimer)
        this.exchange?.publish(this.analysis.drainShared())
        await this.merger?.stop()
        await this.similarity.stop()
        // a poll still running when its admin disconnects would connect it again (KafkaSource.lag)
        await this.lagPoll
        await this.source.stop()
        await this.exchange?.stop()
        await this.processor.close()
      }
    })()
    return this.stopped
  }
}
