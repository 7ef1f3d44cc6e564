import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { dropOrphanDeduplicationRecords } from '../../../../src/sinks/clickhouse/orphan-dedup-records.js'

/** A table directory of the embedded engine's layout (store/<prefix>/<uuid>/) with these parts and log files. */
function table(engineDir: string, uuid: string, parts: string[], logs: Record<string, string>): string {
  const dir = path.join(engineDir, 'store', uuid.slice(0, 3), uuid)
  mkdirSync(path.join(dir, 'deduplication_logs'), { recursive: true })
  for (const part of parts) mkdirSync(path.join(dir, part))
  for (const [name, text] of Object.entries(logs)) writeFileSync(path.join(dir, 'deduplication_logs', name), text)
  return dir
}

const add = (part: string, block: string) => `1\t${part}\t${block}\n`
const drop = (part: string, block: string) => `2\t${part}\t${block}\n`

test('a token whose part is neither on disk nor covered by a merged part gets a DROP record in the current log', () => {
  const engineDir = mkdtempSync(path.join(tmpdir(), 'orphans-'))
  const dir = table(
    engineDir,
    'abc-1',
    // 1..4 merged into one part (the merged-away parts deleted), 5 mutated, 6 and 7 left as temporary parts by a kill
    ['all_1_4_1', 'all_5_5_0_9', 'tmp_insert_all_6_6_0', 'tmp_insert_all_7_7_0', 'detached'],
    {
      'deduplication_log_1.txt': add('all_1_1_0', 'b1') + add('all_2_2_0', 'b2'),
      'deduplication_log_2.txt': add('all_3_3_0', 'b3') + add('all_4_4_0', 'b4') + add('all_5_5_0', 'b5') + add('all_6_6_0', 'b6'),
      // the engine's own DROP of an earlier token, then a record the kill cut short
      'deduplication_log_10.txt': drop('all_6_6_0', 'b6') + add('all_7_7_0', 'b7') + add('all_8_8_0', 'b8') + '1\tall_9_9',
    },
  )
  const orphans = dropOrphanDeduplicationRecords(engineDir)
  // b6 was dropped already; b8's part is not on disk at all; the cut record is not a token
  assert.deepEqual(
    orphans.map(({ part, blockId }) => `${part} ${blockId}`),
    ['all_7_7_0 b7', 'all_8_8_0 b8'],
  )
  assert.equal(orphans[0]?.table, dir)
  // appended to the log with the highest number (10, not 2), after the cut record was removed
  assert.equal(
    readFileSync(path.join(dir, 'deduplication_logs', 'deduplication_log_10.txt'), 'utf8'),
    drop('all_6_6_0', 'b6') + add('all_7_7_0', 'b7') + add('all_8_8_0', 'b8') + drop('all_7_7_0', 'b7') + drop('all_8_8_0', 'b8'),
  )
  // the next start finds nothing left to drop
  assert.deepEqual(dropOrphanDeduplicationRecords(engineDir), [])
})

test('partitions are told apart, and a directory without the engine store is left alone', () => {
  const engineDir = mkdtempSync(path.join(tmpdir(), 'orphans-'))
  assert.deepEqual(dropOrphanDeduplicationRecords(engineDir), [])
  table(engineDir, 'def-2', ['202611_1_3_1'], {
    'deduplication_log_1.txt': add('202611_2_2_0', '202611_b') + add('202612_2_2_0', '202612_b'),
  })
  assert.deepEqual(
    dropOrphanDeduplicationRecords(engineDir).map(({ part }) => part),
    ['202612_2_2_0'],
  )
})
