/**
 * The poison batch of file mode (issue "Hardening", item 2) against the embedded engine: 110 ordinary
 * public messages, one a day from 2026-08-01, replayed as one batch. ClickHouse refuses an insert
 * that touches more than 100 partitions (error 252), which a retry cannot change; the store cuts the
 * insert by event day, so the run ends with every message written once and nothing retried. Also
 * with a standard input piped to a file replay (the embedded engine took it as insert data: error
 * 48) and with the batch read from standard input (`--input -`).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { query, replayWithCli, tempDir } from '../support/harness.js'

const DAYS = 110
const FIRST_DAY_MS = Date.UTC(2026, 7, 1, 12)

const lines = Array.from({ length: DAYS }, (_, day) =>
  JSON.stringify({
    schema: 'message.v1',
    event_id: `poison-${day}`,
    type: 'created',
    ts: new Date(FIRST_DAY_MS + day * 86_400_000).toISOString(),
    chat: { id: '-100900', type: 'supergroup', title: 'Daily garden', username: 'daily_garden' },
    message_id: `poison-${day}`,
    sender: { id: `u${day % 7}` },
    text: `garden note for day ${day}`,
  }),
)
const dir = tempDir('poison-batch')
const input = path.join(dir, 'days.ndjson')
writeFileSync(input, `${lines.join('\n')}\n`)

type Run = Awaited<ReturnType<typeof replayWithCli>>

/** The run's summary and what ClickHouse holds: every message once, on 110 days. */
async function assertWrittenOnce(run: Run, dataDir: string): Promise<void> {
  assert.equal(run.code, 0, run.stderr)
  const { records, messages, dead_letters, records_written, batches_written, write_retries } = run.summary
  assert.deepEqual(
    { records, messages, dead_letters, records_written, batches_written, write_retries },
    { records: DAYS, messages: DAYS, dead_letters: 0, records_written: DAYS, batches_written: 1, write_retries: 0 },
  )
  const [stats] = await query<{ created: string; days: string; first: string; last: string }>(
    dataDir,
    'SELECT sum(created) AS created, uniqExact(toDate(minute)) AS days, toString(min(toDate(minute))) AS first, toString(max(toDate(minute))) AS last FROM message_stats_1m',
  )
  assert.deepEqual(stats, { created: String(DAYS), days: String(DAYS), first: '2026-08-01', last: '2026-11-18' })
}

test('a batch spanning 110 event days is written whole, once, without a retry', async () => {
  const dataDir = path.join(dir, 'file')
  await assertWrittenOnce(await replayWithCli(input, dataDir), dataDir)
})

test('the same with a standard input piped to the file replay, which nothing reads', async () => {
  const dataDir = path.join(dir, 'file-piped')
  await assertWrittenOnce(await replayWithCli(input, dataDir, 'hi\n'), dataDir)
})

test('the same batch read from standard input (--input -)', async () => {
  const dataDir = path.join(dir, 'stdin')
  await assertWrittenOnce(await replayWithCli('-', dataDir, `${lines.join('\n')}\n`), dataDir)
})
