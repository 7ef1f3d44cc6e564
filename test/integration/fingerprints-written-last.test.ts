/**
 * A batch's insert into message_facts feeds the views under it one after another, in an order the
 * engine picks per database, so a crash can fall between two of them. A restart rebuilds the
 * campaign index from message_fingerprints: if that table held a batch some views did not, the
 * replay met its own messages in the index, counted none as new, and the views it had not reached
 * undercounted (file-replay-resume.test.ts in CI: 3,269 of 3,457 members counted). The store writes
 * message_fingerprints after message_facts and its views (migration 15). Against the embedded
 * engine, with a view that fails inside the message_facts insert standing in for the crash.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BatchOutput, MessageFact } from '../../src/domain/facts.js'
import type { MessageV1 } from '../../src/domain/events.js'
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore } from '../../src/cli/runtime.js'
import { Metrics } from '../../src/observability/metrics.js'
import { messageFact, NO_TEXT_VERDICT } from '../../src/facts/build.js'
import { silentLogger } from '../support/fakes.js'
import { tempDir } from '../support/harness.js'

const TS = Date.UTC(2026, 10, 28, 12)
const RANGE = { topic: 'abuse.messages', partition: 0, firstOffset: 0, lastOffset: 2 }

/** Three members of campaign c1, adding `counts` to it. */
function batch(counts: number[]): BatchOutput {
  const messages: MessageFact[] = counts.map((campaignMessages, offset) => {
    const event = {
      schema: 'message.v1',
      event_id: `e${offset}`,
      type: 'created',
      ts: TS + offset,
      chat: { id: `-10${offset}`, type: 'channel' },
      message_id: `m${offset}`,
      sender: { id: 'u' },
    } as unknown as MessageV1
    const verdict = {
      ...NO_TEXT_VERDICT,
      fingerprinted: 1 as const,
      exact_hash: `000000000000000${offset}`,
      in_campaign: 1 as const,
      campaign_id: 'c1',
      campaign_messages: campaignMessages,
      campaign_first_seen: TS,
    }
    return messageFact(event, TS + offset, { ...RANGE, offset }, offset + 1, 'p-u', verdict, (id) => `p${id}`)
  })
  return { messages, moderation: [], reports: [], deadLetters: [] }
}

/** The tables inserted into, in order. */
class InsertOrder extends Metrics {
  readonly tables: string[] = []
  override onInsert(table: string, rows: number, seconds: number, ok: boolean): void {
    if (ok) this.tables.push(table)
    super.onInsert(table, rows, seconds, ok)
  }
}

test('message_fingerprints holds a batch only once every view of message_facts does; the batch written again counts once', async () => {
  const config = loadConfig({
    env: { ABUSE_RADAR_DATA_DIR: tempDir('fingerprints-last'), ABUSE_RADAR__CLICKHOUSE__DATABASE: 'fingerprints_last' },
  })
  const metrics = new InsertOrder()
  const store = await openMigratedStore(config, silentLogger, metrics)
  const db = store.store.database
  const figures = async () => {
    const [row] = await store.store.select<{ fingerprints: string; counted: string }>(
      `SELECT (SELECT count() FROM ${db}.message_fingerprints) AS fingerprints, (SELECT sum(messages) FROM ${db}.campaigns) AS counted`,
    )
    return { fingerprints: Number(row!.fingerprints), counted: Number(row!.counted) }
  }
  try {
    const [views] = await store.store.select<{ n: string }>(
      `SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = 'message_fingerprints_mv'`,
      { db },
    )
    assert.equal(views!.n, '0', 'no view of message_facts writes message_fingerprints')

    await store.store.command(`CREATE TABLE ${db}.failing_target (failed UInt8) ENGINE = Null`)
    await store.store.command(
      `CREATE MATERIALIZED VIEW ${db}.failing_mv TO ${db}.failing_target AS
       SELECT throwIf(source_offset >= 0, 'a view failing inside the insert') AS failed FROM ${db}.message_facts`,
    )
    // The first write: the second message made the group a campaign and brought the first with it.
    await assert.rejects(store.store.writeBatch(RANGE, batch([0, 2, 1])), /a view failing inside the insert/)
    assert.equal((await figures()).fingerprints, 0, 'message_fingerprints has none of a batch whose message views failed')

    await store.store.command(`DROP VIEW ${db}.failing_mv`)
    metrics.tables.length = 0
    await store.store.writeBatch(RANGE, batch([0, 2, 1]))
    assert.deepEqual(metrics.tables, ['message_facts', 'message_fingerprints'])
    await store.store.writeBatch(RANGE, batch([1, 1, 1]))
    assert.deepEqual(await figures(), { fingerprints: 3, counted: 3 })
  } finally {
    await store.close()
  }
})
