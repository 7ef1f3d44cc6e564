// The event-loop and profiler probe, preloaded into the processor with --import as a data: URL module,
// so that nothing of the benchmark lives in src/. Every SIGUSR2 writes the event-loop delay histogram
// since the previous one to BENCH_PROBE_FILE and resets it. With BENCH_PROFILE_FILE set, SIGUSR2 number
// BENCH_PROFILE_FROM (default 1) also starts the CPU profiler and the next one stops it and writes the
// profile. With BENCH_HEAP_FILE set, the sampling heap profiler runs from the start and SIGUSR2 number 2
// writes what it holds (objects not yet collected, by allocation site) at the end of the max-rate phase.
// On the main thread it also counts the delays over 50 ms (a 10 ms timer 40 ms or more late: what the
// histogram records as 50 ms or more, the p99's goal) and the garbage collector's long pauses, and how
// many of those delays a pause overlapped: what the p99's tail is made of. While the CPU profiler runs,
// each such delay's end and length are kept in the profile's clock, and written beside the profile
// (BENCH_PROFILE_FILE + '.delays.json'), so profiles.ts can say what the profile sampled during them.
// With BENCH_MEMORY_TRACE set, every thread appends its process.memoryUsage() every 250 ms to that file
// (epoch ms, main or worker, then rss, heapTotal, heapUsed, arrayBuffers in MB; rss is the process's),
// then each V8 heap space as name:committed/used MB (new space's semi-spaces, old space's slack).

/** One answer of the probe, in milliseconds. */
export interface LoopStats {
  seq: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  count: number
  /**
   * The processor's own view of its memory at the highest RSS it sampled (every 250 ms) since the
   * previous answer, in MB: says whether a peak was the V8 heap, typed arrays, or neither (the engine).
   */
  memoryAtPeak: InProcessMemory
  /** Main thread: what made the long delays, since the previous answer. */
  stalls: StallStats
}

/** Long event-loop delays and long garbage-collection pauses of the main thread. */
export interface StallStats {
  /** times a 10 ms timer fired 40 ms or more late: delays of 50 ms or more as the histogram counts them */
  delaysOver50ms: number
  /** of those, the delays a garbage-collection pause of 20 ms or more overlapped */
  delaysOver50msInGcPause: number
  /** garbage-collection pauses of 20 ms or more: full (mark-compact) collections, and the others (scavenges) */
  gcPausesOver20ms: { major: number; other: number }
  /** the longest pause, ms */
  gcPauseMaxMs: number
}

/** `process.memoryUsage()` in MB. */
export interface InProcessMemory {
  rss: number
  heapTotal: number
  heapUsed: number
  external: number
  arrayBuffers: number
}

const PROBE_SOURCE = `
import { monitorEventLoopDelay, performance, PerformanceObserver, constants } from 'node:perf_hooks'
import { appendFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { isMainThread } from 'node:worker_threads'
import { getHeapSpaceStatistics } from 'node:v8'
const h = monitorEventLoopDelay({ resolution: 10 })
h.enable()
// [start, end] of each long delay and of each long GC pause since the last answer (main thread only)
let delays = []
let pauses = []
// [end in µs of the profiler's clock (uv_hrtime, as process.hrtime), length in ms] while profiling
let profiledDelays = []
if (isMainThread) {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.duration >= 20) pauses.push([e.startTime, e.startTime + e.duration, e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR])
  }).observe({ entryTypes: ['gc'] })
  let tick = performance.now()
  setInterval(() => {
    const now = performance.now()
    if (now - tick - 10 >= 40) {
      delays.push([tick + 10, now])
      if (profiling === 1) profiledDelays.push([Number(process.hrtime.bigint() / 1000n), now - tick - 10])
    }
    tick = now
  }, 10).unref()
}
function stallStats() {
  const overlaps = (d) => pauses.some((p) => p[0] < d[1] && p[1] > d[0])
  const stats = {
    delaysOver50ms: delays.length,
    delaysOver50msInGcPause: delays.filter(overlaps).length,
    gcPausesOver20ms: { major: pauses.filter((p) => p[2]).length, other: pauses.filter((p) => !p[2]).length },
    gcPauseMaxMs: Math.round(Math.max(0, ...pauses.map((p) => p[1] - p[0]))),
  }
  delays = []
  pauses = []
  return stats
}
let heapSession = null
if (process.env.BENCH_HEAP_FILE) {
  heapSession = new Session()
  heapSession.connect()
  heapSession.post('HeapProfiler.startSampling', { samplingInterval: 131072 })
}
const mb = (bytes) => Math.round(bytes / 1048576)
let memoryAtPeak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }
const memoryTrace = process.env.BENCH_MEMORY_TRACE
setInterval(() => {
  const m = process.memoryUsage()
  if (memoryTrace)
    appendFileSync(memoryTrace, [Date.now(), isMainThread ? 'main' : 'worker', mb(m.rss), mb(m.heapTotal), mb(m.heapUsed), mb(m.arrayBuffers), ...getHeapSpaceStatistics().map((sp) => sp.space_name.replace('_space','') + ':' + mb(sp.space_size) + '/' + mb(sp.space_used_size))].join(',') + '\\n')
  if (mb(m.rss) > memoryAtPeak.rss)
    memoryAtPeak = { rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) }
}, 250).unref()
let seq = 0
let profiling = 0
let session = null
const ms = (ns) => ns / 1e6
process.on('SIGUSR2', () => {
  const stats = { seq: ++seq, p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), count: h.count, memoryAtPeak, stalls: stallStats() }
  h.reset()
  memoryAtPeak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }
  const profileFile = process.env.BENCH_PROFILE_FILE
  const from = Number(process.env.BENCH_PROFILE_FROM || 1)
  if (profileFile && profiling === 0 && seq >= from) {
    profiling = 1
    session = new Session()
    session.connect()
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')))
  } else if (profileFile && profiling === 1) {
    profiling = 2
    session.post('Profiler.stop', (error, result) => {
      if (!error) {
        writeFileSync(profileFile + '.delays.json', JSON.stringify(profiledDelays))
        writeFileSync(profileFile, JSON.stringify(result.profile))
      }
      session.disconnect()
    })
  }
  if (heapSession && seq === 2) {
    heapSession.post('HeapProfiler.getSamplingProfile', (error, result) => {
      if (!error) writeFileSync(process.env.BENCH_HEAP_FILE, JSON.stringify(result.profile))
    })
  }
  writeFileSync(process.env.BENCH_PROBE_FILE, JSON.stringify(stats))
})
`

export const PROBE_URL = `data:text/javascript,${encodeURIComponent(PROBE_SOURCE)}`
