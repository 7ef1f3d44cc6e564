// `npm test`: lint, typecheck, then every test file with node's test runner. Integration tests get a
// real Kafka broker (scripts/kafka/, jars cached in .kafka/) started once here and passed to them as
// TEST_KAFKA_BROKERS; it is stopped at the end whatever happens.
//
//   tsx scripts/test.ts [--unit] [NAME ...]   --unit: unit tests only; NAME: only the test files whose path contains it
//
// The whole suite (no NAME) lints first and fails on any finding; a run of named files skips the lint
// step, so a developer can iterate on one test without paying for it.
//
// Everything the run writes to the temporary directory (the broker's logs, the tests' data
// directories and the processors they start, a killed test's leftovers) goes under one directory of
// its own, TMPDIR for this process and its children, removed at the end: runs left about 1.5 GB each
// in /tmp before.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startBroker } from './kafka/broker.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const started = Date.now()
const RUN_TMPDIR = mkdtempSync(path.join(tmpdir(), 'abuse-radar-test-'))
process.env.TMPDIR = RUN_TMPDIR
/** Ten minutes: the longest test (ten SIGKILLs of a processor) takes about two on a quiet machine. */
const TEST_TIMEOUT_MS = 600_000

interface Totals {
  pass: number
  fail: number
  skipped: number
}

/** The test files under `dir`, sorted, keeping those whose path contains one of `only` (all when empty). */
function testFiles(dir: string, only: string[]): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.test.ts'))
    .sort()
    .map((file) => path.join(dir, file))
    .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
}

function step(title: string): void {
  process.stdout.write(`\n=== ${title} (${Math.round((Date.now() - started) / 1000)} s)\n`)
}

/** Runs a command to its end with inherited output; exits with its status when it fails. */
function mustPass(title: string, command: string, args: string[]): void {
  step(title)
  const { status } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' })
  if (status !== 0) exitRemovingTemporaryFiles(status ?? 1)
}

/** Runs node's test runner on files, echoing its output and adding its summary to the totals. */
function runTests(files: string[], concurrency: number, env: Record<string, string>, totals: Totals): Promise<void> {
  // A test that hangs fails after TEST_TIMEOUT_MS instead of holding the suite (and CI) until it is killed.
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    '--test-reporter=spec',
    ...files,
  ]
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    process.stdout.write(chunk)
  })
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const count = (name: string) => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(out)?.[1] ?? 0)
      totals.pass += count('pass')
      // A runner that failed without a failing test (a crash, a file that does not load) counts as one failure.
      totals.fail += count('fail') + (code !== 0 && count('fail') === 0 ? 1 : 0)
      totals.skipped += count('skipped')
      resolve()
    })
  })
}

/** Runs the integration tests against one broker, stopped afterwards whatever happens (Ctrl-C included). */
async function runWithBroker(files: string[], totals: Totals): Promise<void> {
  step('starting a real Kafka broker')
  const broker = await startBroker({ log: true })
  const stopThenExit = (code: number) => () => void broker.stop().finally(() => exitRemovingTemporaryFiles(code))
  process.on('SIGINT', stopThenExit(130))
  process.on('SIGTERM', stopThenExit(143))
  try {
    step(`integration tests (${files.length} files, broker ${broker.brokers.join(',')})`)
    // Two files at a time: the longest files mostly wait (a ClickHouse outage, a broker down, a
    // merge's interval), and every test names its own topics, group and data directory. It takes the
    // suite from 18-21 to 13-14 minutes on two cores.
    await runTests(files, 2, { TEST_KAFKA_BROKERS: broker.brokers.join(',') }, totals)
  } finally {
    await broker.stop()
  }
}

async function main(argv: string[]): Promise<number> {
  const only = argv.filter((arg) => !arg.startsWith('--'))
  if (only.length === 0) mustPass('lint', 'npm', ['run', '--silent', 'lint'])
  mustPass('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.'])
  const totals: Totals = { pass: 0, fail: 0, skipped: 0 }
  const unit = testFiles('test/unit', only)
  if (unit.length > 0) {
    step(`unit tests (${unit.length} files)`)
    await runTests(unit, 2, {}, totals)
  }
  const integration = argv.includes('--unit') ? [] : testFiles('test/integration', only)
  if (integration.length > 0) await runWithBroker(integration, totals)
  step('done')
  process.stdout.write(`${totals.pass} passed, ${totals.fail} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`)
  return totals.fail > 0 ? 1 : 0
}

function exitRemovingTemporaryFiles(code: number): never {
  rmSync(RUN_TMPDIR, { recursive: true, force: true })
  process.exit(code)
}

exitRemovingTemporaryFiles(await main(process.argv.slice(2)))
