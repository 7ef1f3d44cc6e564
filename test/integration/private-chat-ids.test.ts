/**
 * A private chat's id is a person's (in Telegram, the other user's id). After a replay with a
 * private-chat message, a moderation action and a report about that chat, no table of the database
 * holds the raw id; the public chat's id is stored as it is.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { configFromOptions } from '../../src/cli/options.js'
import { openStore } from '../../src/cli/runtime.js'
import { createPseudonymizer } from '../../src/privacy/pseudonymize.js'
import { tempDir } from '../support/harness.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ABUSE_RADAR|CLICKHOUSE|KAFKA|LOG_LEVEL)/.test(name)))
const KEY = 'a test key of 32 characters.....'
const PRIVATE_CHAT = '7519283746'
const PUBLIC_CHAT = '-1009988776655'

test('no table keeps the raw id of a private chat; it is stored as its pseudonym', async () => {
  const dir = tempDir('private-chat')
  const dataDir = path.join(dir, 'data')
  const ts = Date.now() - 60_000
  const records = [
    {
      schema: 'message.v1',
      event_id: 'p1',
      type: 'created',
      ts,
      chat: { id: PRIVATE_CHAT, type: 'private' },
      message_id: '1',
      sender: { id: '5550001' },
      text: 'hi there',
    },
    {
      schema: 'message.v1',
      event_id: 'p2',
      type: 'deleted',
      ts,
      chat: { id: PRIVATE_CHAT, type: 'private' },
      message_id: '1',
      sender: { id: '5550001' },
    },
    {
      schema: 'message.v1',
      event_id: 'c1',
      type: 'created',
      ts,
      chat: { id: PUBLIC_CHAT, type: 'channel', title: 'News' },
      message_id: '9',
      sender: { id: PUBLIC_CHAT },
      text: 'public news',
    },
    {
      schema: 'report.v1',
      event_id: 'r1',
      ts,
      report_id: 'R1',
      reporter: 'user',
      priority: 'normal',
      target: { chat_id: PRIVATE_CHAT, message_id: '1' },
      category: 'scam',
    },
    {
      schema: 'moderation.v1',
      event_id: 'm1',
      ts,
      action: 'user_banned',
      target: { chat_id: PRIVATE_CHAT, user_id: '5550001' },
      category: 'scam',
      source: 'user_report',
      report_id: 'R1',
    },
  ]
  const input = path.join(dir, 'records.ndjson')
  writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'run', '--input', input, '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...ENV, ABUSE_RADAR_PSEUDONYM_KEY: KEY },
    encoding: 'utf8',
    timeout: 60_000,
  })
  assert.equal(run.status, 0, run.stderr)

  const { store, close } = await openStore(configFromOptions({ dataDir }), undefined, { useDatabase: true, createIfMissing: false })
  try {
    const tables = await store.select<{ name: string }>(
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('Null', 'MaterializedView') ORDER BY name",
    )
    assert.ok(tables.length >= 10, `tables: ${tables.map((t) => t.name).join(', ')}`)
    const holding = async (id: string) => {
      const found: string[] = []
      for (const { name } of tables) {
        const rows = await store.select<Record<string, unknown>>(`SELECT * FROM ${store.database}.${name}`)
        if (JSON.stringify(rows).includes(id)) found.push(name)
      }
      return found
    }
    assert.deepEqual(await holding(PRIVATE_CHAT), [], 'the raw private chat id')
    assert.ok((await holding(PUBLIC_CHAT)).includes('message_stats_1m'), 'a public chat keeps its id')
    const pseudonym = createPseudonymizer(KEY)(PRIVATE_CHAT)
    const stats = await store.select<{ created: string; deleted: string }>(
      'SELECT sum(created) AS created, sum(deleted) AS deleted FROM message_stats_1m WHERE chat_id = {chat:String}',
      { chat: pseudonym },
    )
    assert.deepEqual(stats, [{ created: '1', deleted: '1' }], 'the private chat is counted under its pseudonym')
    const answers = await store.select<{ chat_id: string }>("SELECT chat_id FROM report_answers WHERE report_id = 'R1'")
    assert.deepEqual(answers, [{ chat_id: pseudonym }], 'reports join the message rows through the same pseudonym')
  } finally {
    await close()
  }
})
