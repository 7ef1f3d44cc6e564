/**
 * The campaign exchange commits nothing, so a consumer that joins its group again (after kafkajs
 * restarts it from a crash, or after a rebalance) would start at the end of every partition and
 * miss what was published meanwhile. Each join must resume where delivery stopped, and the first
 * join must start at the lookback. A second member joining the instance's exchange group, then
 * leaving, forces both kinds of join on a real broker.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Kafka, logLevel } from 'kafkajs'
import { CampaignExchange } from '../../src/sources/kafka/exchange.js'
import type { SharedEntry } from '../../src/domain/exchange.js'
import { silentLogger } from '../support/fakes.js'
import { testBrokers, waitUntil } from '../support/harness.js'

const quietObserver = { exchanged: () => {}, exchangedBytes: () => {} }

function deletion(id: number): SharedEntry {
  return { kind: 'delete', chat_id: 'c1', message_id: String(id), ts: 1_700_000_000_000 + id }
}

const TIMEOUT_MS = 90_000

test('the exchange reads from the lookback on its first join, and resumes where it stopped after a rejoin', async () => {
  const brokers = testBrokers()
  const topic = `exchange-rejoin-${Date.now()}`
  const groupId = `g-rejoin-${Date.now()}`
  const options = {
    brokers,
    clientId: 'exchange-rejoin-test',
    ssl: false,
    sasl: { mechanism: 'none' as const, username: '', password: null },
    logger: silentLogger,
    topic,
    groupId,
    partitions: 2,
    retentionMs: 3_600_000,
    lookbackMs: 600_000,
  }
  const publisher = new CampaignExchange(options, quietObserver)
  const reader = new CampaignExchange(options, quietObserver)
  const received = new Set<string>()
  const intruderKafka = new Kafka({ clientId: 'exchange-rejoin-intruder', brokers, logLevel: logLevel.NOTHING })
  const intruder = intruderKafka.consumer({ groupId: `${groupId}.exchange.${reader.origin}` })
  try {
    await publisher.start(() => {})
    // One entry per record, so that the keyless records are spread over both partitions.
    const publishEach = (ids: number[]) => {
      for (const id of ids) publisher.publish([deletion(id)])
    }
    const beforeReader = [1, 2, 3, 4, 5, 6]
    publishEach(beforeReader)
    await publisher.stop() // flushes the sends; a second publisher continues below
    await reader.start((entry) => received.add(entry.kind === 'delete' ? entry.message_id : entry.event_id))
    await waitUntil(
      'the entries published before the reader started',
      () => beforeReader.every((id) => received.has(String(id))),
      TIMEOUT_MS,
    )

    // The intruder takes a partition of the reader's group, reads nothing for the reader, and leaves.
    let intruderPartitions = 0
    intruder.on(intruder.events.GROUP_JOIN, (event) => {
      intruderPartitions = event.payload.memberAssignment[topic]?.length ?? 0
    })
    await intruder.connect()
    await intruder.subscribe({ topics: [topic], fromBeginning: false })
    await intruder.run({ autoCommit: false, eachBatch: async () => {} })
    await waitUntil('the intruder holding a partition', () => intruderPartitions > 0, TIMEOUT_MS)
    const secondPublisher = new CampaignExchange(options, quietObserver)
    await secondPublisher.start(() => {})
    const whileIntruded = [11, 12, 13, 14, 15, 16, 17, 18]
    for (const id of whileIntruded) secondPublisher.publish([deletion(id)])
    await secondPublisher.stop()
    await intruder.disconnect()

    await waitUntil(
      'the entries published while the intruder held a partition',
      () => whileIntruded.every((id) => received.has(String(id))),
      TIMEOUT_MS,
    )
    assert.deepEqual(
      [...received].map(Number).sort((a, b) => a - b),
      [...beforeReader, ...whileIntruded],
    )
  } finally {
    await intruder.disconnect().catch(() => {})
    await reader.stop()
  }
})
