// Phase 1, C0: the ceiling of the Kafka client itself, measured in a process of its own
// (./c0-consumer.ts) so that nothing of the benchmark's own work competes with it.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { C0Job, C0Result } from './c0-consumer.js'
import type { Topics } from './stream.js'

const CONSUMER = fileURLToPath(new URL('c0-consumer.ts', import.meta.url))
const TIMEOUT_MS = 300_000

export async function runC0(brokers: string[], topics: Topics, expected: number): Promise<C0Result> {
  const job: C0Job = { brokers, topics: Object.values(topics), group: `bench-c0-${Date.now()}`, expected }
  const child = spawn(process.execPath, ['--import', 'tsx', CONSUMER], {
    env: { ...process.env, BENCH_C0: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-20_000)))
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS)
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)))
  clearTimeout(timer)
  if (code !== 0) throw new Error(`C0 consumer failed (${code}):\n${err}`)
  return JSON.parse(out.trim().split('\n').at(-1) as string) as C0Result
}
