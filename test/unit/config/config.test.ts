import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describeConfig, loadConfig } from '../../../src/config/load.js'
import { ConfigError } from '../../../src/domain/errors.js'

const file = (text: string) => {
  const p = path.join(mkdtempSync(path.join(tmpdir(), 'cfg-')), 'c.yaml')
  writeFileSync(p, text)
  return p
}

test('defaults load and validate, frozen', () => {
  const c = loadConfig({ env: {} })
  assert.equal(c.settings.kafka.topics.messages, 'abuse.messages')
  assert.equal(c.settings.privacy.sample_min_chats, 5)
  assert.ok(Object.isFrozen(c.settings.kafka))
})

test('environment overrides: generic paths and shortcuts, typed', () => {
  const c = loadConfig({
    env: {
      ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '250',
      KAFKA_BROKERS: 'a:1, b:2',
      CLICKHOUSE_URL: 'http://127.0.0.1:8123',
      ABUSE_RADAR__KAFKA__SSL: 'true',
    },
  })
  assert.equal(c.settings.pipeline.flush_interval_ms, 250)
  assert.deepEqual(c.settings.kafka.brokers, ['a:1', 'b:2'])
  assert.equal(c.settings.clickhouse.url, 'http://127.0.0.1:8123')
  assert.equal(c.settings.kafka.ssl, true)
  assert.equal(c.sources['pipeline.flush_interval_ms'], 'env ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS')
})

test('every error is listed at once, unknown keys rejected', () => {
  const extra = file('kafka:\n  brokerz: [x]\npipeline:\n  flush_interval_ms: -5\nprivacy:\n  sample_min_chats: "five"\n')
  let error: unknown
  try {
    loadConfig({ files: [extra], env: { ABUSE_RADAR__NOPE__X: '1' } })
  } catch (e) {
    error = e
  }
  assert.ok(error instanceof ConfigError)
  const text = error.problems.join('\n')
  assert.match(text, /ABUSE_RADAR__NOPE__X: no config key nope\.x/)
  assert.match(text, /kafka.*brokerz/)
  assert.match(text, /pipeline\.flush_interval_ms/)
  assert.match(text, /privacy\.sample_min_chats/)
  assert.ok(error.problems.length >= 4, text)
})

test('a flush_max_interval_ms below flush_interval_ms is refused, beside the other errors', () => {
  let error: unknown
  try {
    loadConfig({ env: { ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '5000', ABUSE_RADAR__PRIVACY__ROW_TTL_DAYS: '0' } })
  } catch (e) {
    error = e
  }
  assert.ok(error instanceof ConfigError)
  assert.deepEqual(
    error.problems.filter((p) => p.startsWith('pipeline.')),
    ['pipeline.flush_max_interval_ms: must be at least pipeline.flush_interval_ms (5000), got 3000'],
  )
  assert.ok(
    error.problems.some((p) => p.startsWith('privacy.row_ttl_days')),
    error.problems.join('\n'),
  )
  const c = loadConfig({ env: { ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '5000', ABUSE_RADAR__PIPELINE__FLUSH_MAX_INTERVAL_MS: '5000' } })
  assert.equal(c.settings.pipeline.flush_max_interval_ms, 5000)
})

test('secrets are refused in files and redacted when printed', () => {
  assert.throws(
    () => loadConfig({ files: [file('clickhouse:\n  password: hunter2\n')], env: {} }),
    /secrets are not allowed in config files/,
  )
  const c = loadConfig({ env: { CLICKHOUSE_PASSWORD: 'hunter2', ABUSE_RADAR_PSEUDONYM_KEY: 'k'.repeat(32) } })
  assert.equal(c.secrets.clickhousePassword, 'hunter2')
  const printed = JSON.stringify(describeConfig(c))
  assert.ok(!printed.includes('hunter2'))
  assert.match(printed, /CLICKHOUSE_PASSWORD":"\(set, redacted\)/)
  assert.match(printed, /KAFKA_SASL_PASSWORD":"\(not set\)/)
})
