// `--profile` and `--heap`: the probe's CPU and sampling-heap profiles of the processor, summarised by
// function and module (self time) or allocation site, printed, and saved in bench/results/.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT, sleep } from '../../test/support/harness.js'
import { BUILD_DIR } from '../compile.js'
import { log } from './log.js'
import type { Window } from './metrics.js'
import { round } from './numbers.js'
import { gitCommit, RESULTS_DIR } from './results.js'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[]
  /** µs, in the clock of process.hrtime */
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/** The probe's delays of 50 ms or more while it profiled: [end in µs of the profile's clock, length in ms]. */
export type ProfiledDelays = [number, number][]

/** What the profile sampled during the event loop's long delays, by module (self time). */
export interface DelaySummary {
  delays: number
  sampledMs: number
  modules: { module: string; ms: number; pct: number }[]
}

interface HeapNode {
  callFrame: CallFrame
  selfSize: number
  children: HeapNode[]
}

export interface HeapSummary {
  totalMb: number
  sites: { fn: string; where: string; mb: number }[]
}

interface ProfileSummary {
  totalMs: number
  functions: { fn: string; where: string; selfMs: number; pct: number }[]
  modules: { module: string; selfMs: number; pct: number }[]
}

function shortUrl(url: string): string {
  if (url === '') return ''
  const file = url.replace(/^file:\/\//, '')
  const nm = file.lastIndexOf('node_modules/')
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length)
  if (file.startsWith(REPO_ROOT)) return file.slice(REPO_ROOT.length)
  return file
}

/** Where the compiled build's modules are, relative to the repository (bench/compile.ts). */
const COMPILED_DIR = path.relative(REPO_ROOT, BUILD_DIR)

function moduleOf(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)'
  const s = shortUrl(url)
  if (s.startsWith('node:')) return 'node internals'
  if (s.startsWith('@') || s.startsWith('src/')) return s.split('/').slice(0, 2).join('/')
  // the compiled build the benchmark runs: its folders are src/'s
  if (s.startsWith(`${COMPILED_DIR}/`)) return `src/${s.split('/')[1] ?? ''}`
  return s.split('/')[0] as string
}

/** A function's name and where it is; positions in TypeScript sources are those of tsx's output, so the file says enough. */
function site({ functionName, url, lineNumber }: CallFrame): { fn: string; where: string } {
  const where = url ? (url.endsWith('.ts') ? shortUrl(url) : `${shortUrl(url)}:${lineNumber + 1}`) : ''
  return { fn: functionName || '(anonymous)', where }
}

function summariseProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000
    self.set(id, (self.get(id) ?? 0) + ms)
    total += ms
  })
  const functions = new Map<string, { fn: string; where: string; selfMs: number }>()
  const modules = new Map<string, number>()
  for (const [id, ms] of self) {
    const node = byId.get(id)
    if (!node) continue
    const { fn, where } = site(node.callFrame)
    const entry = functions.get(`${fn}@${where}`) ?? { fn, where, selfMs: 0 }
    entry.selfMs += ms
    functions.set(`${fn}@${where}`, entry)
    const module = moduleOf(node.callFrame.url, fn)
    modules.set(module, (modules.get(module) ?? 0) + ms)
  }
  const pct = (ms: number) => Math.round((1000 * ms) / total) / 10
  return {
    totalMs: Math.round(total),
    functions: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 30)
      .map((f) => ({ ...f, selfMs: Math.round(f.selfMs), pct: pct(f.selfMs) })),
    modules: [...modules]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([module, ms]) => ({ module, selfMs: Math.round(ms), pct: pct(ms) })),
  }
}

/**
 * The samples that fell within the long delays, by the module of the function each sampled: what
 * held the event loop when it was late (a delay's samples start when its late timer should have fired).
 */
export function summariseDelays(profile: CpuProfile, delays: ProfiledDelays): DelaySummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const times: number[] = []
  let at = profile.startTime
  for (const delta of profile.timeDeltas) times.push((at += delta))
  const modules = new Map<string, number>()
  let sampledMs = 0
  const sorted = [...delays].sort((a, b) => a[0] - b[0])
  let i = 0
  for (const [end, lengthMs] of sorted) {
    const start = end - lengthMs * 1000
    while (i < times.length && (times[i] as number) < start) i++
    for (let k = i; k < times.length && (times[k] as number) <= end; k++) {
      const node = byId.get(profile.samples[k] as number)
      if (!node) continue
      const ms = (profile.timeDeltas[k + 1] ?? profile.timeDeltas[k] ?? 0) / 1000
      const module = moduleOf(node.callFrame.url, node.callFrame.functionName)
      modules.set(module, (modules.get(module) ?? 0) + ms)
      sampledMs += ms
    }
  }
  return {
    delays: delays.length,
    sampledMs: Math.round(sampledMs),
    modules: [...modules]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([module, ms]) => ({ module, ms: Math.round(ms), pct: Math.round((1000 * ms) / Math.max(1, sampledMs)) / 10 })),
  }
}

/** Sampled bytes per allocation site (the function that allocated), largest first. */
function summariseHeap(head: HeapNode): HeapSummary {
  const sites = new Map<string, { fn: string; where: string; bytes: number }>()
  let total = 0
  const stack: HeapNode[] = [head]
  for (let node = stack.pop(); node; node = stack.pop()) {
    stack.push(...node.children)
    if (node.selfSize === 0) continue
    total += node.selfSize
    const { fn, where } = site(node.callFrame)
    const entry = sites.get(`${fn}@${where}`) ?? { fn, where, bytes: 0 }
    entry.bytes += node.selfSize
    sites.set(`${fn}@${where}`, entry)
  }
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
  const largest = [...sites.values()].sort((a, b) => b.bytes - a.bytes).slice(0, 25)
  return { totalMb: mb(total), sites: largest.map((s) => ({ fn: s.fn, where: s.where, mb: mb(s.bytes) })) }
}

async function waitForFile(file: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!existsSync(file) && performance.now() < deadline) await sleep(100)
  return existsSync(file)
}

/** The heap profile the probe wrote at the end of the max-rate phase, summarised and printed; null if it never came. */
export async function readHeapProfile(file: string): Promise<HeapSummary | null> {
  if (!(await waitForFile(file, 60_000))) return null
  const summary = summariseHeap((JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }).head)
  log(`  heap (sampled, not yet collected) ${summary.totalMb} MB; largest allocation sites:`)
  for (const s of summary.sites.slice(0, 12)) log(`  ${String(s.mb).padStart(8)} MB  ${s.fn}  (${s.where})`)
  return summary
}

export interface ProfiledPhase {
  phase: string
  window: Window
  rate: number
  messages: number
  heap: HeapSummary | null
  processorEnv: Record<string, string>
}

/** Summarises the CPU profile the probe wrote, prints it, and saves it with the raw profile in bench/results. */
export async function writeCpuProfile(file: string, { phase, window, rate, messages, heap, processorEnv }: ProfiledPhase): Promise<void> {
  if (!(await waitForFile(file, 30_000))) throw new Error(`the processor wrote no CPU profile (${file})`)
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const summary = summariseProfile(profile)
  const delaysFile = `${file}.delays.json`
  const delays = existsSync(delaysFile) ? summariseDelays(profile, JSON.parse(readFileSync(delaysFile, 'utf8')) as ProfiledDelays) : null
  // Saved as .json so the results folder stays out of git; Chrome DevTools (Performance) and VS Code open it.
  copyFileSync(file, path.join(RESULTS_DIR, 'profile-latest.cpuprofile.json'))
  const out = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    phase,
    heap,
    messages,
    records_per_s_profiled: Math.round(rate),
    cpu_seconds: round(window.cpuSeconds),
    window_seconds: round(window.seconds),
    processor_env: processorEnv,
    ...summary,
    long_delays: delays,
  }
  writeFileSync(path.join(RESULTS_DIR, 'profile-latest.json'), `${JSON.stringify(out, null, 2)}\n`)
  printProfile(phase, summary, window)
  if (delays) printDelays(delays)
}

function printDelays(d: DelaySummary): void {
  log(`\n  event-loop delays of 50 ms or more while profiled: ${d.delays}; what the profile sampled during them (${d.sampledMs} ms):`)
  log('  share %   ms  module')
  for (const m of d.modules) log(`  ${m.pct.toFixed(1).padStart(7)} ${String(m.ms).padStart(5)}  ${m.module}`)
}

function printProfile(phase: string, summary: ProfileSummary, window: Window): void {
  log(
    `\nCPU profile of the ${phase} phase (${(summary.totalMs / 1000).toFixed(1)} s sampled; processor CPU ${window.cpuSeconds.toFixed(1)} s over ${window.seconds.toFixed(1)} s)`,
  )
  log('\n  self %   self ms  module')
  for (const m of summary.modules) log(`  ${m.pct.toFixed(1).padStart(6)} ${String(m.selfMs).padStart(9)}  ${m.module}`)
  log('\n  self %   self ms  function  (where)')
  for (const f of summary.functions) log(`  ${f.pct.toFixed(1).padStart(6)} ${String(f.selfMs).padStart(9)}  ${f.fn}  (${f.where})`)
  log(
    `\nwritten ${path.relative(REPO_ROOT, path.join(RESULTS_DIR, 'profile-latest.json'))} and profile-latest.cpuprofile.json (the raw profile)`,
  )
}
