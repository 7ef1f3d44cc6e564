/**
 * What a backtest run is made of besides the pipeline itself: its id, the scratch database the
 * candidate configuration writes its whole schema into (so nothing of production is ever written by
 * the replay, and several backtests can run side by side), and a progress line.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { SourceRecord } from '../domain/ports.js'

/** `bt_20261203_031500_9f2c4a`: sortable by start, unique, and usable in a database name. */
export function newRunId(nowMs: number, random = randomBytes(3).toString('hex')): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
  return `bt_${stamp}_${random}`
}

/** The database a run's replay writes into, dropped when the run ends. */
export const scratchDatabase = (database: string, runId: string) => `${database}_${runId}`

/** "backtest bt_…: 42% (840 of 2,000 lines)", or "backtest bt_…: 840 records" when the total is not known */
export function progressLine(runId: string, read: number, total: number | null): string {
  if (total === null) return `[abuse-radar] backtest ${runId}: ${read.toLocaleString('en')} records`
  const percent = total === 0 ? 100 : Math.floor((100 * read) / total)
  return `[abuse-radar] backtest ${runId}: ${percent}% (${read.toLocaleString('en')} of ${total.toLocaleString('en')} lines)`
}

/** Passes the records on, telling `onRead` how many were read so far. */
export async function* counted(records: AsyncIterable<SourceRecord>, onRead: (read: number) => void): AsyncGenerator<SourceRecord> {
  let read = 0
  for await (const record of records) {
    yield record
    onRead(++read)
  }
}

/** Lines of a file (its records), read once before the replay so the progress line has a total. */
export async function countLines(file: string): Promise<number> {
  let lines = 0
  let last = 0x0a
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++
    if (chunk.length > 0) last = chunk[chunk.length - 1] as number
  }
  // a last line without its newline is a record too
  return last === 0x0a ? lines : lines + 1
}
