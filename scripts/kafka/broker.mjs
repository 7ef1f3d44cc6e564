#!/usr/bin/env node
// Real Apache Kafka 4.x broker harness (single node, KRaft, broker+controller in one JVM), run from
// the jars Maven Central serves. No Docker. Used by integration tests, fault tests and benchmarks.
//
// Programmatic API (types in ./broker.d.mts):
//   ensureKafkaJars()               -> libs dir (runs maven once; cached in <repo>/.kafka/libs)
//   startBroker({ port, ... })      -> { brokers, port, dataDir, pid, stop, kill, restart, down, up }
//
// CLI:
//   node scripts/kafka/broker.mjs fetch
//   node scripts/kafka/broker.mjs start [--port 9092] [--controller-port N] [--data-dir DIR] [--foreground] [--keep-data]
//   node scripts/kafka/broker.mjs stop
//   node scripts/kafka/broker.mjs status
//
// Environment:
//   KAFKA_HARNESS_DIR   cache/state dir (default <repo>/.kafka): libs/, broker.pid, broker.json
//   KAFKA_LOG_LEVEL     broker log4j root level (default WARN), logged to <dataDir>/logs/server.log
//   KAFKA_HEAP          JVM heap for -Xms/-Xmx (default 512m)
//   KAFKA_HARNESS_DEBUG=1  print harness progress on stderr
//   MVN, JAVA_HOME      maven binary / JDK to use (default: `mvn` and `java` on PATH)
//
// Only ever binds 127.0.0.1.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const HARNESS_DIR = process.env.KAFKA_HARNESS_DIR
  ? resolve(process.env.KAFKA_HARNESS_DIR)
  : join(REPO_ROOT, '.kafka');
const POM = join(HERE, 'pom.xml');
const LIBS = join(HARNESS_DIR, 'libs');
const MARKER = '.complete';
const PID_FILE = join(HARNESS_DIR, 'broker.pid');
const STATE_FILE = join(HARNESS_DIR, 'broker.json');
const HOST = '127.0.0.1';
const STOP_GRACE_MS = 15_000;

const debugLog = process.env.KAFKA_HARNESS_DEBUG === '1' ? (m) => console.error(`[kafka-harness] ${m}`) : () => {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Awaits a promise while keeping the event loop alive (the JVM child handle is unref'd). */
async function holdOpen(promise) {
  const iv = setInterval(() => {}, 1000);
  try {
    return await promise;
  } finally {
    clearInterval(iv);
  }
}

function javaBin() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

// ---------------------------------------------------------------------------------------------
// Jars
// ---------------------------------------------------------------------------------------------

function pomDigest() {
  return createHash('sha256').update(readFileSync(POM)).digest('hex');
}

function libsComplete(dir, digest) {
  try {
    return readFileSync(join(dir, MARKER), 'utf8').trim() === digest;
  } catch {
    return false;
  }
}

/** Kafka version pinned in pom.xml (e.g. "4.1.2"). */
export function kafkaVersion() {
  const m = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  return m ? m[1] : 'unknown';
}

function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) => reject(new Error(`${cmd} could not be started: ${err.message}`)));
    child.on('close', (code, signal) => resolvePromise({ code, signal, out }));
  });
}

let jarsPromise = null;

/**
 * Makes sure the broker jars are in <repo>/.kafka/libs, running maven only when that folder is
 * missing or was filled from another pom.xml (the marker file holds the pom's sha256).
 * Safe against concurrent callers (in-process: memoized; across processes: atomic rename).
 * @returns {Promise<string>} the libs dir
 */
export function ensureKafkaJars() {
  jarsPromise ??= fetchJars().catch((err) => {
    jarsPromise = null;
    throw err;
  });
  return jarsPromise;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Cross-process lock (a directory holding the owner's pid), so parallel test files run maven once. */
async function withFetchLock(fn) {
  const lockDir = join(HARNESS_DIR, 'libs.lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number.parseInt(readFileSync(join(lockDir, 'pid'), 'utf8'), 10);
      } catch {}
      if (Number.isFinite(owner) && !pidAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true }); // stale lock of a dead process
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      await sleep(300);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

async function fetchJars() {
  const digest = pomDigest();
  if (libsComplete(LIBS, digest)) return LIBS;
  mkdirSync(HARNESS_DIR, { recursive: true });
  return withFetchLock(() => (libsComplete(LIBS, digest) ? LIBS : fetchJarsLocked(digest)));
}

async function fetchJarsLocked(digest) {
  const tmp = `${LIBS}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const started = Date.now();
  debugLog(`fetching Kafka ${kafkaVersion()} jars with maven into ${LIBS}`);
  try {
    const mvn = process.env.MVN || 'mvn';
    const { code, out } = await run(mvn, [
      '-q',
      '-B',
      '-f',
      POM,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${tmp}`,
    ]);
    if (code !== 0) throw new Error(`maven failed to fetch the Kafka jars (exit ${code}):\n${out.slice(-4000)}`);
    const jars = readdirSync(tmp).filter((f) => f.endsWith('.jar'));
    for (const needed of ['kafka_2.13-', 'kafka-tools-', 'log4j-core-']) {
      if (!jars.some((j) => j.startsWith(needed))) throw new Error(`maven copied no ${needed}*.jar into ${tmp}`);
    }
    writeFileSync(join(tmp, MARKER), `${digest}\n`);
    try {
      renameSync(tmp, LIBS);
    } catch (err) {
      if (libsComplete(LIBS, digest)) {
        // another process won the race with the same pom
        rmSync(tmp, { recursive: true, force: true });
      } else {
        // stale or incomplete libs dir: move it away, then put ours in place
        const stale = `${LIBS}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
        if (existsSync(LIBS)) renameSync(LIBS, stale);
        renameSync(tmp, LIBS);
        rmSync(stale, { recursive: true, force: true });
      }
    }
    debugLog(`jars ready in ${Date.now() - started} ms (${jars.length} jars)`);
    return LIBS;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Ports and readiness
// ---------------------------------------------------------------------------------------------

/** A currently free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      srv.close(() => resolvePromise(addr.port));
    });
  });
}

function canConnect(port, timeoutMs = 1000) {
  return new Promise((resolvePromise) => {
    const sock = net.connect({ host: HOST, port });
    const done = (ok) => {
      sock.destroy();
      resolvePromise(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

let kafkajsPromise = null;
/** kafkajs, loaded from the repo's node_modules (it is a dependency of the project). */
export function loadKafkajs() {
  kafkajsPromise ??= (async () => {
    const require = createRequire(join(REPO_ROOT, 'package.json'));
    const mod = await import(pathToFileURL(require.resolve('kafkajs')).href);
    return mod.default ?? mod;
  })();
  return kafkajsPromise;
}

async function answersMetadata(port) {
  const { Kafka, logLevel } = await loadKafkajs();
  const kafka = new Kafka({
    clientId: 'kafka-harness-probe',
    brokers: [`${HOST}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.some((b) => b.port === port) && cluster.controller !== null && cluster.controller !== -1;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Config files
// ---------------------------------------------------------------------------------------------

function serverProperties({ port, controllerPort, logDirs, extra }) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.bootstrap.servers': `${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDirs,
    'num.partitions': '6',
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': '1',
    // 50 by default; fewer makes the first group coordinator lookup faster on 2 cores
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '10',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'num.network.threads': '2',
    'num.io.threads': '4',
    'num.recovery.threads.per.data.dir': '1',
    ...extra,
  };
  return (
    '# written by scripts/kafka/broker.mjs\n' +
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') +
    '\n'
  );
}

function log4j2Properties(logFile, level) {
  return [
    '# written by scripts/kafka/broker.mjs',
    'status = error',
    'name = kafka-harness',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${logFile}`,
    'appender.file.append = true',
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.file.ref = FILE',
    '',
  ].join('\n');
}

function tail(file, max = 3000) {
  try {
    const s = readFileSync(file, 'utf8');
    return s.length > max ? s.slice(-max) : s;
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Process registry: no broker outlives its parent
// ---------------------------------------------------------------------------------------------

/** @type {Set<{ killNow(): void }>} */
const live = new Set();
let handlersInstalled = false;

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const b of [...live]) b.killNow();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      // If the application has its own handler for this signal, let it decide (the 'exit'
      // handler above still kills the brokers when the process does exit).
      if (process.listenerCount(sig) > 1) return;
      for (const b of [...live]) b.killNow();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * Spawns a tiny `sh` that waits for EOF on a pipe from this process and then SIGKILLs the JVM:
 * covers the parent dying by SIGKILL or a crash, where no JS exit handler runs. Also removes the
 * temp data dir then, when that is ours to remove.
 */
function spawnWatchdog(javaPid, removeDir) {
  try {
    const script = 'read _unused; kill -9 "$0" 2>/dev/null; if [ -n "$1" ]; then sleep 1; rm -rf "$1"; fi';
    const wd = spawn('sh', ['-c', script, String(javaPid), removeDir ?? ''], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    wd.on('error', () => {});
    wd.stdin.on('error', () => {});
    wd.unref();
    wd.stdin.unref?.();
    return wd;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Broker
// ---------------------------------------------------------------------------------------------

/**
 * Starts a single-node KRaft broker+controller on 127.0.0.1 and waits until it answers a metadata
 * request. See broker.d.mts for the options and the handle.
 */
export async function startBroker(options = {}) {
  const {
    port: wantPort,
    controllerPort: wantControllerPort,
    dataDir: givenDataDir,
    keepData = false,
    log,
    logLevel = process.env.KAFKA_LOG_LEVEL || 'WARN',
    heap = process.env.KAFKA_HEAP || '512m',
    startTimeoutMs = 120_000,
    serverProperties: extraProps = {},
    detached = false,
  } = options;
  const say = typeof log === 'function' ? log : log === true ? (m) => console.error(`[kafka] ${m}`) : debugLog;

  const libs = await ensureKafkaJars();

  const ownsDir = !givenDataDir;
  const dataDir = givenDataDir ? resolve(givenDataDir) : mkdtempSync(join(os.tmpdir(), 'kafka-broker-'));
  mkdirSync(dataDir, { recursive: true });
  const logsDir = join(dataDir, 'logs');
  const kafkaDataDir = join(dataDir, 'data');
  mkdirSync(logsDir, { recursive: true });
  mkdirSync(kafkaDataDir, { recursive: true });

  // A reused data dir keeps its ports unless told otherwise: the KRaft voter set stores the
  // controller endpoint, and clients may have cached the bootstrap address.
  const stateFile = join(dataDir, 'harness.json');
  let previous = {};
  try {
    previous = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {}
  const port = wantPort ?? previous.port ?? (await freePort());
  let controllerPort = wantControllerPort ?? previous.controllerPort ?? (await freePort());
  while (controllerPort === port) controllerPort = await freePort();

  const propsFile = join(dataDir, 'server.properties');
  const log4jFile = join(dataDir, 'log4j2.properties');
  const serverLog = join(logsDir, 'server.log');
  const stdoutLog = join(logsDir, 'stdout.log');
  writeFileSync(propsFile, serverProperties({ port, controllerPort, logDirs: kafkaDataDir, extra: extraProps }));
  writeFileSync(log4jFile, log4j2Properties(serverLog, logLevel));
  writeFileSync(stateFile, JSON.stringify({ port, controllerPort }) + '\n');

  const cp = `${libs}/*`;
  const commonJvm = [
    `-Dlog4j2.configurationFile=${log4jFile}`,
    `-Dkafka.logs.dir=${logsDir}`,
    '-Djava.awt.headless=true',
    `-Djava.io.tmpdir=${os.tmpdir()}`,
  ];

  const cleanup = () => {
    if (ownsDir && !keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  // Format storage once (a reused data dir that has meta.properties is already formatted).
  if (!existsSync(join(kafkaDataDir, 'meta.properties'))) {
    const clusterId = randomBytes(16).toString('base64url'); // Kafka's Uuid text form
    const t0 = Date.now();
    const { code, out } = await run(javaBin(), [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      ...commonJvm,
      '-cp',
      cp,
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '-t',
      clusterId,
      '-c',
      propsFile,
    ]);
    if (code !== 0) {
      cleanup();
      throw new Error(`kafka storage format failed (exit ${code}):\n${out.slice(-4000)}`);
    }
    say(`formatted ${kafkaDataDir} (cluster ${clusterId}) in ${Date.now() - t0} ms`);
  }

  let child = null;
  let watchdog = null;
  let exited = null; // Promise resolving when the current child exits
  let stopped = false;

  const entry = {
    killNow() {
      // synchronous: used by exit handlers
      if (child && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {}
      }
      try {
        watchdog?.kill('SIGKILL');
      } catch {}
      live.delete(entry);
      cleanup();
    },
  };

  async function launch() {
    const t0 = Date.now();
    const out = openSync(stdoutLog, 'a');
    const args = [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExitOnOutOfMemoryError',
      ...commonJvm,
      '-cp',
      cp,
      'kafka.Kafka',
      propsFile,
    ];
    const c = spawn(javaBin(), args, { stdio: ['ignore', out, out], cwd: dataDir, detached });
    closeSync(out);
    child = c;
    let spawnError = null;
    c.on('error', (err) => (spawnError = err));
    exited = new Promise((r) => c.once('exit', (code, signal) => r({ code, signal })));
    exited.then(({ code, signal }) => {
      if (child === c) say(`broker pid ${c.pid} exited (code ${code}, signal ${signal})`);
    });
    if (detached) {
      c.unref();
    } else {
      // Do not keep the event loop alive just for the broker: the exit handler kills it.
      c.unref();
      watchdog = c.pid ? spawnWatchdog(c.pid, ownsDir && !keepData ? dataDir : null) : null;
      live.add(entry);
      installExitHandlers();
    }

    const deadline = Date.now() + startTimeoutMs;
    let dead = null;
    exited.then((x) => (dead = x));
    for (;;) {
      if (spawnError) throw new Error(`could not start java: ${spawnError.message}`);
      if (dead) {
        throw new Error(
          `kafka broker exited during startup (code ${dead.code}, signal ${dead.signal}).\n` +
            `--- ${stdoutLog}\n${tail(stdoutLog)}\n--- ${serverLog}\n${tail(serverLog)}`,
        );
      }
      if (Date.now() > deadline) {
        await terminate('SIGKILL');
        throw new Error(
          `kafka broker not ready after ${startTimeoutMs} ms.\n--- ${stdoutLog}\n${tail(stdoutLog)}\n--- ${serverLog}\n${tail(serverLog)}`,
        );
      }
      if ((await canConnect(port)) && (await answersMetadata(port))) break;
      await sleep(250);
    }
    say(`broker pid ${c.pid} ready on ${HOST}:${port} in ${Date.now() - t0} ms`);
  }

  /** Stops the current JVM (keeping the data), escalating to SIGKILL after 15 s. */
  async function terminate(signal = 'SIGTERM') {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) {
      try {
        watchdog?.kill('SIGKILL');
      } catch {}
      watchdog = null;
      return;
    }
    const t0 = Date.now();
    try {
      c.kill(signal);
    } catch {}
    let timer;
    const timedOut = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), STOP_GRACE_MS);
    });
    const res = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (res === 'timeout') {
      say(`broker pid ${c.pid} still running ${STOP_GRACE_MS} ms after ${signal}: SIGKILL`);
      try {
        c.kill('SIGKILL');
      } catch {}
      await holdOpen(exited);
    }
    try {
      watchdog?.kill('SIGKILL');
    } catch {}
    watchdog = null;
    say(`broker pid ${c.pid} stopped (${signal}) in ${Date.now() - t0} ms`);
  }

  try {
    await launch();
  } catch (err) {
    live.delete(entry);
    cleanup();
    throw err;
  }

  const handle = {
    brokers: [`${HOST}:${port}`],
    port,
    controllerPort,
    dataDir,
    logFile: serverLog,
    get pid() {
      return child?.pid ?? -1;
    },
    get running() {
      return !!child && child.exitCode === null && child.signalCode === null;
    },
    get lastExit() {
      if (!child || (child.exitCode === null && child.signalCode === null)) return null;
      return { code: child.exitCode, signal: child.signalCode };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate('SIGTERM');
      live.delete(entry);
      cleanup();
    },
    kill() {
      if (child && child.exitCode === null && child.signalCode === null) {
        try {
          child.kill('SIGKILL');
        } catch {}
      }
    },
    async down({ signal = 'SIGTERM' } = {}) {
      if (stopped) throw new Error('broker was stopped');
      await terminate(signal);
    },
    async up() {
      if (stopped) throw new Error('broker was stopped');
      if (handle.running && !child.killed) return; // already up
      await holdOpen(exited); // a JVM just sent SIGKILL by kill() must be gone before the next one binds the ports
      await launch();
    },
    async restart({ downMs = 0, signal = 'SIGTERM' } = {}) {
      if (stopped) throw new Error('broker was stopped');
      await terminate(signal);
      if (downMs > 0) await sleep(downMs);
      await launch();
    },
  };
  return handle;
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) out[k] = v;
      else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[k] = argv[++i];
      else out[k] = true;
    } else out._.push(a);
  }
  return out;
}

function isKafkaPid(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return true; // no /proc: trust the pid file
  }
}

function readPidFile() {
  try {
    const pid = Number.parseInt(readFileSync(PID_FILE, 'utf8').trim(), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function removeStateFiles() {
  rmSync(PID_FILE, { force: true });
  rmSync(STATE_FILE, { force: true });
}

async function cli(argv) {
  const args = parseArgs(argv);
  const cmd = args._[0];
  const num = (v) => (v === undefined ? undefined : Number.parseInt(String(v), 10));

  if (cmd === 'fetch') {
    const t0 = Date.now();
    const dir = await ensureKafkaJars();
    console.log(`Kafka ${kafkaVersion()} jars in ${dir} (${Date.now() - t0} ms)`);
    return 0;
  }

  if (cmd === 'start') {
    const existing = readPidFile();
    if (existing && isKafkaPid(existing)) {
      console.error(`a broker is already running (pid ${existing}, ${PID_FILE}); run "stop" first`);
      return 1;
    }
    const foreground = !!args.foreground;
    const t0 = Date.now();
    const broker = await startBroker({
      port: num(args.port),
      controllerPort: num(args['controller-port']),
      dataDir: typeof args['data-dir'] === 'string' ? args['data-dir'] : undefined,
      keepData: !!args['keep-data'] || !foreground,
      detached: !foreground,
      log: !!args.verbose,
    });
    mkdirSync(HARNESS_DIR, { recursive: true });
    writeFileSync(PID_FILE, `${broker.pid}\n`);
    writeFileSync(
      STATE_FILE,
      JSON.stringify(
        {
          pid: broker.pid,
          brokers: broker.brokers,
          port: broker.port,
          controllerPort: broker.controllerPort,
          dataDir: broker.dataDir,
          removeDataOnStop: !args['data-dir'] && !args['keep-data'],
          version: kafkaVersion(),
        },
        null,
        2,
      ) + '\n',
    );
    console.log(broker.brokers[0]);
    console.error(
      `Kafka ${kafkaVersion()} broker pid ${broker.pid} ready in ${Date.now() - t0} ms, data ${broker.dataDir}, log ${broker.logFile}`,
    );
    if (!foreground) return 0;

    await new Promise((resolvePromise) => {
      let stopping = false;
      let iv = null;
      const finish = () => {
        clearInterval(iv);
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        resolvePromise();
      };
      const onSignal = (sig) => {
        if (stopping) return;
        stopping = true;
        console.error(`${sig}: stopping broker`);
        broker.stop().then(finish, finish);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // keeps the event loop alive, and notices a broker that exits on its own (or via `stop`)
      iv = setInterval(() => {
        if (broker.running || stopping) return;
        stopping = true;
        const ex = broker.lastExit;
        const clean = ex && (ex.code === 0 || ex.code === 143 || ex.signal === 'SIGTERM');
        console.error(`broker exited (code ${ex?.code}, signal ${ex?.signal}); log: ${broker.logFile}`);
        if (!clean) process.exitCode = 1;
        broker.stop().then(finish, finish);
      }, 500);
    });
    if (readPidFile() === broker.pid || readPidFile() === null) removeStateFiles();
    return process.exitCode ?? 0;
  }

  if (cmd === 'stop') {
    const pid = readPidFile();
    let state = {};
    try {
      state = JSON.parse(await readFile(STATE_FILE, 'utf8'));
    } catch {}
    if (!pid || !isKafkaPid(pid)) {
      console.error(pid ? `broker pid ${pid} is not running` : `no ${PID_FILE}`);
      removeStateFiles();
      return 0;
    }
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (isKafkaPid(pid) && Date.now() < deadline) await sleep(200);
    if (isKafkaPid(pid)) {
      console.error(`broker pid ${pid} ignored SIGTERM for ${STOP_GRACE_MS} ms: SIGKILL`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
      while (isKafkaPid(pid)) await sleep(100);
    }
    if (state.removeDataOnStop && state.dataDir && state.pid === pid) {
      rmSync(state.dataDir, { recursive: true, force: true });
    }
    removeStateFiles();
    console.error(`broker pid ${pid} stopped`);
    return 0;
  }

  if (cmd === 'status') {
    const pid = readPidFile();
    if (pid && isKafkaPid(pid)) {
      const state = existsSync(STATE_FILE) ? JSON.parse(readFileSync(STATE_FILE, 'utf8')) : {};
      console.log(`running pid ${pid} ${state.brokers?.[0] ?? ''}`);
      return 0;
    }
    console.log('not running');
    return 3;
  }

  console.error(
    'usage: node scripts/kafka/broker.mjs fetch\n' +
      '       node scripts/kafka/broker.mjs start [--port 9092] [--controller-port N] [--data-dir DIR] [--keep-data] [--foreground] [--verbose]\n' +
      '       node scripts/kafka/broker.mjs stop\n' +
      '       node scripts/kafka/broker.mjs status',
  );
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
