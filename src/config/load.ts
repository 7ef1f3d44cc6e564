/**
 * Loads `config/default.yaml`, an optional extra file, then environment overrides; validates the
 * result against the schema and lists every problem at once.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { parse as parseYaml } from 'yaml'
import { ConfigSchema, SECRET_ENV, type Config, type Secrets, type Settings } from './schema.js'

/** The package's root directory: relative file paths in the configuration resolve against it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('../../config/default.yaml', import.meta.url))
const ENV_PREFIX = 'ABUSE_RADAR__'
/** Conventional variable names operators expect, mapped onto config paths. */
const ENV_SHORTCUTS: Record<string, string> = {
  KAFKA_BROKERS: 'kafka.brokers',
  CLICKHOUSE_URL: 'clickhouse.url',
  ABUSE_RADAR_DATA_DIR: 'clickhouse.data_dir',
  LOG_LEVEL: 'observability.log_level',
}
const SECRET_LIKE_KEY = /(password|secret|token|key)$/i

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const checker = TypeCompiler.Compile(ConfigSchema)

export interface LoadOptions {
  files?: string[]
  env?: NodeJS.ProcessEnv
  /** Values from the command line (path → value), applied last. */
  overrides?: Record<string, unknown>
}

type Tree = Record<string, unknown>

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v)

function mergeInto(target: Tree, source: Tree): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key]
    if (isTree(existing) && isTree(value)) mergeInto(existing, value)
    else target[key] = value
  }
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const parts = path.split('.')
  let node = tree
  for (const part of parts.slice(0, -1)) {
    const next = node[part]
    if (!isTree(next)) node[part] = {}
    node = node[part] as Tree
  }
  node[parts[parts.length - 1] as string] = value
}

/** Environment values are YAML scalars ("500", "true", "[a:1, b:2]"); a comma list also works for arrays. */
function parseEnvValue(raw: string, current: unknown): unknown {
  if (Array.isArray(current) && !raw.trim().startsWith('[')) return raw.split(',').map((s) => s.trim()).filter(Boolean)
  if (typeof current === 'string') return raw
  try {
    return parseYaml(raw)
  } catch {
    return raw
  }
}

function getPath(tree: Tree, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (isTree(node) ? node[part] : undefined), tree)
}

function findSecretKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key
    if (isTree(value)) return findSecretKeys(value, path)
    return SECRET_LIKE_KEY.test(key) ? [path] : []
  })
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env
  const problems: string[] = []
  const sources: Record<string, string> = {}
  const merged: Tree = {}
  for (const file of [DEFAULT_CONFIG_PATH, ...(options.files ?? [])]) {
    try {
      const parsed: unknown = parseYaml(readFileSync(file, 'utf8'))
      if (parsed == null) continue
      if (!isTree(parsed)) problems.push(`${file}: the top level must be a mapping`)
      else {
        for (const secret of findSecretKeys(parsed)) {
          problems.push(`${file}: ${secret}: secrets are not allowed in config files; set them in the environment`)
        }
        mergeInto(merged, parsed)
      }
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`)
    }
  }
  const applyEnv = (variable: string, path: string, raw: string) => {
    setPath(merged, path, parseEnvValue(raw, getPath(merged, path)))
    sources[path] = `env ${variable}`
  }
  for (const [variable, path] of Object.entries(ENV_SHORTCUTS)) {
    const raw = env[variable]
    if (raw !== undefined && raw !== '') applyEnv(variable, path, raw)
  }
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || raw === undefined) continue
    const path = variable.slice(ENV_PREFIX.length).toLowerCase().split('__').join('.')
    if (getPath(merged, path) === undefined) problems.push(`${variable}: no config key ${path}`)
    else applyEnv(variable, path, raw)
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    setPath(merged, path, value)
    sources[path] = 'command line'
  }
  for (const error of checker.Errors(merged)) {
    const path = error.path.replace(/^\//, '').split('/').join('.') || '(root)'
    problems.push(`${path}: ${error.message}${error.value === undefined ? '' : ` (got ${JSON.stringify(error.value)})`}`)
  }
  const secrets = readSecrets(env)
  if (problems.length > 0) throw new ConfigError(problems)
  return { settings: deepFreeze(merged as Settings), secrets, sources }
}

function readSecrets(env: NodeJS.ProcessEnv): Secrets {
  const read = (name: string) => (env[name] && env[name] !== '' ? (env[name] as string) : null)
  return {
    pseudonymKey: read(SECRET_ENV.pseudonymKey),
    clickhousePassword: read(SECRET_ENV.clickhousePassword),
    kafkaSaslPassword: read(SECRET_ENV.kafkaSaslPassword),
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

/** The effective configuration as YAML-ready data, secrets shown only as set / not set. */
export function describeConfig(config: Config): { settings: Settings; secrets: Record<string, string>; sources: Record<string, string> } {
  const secrets = Object.fromEntries(
    (Object.keys(SECRET_ENV) as (keyof Secrets)[]).map((name) => [
      SECRET_ENV[name],
      config.secrets[name] === null ? '(not set)' : '(set, redacted)',
    ]),
  )
  return { settings: config.settings, secrets, sources: config.sources }
}
