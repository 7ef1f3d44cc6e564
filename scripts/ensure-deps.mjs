#!/usr/bin/env node
// Installs the npm dependencies when they are missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone with nothing installed by hand. `npm ci` installs
// exactly the committed lockfile and never rewrites it. No dependencies.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const marker = `${root}node_modules/.package-lock.json`
const lock = `${root}package-lock.json`
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs
if (stale) {
  process.stderr.write('abuse-radar: installing npm dependencies (npm ci)...\n')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
}
