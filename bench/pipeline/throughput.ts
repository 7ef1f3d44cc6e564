// Phase 2: the processor at its maximum rate, from its first consumed record until every record of the
// stream is written to ClickHouse and its offsets committed.
import { sleep } from '../../test/support/harness.js'
import { log } from './log.js'
import type { MeasuredProcessor } from './measured-processor.js'
import { sum, windowOf, type Window } from './metrics.js'

const TIMEOUT_MS = 30 * 60_000

export interface Throughput extends Window {
  /** [seconds since the first consumed record, records written], every 250 ms. */
  timeline: [number, number][]
  /** utime + stime of the processor over the window, from /proc (all threads, the embedded engine's included). */
  procCpuSeconds: number
}

export async function measureThroughput(processor: MeasuredProcessor, total: number): Promise<Throughput> {
  const deadline = performance.now() + TIMEOUT_MS
  let samples = await processor.metrics()
  while (sum(samples, 'abuse_records_consumed_total') === 0) {
    processor.assertRunning()
    if (performance.now() > deadline) throw new Error('the processor consumed nothing')
    await sleep(100)
    samples = await processor.metrics()
  }
  const started = performance.now()
  const cpuAtStart = processor.cpuSeconds()
  const elapsed = () => (performance.now() - started) / 1000
  await processor.loop()
  const before = samples
  const timeline: [number, number][] = []
  let lastReport = performance.now()
  for (;;) {
    await sleep(250)
    processor.assertRunning()
    samples = await processor.metrics()
    const written = sum(samples, 'abuse_records_written_total')
    timeline.push([elapsed(), written])
    if (written >= total) break
    if (performance.now() > deadline) throw new Error(`the processor wrote ${written} of ${total} records in 30 minutes`)
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now()
      const rss = Math.round(processor.sampleMemory()?.rssMb ?? 0)
      log(
        `  written ${written.toLocaleString('en')} / ${total.toLocaleString('en')}, ${Math.round(written / elapsed())} records/s, RSS ${rss} MB`,
      )
    }
  }
  const seconds = elapsed()
  const procCpuSeconds = processor.cpuSeconds() - cpuAtStart
  const loop = await processor.loop()
  return { ...windowOf(before, samples, seconds, total, loop), timeline, procCpuSeconds }
}

/** Records per second over each fifth of the stream (written counts against time): does it slow down? */
export function ratesByFifth(timeline: [number, number][], total: number): (number | null)[] {
  const rates: (number | null)[] = []
  let from: [number, number] = [0, 0]
  for (let k = 1; k <= 5; k++) {
    const to = timeline.find(([, written]) => written >= (total * k) / 5) ?? timeline.at(-1)
    if (!to) break
    // null: one write covered several fifths (small streams).
    rates.push(to === from ? null : Math.round((to[1] - from[1]) / Math.max(0.001, to[0] - from[0])))
    from = to
  }
  return rates
}
