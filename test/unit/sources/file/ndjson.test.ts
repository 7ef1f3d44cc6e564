import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { SourceRecord } from '../../../../src/domain/ports.js'
import { fileSource, splitLines, streamSource } from '../../../../src/sources/file/ndjson.js'

async function* chunksOf(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part)
}

const lines = async (records: AsyncIterable<SourceRecord>) => {
  const out: [number, string][] = []
  for await (const r of records) out.push([r.offset, Buffer.from(r.value as Uint8Array).toString()])
  return out
}

test('records are lines, split on bytes across chunks; the offset is the line number, blank lines counted but not emitted', async () => {
  const records = splitLines(chunksOf('{"a":1}\r\n\n{"b"', ':2}\n', '\n{"c":3}'), 't', 100)
  assert.deepEqual(await lines(records), [
    [0, '{"a":1}'],
    [2, '{"b":2}'],
    [4, '{"c":3}'],
  ])
})

test('a replay from a line skips the lines before it unread, even one split across chunks, and keeps the line numbers', async () => {
  const text = ['l0', 'l1', '', 'l3', 'l4'].join('\n')
  for (let cut = 0; cut <= text.length; cut++) {
    const records = splitLines(chunksOf(text.slice(0, cut), text.slice(cut)), 't', 100, 3)
    assert.deepEqual(
      await lines(records),
      [
        [3, 'l3'],
        [4, 'l4'],
      ],
      `cut at ${cut}`,
    )
  }
  assert.deepEqual(await lines(splitLines(chunksOf(text), 't', 100, 5)), [], 'from past the last line: nothing')
})

test('a line over the limit keeps only limit + 1 bytes (the decoder rejects it as too large), also when it starts the replay', async () => {
  const records = splitLines(chunksOf('skipped\n', 'x'.repeat(10), 'y'.repeat(10), '\nok\n'), 't', 12, 1)
  assert.deepEqual(await lines(records), [
    [1, 'x'.repeat(10) + 'yyy'],
    [2, 'ok'],
  ])
})

test('a file is resumable under a topic of its name and content: the same content, the same topic; other content, another', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'abuse-radar-ndjson-'))
  const file = path.join(dir, 'records.ndjson')
  writeFileSync(file, 'first\nsecond\nthird\n')
  const source = await fileSource(file, 100)
  assert.equal(source.resumable, true)
  assert.match(source.topic, /^file:records\.ndjson:[0-9a-f]{12}$/)
  assert.equal((await fileSource(file, 100)).topic, source.topic)
  assert.deepEqual(await lines(source.read(1)), [
    [1, 'second'],
    [2, 'third'],
  ])
  assert.equal((await lines(source.read(0))).length, 3, 'read again from the start')
  writeFileSync(file, 'first\nsecond\nthird\nfourth\n')
  assert.notEqual((await fileSource(file, 100)).topic, source.topic)
})

test('standard input is not resumable: every run is a source of its own', async () => {
  const one = streamSource(chunksOf('a\nb\n'), 100, Date.UTC(2026, 0, 1))
  const two = streamSource(chunksOf('a\nb\n'), 100, Date.UTC(2026, 0, 1))
  assert.equal(one.resumable, false)
  assert.match(one.topic, /^stdin:2026-01-01T00:00:00\.000Z:[0-9a-f]{8}$/)
  assert.notEqual(one.topic, two.topic)
  assert.deepEqual(await lines(one.read(0)), [
    [0, 'a'],
    [1, 'b'],
  ])
})
