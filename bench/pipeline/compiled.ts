// The processor the benchmark measures is the compiled build, as the image runs it (Dockerfile:
// `npm run build`, then dist/). The TypeScript sources through tsx (`--from-sources`, what every
// run before session 9 measured) cost more CPU per message: tsx's module output is slower in the hot
// loops (bench/README.md, session 9). The build goes to .bench-build/, at dist/'s depth so that the
// config and fixture paths resolve alike, and never to dist/: bin/abuse-radar.js prefers a dist/
// it finds to the sources, so a benchmark would leave tests and the demo running stale code.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { REPO_ROOT } from '../../test/support/harness.js'

const SOURCES_CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const BUILD_DIR = path.join(REPO_ROOT, '.bench-build')

/** The CLI entry point to measure: the sources through tsx, or a fresh compiled build of them. */
export function processorCli(fromSources: boolean): string {
  if (fromSources) return SOURCES_CLI
  rmSync(BUILD_DIR, { recursive: true, force: true })
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR], { cwd: REPO_ROOT, stdio: 'inherit' })
  return path.join(BUILD_DIR, 'main.js')
}
