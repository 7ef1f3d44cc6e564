// The broker's jars, resolved by Maven from Maven Central (scripts/kafka/pom.xml) into <repo>/.kafka/libs
// once, and again only when the pom changes: a marker file in the folder holds the pom's sha256.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HARNESS_DIR, LIBS_DIR, POM } from './paths.js'
import { debugLog, pidAlive, runCommand, sleep } from './processes.js'

const MARKER = '.complete'
/** Jars without which the broker cannot start: a Maven run that did not copy them failed. */
const REQUIRED_JARS = ['kafka_2.13-', 'kafka-tools-', 'log4j-core-']
const LOCK_DIR = join(HARNESS_DIR, 'libs.lock')
const LOCK_WAIT_MS = 15 * 60_000

/** The Kafka version pinned in pom.xml (e.g. "4.1.2"). */
export function kafkaVersion(): string {
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'))?.[1] ?? 'unknown'
}

const pomDigest = () => createHash('sha256').update(readFileSync(POM)).digest('hex')

function libsComplete(digest: string): boolean {
  try {
    return readFileSync(join(LIBS_DIR, MARKER), 'utf8').trim() === digest
  } catch {
    return false
  }
}

let jarsPromise: Promise<string> | null = null

/**
 * Makes sure the broker jars are in <repo>/.kafka/libs and returns that folder. Safe for concurrent
 * callers: memoized within a process, a lock folder across processes (parallel test files run Maven once).
 */
export function ensureKafkaJars(): Promise<string> {
  jarsPromise ??= fetchJars().catch((error: unknown) => {
    jarsPromise = null
    throw error
  })
  return jarsPromise
}

async function fetchJars(): Promise<string> {
  const digest = pomDigest()
  if (libsComplete(digest)) return LIBS_DIR
  mkdirSync(HARNESS_DIR, { recursive: true })
  return withFetchLock(() => (libsComplete(digest) ? LIBS_DIR : fetchJarsLocked(digest)))
}

/** A lock folder holding its owner's pid; a lock whose owner died is taken over. */
async function withFetchLock<T>(fn: () => Promise<T> | T): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK_DIR}`)
    await sleep(300)
  }
  try {
    return await fn()
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true })
  }
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK_DIR)
    writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  let owner = Number.NaN
  try {
    owner = Number.parseInt(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'), 10)
  } catch {
    // the owner has not written its pid yet
  }
  if (Number.isFinite(owner) && !pidAlive(owner)) rmSync(LOCK_DIR, { recursive: true, force: true })
  return false
}

/** Maven copies into a private folder that is then renamed into place: readers never see half a folder. */
async function fetchJarsLocked(digest: string): Promise<string> {
  const staging = `${LIBS_DIR}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  const started = Date.now()
  debugLog(`fetching Kafka ${kafkaVersion()} jars with maven into ${LIBS_DIR}`)
  try {
    const jars = await mavenCopyDependencies(staging)
    writeFileSync(join(staging, MARKER), `${digest}\n`)
    moveIntoPlace(staging, digest)
    debugLog(`jars ready in ${Date.now() - started} ms (${jars.length} jars)`)
    return LIBS_DIR
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

async function mavenCopyDependencies(outputDir: string): Promise<string[]> {
  const mvn = process.env.MVN || 'mvn'
  const args = ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outputDir}`]
  const { code, out } = await runCommand(mvn, args)
  if (code !== 0) throw new Error(`maven failed to fetch the Kafka jars (exit ${code}):\n${out.slice(-4000)}`)
  const jars = readdirSync(outputDir).filter((f) => f.endsWith('.jar'))
  for (const needed of REQUIRED_JARS) {
    if (!jars.some((jar) => jar.startsWith(needed))) throw new Error(`maven copied no ${needed}*.jar into ${outputDir}`)
  }
  return jars
}

function moveIntoPlace(staging: string, digest: string): void {
  try {
    renameSync(staging, LIBS_DIR)
  } catch {
    // Another process won the race with the same pom: its folder is as good as ours.
    if (libsComplete(digest)) return
    // A stale or incomplete folder from another pom: move it away, then put ours in place.
    const stale = `${LIBS_DIR}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
    if (existsSync(LIBS_DIR)) renameSync(LIBS_DIR, stale)
    renameSync(staging, LIBS_DIR)
    rmSync(stale, { recursive: true, force: true })
  }
}
