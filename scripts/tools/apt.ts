// Debian's packages through apt: the lists refreshed at most once per six hours across processes, and
// once more when an install fails on lists older than the mirror's files.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isRoot, lastLine, log, run } from './shell.js'

/** apt lists younger than this are used as they are; older ones are refreshed once before an install. */
const APT_FRESH_MS = 6 * 3600_000
const APT_MARKER = path.join(os.tmpdir(), 'abuse-radar-apt-updated')
const LOCK_TIMEOUT = ['-o', 'DPkg::Lock::Timeout=600']

export function requireRoot(what: string): void {
  if (!isRoot()) throw new Error(`install-tools: ${what} needs root (apt-get); install it by hand or run the tests as root`)
}

let updatedHere = false
/** `apt-get update` once: skipped when this process or another one refreshed the lists recently. */
export function aptUpdate({ force = false } = {}): void {
  if (!force && updatedHere) return
  if (!force && existsSync(APT_MARKER) && Date.now() - statSync(APT_MARKER).mtimeMs < APT_FRESH_MS) return
  run('apt-get', [...LOCK_TIMEOUT, 'update', '-qq'])
  writeFileSync(APT_MARKER, `${new Date().toISOString()}\n`)
  updatedHere = true
}

/** Whether a configured apt source (not only the dpkg status file) has a candidate version of `pkg`. */
export function aptOffers(pkg: string): boolean {
  const policy = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' }).stdout ?? ''
  const candidate = /Candidate:\s*(\S+)/.exec(policy)?.[1]
  if (!candidate || candidate === '(none)') return false
  const madison = spawnSync('apt-cache', ['madison', pkg], { encoding: 'utf8' }).stdout ?? ''
  return madison.split('\n').some((line) => line.includes(' | ') && !line.includes('/var/lib/dpkg/status'))
}

export function aptInstall(pkg: string): void {
  requireRoot(`installing ${pkg}`)
  aptUpdate()
  retryWithFreshLists(`apt-get install ${pkg}`, () =>
    run('apt-get', [...LOCK_TIMEOUT, 'install', '-y', '-qq', '--no-install-recommends', pkg]),
  )
}

/** Downloads a package's .deb into `dir` without installing it (no root needed, but root refreshes the lists). */
export function aptDownload(pkg: string, dir: string): void {
  aptUpdate()
  retryWithFreshLists(`apt-get download ${pkg}`, () => run('apt-get', ['download', '-qq', pkg], { cwd: dir }))
}

/** Lists older than the mirror's files give 404s: refresh once (as root) and retry. */
function retryWithFreshLists(what: string, action: () => void): void {
  try {
    action()
  } catch (error) {
    log(`${what} failed (${lastLine(error)}); refreshing the package lists and retrying`)
    if (isRoot()) aptUpdate({ force: true })
    action()
  }
}
