// The tools some tests need: where each is found, and how it is installed when it is not. Installs
// come only from the registries this project may use (Debian's packages, the Go module proxy), and
// nothing lands in the repository except under .cache/ (ignored by git).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { aptDownload, aptInstall, aptOffers, aptUpdate, requireRoot } from './apt.js'
import { isExecutable, run, which } from './shell.js'

export const TOOLS_DIR = fileURLToPath(new URL('../../.cache/tools', import.meta.url))
/** The kustomize CLI built when no kubectl is available (kubectl 1.32 embeds kustomize v5.5.0). */
export const KUSTOMIZE_MODULE = 'sigs.k8s.io/kustomize/kustomize/v5@v5.5.0'

export interface Tool {
  /** The binary's path, or null when it is not there. */
  find(): string | null
  /** Installs it; returns find()'s answer afterwards. */
  install(): string | null
}

const cached = (...parts: string[]) => {
  const file = path.join(TOOLS_DIR, ...parts)
  return isExecutable(file) ? file : null
}

const findKubectl = () => which('kubectl')
const findKustomize = () => which('kustomize') ?? cached('bin', 'kustomize')
const findDockerCompose = () => which('docker-compose')
const findPromtool = () => which('promtool') ?? cached('prometheus', 'usr', 'bin', 'promtool')
const findChromium = () => which('chromium') ?? which('chromium-browser')

function fromApt(pkg: string, find: () => string | null): Tool {
  return {
    find,
    install: () => {
      aptInstall(pkg)
      return find()
    },
  }
}

export const TOOLS = {
  /** Debian's `kubectl` package when an apt source offers one (bookworm has none: see kustomizeCommand). */
  kubectl: { find: findKubectl, install: installKubectl },
  /** Built by `go install` from the Go module proxy into .cache/tools/bin. */
  kustomize: { find: findKustomize, install: installKustomize },
  /** Debian's Compose 1.29. */
  'docker-compose': fromApt('docker-compose', findDockerCompose),
  /** Debian's `prometheus` package unpacked into .cache/tools/prometheus: no daemon, no root needed. */
  promtool: { find: findPromtool, install: installPromtool },
  chromium: fromApt('chromium', findChromium),
} satisfies Record<string, Tool>

export type ToolName = keyof typeof TOOLS

function installKubectl(): string | null {
  requireRoot('installing kubectl')
  aptUpdate()
  if (!aptOffers('kubectl')) {
    throw new Error(
      'install-tools: no kubectl on PATH and no apt source offers it (Debian bookworm has none); use kustomizeCommand(), which falls back to the kustomize CLI from the Go module proxy',
    )
  }
  aptInstall('kubectl')
  return findKubectl()
}

function installKustomize(): string | null {
  const go = which('go')
  if (!go) throw new Error('install-tools: kustomize needs Go (`go install` from the Go module proxy) and there is no `go` on PATH')
  const bin = path.join(TOOLS_DIR, 'bin')
  mkdirSync(bin, { recursive: true })
  // GOFLAGS cleared: a project-level -mod=vendor or similar must not leak into a module-mode install.
  run(go, ['install', KUSTOMIZE_MODULE], { env: { GOBIN: bin, GOFLAGS: '', CGO_ENABLED: '0' } })
  return findKustomize()
}

function installPromtool(): string | null {
  const work = mkdtempSync(path.join(os.tmpdir(), 'abuse-radar-prometheus-'))
  try {
    // apt-get download drops privileges to _apt, which must be able to write the folder.
    execFileSync('chmod', ['0777', work])
    aptDownload('prometheus', work)
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
