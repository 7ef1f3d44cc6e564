// Small process helpers shared by the harness's modules.
import { spawn, type SpawnOptions } from 'node:child_process'
import { readFileSync } from 'node:fs'

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export interface CommandResult {
  code: number | null
  signal: NodeJS.Signals | null
  /** stdout and stderr interleaved, for error messages. */
  out: string
}

/** Runs a command to its end and collects its output; rejects only when it cannot be started. */
export function runCommand(command: string, args: string[], options: SpawnOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', (error) => reject(new Error(`${command} could not be started: ${error.message}`)))
    child.on('close', (code, signal) => resolve({ code, signal, out }))
  })
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Awaits a promise while keeping the event loop alive: the JVM's child handle is unref'd. */
export async function holdOpen<T>(promise: Promise<T>): Promise<T> {
  const keepAlive = setInterval(() => {}, 1000)
  try {
    return await promise
  } finally {
    clearInterval(keepAlive)
  }
}

/** The end of a log file, for error messages ('' when it does not exist). */
export function tail(file: string, max = 3000): string {
  try {
    const text = readFileSync(file, 'utf8')
    return text.length > max ? text.slice(-max) : text
  } catch {
    return ''
  }
}

/** Harness progress on stderr with KAFKA_HARNESS_DEBUG=1, else nowhere. */
export const debugLog: (message: string) => void =
  process.env.KAFKA_HARNESS_DEBUG === '1' ? (message) => console.error(`[kafka-harness] ${message}`) : () => {}
