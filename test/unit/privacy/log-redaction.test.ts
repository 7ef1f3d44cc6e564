// Secrets never reach a log line: credential-looking keys at any depth, credentials inside URLs
// (in values and in the message), and errors whose message quotes a URL with a password.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { createLogger } from '../../../src/observability/logger.js'

const PASSWORD = 'Hunter2-QWZX'

interface LogLine {
  msg: string
  config?: unknown
  url?: string
  apiToken?: string
  err?: { message: string }
}

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => string } {
  const chunks: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  return { logger: createLogger('info', sink), lines: () => chunks.join('') }
}

test('a logged configuration object, a URL and an error keep no password, and the rest of the line stays', () => {
  const { logger, lines } = capture()
  const config = {
    settings: {
      clickhouse: { url: `http://abuse:${PASSWORD}@clickhouse:8123`, username: 'abuse' },
      kafka: { sasl: { mechanism: 'scram-sha-512', username: 'radar', password: PASSWORD } },
    },
    secrets: { pseudonymKey: PASSWORD, clickhousePassword: PASSWORD, kafkaSaslPassword: PASSWORD },
  }
  logger.info({ config }, 'configuration loaded')
  logger.warn({ url: `https://radar:${PASSWORD}@ch.example:8443/?database=abuse`, apiToken: PASSWORD }, 'connecting')
  logger.error({ err: new Error(`connect to http://u:${PASSWORD}@10.0.0.1:8123 refused`) }, `retrying http://u:${PASSWORD}@10.0.0.1:8123`)
  const output = lines()
  assert.equal(output.split('\n').filter(Boolean).length, 3)
  assert.doesNotMatch(output, new RegExp(PASSWORD))
  const [loaded, connecting, failed] = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LogLine) as [LogLine, LogLine, LogLine]
  assert.deepEqual(loaded.config, {
    settings: {
      clickhouse: { url: 'http://***@clickhouse:8123', username: 'abuse' },
      kafka: { sasl: { mechanism: 'scram-sha-512', username: 'radar', password: '[redacted]' } },
    },
    secrets: '[redacted]',
  })
  assert.deepEqual([connecting.url, connecting.apiToken], ['https://***@ch.example:8443/?database=abuse', '[redacted]'])
  assert.equal(failed.msg, 'retrying http://***@10.0.0.1:8123')
  assert.equal(failed.err?.message, 'connect to http://***@10.0.0.1:8123 refused')
})

test('message text and raw sender ids stay redacted as before', () => {
  const { logger, lines } = capture()
  logger.info({ event: { text: 'PRIVATE TEXT', sender: { id: '7512345678' } } }, 'sample')
  const output = lines()
  assert.doesNotMatch(output, /PRIVATE TEXT|7512345678/)
})
