// The command-line tools some tests need, installed on demand (see ./tools/catalog.ts for where each
// comes from) and returned as paths. Safe to call from many test processes at once: every install runs
// under one machine-wide lock, and a tool found once the lock is taken is not installed again.
//
//   npx tsx scripts/install-tools.ts kubectl promtool ...   prints one path per tool
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { TOOLS, type ToolName } from './tools/catalog.js'
import { withInstallLock } from './tools/lock.js'
import { log } from './tools/shell.js'

export type { ToolName }

/**
 * The path of a tool's binary, installing it first when it is missing. Idempotent; concurrent calls
 * (from this process or others) install at most once.
 */
export async function ensureTool(name: ToolName): Promise<string> {
  const tool = TOOLS[name]
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
export async function kustomizeCommand(): Promise<[string, 'kustomize' | 'build']> {
  try {
    return [await ensureTool('kubectl'), 'kustomize']
  } catch (error) {
    log(`${(error as Error).message}; using the kustomize CLI instead`)
    return [await ensureTool('kustomize'), 'build']
  }
}

function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOLS, name)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2)
  if (names.length === 0 || !names.every(isToolName)) {
    process.stderr.write(`usage: npx tsx scripts/install-tools.ts ${Object.keys(TOOLS).join('|')} ...\n`)
    process.exit(2)
  }
  for (const name of names) process.stdout.write(`${await ensureTool(name)}\n`)
}
