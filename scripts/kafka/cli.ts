// The broker harness from a shell, for a broker that outlives the command (or runs in the foreground):
//
//   npx tsx scripts/kafka/cli.ts fetch
//   npx tsx scripts/kafka/cli.ts start [--port 9092] [--controller-port N] [--data-dir DIR] [--keep-data] [--foreground] [--verbose]
//   npx tsx scripts/kafka/cli.ts stop
//   npx tsx scripts/kafka/cli.ts status
//
// A detached broker is remembered in <repo>/.kafka/broker.pid and broker.json, so `stop` and `status`
// find it from another shell.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startBroker, type KafkaBroker } from './broker.js'
import { ensureKafkaJars, kafkaVersion } from './jars.js'
import { HARNESS_DIR, PID_FILE, STATE_FILE } from './paths.js'
import { sleep } from './processes.js'

const STOP_GRACE_MS = 15_000
const USAGE = `usage: npx tsx scripts/kafka/cli.ts fetch
       npx tsx scripts/kafka/cli.ts start [--port 9092] [--controller-port N] [--data-dir DIR] [--keep-data] [--foreground] [--verbose]
       npx tsx scripts/kafka/cli.ts stop
       npx tsx scripts/kafka/cli.ts status`

interface DetachedState {
  pid: number
  brokers: string[]
  dataDir: string
  removeDataOnStop: boolean
}

const START_OPTIONS = {
  port: { type: 'string' },
  'controller-port': { type: 'string' },
  'data-dir': { type: 'string' },
  'keep-data': { type: 'boolean' },
  foreground: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const

interface StartArgs {
  port?: string
  'controller-port'?: string
  'data-dir'?: string
  'keep-data'?: boolean
  foreground?: boolean
  verbose?: boolean
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === 'fetch') return fetchJars()
  if (command === 'start') return start(parseArgs({ args: rest, options: START_OPTIONS }).values)
  if (command === 'stop') return stop()
  if (command === 'status') return status()
  console.error(USAGE)
  return 2
}

async function fetchJars(): Promise<number> {
  const started = Date.now()
  const dir = await ensureKafkaJars()
  console.log(`Kafka ${kafkaVersion()} jars in ${dir} (${Date.now() - started} ms)`)
  return 0
}

async function start(args: StartArgs): Promise<number> {
  const existing = readPidFile()
  if (existing && isKafkaPid(existing)) {
    console.error(`a broker is already running (pid ${existing}, ${PID_FILE}); run "stop" first`)
    return 1
  }
  const foreground = args.foreground ?? false
  const port = (value: string | undefined) => (value === undefined ? undefined : Number.parseInt(value, 10))
  const started = Date.now()
  const broker = await startBroker({
    port: port(args.port),
    controllerPort: port(args['controller-port']),
    dataDir: args['data-dir'],
    keepData: (args['keep-data'] ?? false) || !foreground,
    detached: !foreground,
    log: args.verbose ?? false,
  })
  const state: DetachedState = {
    pid: broker.pid,
    brokers: broker.brokers,
    dataDir: broker.dataDir,
    removeDataOnStop: !args['data-dir'] && !args['keep-data'],
  }
  mkdirSync(HARNESS_DIR, { recursive: true })
  writeFileSync(PID_FILE, `${broker.pid}\n`)
  writeFileSync(
    STATE_FILE,
    `${JSON.stringify({ ...state, port: broker.port, controllerPort: broker.controllerPort, version: kafkaVersion() }, null, 2)}\n`,
  )
  console.log(broker.brokers[0])
  console.error(
    `Kafka ${kafkaVersion()} broker pid ${broker.pid} ready in ${Date.now() - started} ms, data ${broker.dataDir}, log ${broker.logFile}`,
  )
  if (!foreground) return 0
  const code = await runInForeground(broker)
  if (readPidFile() === broker.pid || readPidFile() === null) removeStateFiles()
  return code
}

/** Until SIGINT or SIGTERM (then stops the broker), or until the broker exits by itself; the exit code says which. */
function runInForeground(broker: KafkaBroker): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false
    const finish = (code: number) => () => {
      clearInterval(watch)
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGTERM', onSignal)
      resolve(code)
    }
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return
      stopping = true
      console.error(`${signal}: stopping broker`)
      void broker.stop().then(finish(0), finish(1))
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    // Also keeps the event loop alive: the broker's child handle does not.
    const watch = setInterval(() => {
      if (broker.running || stopping) return
      stopping = true
      const exit = broker.lastExit
      const clean = exit !== null && (exit.code === 0 || exit.code === 143 || exit.signal === 'SIGTERM')
      console.error(`broker exited (code ${exit?.code}, signal ${exit?.signal}); log: ${broker.logFile}`)
      void broker.stop().then(finish(clean ? 0 : 1), finish(1))
    }, 500)
  })
}

async function stop(): Promise<number> {
  const pid = readPidFile()
  const state = readState()
  if (!pid || !isKafkaPid(pid)) {
    console.error(pid ? `broker pid ${pid} is not running` : `no ${PID_FILE}`)
    removeStateFiles()
    return 0
  }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + STOP_GRACE_MS
  while (isKafkaPid(pid) && Date.now() < deadline) await sleep(200)
  if (isKafkaPid(pid)) {
    console.error(`broker pid ${pid} ignored SIGTERM for ${STOP_GRACE_MS} ms: SIGKILL`)
    process.kill(pid, 'SIGKILL')
    while (isKafkaPid(pid)) await sleep(100)
  }
  if (state?.removeDataOnStop && state.pid === pid) rmSync(state.dataDir, { recursive: true, force: true })
  removeStateFiles()
  console.error(`broker pid ${pid} stopped`)
  return 0
}

function status(): number {
  const pid = readPidFile()
  if (!pid || !isKafkaPid(pid)) {
    console.log('not running')
    return 3
  }
  console.log(`running pid ${pid} ${readState()?.brokers[0] ?? ''}`)
  return 0
}

/** Whether `pid` is alive and, where /proc tells, a Kafka JVM (not a recycled pid). */
function isKafkaPid(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka')
  } catch {
    return true // no /proc: trust the pid file
  }
}

function readPidFile(): number | null {
  try {
    const pid = Number.parseInt(readFileSync(PID_FILE, 'utf8').trim(), 10)
    return Number.isFinite(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function readState(): DetachedState | null {
  if (!existsSync(STATE_FILE)) return null
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as DetachedState
}

function removeStateFiles(): void {
  rmSync(PID_FILE, { force: true })
  rmSync(STATE_FILE, { force: true })
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  },
)
