/**
 * Normalization and fingerprinting on worker threads (pipeline.fingerprint_workers), so the main
 * thread is left to Kafka, the campaign index, scoring and the writes. The processor hands each
 * delivery's record values to `prepare` before it analyses them; the analysis uses a text's result
 * when it was computed from that very text, and computes inline otherwise, so the results are the
 * same with or without workers. A worker that fails is replaced; its pending deliveries resolve to
 * null (computed inline), never to an error: the work is pure and can always be done here. Workers
 * that keep failing before they answer once (a worker that cannot start) are not started again.
 */
import { Worker } from 'node:worker_threads'
import { unpackText, type PackedTexts, type PreparedText } from '../fingerprint/packed.js'

export interface FingerprintRequest {
  id: number
  /** the records' values one after the other, copied out of the fetch buffers they are views of */
  bytes: Uint8Array
  /** where value i ends in `bytes` (it starts where value i - 1 ended, the first at 0) */
  ends: Int32Array
  /** 1 where the record had no value */
  nulls: Uint8Array
}

/**
 * A part's values in one buffer of their own, to transfer: a record's value is a view of the whole
 * fetch response, and structured clone would copy that whole buffer for every request (6 % of the
 * main thread in a profile).
 */
export function requestOf(id: number, values: readonly (Uint8Array | null)[]): FingerprintRequest {
  let total = 0
  for (const value of values) total += value?.length ?? 0
  const bytes = new Uint8Array(total)
  const ends = new Int32Array(values.length)
  const nulls = new Uint8Array(values.length)
  let at = 0
  values.forEach((value, i) => {
    if (value === null) nulls[i] = 1
    else {
      bytes.set(value, at)
      at += value.length
    }
    ends[i] = at
  })
  return { id, bytes, ends, nulls }
}

/** The values of a request, as views of its buffer. */
export function valuesOf(request: FingerprintRequest): (Uint8Array | null)[] {
  const values: (Uint8Array | null)[] = []
  let from = 0
  for (let i = 0; i < request.ends.length; i++) {
    const end = request.ends[i]!
    values.push(request.nulls[i] === 1 ? null : request.bytes.subarray(from, end))
    from = end
  }
  return values
}

export interface FingerprintResponse {
  id: number
  packed: PackedTexts
}

/**
 * The worker's young generation, in MB (V8 splits it in three: two semi-spaces and room for large
 * new objects). Its garbage is short-lived, each part's strings and arrays; with V8's default for a
 * worker (48 MB) its two 16 MB semi-spaces stayed committed, 32 MB of which it used under 10 at any
 * time (bench/README, session 26).
 */
export const WORKER_YOUNG_GENERATION_MB = 16

/** Runs the worker module: compiled, the .js beside this one; from sources (tsx), the .ts through tsx's loader. */
export function startWorker(): Worker {
  const here = import.meta.url
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }
  if (here.endsWith('.ts')) {
    const entry = new URL('./fingerprint-worker.ts', here).href
    // tsx registers its loader in the main thread only; a worker registers it again before importing
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`
    return new Worker(bootstrap, { eval: true, resourceLimits })
  }
  return new Worker(new URL('./fingerprint-worker.js', here), { resourceLimits })
}

/** Records per request: a part's results are ready (and handed over) while the analysis works on the one before. */
export const PREPARED_PART = 256

/** Workers that fail one after the other without answering once: then none is started again (a worker that cannot start). */
const MAX_FAILURES_UNANSWERED = 3

interface Slot {
  worker: Worker
  pending: Map<number, (packed: PackedTexts | null) => void>
}

export class FingerprintWorkers {
  private readonly slots: Slot[] = []
  private next = 0
  private nextId = 0
  private stopped = false
  /** failures since the last answer of any worker */
  private failuresUnanswered = 0

  constructor(
    count: number,
    /** `givingUp`: no worker is started again; every delivery is analysed on the main thread from now on */
    private readonly onWorkerFailed: (error: Error, givingUp: boolean) => void,
  ) {
    for (let i = 0; i < count; i++) this.slots.push(this.spawn())
  }

  /**
   * The delivery's texts prepared in parts of PREPARED_PART records (part k: records k * PREPARED_PART
   * on), each null when no worker could do it (the caller computes inline); none without workers.
   */
  prepare(values: readonly (Uint8Array | null)[]): Promise<PackedTexts | null>[] {
    if (this.stopped || this.slots.length === 0) return []
    const parts: Promise<PackedTexts | null>[] = []
    for (let from = 0; from < values.length; from += PREPARED_PART) {
      const slot = this.slots[this.next++ % this.slots.length]!
      const id = this.nextId++
      const request = requestOf(id, values.slice(from, from + PREPARED_PART))
      parts.push(
        new Promise((resolve) => {
          // a worker with a request to answer keeps the process alive, an idle one does not
          if (slot.pending.size === 0) slot.worker.ref()
          slot.pending.set(id, resolve)
          slot.worker.postMessage(request, [request.bytes.buffer, request.ends.buffer, request.nulls.buffer] as ArrayBuffer[])
        }),
      )
    }
    return parts
  }

  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all(this.slots.map((slot) => this.retire(slot)))
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(), pending: new Map() }
    slot.worker.on('message', (response: FingerprintResponse) => {
      this.failuresUnanswered = 0
      const resolve = slot.pending.get(response.id)
      slot.pending.delete(response.id)
      if (slot.pending.size === 0) slot.worker.unref()
      resolve?.(response.packed)
    })
    slot.worker.on('error', (error) => this.replace(slot, error))
    slot.worker.on('exit', (code) => {
      if (!this.stopped) this.replace(slot, new Error(`fingerprint worker exited with code ${code}`))
    })
    // An idle worker does not keep the process alive (see prepare). After the listeners: adding a
    // 'message' listener refs the worker's port again, and an idle worker kept a finished run from exiting.
    slot.worker.unref()
    return slot
  }

  private replace(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot)
    if (at < 0) return
    const givingUp = ++this.failuresUnanswered >= MAX_FAILURES_UNANSWERED
    this.onWorkerFailed(error, givingUp)
    void this.retire(slot)
    if (givingUp) this.slots.splice(at, 1)
    else this.slots[at] = this.spawn()
  }

  private async retire(slot: Slot): Promise<void> {
    for (const resolve of slot.pending.values()) resolve(null)
    slot.pending.clear()
    slot.worker.removeAllListeners()
    await slot.worker.terminate()
  }
}

/** A delivery's prepared parts, as the processor walks its records in order (none: all inline). */
export class PreparedDelivery {
  private packed: PackedTexts | null = null

  constructor(private readonly parts: readonly Promise<PackedTexts | null>[]) {}

  /** Whether record `at` starts a part, whose results `awaitPart` waits for. */
  startsPart(at: number): boolean {
    return this.parts.length > 0 && at % PREPARED_PART === 0
  }

  async awaitPart(at: number): Promise<void> {
    this.packed = await this.parts[at / PREPARED_PART]!
  }

  /** Record `at`'s normalization and fingerprint, when its part was prepared from this very text. */
  textAt(at: number, text: string): PreparedText | undefined {
    return this.packed === null ? undefined : unpackText(this.packed, at % PREPARED_PART, text)
  }
}
