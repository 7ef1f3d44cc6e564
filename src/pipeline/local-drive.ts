/**
 * Drives the processor from a local record stream (a file or the generator) instead of Kafka.
 * There is no group and no committed offset: every run starts at offset 0, and batches are cut by
 * size only, so a re-run of the same input cuts the same batches and the sink's deduplication
 * tokens make it exactly-once.
 */
import type { BatchRange, Checkpointer, PartitionCheckpoint, SourceRecord } from '../domain/ports.js'
import type { Processor } from './processor.js'

export class LocalCheckpoints implements Checkpointer {
  readonly storesPositions = false
  /** No stored position: a partition starts at the first record the stream gives. */
  load(): Promise<PartitionCheckpoint> {
    return Promise.resolve({ nextOffset: -1, inflightLastOffset: null })
  }
  async markInflight(_ranges: BatchRange[]): Promise<void> {}
  async commit(_ranges: BatchRange[]): Promise<void> {}
}

export interface DriveOptions {
  /** Records handed to the processor per call. */
  chunkSize: number
  /** Whether to stop early (Ctrl-C); the records accepted so far are still written. */
  shouldStop?: () => boolean
}

/** Feeds every record, honouring backpressure, then writes everything. Returns the records read. */
export async function driveLocal(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  processor: Processor,
  options: DriveOptions,
): Promise<number> {
  const chunks = new Map<string, SourceRecord[]>()
  let pending = 0
  let total = 0
  const drain = async () => {
    for (const chunk of chunks.values()) {
      const first = chunk[0] as SourceRecord
      await processor.accept(first.topic, first.partition, chunk)
    }
    chunks.clear()
    pending = 0
    // Writes the batches that are due; while the sink fails this retries, so reading waits too.
    await processor.flush(false)
  }
  for await (const record of records) {
    const id = `${record.topic}\u0000${record.partition}`
    let chunk = chunks.get(id)
    if (!chunk) chunks.set(id, (chunk = []))
    chunk.push(record)
    total++
    if (++pending >= options.chunkSize) {
      await drain()
      if (options.shouldStop?.()) break
    }
  }
  await drain()
  await processor.flush(true)
  return total
}
