import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LastScores } from '../../../src/pipeline/last-scores.js'

const key = (chatId: string, messageId: string) => ({ chatId, messageId })

test('keeps the latest score per message; the least recently scored is forgotten past the bound', () => {
  const scores = new LastScores(3)
  assert.equal(scores.get(key('c1', '1')), null)
  scores.set(key('c1', '1'), 0.25)
  scores.set(key('c1', '2'), 0.5)
  scores.set(key('c2', '1'), 0.75)
  assert.equal(scores.get(key('c1', '1')), 0.25)
  assert.equal(scores.get(key('c2', '1')), 0.75, 'another chat, same message id: another message')
  scores.set(key('c1', '1'), 0.125) // rescored (an edit): now the most recent
  scores.set(key('c3', '9'), 1)
  assert.equal(scores.size, 3)
  assert.equal(scores.get(key('c1', '2')), null, 'the least recently scored went first')
  assert.equal(scores.get(key('c1', '1')), 0.125)
  assert.equal(scores.get(key('c3', '9')), 1)
})

test('holds its bound over many messages, growing its storage', () => {
  const scores = new LastScores(5000)
  for (let i = 0; i < 20_000; i++) scores.set(key(`chat${i % 7}`, String(i)), i / 20_000)
  assert.equal(scores.size, 5000)
  assert.equal(scores.get(key('chat0', '0')), null)
  assert.equal(scores.get(key(`chat${14_999 % 7}`, '14999')), null)
  assert.equal(scores.get(key(`chat${15_000 % 7}`, '15000')), 15_000 / 20_000)
  assert.equal(scores.get(key(`chat${19_999 % 7}`, '19999')), 19_999 / 20_000)
})
