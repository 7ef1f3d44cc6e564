import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AbuseRadarError, ERROR_CODES } from '../../../src/domain/errors.js'
import { IllegalTransitionError, OwnershipLostError } from '../../../src/exactly-once/errors.js'

test('losing ownership is coded: a rebalance during the write by default, a refused commit when Kafka says so', () => {
  const lost = new OwnershipLostError('generation 3 ended')
  assert.ok(lost instanceof AbuseRadarError)
  assert.equal(lost.code, 'AR_OWNERSHIP_LOST')
  assert.equal(new OwnershipLostError('commit refused: ILLEGAL_GENERATION', 'AR_COMMIT_REFUSED').code, 'AR_COMMIT_REFUSED')
  assert.equal(lost.retryable, false, 'never retried: the next owner replays the batch')
  assert.equal(lost.name, 'OwnershipLostError')
})

test('an illegal transition is a programming error naming the machine, the phase and the event', () => {
  const error = new IllegalTransitionError('partition', 'revoked', 'admit')
  assert.equal(error.code, 'AR_INTERNAL')
  assert.equal(ERROR_CODES[error.code].family, 'programming')
  assert.match(error.message, /partition: no transition 'admit' from phase 'revoked'/)
})
