/**
 * Reads NDJSON as raw records: one record per line, split on bytes (not decoded here, so a line of
 * invalid UTF-8 still reaches the decoder and becomes a dead letter). Partition 0, and the offset is
 * the line number (from 0, blank lines counted but not emitted), so dead letters point at the line.
 *
 * A file's source "topic" is `file:<name>:<content hash>`: the exactly-once tokens and the replay
 * checkpoint of a file depend on what is replayed, so the same file again resumes where the last
 * run stopped, and another file of the same name starts from its beginning. Standard input cannot
 * be read again: each run is a source of its own (`stdin:<start time>:<random>`) and is never resumed.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { SourceRecord } from '../../domain/ports.js'

/** Where a replay reads its records from. */
export interface NdjsonSource {
  /** The records' topic: the identity their tokens and checkpoint are kept under. */
  readonly topic: string
  /** True when the same input can be read again from a line number (a file), so a checkpoint is worth keeping. */
  readonly resumable: boolean
  /** The records from line `fromLine` on (the lines before it are skipped unread). */
  read(fromLine: number): AsyncGenerator<SourceRecord>
}

export async function fileTopic(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return `file:${path.basename(file)}:${hash.digest('hex').slice(0, 12)}`
}

/** A file: hashed once here for its identity, then read from any line. */
export async function fileSource(file: string, maxLineBytes: number): Promise<NdjsonSource> {
  const topic = await fileTopic(file)
  return {
    topic,
    resumable: true,
    read: (fromLine) => splitLines(createReadStream(file) as AsyncIterable<Buffer>, topic, maxLineBytes, fromLine),
  }
}

/** A stream read once (standard input): a topic of its own per run, never resumed. */
export function streamSource(stream: AsyncIterable<Buffer>, maxLineBytes: number, startedAtMs: number): NdjsonSource {
  const topic = `stdin:${new Date(startedAtMs).toISOString()}:${randomBytes(4).toString('hex')}`
  return { topic, resumable: false, read: (fromLine) => splitLines(stream, topic, maxLineBytes, fromLine) }
}

export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  topic: string,
  maxLineBytes: number,
  fromLine = 0,
): AsyncGenerator<SourceRecord> {
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
  for await (const chunk of chunks) {
    let start = 0
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (offset < fromLine) offset++
      else {
        append(chunk.subarray(start, newline))
        const record = emit()
        if (record) yield record
      }
      start = newline + 1
    }
    if (offset >= fromLine) append(chunk.subarray(start))
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
