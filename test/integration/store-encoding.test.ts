/**
 * The store writes TabSeparated (src/sinks/clickhouse/tab-separated.ts). Against the real engine,
 * through writeBatch and the views: every kind of value a facts row holds comes back as written
 * (escapes, arrays, maps, NULL, a time of epoch 0), a batch longer than one streamed chunk arrives
 * whole, and a row the encoder cannot write is a defect (AR_INTERNAL, not retried), not a server to wait for.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { AbuseRadarError } from '../../src/domain/errors.js'
import { NO_TEXT_VERDICT, messageFact } from '../../src/facts/build.js'
import type { MessageV1 } from '../../src/domain/events.js'
import { silentLogger } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

const HOSTILE = 'tab\there, line\nfeed, cr\r, back\\slash, quote\' and "double", nul\u0000, ünïcødé 🙂'
// Recent, inside every table's TTL: rows past it may be dropped by a background merge before the reads below.
const TS = Math.floor(Date.now() / 1000) * 1000 - 3_600_000 + 123
const RANGE = { topic: 'abuse.messages', partition: 0, firstOffset: 0, lastOffset: 2500 }

function fact(i: number, title: string) {
  const event = {
    schema: 'message.v1',
    event_id: `e${i}`,
    type: 'created',
    ts: TS,
    chat: { id: '-100', type: 'channel', title },
    message_id: `m${i}`,
    sender: { id: 'u' },
  } as MessageV1
  return messageFact(
    event,
    TS,
    { topic: RANGE.topic, partition: 0, offset: i },
    i,
    'p-sender',
    {
      ...NO_TEXT_VERDICT,
      fingerprinted: 1,
      exact_hash: 'ab12',
      signature: HOSTILE,
      campaign_id: 'c1',
      campaign_messages: 1,
      campaign_first_seen: 0,
      campaign_chats: [HOSTILE, '-100'],
      campaign_senders: ['p-sender'],
      spam_score: 0.75,
      reasons: ['link_shortener', "it's"],
      obfuscation: { homoglyph: 2, "it's": 1 },
      link_domains: ['bit.ly'],
    },
    (id) => `p${id}`,
  )
}

test('facts of every value kind survive the TabSeparated insert; an unencodable row is AR_INTERNAL', async () => {
  const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: tempDir('encoding'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'encoding' } })
  const { store, close } = await openMigratedStore(config, silentLogger, new Metrics())
  try {
    const messages = Array.from({ length: 2501 }, (_, i) => fact(i, i === 0 ? HOSTILE : 'plain'))
    await store.writeBatch(RANGE, { messages, moderation: [], reports: [], deadLetters: [] })

    const [first] = await store.select<Record<string, unknown>>(
      `SELECT toUnixTimestamp64Milli(ts) AS ts, signature, reasons, obfuscation, link_domains, spam_score
       FROM encoding.message_fingerprints WHERE message_id = 'm0'`,
    )
    assert.deepEqual(first, {
      ts: String(TS),
      signature: HOSTILE,
      reasons: ['link_shortener', "it's"],
      obfuscation: { homoglyph: 2, "it's": 1 },
      link_domains: ['bit.ly'],
      spam_score: 0.75,
    })
    const [campaign] = await store.select<Record<string, unknown>>(
      `SELECT toUnixTimestamp64Milli(first_seen) AS first_seen, messages, sample_text, signature FROM encoding.campaigns_latest`,
    )
    assert.deepEqual(campaign, { first_seen: '0', messages: '2501', sample_text: null, signature: null })
    const [stats] = await store.select<Record<string, unknown>>(
      `SELECT sum(created) AS created, uniqMerge(senders) AS senders FROM encoding.message_stats_1m`,
    )
    assert.deepEqual(stats, { created: '2501', senders: '1' })

    const broken = [fact(9000, 'x'), { ...fact(9001, 'y'), sender: undefined }]
    await assert.rejects(
      store.writeBatch(
        { ...RANGE, firstOffset: 9000, lastOffset: 9001 },
        { messages: broken as typeof messages, moderation: [], reports: [], deadLetters: [] },
      ),
      (error: unknown) =>
        error instanceof AbuseRadarError &&
        error.code === 'AR_INTERNAL' &&
        !error.retryable &&
        /row without column sender/.test(error.message),
    )
  } finally {
    await close()
  }
})
