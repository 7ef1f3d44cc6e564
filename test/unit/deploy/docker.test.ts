/**
 * The Dockerfile and .dockerignore, without a Docker engine: syntax and its own lints
 * (dockerfile-utils), then the image's rules checked on the parsed Dockerfile (dockerfile-ast), the
 * build context against Docker's .dockerignore semantics, and finally the runtime stage's file set
 * assembled here with the Dockerfile's own npm command (production dependencies only: no dev, no
 * embedded engine) and started.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { DockerfileParser, type Instruction } from 'dockerfile-ast'
import { validate } from 'dockerfile-utils'
import { loadConfig } from '../../../src/config/load.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const TEXT = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
const dockerfile = DockerfileParser.parse(TEXT)
const defaults = loadConfig({ env: {} }).settings

/** Node.js LTS lines and the end of their support (nodejs.org release schedule). */
const NODE_LTS_END: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' }

interface Stage {
  name: string
  from: string
  instructions: Instruction[]
}

function stages(): Stage[] {
  const out: Stage[] = []
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword()
    if (keyword === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue())
      const as = args.findIndex((a) => a.toUpperCase() === 'AS')
      out.push({ name: as >= 0 ? args[as + 1]! : String(out.length), from: args[0]!, instructions: [] })
    } else if (out.length > 0) out[out.length - 1]!.instructions.push(instruction)
  }
  return out
}
const stage = (name: string) => stages().find((s) => s.name === name) ?? assert.fail(`no stage ${name}`)
const keyword = (s: Stage, k: string) => s.instructions.filter((i) => i.getKeyword() === k)
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue())
const flag = (i: Instruction, name: string) =>
  (i as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] })
    .getFlags()
    .find((f) => f.getName() === name)
    ?.getValue() ?? null
const runs = (s: Stage) => keyword(s, 'RUN').map((i) => (i.getArgumentsContent() ?? '').replace(/\\\n/g, ' ').replace(/\s+/g, ' '))
const jsonArgs = (i: Instruction) =>
  (i as unknown as { getJSONStrings(): { getJSONValue(): string }[] }).getJSONStrings().map((s) => s.getJSONValue())

test('dockerfile-utils finds no problem (and does find them in a broken Dockerfile)', () => {
  assert.deepEqual(validate(TEXT), [])
  const broken = validate('FROM node:24-bookworm-slim\nCOPY\nEXPOSE port\nHEALTHCHECK --interval=5 CMD true\nENTRYPOINT [node\n')
  assert.ok(broken.length >= 3, `the linter is live: ${broken.length} diagnostics`)
})

test('multi-stage on a supported Node.js LTS slim image, pinned by tag', () => {
  const all = stages()
  assert.deepEqual(
    all.map((s) => s.name),
    ['build', 'prod-deps', 'runtime'],
  )
  const arg = dockerfile.getInitialARGs().find((a) => a.getProperty()?.getName() === 'NODE_IMAGE')
  const image = arg?.getProperty()?.getValue() ?? assert.fail('ARG NODE_IMAGE with a default before the first FROM')
  const m = /^node:(\d+)-(bookworm|trixie)-slim(@sha256:[0-9a-f]{64})?$/.exec(image)
  assert.ok(m, `base image ${image}`)
  const end = NODE_LTS_END[Number(m[1])]
  assert.ok(end, `Node.js ${m[1]} is not an LTS line`)
  assert.ok(new Date(end).getTime() > Date.now(), `Node.js ${m[1]} is out of support since ${end}`)
  for (const s of all) assert.equal(s.from, '${NODE_IMAGE}', `${s.name}: FROM ${s.from}`)
  assert.doesNotMatch(TEXT, /:latest\b/)
})

test('build stage: npm ci and the build; prod-deps stage: production dependencies only, without the embedded engine', () => {
  const build = runs(stage('build'))
  assert.ok(
    build.some((r) => /\bnpm ci\b/.test(r)),
    'build: npm ci',
  )
  assert.ok(
    build.some((r) => /\bnpm run build\b/.test(r)),
    'build: npm run build',
  )
  const prod = runs(stage('prod-deps'))
  const ci = prod.find((r) => /\bnpm ci\b/.test(r)) ?? assert.fail('prod-deps: npm ci')
  assert.match(ci, /--omit=dev\b/)
  assert.match(ci, /--omit=optional\b/, 'chdb (optionalDependency, ~550 MB) stays out of the image')
  // The flag really covers chdb: it is an optional dependency, not a regular one.
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
  assert.ok(pkg.optionalDependencies?.chdb, 'chdb is an optionalDependency')
  assert.equal(pkg.dependencies?.chdb, undefined)
})

test('runtime stage: only dist/, production node_modules, bin/, config/ and package.json', () => {
  const runtime = stage('runtime')
  const copies = keyword(runtime, 'COPY').map((i) => ({ from: flag(i, 'from'), sources: args(i).slice(0, -1), dest: args(i).at(-1) }))
  assert.deepEqual(copies.map((c) => `${c.from ?? 'context'}:${c.sources.join(',')}`).sort(), [
    'build:/app/dist',
    'context:bin',
    'context:config',
    'context:package.json',
    'prod-deps:/app/node_modules',
  ])
  assert.equal(keyword(runtime, 'ADD').length, 0)
  assert.equal(keyword(stage('build'), 'ADD').length + keyword(stage('prod-deps'), 'ADD').length, 0)
})

test('runtime stage: non-root numeric user, tini as PID 1, exec-form entrypoint, HEALTHCHECK on /livez', () => {
  const runtime = stage('runtime')
  const users = keyword(runtime, 'USER')
  assert.equal(users.length, 1)
  const [uid, gid] = args(users[0]!)[0]!.split(':').map(Number)
  assert.ok(uid! > 0 && gid! > 0, 'numeric, non-root uid:gid (Kubernetes runAsNonRoot can check it)')
  const last = (k: string) => runtime.instructions.map((i) => i.getKeyword()).lastIndexOf(k)
  assert.ok(last('USER') > last('RUN') && last('USER') > last('COPY'), 'USER after every RUN and COPY')

  const entrypoint = jsonArgs(keyword(runtime, 'ENTRYPOINT')[0] ?? assert.fail('ENTRYPOINT'))
  assert.deepEqual(entrypoint.slice(0, 3), ['/usr/bin/tini', '--', 'node'], 'tini forwards SIGTERM to node and reaps zombies')
  assert.equal(entrypoint.at(-1), '/app/bin/abuse-radar.js')
  assert.ok(
    runs(runtime).some((r) => /apt-get install .*--no-install-recommends.* tini\b/.test(r) && /rm -rf \/var\/lib\/apt\/lists/.test(r)),
  )
  assert.deepEqual(jsonArgs(keyword(runtime, 'CMD')[0] ?? assert.fail('CMD')), ['run'])

  const port = Number(args(keyword(runtime, 'EXPOSE')[0] ?? assert.fail('EXPOSE'))[0])
  assert.equal(port, defaults.observability.http_port)
  const healthcheck = keyword(runtime, 'HEALTHCHECK')[0]?.getArgumentsContent() ?? assert.fail('HEALTHCHECK')
  assert.match(healthcheck, new RegExp(`127\\.0\\.0\\.1:${port}/livez`))
  // The HTTP server must listen beyond loopback in a container; the variable names a real config key.
  const env = Object.fromEntries(
    keyword(runtime, 'ENV').flatMap((i) =>
      (i as unknown as { getProperties(): { getName(): string; getValue(): string }[] })
        .getProperties()
        .map((p) => [p.getName(), p.getValue()]),
    ),
  )
  assert.equal(env.ABUSE_RADAR__OBSERVABILITY__HTTP_HOST, '0.0.0.0')
  assert.equal(loadConfig({ env }).settings.observability.http_host, '0.0.0.0')
  for (const name of Object.keys(env)) assert.doesNotMatch(name, /PASSWORD|SECRET|TOKEN|_KEY$/, `secret in the image: ${name}`)
})

// ---------------------------------------------------------------------------------------------
// .dockerignore, with Docker's semantics: the last matching pattern wins; a pattern matching a
// parent directory matches everything below it; `**` spans directories, `*` and `?` do not.

function globToRegExp(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/'
      re += slash ? '(?:.*/)?' : '.*'
      i += slash ? 2 : 1
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function dockerignore(): (file: string) => boolean {
  const rules = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!')
      const pattern = path.posix.normalize((negated ? l.slice(1) : l).replace(/^\//, '')).replace(/\/$/, '')
      return { negated, re: globToRegExp(pattern) }
    })
  return (file) => {
    const parts = file.split('/')
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
    let excluded = false
    for (const rule of rules) if (candidates.some((c) => rule.re.test(c))) excluded = !rule.negated
    return excluded
  }
}

test('.dockerignore: the context holds what the Dockerfile copies and nothing private or heavy', () => {
  const excluded = dockerignore()
  for (const needed of [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'src/main.ts',
    'src/sinks/clickhouse/client.ts',
    'bin/abuse-radar.js',
    'config/default.yaml',
  ]) {
    assert.equal(excluded(needed), false, `${needed} is needed by the build`)
  }
  // Every path the Dockerfile copies from the context.
  for (const s of stages()) {
    for (const copy of keyword(s, 'COPY').filter((i) => flag(i, 'from') === null)) {
      for (const source of args(copy).slice(0, -1)) assert.equal(excluded(source), false, `${s.name}: COPY ${source} is ignored`)
    }
  }
  for (const unwanted of [
    'node_modules/kafkajs/package.json',
    'src/node_modules/x.js',
    '.git/HEAD',
    'data/clickhouse/x',
    'dist/main.js',
    '.env',
    'config/.env.local',
    'src/secret.pem',
    '.cache/tools/bin/kustomize',
    '.kafka/kafka.jar',
    'test/unit/config.test.ts',
    'k8s/base/deployment.yaml',
    'dashboards/grafana/x.json',
    'compose.yaml',
    'Dockerfile',
  ]) {
    assert.equal(excluded(unwanted), true, `${unwanted} should not be sent to the builder`)
  }
})

// ---------------------------------------------------------------------------------------------

test(
  'the runtime stage file set, assembled with the Dockerfile npm command, runs without dev or optional dependencies',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'abuse-radar-image-'))
    try {
      for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(ROOT, f), path.join(dir, f))
      // The prod-deps stage's npm command, as written in the Dockerfile.
      const ci = runs(stage('prod-deps'))
        .find((r) => /\bnpm ci\b/.test(r))!
        .replace(/^.*?\bnpm ci\b/, '')
        .trim()
        .split(/\s+/)
      await run('npm', ['ci', ...ci, '--prefer-offline', '--loglevel=error'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 }).catch(
        (error: { stderr?: string }) => {
          assert.fail(`npm ci ${ci.join(' ')} fails, so \`docker build\` would too:\n${String(error.stderr).slice(0, 1500)}`)
        },
      )
      for (const absent of ['chdb', '@chdb', 'typescript', 'tsx', '@types/node'])
        assert.ok(!existsSync(path.join(dir, 'node_modules', absent)), `${absent} must not be in the image`)
      for (const present of ['kafkajs', '@clickhouse/client', 'prom-client'])
        assert.ok(existsSync(path.join(dir, 'node_modules', present)), `${present} is a runtime dependency`)
      // dist/ as the build stage makes it (type errors are npm test's typecheck's business; emission is what ships).
      const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
      await run(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(dir, 'dist')], {
        cwd: ROOT,
      }).catch(() => {})
      assert.ok(existsSync(path.join(dir, 'dist', 'main.js')), 'the build emits dist/main.js')
      for (const f of ['bin', 'config']) cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true })

      const cli = path.join(dir, 'bin', 'abuse-radar.js')
      const base = { PATH: process.env.PATH ?? '', HOME: dir, NODE_ENV: 'production', ABUSE_RADAR_DATA_DIR: path.join(dir, 'data') }
      const help = await run(process.execPath, [cli, '--help'], { cwd: dir, env: base })
      assert.match(help.stdout, /\brun\b/)
      // Against a ClickHouse server (unreachable here): fails on the connection, never on a missing chdb.
      const server = await run(process.execPath, [cli, 'run'], {
        cwd: dir,
        timeout: 60_000,
        env: {
          ...base,
          CLICKHOUSE_URL: 'http://127.0.0.1:9',
          KAFKA_BROKERS: '127.0.0.1:9',
          ABUSE_RADAR_PSEUDONYM_KEY: 'test-pseudonym-key-0123',
          ABUSE_RADAR__CLICKHOUSE__REQUEST_TIMEOUT_MS: '2000',
        },
      }).then(
        () => assert.fail('run against an unreachable server exited 0'),
        (error: { code?: number; stderr?: string; killed?: boolean }) => error,
      )
      assert.equal(server.killed, false, 'run hung instead of failing')
      assert.equal(server.code, 1, String(server.stderr))
      assert.doesNotMatch(String(server.stderr), /chdb/)
      // Without a server URL it says that the embedded engine is not in this image.
      const embedded = await run(process.execPath, [cli, 'run'], {
        cwd: dir,
        timeout: 60_000,
        env: { ...base, KAFKA_BROKERS: '127.0.0.1:9' },
      }).then(
        () => assert.fail('run without CLICKHOUSE_URL exited 0'),
        (error: { stderr?: string }) => error,
      )
      assert.match(String(embedded.stderr), /embedded engine \(npm package chdb\) is not installed/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
)
