// Integration test of the real Kafka broker harness (scripts/kafka/):
// produce/consume with a consumer group and manual commits, then a broker restart.
// Run: node --import tsx --test test/integration/kafka-broker.test.ts
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from 'kafkajs'
import { createTopics, kafkaVersion, startBroker, type KafkaBroker } from '../support/kafka-broker.js'

const MESSAGES = 1000
const PARTITIONS = 3

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('real Kafka broker: produce, consume with manual commits, survive a restart', { timeout: 240_000 }, async (t) => {
  const t0 = Date.now()
  const broker: KafkaBroker = await startBroker()
  t.diagnostic(`Kafka ${kafkaVersion()} broker ${broker.brokers[0]} (pid ${broker.pid}) ready in ${Date.now() - t0} ms`)
  const pids = [broker.pid]

  const kafka = new Kafka({ clientId: 'kafka-broker-test', brokers: broker.brokers, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  let producer: Producer | undefined
  const consumers: Consumer[] = []
  const topic = `harness-test-${Date.now()}`
  const groupId = `harness-group-${Date.now()}`

  // kafkajs' admin.fetchOffsets does not retry "coordinator is loading" (code 14), which a
  // freshly restarted broker answers while it reloads __consumer_offsets: retry it here.
  const committedSum = async (): Promise<number> => {
    const deadline = Date.now() + 30_000
    for (;;) {
      try {
        const res = await admin.fetchOffsets({ groupId, topics: [topic] })
        let sum = 0
        for (const tp of res) for (const p of tp.partitions) if (Number(p.offset) > 0) sum += Number(p.offset)
        return sum
      } catch (err) {
        const retriable = (err as { retriable?: boolean }).retriable === true
        if (!retriable || Date.now() > deadline) throw err
        await new Promise((r) => setTimeout(r, 200))
      }
    }
  }

  try {
    await createTopics(broker.brokers, [topic], PARTITIONS)
    await admin.connect()
    const meta = await admin.fetchTopicMetadata({ topics: [topic] })
    assert.equal(meta.topics[0]?.partitions.length, PARTITIONS)

    // --- produce 1000 keyed messages
    const tp = Date.now()
    producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner })
    await producer.connect()
    const produced = new Set<string>()
    for (let start = 0; start < MESSAGES; start += 100) {
      const messages = []
      for (let i = start; i < Math.min(start + 100, MESSAGES); i++) {
        const value = `value-${i}`
        produced.add(value)
        messages.push({ key: `key-${i % 37}`, value })
      }
      await producer.send({ topic, messages })
    }
    const ends = await admin.fetchTopicOffsets(topic)
    assert.equal(
      ends.reduce((s, p) => s + Number(p.offset), 0),
      MESSAGES,
    )
    assert.ok(
      ends.every((p) => Number(p.offset) > 0),
      'keys spread over every partition',
    )
    t.diagnostic(`produced ${MESSAGES} messages in ${Date.now() - tp} ms`)

    // --- consume them in a group, committing by hand after each batch
    const tc = Date.now()
    // maxWaitTimeInMs: kafkajs' disconnect() waits for the fetch long-poll in flight (5 s by default)
    const consumer1 = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 })
    consumers.push(consumer1)
    const seen = new Set<string>()
    let received = 0
    const committed = new Map<number, bigint>()
    consumer1.on(consumer1.events.GROUP_JOIN, (e) => {
      t.diagnostic(`first consumer joined the group after ${Date.now() - tc} ms (${e.payload.duration} ms in join)`)
    })
    await consumer1.connect()
    await consumer1.subscribe({ topics: [topic], fromBeginning: true })
    await consumer1.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          received++
          seen.add(m.value?.toString() ?? '<null>')
        }
        if (batch.messages.length === 0) return
        const next = (BigInt(batch.lastOffset()) + 1n).toString()
        await consumer1.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
        committed.set(batch.partition, BigInt(next))
      },
    })
    await waitFor(
      `${MESSAGES} messages consumed and committed`,
      () => seen.size >= MESSAGES && [...committed.values()].reduce((s, o) => s + o, 0n) >= BigInt(MESSAGES),
    )
    t.diagnostic(`consumed and committed ${received} messages (${seen.size} distinct) in ${Date.now() - tc} ms`)
    await new Promise((r) => setTimeout(r, 500)) // room for unexpected duplicates to show up
    await consumer1.disconnect()

    assert.equal(seen.size, MESSAGES, 'exactly 1000 distinct values')
    assert.deepEqual([...seen].sort(), [...produced].sort())
    assert.equal(received, MESSAGES, 'no duplicates with a single stable consumer')
    assert.equal(await committedSum(), MESSAGES, 'committed offsets sum to 1000')

    // --- restart the broker (same ports, same data) and resume the group
    const tr = Date.now()
    await broker.restart()
    pids.push(broker.pid)
    t.diagnostic(`broker restarted (pid ${broker.pid}) in ${Date.now() - tr} ms`)
    assert.equal(await committedSum(), MESSAGES, 'committed offsets survive the restart')

    const consumer2 = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 })
    consumers.push(consumer2)
    const afterRestart: string[] = []
    let joined = false
    consumer2.on(consumer2.events.GROUP_JOIN, () => {
      joined = true
    })
    await consumer2.connect()
    await consumer2.subscribe({ topics: [topic], fromBeginning: true })
    await consumer2.run({
      autoCommit: false,
      eachMessage: async ({ topic: tpc, partition, message }) => {
        afterRestart.push(message.value?.toString() ?? '<null>')
        await consumer2.commitOffsets([{ topic: tpc, partition, offset: (BigInt(message.offset) + 1n).toString() }])
      },
    })
    await waitFor('second consumer to join the group', () => joined)
    t.diagnostic(`second consumer joined after the restart in ${Date.now() - tr} ms since restart began`)

    // the producer created before the restart reconnects by itself
    await producer.send({ topic, messages: [{ key: 'after', value: 'after-restart' }] })
    await waitFor('the post-restart message', () => afterRestart.includes('after-restart'))
    await new Promise((r) => setTimeout(r, 2000)) // a few more fetch rounds: nothing old may arrive
    assert.deepEqual(afterRestart, ['after-restart'], 'second consumer sees only the new message')
    await waitFor('commit of the post-restart message', async () => (await committedSum()) === MESSAGES + 1, 15_000)
  } finally {
    for (const c of consumers) await c.disconnect().catch(() => {})
    await producer?.disconnect().catch(() => {})
    await admin.disconnect().catch(() => {})
    const ts = Date.now()
    await broker.stop()
    t.diagnostic(`broker stopped in ${Date.now() - ts} ms`)
  }
  for (const pid of pids) assert.equal(isAlive(pid), false, `broker pid ${pid} is gone`)
})
