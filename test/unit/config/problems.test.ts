// How the loaders of src/config report invalid input: every problem, clean messages, no secrets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describeConfig, loadConfig } from '../../../src/config/load.js'
import { loadProtectedNamesFile, loadRulesFile } from '../../../src/config/analysis-files.js'
import { ConfigError, ProtectedNamesError, RulesError } from '../../../src/domain/errors.js'

const file = (text: string) => {
  const p = path.join(mkdtempSync(path.join(tmpdir(), 'cfg-')), 'c.yaml')
  writeFileSync(p, text)
  return p
}

/** The problems of the ConfigError that loading `text` as an extra config file (and `env`) throws. */
function configProblems(text: string, env: NodeJS.ProcessEnv = {}): { path: string; problems: readonly string[] } {
  const extra = file(text)
  try {
    loadConfig({ files: [extra], env })
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error))
    return { path: extra, problems: error.problems }
  }
  assert.fail('the configuration was accepted')
}

test('a circular YAML alias is one clean problem, not "Converting circular structure to JSON"', () => {
  const { path: extra, problems } = configProblems('kafka: &loop\n  nested: *loop\n')
  assert.deepEqual(problems, [`${extra}: kafka.nested: a YAML alias refers to a node that contains it (circular); write the value out`])
})

test('every YAML syntax error of a file is listed, without the code frame (which may show a secret line)', () => {
  const { path: extra, problems } = configProblems('kafka:\n  ssl: true\n  ssl: false\npipeline: [1\n')
  assert.deepEqual(problems, [
    `${extra}: not valid YAML: Map keys must be unique at line 3, column 3`,
    `${extra}: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 5, column 1`,
  ])
})

test('an enum (union) error lists the allowed values', () => {
  assert.deepEqual(configProblems('kafka:\n  sasl:\n    mechanism: kerberos\n').problems, [
    'kafka.sasl.mechanism: expected one of "none", "plain", "scram-sha-256", "scram-sha-512" (got "kerberos")',
  ])
})

test('a refused secret is never echoed: not at a secret-looking key, not under one, not at an unknown key', () => {
  const { path: extra, problems } = configProblems(
    'clickhouse:\n  password: hunter2-secret\n  auth:\n    token: { value: hunter3 }\n  pw: hunter4\n',
  )
  assert.deepEqual(problems, [
    `${extra}: clickhouse.password: secrets are not allowed in config files; set them in the environment`,
    `${extra}: clickhouse.auth.token: secrets are not allowed in config files; set them in the environment`,
    'clickhouse.password: unknown key',
    'clickhouse.auth: unknown key',
    'clickhouse.pw: unknown key',
  ])
  assert.doesNotMatch(problems.join('\n'), /hunter/)
})

test('URL credentials are masked in problems and in the printed configuration', () => {
  assert.deepEqual(configProblems('clickhouse:\n  url: 5\n', { KAFKA_BROKERS: 'http://u:pw@host:9092' }).problems, [
    'kafka.brokers.0: Expected string to match \'^[^\\s:]+:\\d+$\' (got "http://***@host:9092")',
    'clickhouse.url: Expected string (got 5)',
  ])
  const config = loadConfig({ env: { CLICKHOUSE_URL: 'https://analyst:p@ss@clickhouse.internal:8443/' } })
  assert.equal(config.settings.clickhouse.url, 'https://analyst:p@ss@clickhouse.internal:8443/', 'the loaded value keeps its credentials')
  assert.equal(describeConfig(config).settings.clickhouse.url, 'https://***@clickhouse.internal:8443/')
})

test('a short pseudonym key is refused at load, without showing it', () => {
  assert.throws(
    () => loadConfig({ env: { ABUSE_RADAR_PSEUDONYM_KEY: 'short-key' } }),
    (error: unknown) =>
      error instanceof ConfigError && error.problems.join('\n') === 'ABUSE_RADAR_PSEUDONYM_KEY: must be at least 16 characters',
  )
})

test('rules and protected-names files: unreadable, not YAML, or invalid, each fails with its own code and every problem', () => {
  const missing = path.join(tmpdir(), 'no-such-dir-abuse-radar', 'rules.yaml')
  assert.throws(
    () => loadRulesFile(missing),
    (error: unknown) =>
      error instanceof RulesError &&
      error.code === 'AR_RULES_INVALID' &&
      error.problems.join('\n') === `cannot read the file: ENOENT: no such file or directory, open '${missing}'`,
  )
  const duplicated = file('version: 1\nversion: 1\nthreshold: 0.5\nthreshold: 0.6\n')
  assert.throws(
    () => loadRulesFile(duplicated),
    (error: unknown) =>
      error instanceof RulesError &&
      error.problems.join('\n') ===
        'not valid YAML: Map keys must be unique at line 2, column 1\nnot valid YAML: Map keys must be unique at line 4, column 1',
  )
  const circular = file('version: 1\nnames: &n\n  - *n\n')
  assert.throws(
    () => loadProtectedNamesFile(circular),
    (error: unknown) =>
      error instanceof ProtectedNamesError &&
      error.code === 'AR_PROTECTED_NAMES_INVALID' &&
      error.problems.join('\n') === 'names.0: a YAML alias refers to a node that contains it (circular); write the value out',
  )
})
