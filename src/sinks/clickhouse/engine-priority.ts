/**
 * The embedded engine's threads run at a lower scheduling priority than Node's own.
 *
 * Why: in embedded mode the engine shares the machine's cores with the event loop. An insert of a
 * large batch, its views and the merges that follow are bursts of work on several engine threads;
 * on a small machine they took the cores from the event loop, whose delay is what health checks,
 * heartbeats and timers feel. The engine's work is asynchronous (the pipeline waits for an insert,
 * never spins on it), so it loses nothing by yielding the core: it runs when the loop has nothing to
 * do. A ClickHouse server (`clickhouse.url`) is another process and is left alone.
 *
 * How: Linux schedules threads, and `setpriority` on a thread id renices that thread alone. Node's
 * threads are all named `node` (the main thread, V8's workers, libuv's pool, which also runs the
 * engine's calls on behalf of the loop); every other thread of the process is the engine's (its
 * pools name theirs: MergeMutate, BgSchPool, ThreadPool, ...). The engine starts threads as it needs
 * them, so the scan runs again every SCAN_INTERVAL_MS, looking only at threads not seen before. On a
 * system without /proc it does nothing.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { setPriority } from 'node:os'

/** Nice value of the engine's threads: below every thread at the default 0, well above the lowest (19). */
export const ENGINE_THREAD_NICE = 10
const SCAN_INTERVAL_MS = 2000
const TASKS = '/proc/self/task'

/** The thread ids listed at the previous scan: a thread is looked at once, when it first appears. */
let known = new Set<string>()
let timer: NodeJS.Timeout | null = null

function scan(): void {
  let tids: string[]
  try {
    tids = readdirSync(TASKS)
  } catch {
    return
  }
  const previous = known
  known = new Set(tids)
  for (const tid of tids) {
    if (previous.has(tid)) continue
    try {
      if (readFileSync(`${TASKS}/${tid}/comm`, 'utf8').trim() !== 'node') setPriority(Number(tid), ENGINE_THREAD_NICE)
    } catch {
      // the thread ended meanwhile, or the system refuses: that thread keeps the default priority
    }
  }
}

/**
 * Renices the engine's threads now and, every SCAN_INTERVAL_MS, those started since. Once per
 * process (the embedded engine is one per process); the timer does not keep the process alive.
 */
export function deprioritizeEngineThreads(): void {
  scan()
  if (timer) return
  timer = setInterval(scan, SCAN_INTERVAL_MS)
  timer.unref()
}
