/**
 * The embedded engine's insert deduplication, repaired after a crash.
 *
 * A plain MergeTree remembers the tokens of its last inserts in `deduplication_logs/` beside its
 * parts. ClickHouse writes a token's record there before it renames the insert's temporary part to
 * its final name (MergeTreeSink: `addPart`, then `renameTempPartAndAdd`). A process killed between
 * the two leaves a record whose part never became active: the temporary part is deleted at the next
 * start, and the replay of the batch, under the same token, is then dropped as a repeat. One table
 * (often one view's target of a facts table) silently misses one batch. With a ClickHouse server
 * this takes a crash of the server; with the embedded engine, a SIGKILL of the processor is one.
 *
 * So before the embedded engine opens its data directory, every record whose part is neither on
 * disk nor covered by a part on disk (a merge's result covers the blocks it merged) gets a DROP
 * record after it, as ClickHouse itself writes when a part is dropped: the engine loads the log
 * without it, and the replayed insert is written. A record of a part that was removed on purpose
 * (all its rows past their TTL) loses nothing: only a replay reuses a token, and a replay of such
 * rows adds rows that are past their TTL again.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, truncateSync } from 'node:fs'
import path from 'node:path'

const LOG_DIR = 'deduplication_logs'
const LOG_FILE = /^deduplication_log_(\d+)\.txt$/
const ADD = '1'
const DROP = '2'

/** A part's name: `<partition id>_<min block>_<max block>_<level>[_<mutation>]` (partition ids hold no `_`). */
interface PartBlocks {
  partition: string
  min: number
  max: number
}

export interface OrphanRecord {
  /** the table's directory under the engine's data directory */
  table: string
  part: string
  blockId: string
}

function partBlocks(name: string): PartBlocks | null {
  const fields = name.split('_')
  if (fields.length !== 4 && fields.length !== 5) return null
  const [partition, min, max] = fields as [string, string, string]
  if (!fields.slice(1).every((field) => /^\d+$/.test(field))) return null
  return { partition, min: Number(min), max: Number(max) }
}

/** The parts on disk of one table directory: neither temporary (`tmp_…`) nor detached. */
function partsOnDisk(tableDir: string): PartBlocks[] {
  const parts: PartBlocks[] = []
  for (const entry of readdirSync(tableDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('tmp') || entry.name === 'detached' || entry.name === LOG_DIR) continue
    const blocks = partBlocks(entry.name)
    if (blocks) parts.push(blocks)
  }
  return parts
}

/** The log files of one table, oldest first (the engine reads them in this order). */
function logFiles(tableDir: string): string[] {
  return readdirSync(path.join(tableDir, LOG_DIR))
    .map((name) => ({ name, number: LOG_FILE.exec(name)?.[1] }))
    .filter((file): file is { name: string; number: string } => file.number !== undefined)
    .sort((a, b) => Number(a.number) - Number(b.number))
    .map((file) => path.join(tableDir, LOG_DIR, file.name))
}

/** The token records of one table as the engine will load them: block id → part name (a DROP removes an earlier ADD). */
function liveRecords(logs: string[]): Map<string, string> {
  const records = new Map<string, string>()
  for (const text of logs) {
    for (const line of text.split('\n')) {
      const [operation, part, blockId] = line.split('\t')
      if (part === undefined || blockId === undefined) continue
      if (operation === ADD) records.set(blockId, part)
      else if (operation === DROP) records.delete(blockId)
    }
  }
  return records
}

/**
 * The current log's text without a record the kill interrupted at its end, cut off the file too
 * (each record is one small write, so this is not expected): the engine stops reading a log at a
 * line it cannot parse, and would then also miss every record it appended after it.
 */
function withoutPartialRecord(file: string): string {
  const text = readFileSync(file, 'utf8')
  if (text.length === 0 || text.endsWith('\n')) return text
  const whole = text.slice(0, text.lastIndexOf('\n') + 1)
  truncateSync(file, Buffer.byteLength(whole))
  return whole
}

const covers = (part: PartBlocks, record: PartBlocks) =>
  part.partition === record.partition && part.min <= record.min && part.max >= record.max

/**
 * Finds the token records of the tables under `engineDir` (the embedded engine's data directory)
 * whose part is not on disk, and appends a DROP record for each. Returns them (none after a clean
 * stop). Must run before the engine opens the directory, and in the only process using it.
 */
export function dropOrphanDeduplicationRecords(engineDir: string): OrphanRecord[] {
  const store = path.join(engineDir, 'store')
  if (!existsSync(store)) return []
  const orphans: OrphanRecord[] = []
  for (const prefix of readdirSync(store)) {
    for (const table of readdirSync(path.join(store, prefix))) {
      const tableDir = path.join(store, prefix, table)
      if (!existsSync(path.join(tableDir, LOG_DIR))) continue
      const files = logFiles(tableDir)
      const last = files.at(-1)
      if (last === undefined) continue
      const logs = [...files.slice(0, -1).map((file) => readFileSync(file, 'utf8')), withoutPartialRecord(last)]
      const parts = partsOnDisk(tableDir)
      const dropped: string[] = []
      for (const [blockId, part] of liveRecords(logs)) {
        const blocks = partBlocks(part)
        if (blocks === null || parts.some((onDisk) => covers(onDisk, blocks))) continue
        orphans.push({ table: tableDir, part, blockId })
        dropped.push(`${DROP}\t${part}\t${blockId}\n`)
      }
      if (dropped.length > 0) appendFileSync(last, dropped.join(''))
    }
  }
  return orphans
}
