import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { InfrastructureError } from '../../../src/domain/errors.js'
import type { BatchOutput } from '../../../src/domain/facts.js'
import { FaultInjectingSink } from '../../../src/pipeline/fault-injection.js'
import { FakeSink } from '../../support/fakes.js'

const empty = (): BatchOutput => ({ messages: [], moderation: [], reports: [], deadLetters: [] })
const range = (topic: string, partition: number) => ({ topic, partition, firstOffset: 0, lastOffset: 0 })

test('the fault file fails every write while it exists, or only the partitions it lists', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fault-')), 'down')
  const inner = new FakeSink()
  const sink = new FaultInjectingSink(inner, file)
  await sink.writeBatch(range('t', 0), empty())
  writeFileSync(file, 'down\n')
  await assert.rejects(sink.writeBatch(range('t', 0), empty()), (e: unknown) => e instanceof InfrastructureError && e.retryable)
  writeFileSync(file, 't:1\nu:0\n')
  await assert.rejects(sink.writeBatch(range('t', 1), empty()), /injected fault/)
  await assert.rejects(sink.writeBatch(range('u', 0), empty()), /injected fault/)
  await sink.writeBatch(range('t', 0), empty())
  await sink.writeBatch(range('t', 2), empty())
  rmSync(file)
  await sink.writeBatch(range('t', 1), empty())
  assert.equal(inner.writes, 4)
})
