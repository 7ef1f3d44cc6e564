/** Options shared by the commands that read the configuration, and how they map onto config keys. */
import { accessSync, constants } from 'node:fs'
import { Option, type Command } from 'commander'
import { AbuseRadarError } from '../domain/errors.js'
import { loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'

export interface CommonOptions {
  config?: string[]
  dataDir?: string
  clickhouseUrl?: string
  brokers?: string
}

export function addCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('-c, --config <file...>', 'extra YAML config files, applied over config/default.yaml'))
    .addOption(new Option('--data-dir <dir>', 'embedded ClickHouse data directory (env ABUSE_RADAR_DATA_DIR, default ./data)'))
    .addOption(new Option('--clickhouse-url <url>', 'ClickHouse server URL (env CLICKHOUSE_URL); empty: embedded engine'))
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap servers, comma-separated (env KAFKA_BROKERS)'))
}

export function configFromOptions(options: CommonOptions, extra: Record<string, unknown> = {}): Config {
  const overrides: Record<string, unknown> = { ...extra }
  if (options.dataDir !== undefined) overrides['clickhouse.data_dir'] = options.dataDir
  if (options.clickhouseUrl !== undefined) overrides['clickhouse.url'] = options.clickhouseUrl
  if (options.brokers !== undefined) overrides['kafka.brokers'] = options.brokers.split(',').map((s) => s.trim())
  return loadConfig({ files: options.config ?? [], overrides })
}

/** A data file named on the command line must be readable before anything else starts (exit 2, not a failure halfway). */
export function requireReadableFile(file: string, option: string): void {
  try {
    accessSync(file, constants.R_OK)
  } catch (error) {
    throw new AbuseRadarError('AR_INPUT_NOT_FOUND', `${option} ${file}: ${(error as Error).message}`)
  }
}

/** A command-line value that must be an integer (a seed may be any). */
export function integer(value: string, option: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n)) throw new AbuseRadarError('AR_USAGE', `${option}: expected an integer, got ${value}`)
  return n
}

/** A command-line value that must be a positive integer. */
export function positiveInteger(value: string, option: string): number {
  const n = integer(value, option)
  if (n < 1) throw new AbuseRadarError('AR_USAGE', `${option}: expected a positive integer, got ${value}`)
  return n
}

/** A command-line value that must be one of `choices`. */
export function oneOf<T extends string>(value: string, choices: readonly T[], option: string): T {
  const choice = choices.find((c) => c === value)
  if (choice === undefined) throw new AbuseRadarError('AR_USAGE', `${option}: expected one of ${choices.join(', ')}, got ${value}`)
  return choice
}
