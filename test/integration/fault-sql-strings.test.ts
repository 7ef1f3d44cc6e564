/**
 * Chat titles, chat ids, message ids and texts carrying SQL, ClickHouse query-parameter syntax,
 * format strings, markup and control characters reach ClickHouse as data, never as code: the exact
 * bytes come back from message_stats_1m, message_fingerprints, the campaign sample and the chat
 * titles of the facts, and every table still exists afterwards.
 *
 * The processor runs in this process (the embedded engine is one per process), so the test can
 * attach a capture of message_facts (a Null table) before the pipeline writes: a MergeTree table
 * fed by a materialized view, i.e. exactly what ClickHouse received for chat_title.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { KafkaPipeline, openMigratedStore } from '../../src/cli/runtime.js'
import { loadConfig } from '../../src/config/load.js'
import { Metrics } from '../../src/observability/metrics.js'
import { maskPrivateData } from '../../src/privacy/mask.js'
import { redactPayload } from '../../src/facts/redact.js'
import { createTopics } from '../support/kafka-broker.js'
import { silentLogger } from '../support/fakes.js'
import { processorEnv, produceAll, tempDir, testBrokers, uniqueTopics, waitForCatchUp, type OutgoingRecord } from '../support/harness.js'
import { countDifferences, MESSAGE_STATS_QUERY, expectedAggregates, messageStatsFromRows, type LabelledRecord } from '../support/oracle.js'

/** Hostile strings; none contains an e-mail address, an @handle or a phone number (the sample masks those). */
const HOSTILE = [
  "'; DROP TABLE message_stats_1m; --",
  "Robert'); DROP DATABASE abuse;--",
  "' OR 1=1 -- ",
  '" OR ""="',
  "x' UNION ALL SELECT name FROM system.tables WHERE '1'='1",
  '1); TRUNCATE TABLE campaigns; SELECT (1',
  'SELECT * FROM system.users FORMAT JSONEachRow',
  '{since:UInt64} {limit:UInt64} {name:String}',
  "\\'; DROP TABLE dead_letters; -- \\\\",
  '\\N',
  'NULL',
  '\\N\t\\N\n',
  '$$ SYSTEM SHUTDOWN $$',
  '%s%s%s%n%n%x%p%d',
  '{0} {1} ${7*7} {{7*7}} #{7*7} %(name)s',
  '<script>alert("x")</script>',
  '<img src=x onerror=alert(1)>',
  '&lt;&amp;&#x27;',
  'line1\r\nline2\rline3\n',
  'nul\u0000byte',
  'bell\u0007 esc\u001b[31m red \u001b[0m del\u007f c1\u0085',
  'tab\there\vvertical\fform',
  'rtl \u202egnp.exe\u202c zero\u200bwidth bom\ufeff',
  '😈 émoji ünïcödé Ω ж 中文 𝕏',
  'back\\slash "quote" \'single\' `tick`',
]

const SYLLABLES = 'ka lo mi nu re sa ti vo be da fe gu hi jo ky la mo ni pe ru so ta vi wo ze'.split(' ')

/** A text of its own per hostile string (so each forms its own campaign), with the string inside. */
function campaignText(i: number, hostile: string): string {
  let s = ((i + 1) * 2654435761) >>> 0
  const next = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0)
  const words: string[] = []
  for (let k = 0; k < 24; k++) {
    let word = ''
    for (let n = 0; n < 3; n++) word += SYLLABLES[next() % SYLLABLES.length] as string
    words.push(word)
  }
  return `${words.slice(0, 12).join(' ')} ${hostile} ${words.slice(12).join(' ')} offer ${i}`
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex').toUpperCase()

test(
  'SQL, format strings and control characters in titles, ids and texts → stored as data, byte for byte',
  { timeout: 300_000 },
  async () => {
    const brokers = testBrokers()
    const topics = uniqueTopics('sqlstr')
    await createTopics(brokers, Object.values(topics), 2)
    const startMs = Date.UTC(2026, 10, 28, 11)
    const CHATS_PER_CAMPAIGN = 6
    const records: (OutgoingRecord & LabelledRecord)[] = []
    const messages: { eventId: string; chatId: string; messageId: string; title: string; username: string }[] = []
    HOSTILE.forEach((hostile, i) => {
      const text = campaignText(i, hostile)
      for (let c = 0; c < CHATS_PER_CAMPAIGN; c++) {
        // Chat ids and message ids are free strings too (up to 256 characters).
        const chatId = c === 0 ? `${hostile}#${i}` : `-100${i}0${c}`
        const messageId = c === 1 ? `${hostile}/${i}` : String(1000 + c)
        const title = `${hostile} (chat ${c})`
        const username = `u${i}_${c}_${hostile}`
        const event = {
          schema: 'message.v1',
          event_id: `sql-${i}-${c}`,
          type: 'created',
          ts: startMs + i * 60_000 + c * 1000,
          chat: { id: chatId, type: c % 2 === 0 ? 'channel' : 'supergroup', title, username, members: 1000 + c },
          message_id: messageId,
          sender: { id: `${hostile}-sender-${c}` },
          text,
          lang: 'en',
        }
        records.push({ topic: topics.messages, key: chatId, value: Buffer.from(JSON.stringify(event), 'utf8'), kind: 'message' })
        messages.push({ eventId: event.event_id, chatId, messageId, title, username })
      }
    })
    // A hostile schema name becomes a dead letter: neither its detail nor its redacted prefix quotes it.
    const letter = Buffer.from(
      JSON.stringify({ schema: "message.v1'); DROP TABLE dead_letters; --", event_id: 'sql-dl', text: 'x\u0000y' }),
      'utf8',
    )
    records.push({ topic: topics.messages, key: null, value: letter, kind: 'malformed' })
    const expected = expectedAggregates(records)
    await produceAll(brokers, records)

    const group = `g-sqlstr-${Date.now()}`
    const config = loadConfig({ env: processorEnv(brokers, topics, group, tempDir('sqlstr')) })
    const metrics = new Metrics()
    const store = await openMigratedStore(config, silentLogger, metrics)
    const db = store.store.database
    const select = <T>(sql: string) => store.store.select<T>(sql)
    try {
      const tablesBefore = (await select<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${db}' ORDER BY name`)).map(
        (r) => r.name,
      )
      // The capture of what ClickHouse received in message_facts (a test-only table in its own database).
      await store.store.command('CREATE DATABASE IF NOT EXISTS capture')
      await store.store.command(
        'CREATE TABLE capture.titles (event_id String, chat_id String, message_id String, chat_title String, chat_username String) ENGINE = MergeTree ORDER BY event_id',
      )
      await store.store.command(
        `CREATE MATERIALIZED VIEW capture.titles_mv TO capture.titles AS SELECT event_id, chat_id, message_id, chat_title, chat_username FROM ${db}.message_facts`,
      )

      const pipeline = await KafkaPipeline.create(config, silentLogger, store, metrics)
      await pipeline.start()
      try {
        await waitForCatchUp(brokers, group, Object.values(topics))
      } finally {
        await pipeline.stop()
      }

      // Every table is still there, and the database too.
      const tablesAfter = (await select<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${db}' ORDER BY name`)).map(
        (r) => r.name,
      )
      assert.deepEqual(tablesAfter, tablesBefore)
      assert.ok(tablesAfter.includes('message_stats_1m') && tablesAfter.includes('dead_letters') && tablesAfter.includes('campaigns'))

      // The aggregates: chat ids with SQL in them are grouping keys like any other.
      const statsRows = await select<Record<string, unknown>>(
        MESSAGE_STATS_QUERY.replace('FROM message_stats_1m', `FROM ${db}.message_stats_1m`),
      )
      assert.deepEqual(countDifferences(messageStatsFromRows(statsRows), expected.messages), [])
      const statsChats = new Set(
        (await select<{ h: string }>(`SELECT DISTINCT hex(chat_id) AS h FROM ${db}.message_stats_1m`)).map((r) => r.h),
      )
      for (const m of messages) assert.ok(statsChats.has(hex(m.chatId)), `message_stats_1m has chat ${JSON.stringify(m.chatId)}`)

      // chat_title, chat_username, chat_id, message_id exactly as sent.
      const captured = new Map(
        (
          await select<{ event_id: string; t: string; u: string; c: string; m: string }>(
            'SELECT event_id, hex(chat_title) AS t, hex(chat_username) AS u, hex(chat_id) AS c, hex(message_id) AS m FROM capture.titles',
          )
        ).map((r) => [r.event_id, r]),
      )
      assert.equal(captured.size, messages.length)
      for (const m of messages) {
        const row = captured.get(m.eventId)
        assert.ok(row, `facts row for ${m.eventId}`)
        assert.equal(row.t, hex(m.title), `chat_title of ${m.eventId} round-trips byte for byte`)
        assert.equal(row.u, hex(m.username), `chat_username of ${m.eventId}`)
        assert.equal(row.c, hex(m.chatId), `chat_id of ${m.eventId}`)
        assert.equal(row.m, hex(m.messageId), `message_id of ${m.eventId}`)
      }

      // message_fingerprints: one row per (public) message, keyed by the hostile ids.
      const fingerprints = new Set(
        (await select<{ k: string }>(`SELECT concat(hex(chat_id), ':', hex(message_id)) AS k FROM ${db}.message_fingerprints`)).map(
          (r) => r.k,
        ),
      )
      for (const m of messages)
        assert.ok(
          fingerprints.has(`${hex(m.chatId)}:${hex(m.messageId)}`),
          `message_fingerprints has ${JSON.stringify(m.chatId)} / ${JSON.stringify(m.messageId)}`,
        )

      // Campaign samples: one campaign per hostile string, its sample the masked text, byte for byte.
      const samples = new Set(
        (
          await select<{ h: string }>(
            `SELECT hex(assumeNotNull(sample_text)) AS h FROM ${db}.campaigns_latest WHERE sample_text IS NOT NULL`,
          )
        ).map((r) => r.h),
      )
      HOSTILE.forEach((hostile, i) => {
        const sample = maskPrivateData(campaignText(i, hostile)).slice(0, 4096)
        assert.ok(
          samples.has(hex(sample)),
          `campaign sample for ${JSON.stringify(hostile)} is stored as sent (masked): ${JSON.stringify(sample)}`,
        )
      })

      // The dead letter: stored as the redaction of the bytes, byte for byte, with nothing of the hostile schema.
      const [dl] = await select<{ reason: string; detail: string; prefix: string }>(
        `SELECT reason, detail, hex(payload_prefix) AS prefix FROM ${db}.dead_letters`,
      )
      assert.equal(dl?.reason, 'unknown_schema')
      assert.equal(dl?.detail, `an unknown schema of ${"message.v1'); DROP TABLE dead_letters; --".length} characters`)
      assert.equal(dl?.prefix, Buffer.from(redactPayload(letter, 512), 'utf8').toString('hex').toUpperCase())
      assert.ok(!Buffer.from(dl.prefix, 'hex').toString('utf8').includes('DROP'))
    } finally {
      await store.close()
    }
  },
)
