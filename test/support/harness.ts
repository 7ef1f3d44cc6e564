/**
 * Integration-test harness: the processor as a real child process (so it can be SIGKILLed), a
 * producer, waiting for the group to catch up, and queries through the CLI (the embedded engine
 * allows one process per data directory, so tests read after the processor stopped).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after } from 'node:test'
import { promisify } from 'node:util'
import { Kafka, logLevel } from 'kafkajs'
import { KafkaWriter } from '../../src/sources/kafka/producer.js'
import { TEST_PSEUDONYM_KEY } from './oracle.js'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const run = promisify(execFile)

export function testBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS
  if (!brokers) throw new Error('TEST_KAFKA_BROKERS is not set: run integration tests through `npm test`')
  return brokers.split(',')
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `abuse-radar-${prefix}-`))
}

export interface TestTopics {
  messages: string
  moderation: string
  reports: string
}

export function uniqueTopics(name: string): TestTopics {
  const suffix = `${name}-${process.pid}-${Date.now().toString(36)}`
  return { messages: `msg-${suffix}`, moderation: `mod-${suffix}`, reports: `rep-${suffix}` }
}

/** Environment that points a processor at the test broker, topics, group and data directory. */
export function processorEnv(
  brokers: string[],
  topics: TestTopics,
  group: string,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers.join(','),
    ABUSE_RADAR_DATA_DIR: dataDir,
    ABUSE_RADAR__KAFKA__TOPICS__MESSAGES: topics.messages,
    ABUSE_RADAR__KAFKA__TOPICS__MODERATION: topics.moderation,
    ABUSE_RADAR__KAFKA__TOPICS__REPORTS: topics.reports,
    // one exchange per test: instances of another test's group must not share campaigns with this one
    ABUSE_RADAR__KAFKA__TOPICS__CAMPAIGN_EXCHANGE: `xch-${topics.messages}`,
    ABUSE_RADAR__KAFKA__GROUP_ID: group,
    ABUSE_RADAR__KAFKA__SESSION_TIMEOUT_MS: '10000',
    ABUSE_RADAR__KAFKA__HEARTBEAT_INTERVAL_MS: '1000',
    ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
    // TEST_PROCESSOR_LOG_LEVEL=info with TEST_PROCESSOR_LOG_DIR keeps every processor's whole log, to diagnose a failure
    ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: process.env.TEST_PROCESSOR_LOG_LEVEL ?? 'warn',
    ABUSE_RADAR__PIPELINE__FLUSH_INTERVAL_MS: '300',
    ABUSE_RADAR__PIPELINE__FLUSH_MAX_INTERVAL_MS: '900',
    ABUSE_RADAR_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY,
    ...extra,
  }
}

export interface ProcessorProcess {
  child: ChildProcess
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Processors spawned by this test file and still running. A test that fails between spawning one and
 * stopping it would leave it running, and a test file's process does not exit while a child is
 * attached: the whole suite would wait on it. After the file's tests, whatever is left is killed.
 * (Only under the test runner: the benchmark spawns processors through this module too.)
 */
const liveProcessors = new Set<ChildProcess>()
if (process.env.NODE_TEST_CONTEXT !== undefined) {
  after(() => {
    for (const child of liveProcessors) child.kill('SIGKILL')
  })
}

/** Spawns `abuse-radar ARGS` (`cli`: another entry point of the same CLI, e.g. the benchmark's compiled build). */
export function spawnProcessor(env: Record<string, string>, args: string[] = ['run'], cli: string = CLI): ProcessorProcess {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  liveProcessors.add(child)
  child.on('exit', () => liveProcessors.delete(child))
  let err = ''
  const logDir = process.env.TEST_PROCESSOR_LOG_DIR
  const log = logDir ? createWriteStream(path.join(logDir, `processor-${Date.now()}-${child.pid}.log`)) : null
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-20_000)
    log?.write(chunk)
  })
  if (log) child.stdout?.pipe(log, { end: false })
  else child.stdout?.resume()
  // 'close', not 'exit': the pipes may still hold output when the process has exited
  child.on('close', () => log?.end())
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, stderr: () => err, exited }
}

export interface OutgoingRecord {
  topic: string
  key: string | null
  value: Buffer
}

/** Produces records in order, in batches, keyed (or not) as given. */
export async function produceAll(brokers: string[], records: readonly OutgoingRecord[], batchSize = 2000): Promise<void> {
  const writer = new KafkaWriter({ brokers, clientId: 'test-producer', partitions: 6 })
  await writer.connect([...new Set(records.map((r) => r.topic))])
  try {
    for (let i = 0; i < records.length; i += batchSize) await writer.send(records.slice(i, i + batchSize))
  } finally {
    await writer.close()
  }
}

/** Records not yet covered by the group's committed offsets, over all partitions of the topics. */
export async function recordsBehind(brokers: string[], group: string, topics: string[]): Promise<number> {
  const kafka = new Kafka({ clientId: 'test-admin', brokers, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  try {
    let behind = 0
    for (const topic of topics) {
      const highs = await admin.fetchTopicOffsets(topic)
      const committed = (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]?.partitions ?? []
      for (const h of highs) {
        const c = committed.find((p) => p.partition === h.partition)
        behind += Math.max(0, Number(h.high) - (c && Number(c.offset) >= 0 ? Number(c.offset) : 0))
      }
    }
    return behind
  } finally {
    await admin.disconnect()
  }
}

/** Each partition of `topic` and its high watermark (the offset of the next record produced), by partition. */
export async function partitionEnds(brokers: string[], topic: string): Promise<{ partition: number; offset: number }[]> {
  const kafka = new Kafka({ clientId: 'test-admin', brokers, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  try {
    const highs = await admin.fetchTopicOffsets(topic)
    return highs.map((h) => ({ partition: h.partition, offset: Number(h.high) })).sort((a, b) => a.partition - b.partition)
  } finally {
    await admin.disconnect()
  }
}

/** Waits until the group's committed offsets reach the topics' high watermarks. */
export async function waitForCatchUp(brokers: string[], group: string, topics: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const behind = await recordsBehind(brokers, group, topics).catch(() => Number.NaN)
    if (behind === 0) return
    if (Date.now() > deadline) throw new Error(`group ${group} still ${behind} records behind after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Runs a query through the CLI against a data directory (the processor must not be running on it). */
export async function query<T = Record<string, unknown>>(dataDir: string, sql: string): Promise<T[]> {
  const { stdout } = await run(process.execPath, [CLI, 'sql', sql, '--format', 'json', '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, ABUSE_RADAR_DATA_DIR: dataDir },
    maxBuffer: 256 * 1024 * 1024,
  })
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `condition` holds, checking every 50 ms; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

/**
 * `abuse-radar run --input <input> --data-dir <dataDir>` with the embedded engine, `stdin` written to
 * its standard input (a pipe); resolves with its exit code, its JSON summary (stdout) and its stderr.
 */
export function replayWithCli(
  input: string,
  dataDir: string,
  stdin = '',
): Promise<{ code: number | null; summary: Record<string, unknown>; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'run', '--input', input, '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ABUSE_RADAR_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY,
      ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
      ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin.end(stdin)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr, summary: stdout ? (JSON.parse(stdout) as Record<string, unknown>) : {} })),
  )
}

/** Stops a processor gracefully and waits; fails with its stderr if it did not exit cleanly. */
export async function stopProcessor(p: ProcessorProcess): Promise<void> {
  p.child.kill('SIGTERM')
  const { code, signal } = await p.exited
  if (code !== 0) throw new Error(`processor exited with ${code ?? signal}:\n${p.stderr()}`)
}

/** The value of one metric series from a processor's /metrics (sum over label sets matching `labels`). */
/**
 * Polls a processor's metric until it reaches `atLeast` or `timeoutMs` passes; returns the last value
 * (0 while the endpoint is not up yet), for the caller to assert on with its own message.
 */
export async function waitForMetric(port: number, name: string, atLeast: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let value = 0
  while (value < atLeast && Date.now() < deadline) {
    await sleep(100)
    value = await scrapeMetric(port, name).catch(() => 0)
  }
  return value
}

export async function scrapeMetric(port: number, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  let total = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const set = match[2] ?? ''
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) total += Number(match[3])
  }
  return total
}

/**
 * How many partitions a processor holds back alone because their writes fail: the series of
 * `abuse_sink_failing_seconds` (a partition is paused at the same moment it starts failing). Read
 * from the metrics, not the log: the log kept of a processor is only its tail, and a long outage's
 * retry warnings push the pause lines out of it.
 */
export async function partitionsFailingToWrite(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const series = [...text.matchAll(/^abuse_sink_failing_seconds\{[^}]*\} /gm)]
  return series.length
}
