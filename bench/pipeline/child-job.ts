// A measurement run in a process of its own, so that nothing of the benchmark's own work (or an
// embedded engine already open in it) competes with it: the parent passes a job as JSON in
// BENCH_JOB, the child prints its result as the last line of stdout and exits.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Runs `module` (a TypeScript source, through tsx, or a compiled module) with `job`; its result. */
export async function runChildJob<Job, Result>(module: URL, job: Job, timeoutMs: number): Promise<Result> {
  const loader = module.pathname.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...loader, fileURLToPath(module)], {
    env: { ...process.env, BENCH_JOB: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-20_000)))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)))
  clearTimeout(timer)
  if (code !== 0) throw new Error(`${fileURLToPath(module)} failed (${code}):\n${err}`)
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Result
}

/** The child's side: its job. */
export function jobOf<Job>(): Job {
  const job = process.env.BENCH_JOB
  if (!job) throw new Error('BENCH_JOB is not set: this module is run by runChildJob')
  return JSON.parse(job) as Job
}

/** The child's side: prints the result for the parent and exits (kafkajs or the engine may hold the loop open). */
export function reportAndExit(result: unknown): never {
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exit(0)
}
