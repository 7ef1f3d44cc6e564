// The benchmarks measure the compiled build, as the image runs it (Dockerfile: `npm run build`, then
// dist/): tsx's module output is slower in the hot loops of the normalizer (bench/README.md, session
// 9), so figures from the sources understate what runs in production. Builds go under .bench-build/
// (git-ignored, excluded from lint), never to dist/: bin/abuse-radar.js prefers a dist/ it finds to
// the sources, so a benchmark would leave tests and the demo running stale code. `--from-sources`
// measures through tsx instead.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BUILD_DIR = path.join(REPO_ROOT, '.bench-build')
/** Where tsconfig.bench.json compiles the benchmark modules and the sources they import. */
const BENCH_MODULES_DIR = path.join(BUILD_DIR, 'modules')

/** A fresh tsc build of `project` (a tsconfig file of the repository) into `outDir`. */
export function compile(project: string, outDir?: string): void {
  rmSync(outDir ?? BENCH_MODULES_DIR, { recursive: true, force: true })
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const args = [tsc, '-p', project, ...(outDir === undefined ? [] : ['--outDir', outDir])]
  execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' })
}

/** 'compiled' or 'sources': what the module at `moduleUrl` runs as. */
export function buildOf(moduleUrl: string | URL): 'compiled' | 'sources' {
  return String(moduleUrl).endsWith('.ts') ? 'sources' : 'compiled'
}

/**
 * The benchmark modules of tsconfig.bench.json compiled with the sources they import into
 * .bench-build/modules/ (a run of `npm run bench` rebuilds .bench-build/, so do not run two benchmarks
 * at once); returns the compiled file of the module at `moduleUrl`. The build is one level deeper
 * than the repository, so the files the sources and benchmarks read beside them (config/, the
 * labelled set in test/fixtures/) are linked into it.
 */
export function compiledBenchModule(moduleUrl: URL): URL {
  compile('tsconfig.bench.json')
  mkdirSync(path.join(BENCH_MODULES_DIR, 'test'), { recursive: true })
  symlinkSync(path.join(REPO_ROOT, 'config'), path.join(BENCH_MODULES_DIR, 'config'))
  symlinkSync(path.join(REPO_ROOT, 'test', 'fixtures'), path.join(BENCH_MODULES_DIR, 'test', 'fixtures'))
  const relative = path.relative(REPO_ROOT, fileURLToPath(moduleUrl)).replace(/\.ts$/, '.js')
  return new URL(`file://${path.join(BENCH_MODULES_DIR, relative)}`)
}

/**
 * For a micro-benchmark's entry point: runs its compiled build in a child process with the same
 * arguments and returns true once it has ended (its exit code becomes this process's); returns false
 * when this process should measure: it is the compiled build, or `--from-sources` was given.
 */
export function ranCompiled(moduleUrl: string): boolean {
  if (buildOf(moduleUrl) === 'compiled' || process.argv.includes('--from-sources')) return false
  const compiled = fileURLToPath(compiledBenchModule(new URL(moduleUrl)))
  const child = spawnSync(process.execPath, [compiled, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exitCode = child.status ?? 1
  return true
}
