// No broker outlives the process that started it: exit and signal handlers kill the JVMs of this
// process, and a watchdog process kills a JVM when this process dies without running any handler.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'

export interface Killable {
  /** Kills synchronously: exit handlers cannot wait. */
  killNow(): void
}

const live = new Set<Killable>()
let handlersInstalled = false

export function guardExit(broker: Killable): void {
  live.add(broker)
  installExitHandlers()
}

export function releaseExitGuard(broker: Killable): void {
  live.delete(broker)
}

const killAll = () => {
  for (const broker of [...live]) broker.killNow()
}

function installExitHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      // An application with its own handler for this signal decides itself (the 'exit' handler
      // still kills the brokers when the process does exit).
      if (process.listenerCount(signal) > 1) return
      killAll()
      process.removeListener(signal, onSignal)
      process.kill(process.pid, signal)
    }
    process.on(signal, onSignal)
  }
}

/**
 * A tiny `sh` that waits for EOF on a pipe from this process and then SIGKILLs the JVM: covers this
 * process dying by SIGKILL or a crash, where no handler runs. It also removes `removeDir` then, if given.
 */
export function spawnWatchdog(javaPid: number, removeDir: string | null): ChildProcess | null {
  try {
    const script = 'read _unused; kill -9 "$0" 2>/dev/null; if [ -n "$1" ]; then sleep 1; rm -rf "$1"; fi'
    const watchdog = spawn('sh', ['-c', script, String(javaPid), removeDir ?? ''], { stdio: ['pipe', 'ignore', 'ignore'] })
    watchdog.on('error', () => {})
    watchdog.stdin?.on('error', () => {})
    watchdog.unref()
    // The pipe (a socket in Node) must not keep this process alive; its end (EOF) is the watchdog's signal.
    const pipe = watchdog.stdin as Socket | null
    pipe?.unref()
    return watchdog
  } catch {
    return null
  }
}
