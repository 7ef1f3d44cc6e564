import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  AbuseRadarError,
  ConfigError,
  ERROR_CODES,
  InfrastructureError,
  ProtectedNamesError,
  RejectedRowsError,
  RulesError,
  errorCodeTable,
  exitCodeOf,
} from '../../../src/domain/errors.js'

const read = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')

test('docs/errors.md lists exactly the catalogue, as errorCodeTable() renders it', () => {
  const doc = read('docs/errors.md')
  const table = /<!-- error-codes:begin -->\n([\s\S]*?)\n<!-- error-codes:end -->/.exec(doc)?.[1]
  assert.equal(table, errorCodeTable(), 'regenerate the table of docs/errors.md (see "Adding a code" there)')
})

test('codes only grow: every code ever issued (test/fixtures/error-codes.txt) is still in the catalogue', () => {
  const issued = read('test/fixtures/error-codes.txt').split('\n').filter(Boolean)
  assert.deepEqual(
    issued.filter((code) => !(code in ERROR_CODES)),
    [],
  )
  assert.deepEqual(
    Object.keys(ERROR_CODES).filter((code) => !issued.includes(code)),
    [],
    'append new codes to test/fixtures/error-codes.txt',
  )
})

test('every code is AR_ and upper snake case; input errors exit 2, all others 1; only infrastructure errors are retryable', () => {
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^AR_[A-Z]+(_[A-Z]+)*$/)
    assert.equal(spec.exitCode, spec.family === 'input' ? 2 : 1, code)
    if (spec.retryable) assert.equal(spec.family, 'infrastructure', code)
  }
})

test('the error classes carry their codes, and the exit code follows from the code', () => {
  assert.equal(new ConfigError(['a']).code, 'AR_CONFIG_INVALID')
  assert.equal(new RulesError('r.yaml', ['a']).code, 'AR_RULES_INVALID')
  assert.equal(new ProtectedNamesError('p.yaml', ['a']).code, 'AR_PROTECTED_NAMES_INVALID')
  assert.equal(new RejectedRowsError('bad value', 'messages').code, 'AR_CLICKHOUSE_ROWS_REJECTED')
  assert.equal(exitCodeOf(new RulesError('r.yaml', ['a'])), 2)
  assert.equal(exitCodeOf(new AbuseRadarError('AR_INTERNAL', 'x')), 1)
  assert.equal(exitCodeOf(new Error('uncoded')), 1)
  assert.equal(exitCodeOf('not even an error'), 1)
})

test('an infrastructure error takes its code and retryable from the component and whether a retry helps', () => {
  const cases = [
    [new InfrastructureError('timeout', 'clickhouse', true), 'AR_CLICKHOUSE_UNAVAILABLE', true],
    [new InfrastructureError('auth', 'clickhouse', false), 'AR_CLICKHOUSE_REFUSED', false],
    [new InfrastructureError('down', 'kafka', true), 'AR_KAFKA_UNAVAILABLE', true],
    [new InfrastructureError('sasl', 'kafka', false), 'AR_KAFKA_REFUSED', false],
  ] as const
  for (const [error, code, retryable] of cases) {
    assert.deepEqual([error.code, error.retryable, error instanceof AbuseRadarError], [code, retryable, true], error.message)
  }
})

test('an invalid input error lists every problem in its message', () => {
  assert.equal(
    new RulesError('r.yaml', ['threshold: too big', 'rules.x: unknown']).message,
    'invalid spam rules r.yaml (2 problems):\n  - threshold: too big\n  - rules.x: unknown',
  )
})
