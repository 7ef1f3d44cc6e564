// The processor the benchmark measures is the compiled build, as the image runs it (../compile.ts).
// It is built at dist/'s depth (.bench-build/main.js) so that the config and fixture paths resolve
// alike. `--from-sources` measures the TypeScript sources through tsx, as every run before session 9 did.
import path from 'node:path'
import { BUILD_DIR, compile, REPO_ROOT } from '../compile.js'

const SOURCES_CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')

/** The CLI entry point to measure: the sources through tsx, or a fresh compiled build of them. */
export function processorCli(fromSources: boolean): string {
  if (fromSources) return SOURCES_CLI
  compile('tsconfig.build.json', BUILD_DIR)
  return path.join(BUILD_DIR, 'main.js')
}
