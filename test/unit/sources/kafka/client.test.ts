import { test } from 'node:test'
import assert from 'node:assert/strict'
import kafkajs from 'kafkajs'
import { levelOf } from '../../../../src/sources/kafka/client.js'

const { logLevel } = kafkajs
const line = (level: number, message: string, extra: Record<string, unknown> = {}) => ({
  level,
  log: { timestamp: '', logger: 'kafkajs', message, ...extra },
})

test('the error lines of a normal rebalance are info; other errors stay errors', () => {
  assert.equal(levelOf(line(logLevel.ERROR, '[Runner] The group is rebalancing, re-joining', { groupId: 'g' })), 'info')
  assert.equal(
    levelOf(line(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' })),
    'info',
  )
  assert.equal(levelOf(line(logLevel.ERROR, 'Response OffsetCommit', { type: 'ILLEGAL_GENERATION' })), 'info')
  assert.equal(levelOf(line(logLevel.ERROR, '[Connection] Connection error: connect ECONNREFUSED')), 'error')
  assert.equal(levelOf(line(logLevel.WARN, 'KafkaJS v2.0.0 switched default partitioner')), 'warn')
})
