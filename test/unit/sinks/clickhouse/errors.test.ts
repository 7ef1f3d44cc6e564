import { test } from 'node:test'
import assert from 'node:assert/strict'
import { toInfrastructureError } from '../../../../src/sinks/clickhouse/client.js'

test('ClickHouse errors are classified by code, whichever copy of the error class threw them', () => {
  const fromEmbeddedEngine = Object.assign(new Error('Syntax error: failed at position 7'), { code: '62' })
  assert.equal(toInfrastructureError(fromEmbeddedEngine, 'q').retryable, false, 'a wrong statement is not retried')
  const overloaded = Object.assign(new Error('Too many parts'), { code: '252' })
  assert.equal(toInfrastructureError(overloaded, 'q').retryable, true, 'overload is retried')
  const network = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
  assert.equal(toInfrastructureError(network, 'q').retryable, true, 'network errors are retried')
})
