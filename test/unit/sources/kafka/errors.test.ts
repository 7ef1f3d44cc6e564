import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorTypes } from '../../../../src/sources/kafka/source.js'

test('errorTypes finds the Kafka error code however kafkajs wraps a refused commit', () => {
  const protocol = Object.assign(new Error('Specified group generation id is not valid'), { type: 'ILLEGAL_GENERATION' })
  assert.deepEqual(errorTypes(protocol), ['ILLEGAL_GENERATION'])
  // after kafkajs' own retries: KafkaJSNumberOfRetriesExceeded { originalError }
  assert.deepEqual(errorTypes(Object.assign(new Error('retries exceeded'), { originalError: protocol })), ['ILLEGAL_GENERATION'])
  // not retriable: KafkaJSNonRetriableError { cause }
  assert.deepEqual(
    errorTypes(Object.assign(new Error('non retriable'), { cause: Object.assign(new Error('x'), { originalError: protocol }) })),
    ['ILLEGAL_GENERATION'],
  )
  assert.deepEqual(errorTypes(new Error('connection closed')), [])
  assert.deepEqual(errorTypes(undefined), [])
})
