// A broker's data directory: its layout, the ports it keeps across restarts, its configuration files
// and its formatted KRaft storage.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { log4j2Properties, serverProperties, type BrokerLogLevel } from './config.js'
import { freePort } from './network.js'
import { javaBin } from './paths.js'
import { runCommand } from './processes.js'

export interface BrokerDir {
  root: string
  /** Whether the harness created it (a temp dir), so it may delete it. */
  owned: boolean
  logsDir: string
  kafkaDataDir: string
  propsFile: string
  log4jFile: string
  /** The broker's log4j file. */
  serverLog: string
  /** The JVM's stdout and stderr: startup failures show up here. */
  stdoutLog: string
  /** The ports this directory's broker uses, kept for a restart on the same directory. */
  stateFile: string
}

export interface Ports {
  port: number
  controllerPort: number
}

/** The given directory, or a new temp dir; created with its subfolders. */
export function openBrokerDir(given: string | undefined): BrokerDir {
  const root = given ? resolve(given) : mkdtempSync(join(os.tmpdir(), 'kafka-broker-'))
  const dir: BrokerDir = {
    root,
    owned: !given,
    logsDir: join(root, 'logs'),
    kafkaDataDir: join(root, 'data'),
    propsFile: join(root, 'server.properties'),
    log4jFile: join(root, 'log4j2.properties'),
    serverLog: join(root, 'logs', 'server.log'),
    stdoutLog: join(root, 'logs', 'stdout.log'),
    stateFile: join(root, 'harness.json'),
  }
  mkdirSync(dir.logsDir, { recursive: true })
  mkdirSync(dir.kafkaDataDir, { recursive: true })
  return dir
}

/**
 * The ports asked for, else those a reused directory used before (the KRaft voter set stores the
 * controller endpoint, and clients may have cached the bootstrap address), else free ones.
 */
export async function choosePorts(dir: BrokerDir, wanted: Partial<Ports>): Promise<Ports> {
  let previous: Partial<Ports> = {}
  try {
    previous = JSON.parse(readFileSync(dir.stateFile, 'utf8')) as Partial<Ports>
  } catch {
    // a new directory
  }
  const port = wanted.port ?? previous.port ?? (await freePort())
  let controllerPort = wanted.controllerPort ?? previous.controllerPort ?? (await freePort())
  while (controllerPort === port) controllerPort = await freePort()
  return { port, controllerPort }
}

export function writeBrokerConfig(dir: BrokerDir, ports: Ports, logLevel: BrokerLogLevel, extra: Record<string, string>): void {
  writeFileSync(dir.propsFile, serverProperties({ ...ports, logDirs: dir.kafkaDataDir, extra }))
  writeFileSync(dir.log4jFile, log4j2Properties(dir.serverLog, logLevel))
  writeFileSync(dir.stateFile, `${JSON.stringify(ports)}\n`)
}

/** JVM options every Kafka tool run on this directory takes. */
export function commonJvmOptions(dir: BrokerDir, libs: string): string[] {
  return [
    `-Dlog4j2.configurationFile=${dir.log4jFile}`,
    `-Dkafka.logs.dir=${dir.logsDir}`,
    '-Djava.awt.headless=true',
    `-Djava.io.tmpdir=${os.tmpdir()}`,
    '-cp',
    `${libs}/*`,
  ]
}

/**
 * A random cluster id in Kafka's Uuid text form (16 bytes, base64url). Like Kafka's own
 * Uuid.randomUuid, never one that starts with '-': the storage tool would read it as an option
 * ("argument --cluster-id/-t: expected one argument"), which failed one start in 64.
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

/** Formats the KRaft storage and returns the new cluster id; null for a reused directory, formatted already. */
export async function formatStorage(dir: BrokerDir, libs: string): Promise<string | null> {
  if (existsSync(join(dir.kafkaDataDir, 'meta.properties'))) return null
  const clusterId = randomClusterId()
  const args = [
    '-Xmx256m',
    '-XX:TieredStopAtLevel=1',
    ...commonJvmOptions(dir, libs),
    'kafka.tools.StorageTool',
    'format',
    '--standalone',
    '-t',
    clusterId,
    '-c',
    dir.propsFile,
  ]
  const { code, out } = await runCommand(javaBin(), args)
  if (code !== 0) throw new Error(`kafka storage format failed (exit ${code}):\n${out.slice(-4000)}`)
  return clusterId
}
