// One broker JVM at a time on a data directory: started, waited for until it serves metadata,
// stopped gracefully (SIGKILL after a grace period) or killed. A restart is a new BrokerJvm run on
// the same directory and ports.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { commonJvmOptions, type BrokerDir } from './data-dir.js'
import { spawnWatchdog } from './exit-guard.js'
import { brokerAnswers } from './network.js'
import { HOST, javaBin } from './paths.js'
import { holdOpen, sleep, tail } from './processes.js'

const STOP_GRACE_MS = 15_000

export interface ExitStatus {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface JvmSpec {
  dir: BrokerDir
  libs: string
  port: number
  /** -Xms and -Xmx. */
  heap: string
  startTimeoutMs: number
  /** Outlive this process (the CLI's `start`): no watchdog, no exit handler. */
  detached: boolean
  /** Removed by the watchdog when this process dies without cleaning up; null to keep. */
  removeOnOrphan: string | null
  say: (message: string) => void
}

export class BrokerJvm {
  private child: ChildProcess | null = null
  private watchdog: ChildProcess | null = null
  private exited: Promise<ExitStatus> = Promise.resolve({ code: null, signal: null })

  constructor(private readonly spec: JvmSpec) {}

  get pid(): number {
    return this.child?.pid ?? -1
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null
  }

  get lastExit(): ExitStatus | null {
    if (!this.child || this.running) return null
    return { code: this.child.exitCode, signal: this.child.signalCode }
  }

  get detached(): boolean {
    return this.spec.detached
  }

  /** Whether a JVM runs that was not sent SIGKILL by kill(). */
  get runningAndNotKilled(): boolean {
    return this.running && !this.child?.killed
  }

  /** Starts a JVM and resolves once it serves metadata; a JVM that exits or is not ready in time is an error. */
  async start(): Promise<void> {
    const started = Date.now()
    const child = this.spawnJvm()
    await this.waitReady(child)
    this.spec.say(`broker pid ${child.pid} ready on ${HOST}:${this.spec.port} in ${Date.now() - started} ms`)
  }

  private spawnJvm(): ChildProcess {
    const { dir, libs, heap, detached } = this.spec
    const jvmArgs = [`-Xms${heap}`, `-Xmx${heap}`, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExitOnOutOfMemoryError']
    const output = openSync(dir.stdoutLog, 'a')
    const child = spawn(javaBin(), [...jvmArgs, ...commonJvmOptions(dir, libs), 'kafka.Kafka', dir.propsFile], {
      stdio: ['ignore', output, output],
      cwd: dir.root,
      detached,
    })
    closeSync(output)
    this.child = child
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
    void this.exited.then(({ code, signal }) => {
      if (this.child === child) this.spec.say(`broker pid ${child.pid} exited (code ${code}, signal ${signal})`)
    })
    // The event loop is not kept alive for the broker: the exit handlers and the watchdog kill it.
    child.unref()
    if (!detached && child.pid) this.watchdog = spawnWatchdog(child.pid, this.spec.removeOnOrphan)
    return child
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const { port, startTimeoutMs } = this.spec
    const deadline = Date.now() + startTimeoutMs
    // Set by the callbacks while this loop waits.
    const seen: { spawnError: Error | null; exit: ExitStatus | null } = { spawnError: null, exit: null }
    child.on('error', (error) => (seen.spawnError = error))
    void this.exited.then((status) => (seen.exit = status))
    for (;;) {
      if (seen.spawnError) throw new Error(`could not start java: ${seen.spawnError.message}`)
      const { exit } = seen
      if (exit) throw new Error(`kafka broker exited during startup (code ${exit.code}, signal ${exit.signal}).\n${this.logTails()}`)
      if (Date.now() > deadline) {
        await this.stop('SIGKILL')
        throw new Error(`kafka broker not ready after ${startTimeoutMs} ms.\n${this.logTails()}`)
      }
      if (await brokerAnswers(port)) return
      await sleep(250)
    }
  }

  private logTails(): string {
    const { stdoutLog, serverLog } = this.spec.dir
    return `--- ${stdoutLog}\n${tail(stdoutLog)}\n--- ${serverLog}\n${tail(serverLog)}`
  }

  /** Stops the JVM (keeping its data), escalating to SIGKILL after 15 s. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child
    if (!child || !this.running) return this.stopWatchdog()
    const started = Date.now()
    child.kill(signal)
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS)))
    const outcome = await Promise.race([this.exited, timedOut])
    clearTimeout(timer)
    if (outcome === 'timeout') {
      this.spec.say(`broker pid ${child.pid} still running ${STOP_GRACE_MS} ms after ${signal}: SIGKILL`)
      child.kill('SIGKILL')
      await holdOpen(this.exited)
    }
    this.stopWatchdog()
    this.spec.say(`broker pid ${child.pid} stopped (${signal}) in ${Date.now() - started} ms`)
  }

  /** Waits until the current JVM has exited (after kill(), before another binds the same ports). */
  async waitExit(): Promise<void> {
    await holdOpen(this.exited)
  }

  /** SIGKILL, without waiting. */
  kill(): void {
    if (this.running) this.child?.kill('SIGKILL')
  }

  /** SIGKILL the JVM and its watchdog, synchronously: for exit handlers. */
  killNow(): void {
    this.kill()
    this.stopWatchdog()
  }

  private stopWatchdog(): void {
    this.watchdog?.kill('SIGKILL')
    this.watchdog = null
  }
}
