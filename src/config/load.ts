/**
 * Loads `config/default.yaml`, an optional extra file, then environment overrides; validates the
 * result against the schema and lists every problem at once. No message shows a secret: values at
 * secret-looking keys and of unknown keys are never echoed, URL credentials are masked.
 */
import { fileURLToPath } from 'node:url'
import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler, type ValueError } from '@sinclair/typebox/compiler'
import { ConfigError, redactUrlCredentials } from '../domain/errors.js'
import { MIN_PSEUDONYM_KEY_LENGTH } from '../privacy/pseudonymize.js'
import { ConfigSchema, SECRET_ENV, type Config, type Secrets, type Settings } from './schema.js'
import { parseYamlText, readYamlFile } from './yaml-file.js'

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
/** True for a secret-looking key and for anything under one. */
const isSecretPath = (path: string) => path.split('.').some((part) => SECRET_LIKE_KEY.test(part))

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
  if (Array.isArray(current) && !raw.trim().startsWith('['))
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  if (typeof current === 'string') return raw
  const parsed = parseYamlText(raw)
  return parsed.ok ? parsed.value : raw
}

function getPath(tree: Tree, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (isTree(node) ? node[part] : undefined), tree)
}

function findSecretKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key
    if (SECRET_LIKE_KEY.test(key)) return [path]
    return isTree(value) ? findSecretKeys(value, path) : []
  })
}

/** One schema error as a line: its path, what was expected (every allowed value of a union), and the value when it is safe to show. */
function describeSchemaError(error: ValueError): string {
  const path = error.path.replace(/^\//, '').split('/').join('.') || '(root)'
  const union = (error.schema as { anyOf?: TSchema[] }).anyOf
  const expected = union
    ? `expected one of ${union.map((option) => JSON.stringify(option['const'] ?? option.type)).join(', ')}`
    : error.message
  // an unknown key may be a misplaced secret under another name: its value is never shown
  const unknownKey = /unexpected property/i.test(error.message)
  const scalar = typeof error.value === 'string' || typeof error.value === 'number' || typeof error.value === 'boolean'
  const shown = scalar && !unknownKey && !isSecretPath(path) ? ` (got ${redactUrlCredentials(JSON.stringify(error.value))})` : ''
  return `${path}: ${unknownKey ? 'unknown key' : expected}${shown}`
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env
  const problems: string[] = []
  const sources: Record<string, string> = {}
  const merged: Tree = {}
  for (const file of [DEFAULT_CONFIG_PATH, ...(options.files ?? [])]) {
    const read = readYamlFile(file)
    if (!read.ok) problems.push(...read.problems.map((problem) => `${file}: ${problem}`))
    else if (read.value == null) continue
    else if (!isTree(read.value)) problems.push(`${file}: the top level must be a mapping`)
    else {
      for (const secret of findSecretKeys(read.value)) {
        problems.push(`${file}: ${secret}: secrets are not allowed in config files; set them in the environment`)
      }
      mergeInto(merged, read.value)
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
  for (const error of checker.Errors(merged)) problems.push(describeSchemaError(error))
  problems.push(...crossFieldProblems(merged))
  const secrets = readSecrets(env)
  if (secrets.pseudonymKey !== null && secrets.pseudonymKey.length < MIN_PSEUDONYM_KEY_LENGTH) {
    problems.push(`${SECRET_ENV.pseudonymKey}: must be at least ${MIN_PSEUDONYM_KEY_LENGTH} characters`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return { settings: deepFreeze(merged as Settings), secrets, sources }
}

/** Constraints between keys, which the schema cannot state; checked only where both keys are numbers. */
function crossFieldProblems(merged: Tree): string[] {
  const interval = getPath(merged, 'pipeline.flush_interval_ms')
  const maxInterval = getPath(merged, 'pipeline.flush_max_interval_ms')
  if (typeof interval === 'number' && typeof maxInterval === 'number' && maxInterval < interval) {
    return [`pipeline.flush_max_interval_ms: must be at least pipeline.flush_interval_ms (${interval}), got ${maxInterval}`]
  }
  return []
}

function readSecrets(env: NodeJS.ProcessEnv): Secrets {
  const read = (name: string) => env[name] || null
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

/** `value` with the credentials of every URL in its strings masked. */
function redactTree<T>(value: T): T {
  if (typeof value === 'string') return redactUrlCredentials(value) as T
  if (Array.isArray(value)) return value.map(redactTree) as T
  if (isTree(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactTree(inner)])) as T
  return value
}

/** The effective configuration as YAML-ready data, secrets shown only as set / not set, URL credentials masked. */
export function describeConfig(config: Config): { settings: Settings; secrets: Record<string, string>; sources: Record<string, string> } {
  const secrets = Object.fromEntries(
    (Object.keys(SECRET_ENV) as (keyof Secrets)[]).map((name) => [
      SECRET_ENV[name],
      config.secrets[name] === null ? '(not set)' : '(set, redacted)',
    ]),
  )
  return { settings: redactTree(config.settings), secrets, sources: config.sources }
}
