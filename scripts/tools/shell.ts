// Finding and running the commands the tool installs use, with one log line per command.
import { execFileSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import path from 'node:path'

export const log = (message: string) => process.stderr.write(`install-tools: ${message}\n`)

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** The first executable `name` on PATH (plus the usual sbin and Go folders), or null. */
export function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/go/bin']
  for (const dir of dirs) {
    if (!dir) continue
    const candidate = path.join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  return null
}

export interface RunOptions {
  env?: Record<string, string>
  cwd?: string
}

/** Runs a command to its end, non-interactively; its stderr ends up in the error when it fails. */
export function run(command: string, args: string[], options: RunOptions = {}): void {
  const started = Date.now()
  log(`$ ${command} ${args.join(' ')}`)
  execFileSync(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  })
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** The last line of a failed command's stderr (or the error's message), for a log line. */
export function lastLine(error: unknown): string {
  const { stderr, message } = (error ?? {}) as { stderr?: Buffer | string; message?: string }
  return String(stderr || message || error)
    .trim()
    .split('\n')
    .pop() as string
}

export function isRoot(): boolean {
  return typeof process.getuid !== 'function' || process.getuid() === 0
}
