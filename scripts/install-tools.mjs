#!/usr/bin/env node
// Installs the command-line tools some tests need, on demand, from the registries this project may
// use (Debian's packages, the Go module proxy), and returns their paths. Safe to call from many test
// processes at once: every install runs under one machine-wide lock (apt and dpkg allow one user at a
// time anyway), and a tool found after the lock is taken is not installed again.
//
//   ensureTool('kubectl')         PATH, else Debian's `kubectl` package when apt knows one
//   ensureTool('kustomize')       PATH, else .cache/tools/bin/kustomize built by `go install` from the Go module proxy
//   ensureTool('docker-compose')  PATH, else `apt-get install docker-compose` (Debian's Compose 1.29)
//   ensureTool('promtool')        PATH, else Debian's `prometheus` package unpacked into .cache/tools/prometheus (no daemon)
//   ensureTool('chromium')        PATH, else `apt-get install chromium`
//   kustomizeCommand()            ['kubectl', 'kustomize'] or ['kustomize', 'build']: the same renderer either way
//
// CLI: `node scripts/install-tools.mjs kubectl promtool ...` prints one path per tool.
// Nothing is cached in the repository except under .cache/ (ignored by git).
import { execFileSync, spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const TOOLS_DIR = path.join(ROOT, '.cache', 'tools')
/** apt and dpkg are machine-wide, so is the lock (a second clone of the repo must wait too). */
const LOCK_FILE = path.join(os.tmpdir(), 'abuse-radar-install-tools.lock')
const LOCK_WAIT_MS = 15 * 60_000
/** apt lists younger than this are used as they are; older ones are refreshed once before an install. */
const APT_FRESH_MS = 6 * 3600_000
const APT_MARKER = path.join(os.tmpdir(), 'abuse-radar-apt-updated')
/** The kustomize CLI built when no kubectl is available (kubectl 1.32 embeds kustomize v5.5.0). */
export const KUSTOMIZE_MODULE = 'sigs.k8s.io/kustomize/kustomize/v5@v5.5.0'

const log = (message) => process.stderr.write(`install-tools: ${message}\n`)

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** The first executable `name` on PATH (plus the usual sbin and Go folders), or null. */
export function which(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/go/bin']
  for (const dir of dirs) {
    if (!dir) continue
    const candidate = path.join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  return null
}

function run(command, args, options = {}) {
  const started = Date.now()
  log(`$ ${command} ${args.join(' ')}`)
  execFileSync(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', ...(options.env ?? {}) },
    maxBuffer: 64 * 1024 * 1024,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  })
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

// ---------------------------------------------------------------------------------------------
// Locking: an exclusive lock file holding the owner's pid; a lock whose owner is gone is stale.
// Within one process, a promise chain serialises callers so the file lock is never re-entered.

let chain = Promise.resolve()

function lockOwnerAlive() {
  try {
    const pid = Number(readFileSync(LOCK_FILE, 'utf8').trim())
    if (!Number.isInteger(pid) || pid <= 0) return false
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error?.code === 'EPERM'
  }
}

async function acquireFileLock() {
  const deadline = Date.now() + LOCK_WAIT_MS
  let announced = false
  for (;;) {
    try {
      writeFileSync(LOCK_FILE, `${process.pid}\n`, { flag: 'wx' })
      return
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error
    }
    if (!lockOwnerAlive()) {
      // Stale: its owner died. Remove it and try again (another waiter may win the race; fine).
      await unlink(LOCK_FILE).catch(() => {})
      continue
    }
    if (Date.now() > deadline) throw new Error(`install-tools: gave up waiting for ${LOCK_FILE}`)
    if (!announced) {
      log(`waiting for another install (${LOCK_FILE})`)
      announced = true
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

function releaseFileLock() {
  try {
    if (Number(readFileSync(LOCK_FILE, 'utf8').trim()) === process.pid) rmSync(LOCK_FILE, { force: true })
  } catch {
    // already gone
  }
}

/** Runs `fn` holding both the in-process and the machine-wide lock. */
export function withInstallLock(fn) {
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

// ---------------------------------------------------------------------------------------------
// apt

function requireRoot(what) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`install-tools: ${what} needs root (apt-get); install it by hand or run the tests as root`)
  }
}

let aptUpdatedHere = false
/** `apt-get update` once: skipped when this process or another one refreshed the lists recently. */
function aptUpdate({ force = false } = {}) {
  if (aptUpdatedHere && !force) return
  if (!force && existsSync(APT_MARKER) && Date.now() - statSync(APT_MARKER).mtimeMs < APT_FRESH_MS) return
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update', '-qq'])
  writeFileSync(APT_MARKER, `${new Date().toISOString()}\n`)
  aptUpdatedHere = true
}

/** The candidate version apt would install, or null when no configured source has the package. */
function aptCandidate(pkg) {
  const result = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' })
  const candidate = /Candidate:\s*(\S+)/.exec(result.stdout ?? '')?.[1]
  return candidate && candidate !== '(none)' ? candidate : null
}

/** Whether a configured apt source (not only the dpkg status file) offers `pkg`. */
function aptOffers(pkg) {
  const result = spawnSync('apt-cache', ['madison', pkg], { encoding: 'utf8' })
  return (result.stdout ?? '').split('\n').some((line) => line.includes(' | ') && !line.includes('/var/lib/dpkg/status'))
}

function aptInstall(pkg) {
  requireRoot(`installing ${pkg}`)
  aptUpdate()
  const install = () =>
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', pkg])
  try {
    install()
  } catch (error) {
    // Lists older than the mirror's files give 404s: refresh once and retry.
    log(`apt-get install ${pkg} failed (${firstLine(error)}); refreshing the package lists and retrying`)
    aptUpdate({ force: true })
    install()
  }
}

const firstLine = (error) => String(error?.stderr || error?.message || error).trim().split('\n').pop()

// ---------------------------------------------------------------------------------------------
// the tools

function findKubectl() {
  return which('kubectl')
}

function installKubectl() {
  requireRoot('installing kubectl')
  aptUpdate()
  if (!aptCandidate('kubectl') || !aptOffers('kubectl')) {
    throw new Error(
      'install-tools: no kubectl on PATH and no apt source offers it (Debian bookworm has none); use kustomizeCommand(), which falls back to the kustomize CLI from the Go module proxy',
    )
  }
  aptInstall('kubectl')
  return findKubectl()
}

const kustomizeCached = () => path.join(TOOLS_DIR, 'bin', 'kustomize')

function findKustomize() {
  return which('kustomize') ?? (isExecutable(kustomizeCached()) ? kustomizeCached() : null)
}

function installKustomize() {
  const go = which('go')
  if (!go) throw new Error('install-tools: kustomize needs Go (`go install` from the Go module proxy) and there is no `go` on PATH')
  const bin = path.join(TOOLS_DIR, 'bin')
  mkdirSync(bin, { recursive: true })
  // GOFLAGS cleared: a project-level -mod=vendor or similar must not leak into a module-mode install.
  run(go, ['install', KUSTOMIZE_MODULE], { env: { GOBIN: bin, GOFLAGS: '', CGO_ENABLED: '0' } })
  return findKustomize()
}

function findDockerCompose() {
  return which('docker-compose')
}

function installDockerCompose() {
  aptInstall('docker-compose')
  return findDockerCompose()
}

const promtoolCached = () => path.join(TOOLS_DIR, 'prometheus', 'usr', 'bin', 'promtool')

function findPromtool() {
  return which('promtool') ?? (isExecutable(promtoolCached()) ? promtoolCached() : null)
}

function installPromtool() {
  aptUpdate()
  const work = mkdtempSync(path.join(os.tmpdir(), 'abuse-radar-prometheus-'))
  try {
    // apt-get download drops privileges to _apt, which must be able to write the folder.
    execFileSync('chmod', ['0777', work])
    const download = () => run('apt-get', ['download', '-qq', 'prometheus'], { cwd: work })
    try {
      download()
    } catch (error) {
      log(`apt-get download prometheus failed (${firstLine(error)}); refreshing the package lists and retrying`)
      if (typeof process.getuid === 'function' && process.getuid() === 0) aptUpdate({ force: true })
      download()
    }
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'))
    if (!deb) throw new Error('install-tools: apt-get download prometheus produced no .deb')
    // Unpacked beside the target, then renamed: an interrupted install never leaves a half-written promtool.
    const target = path.join(TOOLS_DIR, 'prometheus')
    const staging = `${target}.partial-${process.pid}`
    rmSync(staging, { recursive: true, force: true })
    mkdirSync(staging, { recursive: true })
    run('dpkg', ['-x', path.join(work, deb), staging])
    rmSync(target, { recursive: true, force: true })
    renameSync(staging, target)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return findPromtool()
}

function findChromium() {
  return which('chromium') ?? which('chromium-browser')
}

function installChromium() {
  aptInstall('chromium')
  return findChromium()
}

const TOOLS = {
  kubectl: { find: findKubectl, install: installKubectl },
  kustomize: { find: findKustomize, install: installKustomize },
  'docker-compose': { find: findDockerCompose, install: installDockerCompose },
  promtool: { find: findPromtool, install: installPromtool },
  chromium: { find: findChromium, install: installChromium },
}

/**
 * The path of a tool's binary, installing it first when it is missing. Idempotent; concurrent calls
 * (from this process or others) install at most once.
 */
export async function ensureTool(name) {
  const tool = TOOLS[name]
  if (!tool) throw new Error(`install-tools: unknown tool ${name} (known: ${Object.keys(TOOLS).join(', ')})`)
  const found = tool.find()
  if (found) return found
  return withInstallLock(() => {
    // Another process may have installed it while this one waited for the lock.
    const again = tool.find()
    if (again) return again
    const started = Date.now()
    const installed = tool.install()
    if (!installed) throw new Error(`install-tools: installing ${name} did not produce a binary`)
    log(`${name}: ${installed} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    return installed
  })
}

/**
 * The command that renders a kustomization directory (append the directory): `kubectl kustomize` when
 * kubectl is available, else `kustomize build` from the Go module proxy. Same flags either way.
 */
export async function kustomizeCommand() {
  try {
    return [await ensureTool('kubectl'), 'kustomize']
  } catch (error) {
    log(`${error.message}; using the kustomize CLI instead`)
    return [await ensureTool('kustomize'), 'build']
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2)
  if (names.length === 0) {
    process.stderr.write(`usage: node scripts/install-tools.mjs ${Object.keys(TOOLS).join('|')} ...\n`)
    process.exit(2)
  }
  for (const name of names) process.stdout.write(`${await ensureTool(name)}\n`)
}
