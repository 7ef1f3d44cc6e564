/**
 * Drives the processor from a local record stream (a file, standard input or the generator) instead
 * of Kafka. A file keeps its position in a stored Checkpointer (sinks/clickhouse/file-checkpoints.ts)
 * and is read from there; a stream that cannot be read again uses LocalCheckpoints below.
 */
import type { BatchRange, Checkpointer, PartitionCheckpoint, ReplayStart, SourceRecord } from '../domain/ports.js'
import type { Processor } from './processor.js'

/**
 * Nothing stored between runs: for streams that cannot be read again the same way (standard input,
 * the demo's live generator, whose events carry the clock), so there is nothing to resume.
 */
export class LocalCheckpoints implements Checkpointer {
  readonly storesPositions = false
  /** No stored position: a partition starts at the first record the stream gives. */
  load(): Promise<PartitionCheckpoint> {
    return Promise.resolve({ nextOffset: -1, inflightLastOffset: null })
  }
  replayStarts(): Promise<ReplayStart[]> {
    return Promise.resolve([])
  }
  async markInflight(_ranges: BatchRange[]): Promise<void> {}
  async commit(_ranges: BatchRange[]): Promise<void> {}
}

export interface DriveOptions {
  /** Records handed to the processor per call. */
  chunkSize: number
  /**
   * Settles when the run is to stop before the stream's end (a signal, a fatal error): reading stops
   * at once, even while the stream waits for input, and the records read so far are still written.
   */
  stopped?: Promise<unknown>
  /** When the stream gives nothing for this long (a slow pipe), what was read is written without waiting for more. */
  idleMs: number
}

const STOP = Symbol('stop')
const IDLE = Symbol('idle')

/**
 * The run's stop, waited on beside each read with a single reaction on `stopped` for the whole run.
 * `Promise.race([read, stopped])` once per record adds a reaction to the long-lived `stopped` each
 * time, and a promise keeps its reactions until it settles (nodejs/node#17469), each holding the
 * race's own promise and so the record it resolved to: 800 bytes a record measured (160 MB for
 * 200,000 test records), gigabytes over a long replay, and without end in the demo's live stream.
 */
class StopLatch {
  private outcome: { error: unknown } | typeof STOP | null = null
  /** The settlers of the race in progress (an earlier race's are settled already: calling them again does nothing). */
  private waiting: { resolve: (value: typeof STOP) => void; reject: (error: unknown) => void } | null = null

  constructor(stopped: Promise<unknown> | undefined) {
    stopped?.then(
      () => this.settle(STOP),
      (error: unknown) => this.settle({ error }),
    )
  }

  /** The first of `reads` to settle, or STOP once the run is to stop (a rejected `stopped` rejects). */
  race<T>(reads: Promise<T>[]): Promise<T | typeof STOP> {
    return new Promise<T | typeof STOP>((resolve, reject) => {
      this.waiting = { resolve, reject }
      if (this.outcome) this.settle(this.outcome)
      for (const read of reads) read.then(resolve, reject)
    })
  }

  private settle(outcome: { error: unknown } | typeof STOP): void {
    this.outcome = outcome
    if (outcome === STOP) this.waiting?.resolve(STOP)
    else this.waiting?.reject(outcome.error)
  }
}

/** Feeds every record (until `stopped`), honouring backpressure, then writes everything read. Returns the records read. */
export async function driveLocal(records: AsyncIterable<SourceRecord>, processor: Processor, options: DriveOptions): Promise<number> {
  const chunks = new Map<string, SourceRecord[]>()
  let pending = 0
  let total = 0
  /** Hands the records read to the processor and writes the batches due (all of them when `force`). */
  const drain = async (force: boolean) => {
    for (const chunk of chunks.values()) {
      const first = chunk[0] as SourceRecord
      // A first chunk past the checkpoint is refused once with a seek back; a local stream is read
      // from its checkpoint, so the lines between are blank (a real gap): offering it again takes it.
      if (await processor.accept(first.topic, first.partition, chunk)) await processor.accept(first.topic, first.partition, chunk)
    }
    chunks.clear()
    pending = 0
    // While the sink fails this retries, so reading waits too.
    await processor.flush(force)
  }
  const iterator = records[Symbol.asyncIterator]()
  const stop = new StopLatch(options.stopped)
  let next = iterator.next()
  for (;;) {
    let idleTimer: NodeJS.Timeout | undefined
    const idle = pending > 0 ? new Promise<typeof IDLE>((resolve) => (idleTimer = setTimeout(() => resolve(IDLE), options.idleMs))) : null
    const result = await stop.race<IteratorResult<SourceRecord> | typeof IDLE>(idle ? [next, idle] : [next])
    clearTimeout(idleTimer)
    if (result === STOP) {
      // Abandoned: a read still waiting for input may yet fail, and a generator waiting there ends when it resumes.
      next.catch(() => {})
      void iterator.return?.().catch(() => {})
      break
    }
    if (result === IDLE) {
      await drain(true)
      continue
    }
    if (result.done) break
    next = iterator.next()
    const record = result.value
    const id = `${record.topic}\u0000${record.partition}`
    let chunk = chunks.get(id)
    if (!chunk) chunks.set(id, (chunk = []))
    chunk.push(record)
    total++
    if (++pending >= options.chunkSize) await drain(false)
  }
  await drain(true)
  return total
}
