#!/usr/bin/env node
// `npm test`: typecheck, then every test file with node's test runner. Integration tests get a real
// Kafka broker (scripts/kafka/broker.mjs, jars cached in .kafka/) started once here and passed to them
// as TEST_KAFKA_BROKERS; it is stopped at the end whatever happens. `--unit` runs the unit tests only.
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const unitOnly = process.argv.includes('--unit')
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const started = Date.now()

const list = (dir) =>
  readdirSync(path.join(root, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))

function step(title) {
  process.stdout.write(`\n=== ${title} (${Math.round((Date.now() - started) / 1000)} s)\n`)
}

step('typecheck')
const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: root, stdio: 'inherit' })
if (tsc.status !== 0) process.exit(tsc.status ?? 1)

const totals = { pass: 0, fail: 0, skipped: 0 }
/** Runs node's test runner on files, echoing its output and adding its summary to the totals. */
function runTests(files, concurrency, env) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      process.stdout.write(chunk)
    })
    child.on('close', (code) => {
      const count = (name) => Number(out.match(new RegExp(`ℹ ${name} (\\d+)`))?.[1] ?? 0)
      totals.pass += count('pass')
      totals.fail += count('fail') + (code !== 0 && count('fail') === 0 ? 1 : 0)
      totals.skipped += count('skipped')
      resolve(code)
    })
  })
}

const unit = list('test/unit')
if (unit.length > 0) {
  step(`unit tests (${unit.length} files)`)
  await runTests(unit, 2, {})
}

const integration = unitOnly ? [] : list('test/integration')
let broker = null
if (integration.length > 0) {
  step('starting a real Kafka broker')
  const { startBroker } = await import('./kafka/broker.mjs')
  broker = await startBroker({ log: true })
  const stop = () => broker?.stop()
  process.on('SIGINT', () => stop().finally(() => process.exit(130)))
  process.on('SIGTERM', () => stop().finally(() => process.exit(143)))
  try {
    step(`integration tests (${integration.length} files, broker ${broker.brokers.join(',')})`)
    await runTests(integration, 1, { TEST_KAFKA_BROKERS: broker.brokers.join(',') })
  } finally {
    await broker.stop()
  }
}

step('done')
process.stdout.write(`${totals.pass} passed, ${totals.fail} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`)
process.exit(totals.fail > 0 ? 1 : 0)
