/**
 * Reads an NDJSON file as raw records: one record per line, split on bytes (not decoded here, so a
 * line of invalid UTF-8 still reaches the decoder and becomes a dead letter). The source "topic" is
 * `file:<name>:<content hash>`, partition 0, and the offset is the line number (from 0), so dead
 * letters point at the line. The content hash makes the exactly-once tokens of a replay depend on
 * what is replayed: the same file again is recognised, another file of the same name is not.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { SourceRecord } from '../../domain/ports.js'

export async function fileTopic(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return `file:${path.basename(file)}:${hash.digest('hex').slice(0, 12)}`
}

export async function* readNdjson(file: string, maxLineBytes: number): AsyncGenerator<SourceRecord> {
  const topic = await fileTopic(file)
  let offset = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  /** Of a line beyond the limit only the first limit + 1 bytes are kept (memory stays bounded); the
   * decoder rejects it as too_large, and its dead letter's hash covers those bytes. */
  let oversized = false
  const emit = (): SourceRecord | null => {
    const line = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending)
    const record: SourceRecord | null =
      line.length === 0 && !oversized ? null : { topic, partition: 0, offset, value: oversized ? line : stripCr(line), timestampMs: 0 }
    offset++
    pending = []
    pendingBytes = 0
    oversized = false
    return record
  }
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let start = 0
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      append(chunk.subarray(start, newline))
      const record = emit()
      if (record) yield record
      start = newline + 1
    }
    append(chunk.subarray(start))
  }
  if (pendingBytes > 0) {
    const record = emit()
    if (record) yield record
  }

  function append(part: Buffer): void {
    pendingBytes += part.length
    if (oversized) return
    pending.push(part)
    if (pendingBytes > maxLineBytes) {
      oversized = true
      pending = [Buffer.concat(pending).subarray(0, maxLineBytes + 1)]
    }
  }
}

const stripCr = (line: Buffer) => (line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, -1) : line)
