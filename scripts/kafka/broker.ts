// A real Apache Kafka 4.x broker for tests and benchmarks: one node, KRaft, broker and controller in
// one JVM, run from the jars Maven Central serves (./jars.ts). No Docker; only ever binds 127.0.0.1.
//
// Environment: KAFKA_HARNESS_DIR (cache and state, default <repo>/.kafka), KAFKA_LOG_LEVEL (the broker's
// log4j level, default WARN), KAFKA_HEAP (default 512m), KAFKA_HARNESS_DEBUG=1 (progress on stderr),
// MVN and JAVA_HOME (default: `mvn` and `java` on PATH). The command line is ./cli.ts.
import { rmSync } from 'node:fs'
import { type BrokerLogLevel } from './config.js'
import { choosePorts, formatStorage, openBrokerDir, writeBrokerConfig, type BrokerDir, type Ports } from './data-dir.js'
import { guardExit, releaseExitGuard } from './exit-guard.js'
import { ensureKafkaJars } from './jars.js'
import { HOST } from './paths.js'
import { BrokerJvm, type ExitStatus } from './jvm.js'
import { debugLog, sleep } from './processes.js'

export interface StartBrokerOptions {
  /** Directory for config, logs and data. Default: a new temp dir, deleted by stop() unless keepData. */
  dataDir?: string
  /** PLAINTEXT port on 127.0.0.1. Default: a free port (or the one a reused dataDir used). */
  port?: number
  /** CONTROLLER port on 127.0.0.1. Default: a free port (or the one a reused dataDir used). */
  controllerPort?: number
  /** Keep the temp data dir on stop(). A caller-given dataDir is never deleted. */
  keepData?: boolean
  /** Harness progress messages: a function, or true for stderr. Broker logs go to `logFile`. */
  log?: boolean | ((message: string) => void)
  /** log4j root level for the broker's log file. Default WARN (env KAFKA_LOG_LEVEL). */
  logLevel?: BrokerLogLevel
  /** JVM heap for -Xms/-Xmx. Default 512m (env KAFKA_HEAP). */
  heap?: string
  /** How long to wait for the broker to answer a metadata request. Default 120000. */
  startTimeoutMs?: number
  /** Extra or overriding server.properties entries. */
  serverProperties?: Record<string, string>
  /** Spawn the JVM detached and let it outlive this process (the CLI's `start`). Default false. */
  detached?: boolean
}

export interface RestartOptions {
  /** Time the broker stays down between stop and start. Default 0. */
  downMs?: number
  /** Signal used to stop it: SIGTERM (graceful, default) or SIGKILL (crash). */
  signal?: 'SIGTERM' | 'SIGKILL'
}

export interface KafkaBroker {
  /** Bootstrap addresses for clients, e.g. ['127.0.0.1:40123']. */
  readonly brokers: string[]
  readonly port: number
  readonly controllerPort: number
  readonly dataDir: string
  /** The broker's log4j file (WARN and above by default). */
  readonly logFile: string
  /** Pid of the current JVM (changes across restarts), -1 if none. */
  readonly pid: number
  readonly running: boolean
  /** Exit status of the current JVM once it has exited, else null. */
  readonly lastExit: ExitStatus | null
  /** SIGTERM, wait for exit (SIGKILL after 15 s), delete the temp dir unless keepData. Idempotent. */
  stop(): Promise<void>
  /** SIGKILL the JVM now, keeping the data (restart() or up() can follow; stop() still cleans up). */
  kill(): void
  /** Stop the JVM (keeping data and ports) and start it again; resolves when it answers metadata. */
  restart(options?: RestartOptions): Promise<void>
  /** Stop the JVM, keeping data and ports, for fault tests; follow with up(). */
  down(options?: Pick<RestartOptions, 'signal'>): Promise<void>
  /** Start the JVM again after down() or kill(); resolves when it answers metadata. */
  up(): Promise<void>
}

/** Starts a single-node KRaft broker and controller on 127.0.0.1, ready to serve metadata. */
export async function startBroker(options: StartBrokerOptions = {}): Promise<KafkaBroker> {
  const say = progressLog(options.log)
  const libs = await ensureKafkaJars()
  const dir = openBrokerDir(options.dataDir)
  const removeDir = dir.owned && !options.keepData
  try {
    const ports = await choosePorts(dir, options)
    const logLevel = options.logLevel ?? (process.env.KAFKA_LOG_LEVEL as BrokerLogLevel | undefined) ?? 'WARN'
    writeBrokerConfig(dir, ports, logLevel, options.serverProperties ?? {})
    const formatStarted = Date.now()
    const clusterId = await formatStorage(dir, libs)
    if (clusterId) say(`formatted ${dir.kafkaDataDir} (cluster ${clusterId}) in ${Date.now() - formatStarted} ms`)
    const jvm = new BrokerJvm({
      dir,
      libs,
      port: ports.port,
      heap: options.heap ?? process.env.KAFKA_HEAP ?? '512m',
      startTimeoutMs: options.startTimeoutMs ?? 120_000,
      detached: options.detached ?? false,
      removeOnOrphan: removeDir ? dir.root : null,
      say,
    })
    const broker = new HarnessBroker(dir, ports, jvm, removeDir)
    await broker.launch()
    return broker
  } catch (error) {
    if (removeDir) rmSync(dir.root, { recursive: true, force: true })
    throw error
  }
}

function progressLog(log: StartBrokerOptions['log']): (message: string) => void {
  if (typeof log === 'function') return log
  return log === true ? (message) => console.error(`[kafka] ${message}`) : debugLog
}

class HarnessBroker implements KafkaBroker {
  readonly brokers: string[]
  readonly port: number
  readonly controllerPort: number
  readonly dataDir: string
  readonly logFile: string
  private stopped = false

  constructor(
    dir: BrokerDir,
    ports: Ports,
    private readonly jvm: BrokerJvm,
    private readonly removeDir: boolean,
  ) {
    this.brokers = [`${HOST}:${ports.port}`]
    this.port = ports.port
    this.controllerPort = ports.controllerPort
    this.dataDir = dir.root
    this.logFile = dir.serverLog
  }

  get pid(): number {
    return this.jvm.pid
  }

  get running(): boolean {
    return this.jvm.running
  }

  get lastExit(): ExitStatus | null {
    return this.jvm.lastExit
  }

  /** Starts the JVM; unless detached, this process's exit kills it. */
  async launch(): Promise<void> {
    if (!this.jvm.detached) guardExit(this)
    try {
      await this.jvm.start()
    } catch (error) {
      releaseExitGuard(this)
      throw error
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    await this.jvm.stop('SIGTERM')
    this.release()
  }

  kill(): void {
    this.jvm.kill()
  }

  killNow(): void {
    this.jvm.killNow()
    this.release()
  }

  async down({ signal = 'SIGTERM' }: Pick<RestartOptions, 'signal'> = {}): Promise<void> {
    this.assertNotStopped()
    await this.jvm.stop(signal)
  }

  async up(): Promise<void> {
    this.assertNotStopped()
    if (this.jvm.runningAndNotKilled) return
    // A JVM just sent SIGKILL by kill() must be gone before the next one binds the ports.
    await this.jvm.waitExit()
    await this.launch()
  }

  async restart({ downMs = 0, signal = 'SIGTERM' }: RestartOptions = {}): Promise<void> {
    this.assertNotStopped()
    await this.jvm.stop(signal)
    if (downMs > 0) await sleep(downMs)
    await this.launch()
  }

  private assertNotStopped(): void {
    if (this.stopped) throw new Error('broker was stopped')
  }

  private release(): void {
    releaseExitGuard(this)
    if (this.removeDir) rmSync(this.dataDir, { recursive: true, force: true })
  }
}
