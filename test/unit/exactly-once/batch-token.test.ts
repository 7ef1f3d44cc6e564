import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BatchRange } from '../../../src/domain/ports.js'
import { batchToken, insertToken } from '../../../src/exactly-once/batch-token.js'

const range: BatchRange = { topic: 'telegram.messages.v1', partition: 3, firstOffset: 100, lastOffset: 199 }

test('the same range always gives the same token, whoever builds it', () => {
  assert.equal(batchToken(range), batchToken({ ...range }))
  assert.equal(batchToken(range), batchToken({ lastOffset: 199, firstOffset: 100, partition: 3, topic: 'telegram.messages.v1' }))
  assert.equal(insertToken(range, 'message_facts'), insertToken(structuredClone(range), 'message_facts'))
})

test('the token format is pinned: tokens already stored in ClickHouse must match a replay after an upgrade', () => {
  assert.equal(batchToken(range), 'telegram.messages.v1:3:100-199')
  assert.equal(insertToken(range, 'message_facts'), 'telegram.messages.v1:3:100-199:message_facts')
})

test('any other range, or another table, gives another token', () => {
  const others: BatchRange[] = [
    { ...range, topic: 'telegram.moderation.v1' },
    { ...range, partition: 4 },
    { ...range, partition: 31 },
    { ...range, firstOffset: 101 },
    { ...range, lastOffset: 198 },
    { ...range, firstOffset: 10, lastOffset: 199 },
  ]
  const tokens = new Set([range, ...others].map(batchToken))
  assert.equal(tokens.size, others.length + 1)
  const tables = ['message_facts', 'moderation_facts', 'report_facts', 'dead_letters', 'dead_letters_local']
  assert.equal(new Set(tables.map((table) => insertToken(range, table))).size, tables.length)
})
