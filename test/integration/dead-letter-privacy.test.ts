/**
 * Against the embedded engine: records a hostile probe sends (a private-chat message without `ts`,
 * impossible and unstorable event times, bytes that are not JSON) end as dead letters that keep no
 * piece of the text or sender id, and no stored row carries a time its columns cannot hold.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { SourceRecord } from '../../src/domain/ports.js'
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { Processor } from '../../src/pipeline/processor.js'
import { NOOP_OBSERVER } from '../../src/domain/observers.js'
import { NO_TEXT_VERDICT } from '../../src/facts/build.js'
import { FakeCheckpoints, silentLogger, TEST_PROCESSOR_SETTINGS } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

// Upper case outside A-F: no piece of them can turn up by chance in a hex hash or a placeholder.
const TEXT = 'PRIVMARK QUIZ WOLF: MY PIN IS QWXZ'
const SENDER = 'SNDRMARK-QWZX-UNIQ'
const TOPIC = 'probe'
const HOUR_MS = 3_600_000

const message = (over: Record<string, unknown>) =>
  JSON.stringify({
    schema: 'message.v1',
    event_id: `e${JSON.stringify(over).length}-${Math.random()}`,
    type: 'created',
    chat: { id: '-5', type: 'private' },
    message_id: '1',
    sender: { id: SENDER },
    text: TEXT,
    ...over,
  })

function leakedPieces(stored: string, secret: string): string[] {
  const pieces: string[] = []
  for (let i = 0; i + 4 <= secret.length; i++) if (stored.includes(secret.slice(i, i + 4))) pieces.push(secret.slice(i, i + 4))
  return pieces
}

test('a hostile probe leaves no text or sender id in dead_letters and no unstorable time in the aggregates', async () => {
  const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: tempDir('probe'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'probe' } })
  const store = await openMigratedStore(config, silentLogger, new Metrics())
  try {
    const recent = Date.now() - HOUR_MS
    const payloads = [
      message({ ts: undefined }), // 0 missing_field: a private message without ts
      message({ ts: '2026-02-30T12:00:00Z' }), // 1 invalid_ts: no such day
      message({ ts: '2199-01-01T00:00:00Z', chat: { id: '-6', type: 'group' } }), // 2 ts_in_future: a minute column wraps after 2106
      message({ ts: '2199-01-01T00:00:00Z', type: 'deleted', chat: { id: '-6', type: 'group' } }), // 3 ts_in_future
      message({ ts: recent, chat: { id: '-6', type: 'group' } }), // 4 accepted
      message({ ts: recent, type: 'deleted', chat: { id: '-6', type: 'group' } }), // 5 accepted: a fingerprint row (deletion)
      `${TEXT} ${SENDER}`, // 6 not_json
      message({ ts: recent, text: 4915112345678 }), // 7 wrong_type
      message({ ts: '1999-12-31T23:00:00Z', chat: { id: '-6', type: 'group' } }), // 8 ts_too_old
      message({ ts: Date.now() - 401 * 24 * HOUR_MS, chat: { id: '-6', type: 'group' } }), // 9 ts_too_old: past privacy.aggregate_ttl_days
      message({ ts: Date.now() + 2 * HOUR_MS, chat: { id: '-6', type: 'group' } }), // 10 ts_in_future: past max_future_skew_seconds
      message({ ts: recent, chat: { id: '-6', type: 'group' } }), // 11 ts_in_future: two hours after its record's broker time
    ]
    const brokerTimeOf = (offset: number) => (offset === 11 ? recent - 2 * HOUR_MS : 0)
    const processor = new Processor({
      sink: store.store,
      checkpoints: new FakeCheckpoints(),
      analyzer: { analyze: () => NO_TEXT_VERDICT },
      pseudonymize: (id) => `p${id.length}`,
      observer: NOOP_OBSERVER,
      logger: silentLogger,
      now: () => Date.now(),
      settings: {
        ...TEST_PROCESSOR_SETTINGS,
        flushMaxRecords: 100,
        dedupHorizonMs: HOUR_MS,
        deadLetterPrefixBytes: 4096,
        maxFutureSkewMs: HOUR_MS,
        maxEventAgeMs: config.settings.privacy.aggregate_ttl_days * 24 * HOUR_MS,
      },
    })
    const records: SourceRecord[] = payloads.map((payload, offset) => ({
      topic: TOPIC,
      partition: 0,
      offset,
      value: Buffer.from(payload),
      timestampMs: brokerTimeOf(offset),
    }))
    await processor.accept(TOPIC, 0, records)
    await processor.flush(true)

    const db = store.store.database
    const letters = await store.store.select<Record<string, unknown>>(
      `SELECT * FROM ${db}.dead_letters WHERE topic = '${TOPIC}' ORDER BY offset`,
    )
    assert.deepEqual(
      letters.map((l) => [Number(l.offset), l.reason]),
      [
        [0, 'missing_field'],
        [1, 'invalid_ts'],
        [2, 'ts_in_future'],
        [3, 'ts_in_future'],
        [6, 'not_json'],
        [7, 'wrong_type'],
        [8, 'ts_too_old'],
        [9, 'ts_too_old'],
        [10, 'ts_in_future'],
        [11, 'ts_in_future'],
      ],
    )
    const stored = JSON.stringify(letters)
    assert.deepEqual(leakedPieces(stored, TEXT), [])
    assert.deepEqual(leakedPieces(stored, SENDER), [])
    assert.equal(letters[0]!.payload_bytes, Buffer.byteLength(payloads[0]!))

    const [stats] = await store.store.select<Record<string, string>>(
      `SELECT sum(created) AS created, sum(deleted) AS deleted, countIf(minute > toDateTime('2106-02-07 06:28:00', 'UTC')) AS beyond_2106,
              countIf(minute < now() - INTERVAL ${config.settings.privacy.aggregate_ttl_days} DAY) AS before_retention,
              toUnixTimestamp(max(minute)) AS latest
       FROM ${db}.message_stats_1m WHERE chat_id IN ('-5', '-6')`,
    )
    assert.deepEqual([stats!.created, stats!.deleted, stats!.beyond_2106, stats!.before_retention].map(Number), [1, 1, 0, 0])
    assert.equal(Number(stats!.latest), Math.floor(recent / 60_000) * 60)
    const [fingerprints] = await store.store.select<Record<string, string>>(
      `SELECT count() AS n, toUnixTimestamp64Milli(max(ts)) AS latest FROM ${db}.message_fingerprints WHERE chat_id = '-6'`,
    )
    assert.deepEqual([Number(fingerprints!.n), Number(fingerprints!.latest)], [1, recent])

    const [comment] = await store.store.select<{ comment: string }>(
      `SELECT comment FROM system.columns WHERE database = '${db}' AND table = 'dead_letters' AND name = 'payload_prefix'`,
    )
    assert.match(comment!.comment, /read the record itself from Kafka \(topic, partition, offset\) within the topic retention/)
  } finally {
    await store.close()
  }
})
