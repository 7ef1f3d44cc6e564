/**
 * The composition root: builds adapters from the configuration and wires them to the pipeline.
 * Commands call these; nothing else constructs a client, a consumer or a metrics registry.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from '../config/schema.js'
import { ConfigError } from '../config/load.js'
import type { Logger, SourceRecord } from '../domain/ports.js'
import { createPseudonymizer } from '../privacy/pseudonymize.js'
import { openClickHouse, type ClickHouseMode } from '../sinks/clickhouse/client.js'
import { ClickHouseStore, type InsertObserver } from '../sinks/clickhouse/store.js'
import type { SchemaOptions } from '../sinks/clickhouse/migrations.js'
import { Processor, type Checkpointer, type ProcessorSettings } from '../pipeline/processor.js'
import type { PipelineObserver } from '../pipeline/observer.js'
import { createAnalyzer } from '../pipeline/analysis.js'
import { Metrics } from '../observability/metrics.js'
import { FaultInjectingSink } from '../pipeline/fault-injection.js'

export interface Store {
  store: ClickHouseStore
  mode: ClickHouseMode
  location: string
  close(): Promise<void>
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
  }
}

/** Opens ClickHouse; `useDatabase` makes the configured database the default one for unqualified names. */
export async function openStore(config: Config, observer?: InsertObserver, options: { useDatabase?: boolean } = {}): Promise<Store> {
  const { clickhouse } = config.settings
  const { client, mode, location } = await openClickHouse({
    database: options.useDatabase ? clickhouse.database : null,
    url: clickhouse.url,
    username: clickhouse.username,
    password: config.secrets.clickhousePassword,
    dataDir: clickhouse.data_dir,
    requestTimeoutMs: clickhouse.request_timeout_ms,
    applicationName: config.settings.kafka.client_id,
  })
  const store = new ClickHouseStore(client, schemaOptions(config), observer)
  return { store, mode, location, close: () => client.close() }
}

/**
 * The pseudonymisation key: from the environment; in embedded mode, if unset, one generated once and
 * kept in the data directory (so pseudonyms stay stable across runs of a laptop demo). A server
 * deployment must set it: pseudonyms in a shared store must not depend on one pod's disk.
 */
export function resolvePseudonymKey(config: Config, mode: ClickHouseMode, logger: Logger): string {
  if (config.secrets.pseudonymKey) return config.secrets.pseudonymKey
  if (mode === 'server') throw new ConfigError(['ABUSE_RADAR_PSEUDONYM_KEY: required when writing to a ClickHouse server'])
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
}

/** Builds the processor over an opened, migrated store. `cutBySizeOnly` for deterministic local replays. */
export async function buildPipeline(config: Config, logger: Logger, checkpoints: Checkpointer, options: { cutBySizeOnly: boolean }): Promise<PipelineParts> {
  const metrics = new Metrics()
  const store = await openStore(config, metrics)
  const applied = await store.store.migrate()
  logger.info({ mode: store.mode, location: store.location, database: store.store.database, migrationsApplied: applied }, 'ClickHouse ready')
  const key = resolvePseudonymKey(config, store.mode, logger)
  const { pipeline, clickhouse } = config.settings
  const settings: ProcessorSettings = {
    flushIntervalMs: options.cutBySizeOnly ? Number.POSITIVE_INFINITY : pipeline.flush_interval_ms,
    flushMaxRecords: pipeline.flush_max_records,
    maxBufferedRecords: pipeline.max_buffered_records,
    maxRecordBytes: pipeline.max_record_bytes,
    dedupHorizonMs: pipeline.dedup_horizon_hours * 3_600_000,
    deadLetterPrefixBytes: pipeline.dead_letter_prefix_bytes,
    retryInitialMs: clickhouse.insert_retry.initial_backoff_ms,
    retryMaxMs: clickhouse.insert_retry.max_backoff_ms,
  }
  const observer: PipelineObserver = metrics
  const processor = new Processor({
    sink: FaultInjectingSink.wrapIfConfigured(store.store, process.env, logger),
    checkpoints,
    analyzer: createAnalyzer(config, metrics),
    pseudonymize: createPseudonymizer(key),
    observer,
    logger,
    now: () => Date.now(),
    settings,
  })
  return { metrics, processor, store }
}

export type { SourceRecord }
