/**
 * `npm run docs`: writes the contract pages of docs/contract/ from the code that implements them
 * (event schemas, migrations, metric catalogue, alert rules), so the documentation cannot drift from
 * what the processor does. test/unit/docs/contract.test.ts fails while a committed page is stale.
 * `--check` only reports stale pages (exit 1) and writes nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { contractDocs } from './docs/index.js'
import { root } from './docs/template.js'

const check = process.argv.includes('--check')
let stale = 0
for (const [file, text] of Object.entries(await contractDocs())) {
  const target = path.join(root, file)
  let current: string | null = null
  try {
    current = readFileSync(target, 'utf8')
  } catch {
    // not written yet
  }
  if (current === text) continue
  stale++
  if (check) process.stdout.write(`stale: ${file}\n`)
  else {
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, text)
    process.stdout.write(`wrote ${file}\n`)
  }
}
if (check && stale > 0) process.exit(1)
