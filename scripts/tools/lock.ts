// One install at a time on the machine: apt and dpkg allow one user at a time anyway, and a second
// clone of the repository must wait too. An exclusive lock file holds its owner's pid; a lock whose
// owner is gone is stale. Within one process a promise chain serialises callers, so the file lock is
// never re-entered.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { log } from './shell.js'

const LOCK_FILE = path.join(os.tmpdir(), 'abuse-radar-install-tools.lock')
const LOCK_WAIT_MS = 15 * 60_000

let chain: Promise<unknown> = Promise.resolve()

/** Runs `fn` holding both the in-process and the machine-wide lock. */
export function withInstallLock<T>(fn: () => T | Promise<T>): Promise<T> {
  const next = chain.then(async () => {
    await acquireFileLock()
    try {
      return await fn()
    } finally {
      releaseFileLock()
    }
  })
  chain = next.catch(() => {})
  return next
}

function lockOwnerAlive(): boolean {
  try {
    const pid = Number(readFileSync(LOCK_FILE, 'utf8').trim())
    if (!Number.isInteger(pid) || pid <= 0) return false
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function tryLock(): boolean {
  try {
    writeFileSync(LOCK_FILE, `${process.pid}\n`, { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return false
  }
}

async function acquireFileLock(): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS
  let announced = false
  while (!tryLock()) {
    if (!lockOwnerAlive()) {
      // Stale: its owner died. Remove it and try again (another waiter may win the race; fine).
      await unlink(LOCK_FILE).catch(() => {})
      continue
    }
    if (Date.now() > deadline) throw new Error(`install-tools: gave up waiting for ${LOCK_FILE}`)
    if (!announced) log(`waiting for another install (${LOCK_FILE})`)
    announced = true
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

function releaseFileLock(): void {
  try {
    if (Number(readFileSync(LOCK_FILE, 'utf8').trim()) === process.pid) rmSync(LOCK_FILE, { force: true })
  } catch {
    // already gone
  }
}
