import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { countLines, counted, newRunId, progressLine, scratchDatabase } from '../../../src/backtest/run.js'
import type { SourceRecord } from '../../../src/domain/ports.js'
import { tempDir } from '../../support/harness.js'

test('a run id sorts by its start and names a database', () => {
  const id = newRunId(Date.UTC(2026, 11, 3, 3, 15, 0), '9f2c4a')
  assert.equal(id, 'bt_20261203_031500_9f2c4a')
  assert.equal(scratchDatabase('abuse', id), 'abuse_bt_20261203_031500_9f2c4a')
  assert.match(newRunId(Date.now()), /^bt_\d{8}_\d{6}_[0-9a-f]{6}$/)
  assert.notEqual(newRunId(0), newRunId(0))
})

test('the progress line says how far, of how many lines', () => {
  assert.equal(progressLine('bt_x', 840, 2000), '[abuse-radar] backtest bt_x: 42% (840 of 2,000 lines)')
  assert.equal(progressLine('bt_x', 0, 0), '[abuse-radar] backtest bt_x: 100% (0 of 0 lines)')
  // a time range of the topics has no total beforehand
  assert.equal(progressLine('bt_x', 12_345, null), '[abuse-radar] backtest bt_x: 12,345 records')
})

test('lines are counted with or without a final newline, across read chunks', async () => {
  const dir = tempDir('backtest-lines')
  const at = (name: string, content: string) => {
    writeFileSync(path.join(dir, name), content)
    return path.join(dir, name)
  }
  assert.equal(await countLines(at('empty', '')), 0)
  assert.equal(await countLines(at('three', 'a\nb\nc\n')), 3)
  assert.equal(await countLines(at('unterminated', 'a\nb')), 2)
  // larger than one read chunk (64 KiB)
  assert.equal(await countLines(at('large', 'x'.repeat(99).concat('\n').repeat(3000))), 3000)
})

test('counted passes every record on and reports the count after each', async () => {
  async function* records(): AsyncGenerator<SourceRecord> {
    for (let offset = 0; offset < 3; offset++) yield { topic: 'f', partition: 0, offset } as unknown as SourceRecord
  }
  const seen: number[] = []
  const passed: number[] = []
  for await (const r of counted(records(), (n) => seen.push(n))) passed.push(r.offset)
  assert.deepEqual(passed, [0, 1, 2])
  assert.deepEqual(seen, [1, 2, 3])
})
