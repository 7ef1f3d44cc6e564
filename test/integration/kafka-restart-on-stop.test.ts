/**
 * kafkajs restarts a crashed consumer on a timer it sets after the crash's own disconnect, so a
 * crash that races its owner's stop would start a group session nobody stops (its socket and timers
 * then keep the process alive). The consumers' `restartOnFailure` (restartUnlessStopping) refuses
 * the restart once the owner stops. Here, against the real broker: a crash before the stop is
 * restarted, one after the stop began is not.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Kafka, logLevel } from 'kafkajs'
import { restartUnlessStopping } from '../../src/sources/kafka/client.js'
import { createTopics } from '../support/kafka-broker.js'
import { produceAll, testBrokers, waitUntil } from '../support/harness.js'

const BATCH_FAILED = 'the batch failed'

const TIMEOUT_MS = 60_000

test('a consumer that crashes before its owner stops restarts; one that crashes once the stop began does not', async () => {
  const brokers = testBrokers()
  const topic = `restart-on-stop-${Date.now()}`
  await createTopics(brokers, [topic], 1)
  await produceAll(brokers, [{ topic, key: 'k', value: Buffer.from('one') }])
  let stopping = false
  const kafka = new Kafka({ clientId: 'restart-on-stop-test', brokers, logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({
    groupId: `g-restart-on-stop-${Date.now()}`,
    // no retry of a failed batch: its error crashes the consumer at once
    retry: { retries: 0, initialRetryTime: 100, restartOnFailure: restartUnlessStopping(() => stopping) },
  })
  // the batch's crashes, whether kafkajs restarts after each, and joins; a crash of the broker's own
  // (a coordinator still loading for a new group) restarts too, and is left out
  const batchCrashes: boolean[] = []
  const events: string[] = []
  consumer.on(consumer.events.CRASH, (event) => {
    if (event.payload.error.message !== BATCH_FAILED) return
    batchCrashes.push(event.payload.restart)
    events.push(`batch crash, restart ${event.payload.restart}`)
  })
  consumer.on(consumer.events.GROUP_JOIN, () => events.push('join'))
  // widened: set in a callback, which narrowing from the initializer cannot see
  let stopped = null as Promise<void> | null
  try {
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachBatch: () => {
        // the first delivery crashes as the owner carries on; the second (after the restart, the
        // same record: nothing is committed) crashes as the owner begins to stop
        if (batchCrashes.length > 0) {
          stopping = true
          stopped = consumer.disconnect()
        }
        return Promise.reject(new Error(BATCH_FAILED))
      },
    })
    await waitUntil('the crash before the stop and the one after', () => batchCrashes.length === 2, TIMEOUT_MS)
    await stopped
    assert.deepEqual(batchCrashes, [true, false])
    const restarted = events.indexOf('batch crash, restart true')
    assert.ok(events.slice(restarted).includes('join'), `joined again after the first crash: ${events.join(', ')}`)
  } finally {
    stopping = true
    await consumer.disconnect().catch(() => {})
  }
})
