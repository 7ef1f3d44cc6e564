/**
 * The embedded engine writes an insert's token to a table's deduplication log before it renames the
 * insert's part to its final name. A SIGKILL between the two (measured once in the SIGKILL test: one
 * batch missing from message_stats_1m) left a token without its part, and the replay of the batch,
 * under that token, was dropped as a repeat. The next start now drops such tokens before the engine
 * opens (src/sinks/clickhouse/orphan-dedup-records.ts). Against the real engine: the kill is
 * reproduced by renaming a written part back to the temporary name it had before the rename.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdirSync, renameSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { query, REPO_ROOT, tempDir } from '../support/harness.js'

const run = promisify(execFile)
const START = path.join(REPO_ROOT, 'test/support/store-batch-run.ts')

interface Start {
  orphanTokens: number
  created: number
  tableDir: string
}

/** A start of the store in its own process (one engine per process) that writes the batch. */
async function start(dataDir: string): Promise<Start> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', START, dataDir], { cwd: REPO_ROOT })
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Start
}

const partsOf = (tableDir: string) =>
  readdirSync(tableDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[^_]+(_\d+){3,4}$/.test(entry.name))
    .map((entry) => entry.name)

test('a token the kill left without its part is dropped at the next start, so the replayed batch is written once', async () => {
  const dataDir = tempDir('orphan-tokens')
  const first = await start(dataDir)
  assert.deepEqual({ orphanTokens: first.orphanTokens, created: first.created }, { orphanTokens: 0, created: 3 })

  // The state a kill between the token's record and the part's rename leaves: the part under its temporary name.
  const parts = partsOf(first.tableDir)
  assert.equal(parts.length, 1, `message_stats_1m holds one part: ${parts.join(', ')}`)
  const part = parts[0] as string
  renameSync(path.join(first.tableDir, part), path.join(first.tableDir, `tmp_insert_${part}`))

  // A reader between the kill and the restart (here `abuse-radar sql`) sees the batch missing and
  // leaves the token to the next writer.
  assert.deepEqual(await query(dataDir, 'SELECT sum(created) AS created FROM message_stats_1m'), [{ created: '0' }])

  // The replay under the same token: written (without the repair, dropped as a repeat: created 0).
  const replay = await start(dataDir)
  assert.deepEqual({ orphanTokens: replay.orphanTokens, created: replay.created }, { orphanTokens: 1, created: 3 })

  // The token is remembered again with its new part: a second replay is dropped, nothing is doubled.
  const again = await start(dataDir)
  assert.deepEqual({ orphanTokens: again.orphanTokens, created: again.created }, { orphanTokens: 0, created: 3 })
})
