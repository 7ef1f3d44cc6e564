/**
 * compose.yaml, without a Docker engine: `docker-compose config` (Debian's docker-compose, installed
 * on demand by scripts/install-tools.ts) must accept it; every file it mounts exists; the services
 * agree with the Dockerfile, the processor's configuration schema, the Prometheus config and the
 * project's Grafana provisioning.
 */
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { ensureTool } from '../../../scripts/install-tools.js'
import { loadConfig } from '../../../src/config/load.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>
const source = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')) as Obj
let resolved: Obj

before(async () => {
  const bin = await ensureTool('docker-compose')
  // A clean environment: the defaults written in compose.yaml, not whatever this shell exports.
  const { stdout } = await run(bin, ['--project-directory', ROOT, '-f', path.join(ROOT, 'compose.yaml'), 'config'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
  }).catch((error: { stderr?: string }) => assert.fail(`docker-compose config rejects compose.yaml:\n${error.stderr ?? error}`))
  resolved = parse(stdout) as Obj
})

const service = (name: string): Obj => resolved.services[name] ?? assert.fail(`no service ${name}`)
const envOf = (s: Obj): Record<string, string> => Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]))
/** Bind mounts as [host path, container path], from the file as written (relative to the project). */
const binds = (name: string): [string, string][] =>
  (source.services[name].volumes ?? [])
    .map((v: string | Obj) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]))
    .filter(([host]: string[]) => host!.startsWith('.') || host!.startsWith('/'))
    .map(([host, target]: string[]) => [path.resolve(ROOT, host!), target!])

test('docker-compose config accepts the file; the stack has every part', () => {
  for (const name of ['kafka', 'kafka-init', 'clickhouse', 'processor', 'generator', 'prometheus', 'grafana']) service(name)
})

test('every file and folder compose.yaml mounts exists (and scripts run by images are executable)', () => {
  let count = 0
  for (const name of Object.keys(source.services)) {
    for (const [host, target] of binds(name)) {
      assert.ok(existsSync(host), `${name}: ${path.relative(ROOT, host)} (mounted at ${target}) does not exist`)
      if (target.startsWith('/docker-entrypoint-initdb.d/') && target.endsWith('.sh'))
        assert.ok(statSync(host).mode & 0o100, `${host} must be executable`)
      count++
    }
  }
  assert.ok(count >= 6, `${count} bind mounts`)
  assert.ok(
    readdirSync(path.join(ROOT, 'dashboards', 'grafana')).some((f) => f.endsWith('.json')),
    'dashboards to show',
  )
})

test('the processor is built from the Dockerfile and runs like in Kubernetes; the generator reuses its image', () => {
  const processor = service('processor')
  assert.equal(path.resolve(ROOT, source.services.processor.build.context), ROOT.replace(/\/$/, ''))
  assert.equal(source.services.processor.build.dockerfile ?? 'Dockerfile', 'Dockerfile')
  assert.deepEqual(processor.command, ['run'])
  assert.equal(processor.read_only, true)
  assert.deepEqual(processor.cap_drop, ['ALL'])
  const exposed = /^EXPOSE (\d+)$/m.exec(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))?.[1]
  assert.ok(
    processor.ports.some((p: Obj) => String(p.target) === exposed),
    `processor publishes the Dockerfile's EXPOSE ${exposed}`,
  )
  // Every variable names a real config key, and the result is a valid configuration.
  const settings = loadConfig({ env: envOf(processor) }).settings
  assert.deepEqual(settings.kafka.brokers, ['kafka:9092'])
  assert.match(settings.clickhouse.url, /^http:\/\/clickhouse:8123$/)
  assert.equal(settings.clickhouse.username, 'abuse_radar')
  assert.ok(envOf(processor).CLICKHOUSE_PASSWORD && envOf(processor).ABUSE_RADAR_PSEUDONYM_KEY)
  // The writer's password is the one the ClickHouse init script gives abuse_radar.
  assert.equal(envOf(processor).CLICKHOUSE_PASSWORD, envOf(service('clickhouse')).ABUSE_RADAR_WRITER_PASSWORD)
  assert.equal(processor.depends_on['kafka-init'].condition, 'service_completed_successfully')
  assert.equal(processor.depends_on.clickhouse.condition, 'service_healthy')

  const generator = service('generator')
  assert.equal(generator.image, processor.image)
  assert.deepEqual(generator.command.slice(0, 2), ['generate', '--kafka'])
  assert.ok(generator.command.includes('--rate'))
  assert.deepEqual(loadConfig({ env: envOf(generator) }).settings.kafka.brokers, ['kafka:9092'])
})

test('the topics kafka-init creates are the configured ones', () => {
  const script = JSON.stringify(service('kafka-init').command)
  for (const topic of Object.values(loadConfig({ env: {} }).settings.kafka.topics))
    assert.ok(script.includes(topic), `kafka-init does not create ${topic}`)
})

test("Prometheus scrapes the processor and loads the project's alert rules file itself", () => {
  const mounts = new Map(binds('prometheus').map(([host, target]) => [target, host]))
  const config = parse(readFileSync(mounts.get('/etc/prometheus/prometheus.yml') ?? assert.fail('prometheus.yml mount'), 'utf8')) as Obj
  const alerts = [...mounts.entries()].find(([, host]) => host === path.join(ROOT, 'dashboards', 'prometheus', 'alerts.yaml'))
  assert.ok(alerts, 'dashboards/prometheus/alerts.yaml is mounted as it is')
  assert.ok(
    config.rule_files.some((glob: string) => new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(alerts[0])),
    `rule_files ${config.rule_files} do not match ${alerts[0]}`,
  )
  const job = config.scrape_configs.find((j: Obj) => j.job_name === 'abuse-radar')
  assert.ok(job, 'a job named abuse-radar (the alerts select job=~".*abuse-radar.*")')
  const port = loadConfig({ env: envOf(service('processor')) }).settings.observability.http_port
  assert.deepEqual(job.static_configs[0].targets, [`processor:${port}`])
})

test("Grafana: the ClickHouse plugin, the project's provisioning and dashboards, and every variable they use", () => {
  const grafana = service('grafana')
  const env = envOf(grafana)
  assert.match(env.GF_PLUGINS_PREINSTALL_SYNC ?? env.GF_INSTALL_PLUGINS ?? '', /grafana-clickhouse-datasource/)
  const mounts = new Map(binds('grafana').map(([host, target]) => [path.relative(ROOT, host), target]))
  assert.equal(mounts.get('dashboards/provisioning'), '/etc/grafana/provisioning')
  assert.ok(mounts.has('dashboards/grafana'), 'the dashboards are mounted')
  // Provisioning files may use $VAR / ${VAR}: each must be set on the Grafana service.
  const dir = path.join(ROOT, 'dashboards', 'provisioning')
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
  for (const f of files) {
    const text = readFileSync(path.join(dir, f), 'utf8').replace(/^\s*#.*$/gm, '')
    for (const m of text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)) {
      if (m[1]!.startsWith('__')) continue
      assert.ok(m[1]! in env, `dashboards/provisioning/${f} uses $${m[1]}, which compose.yaml does not set for grafana`)
    }
    // A dashboards provider reads the folder compose mounts the dashboards into.
    const doc = parse(readFileSync(path.join(dir, f), 'utf8')) as Obj | null
    for (const provider of doc?.providers ?? []) {
      const p = String(provider.options?.path ?? '').replace(/\$\{?(\w+)\}?/g, (_: string, v: string) => env[v] ?? '')
      assert.equal(p, mounts.get('dashboards/grafana'), `dashboards/provisioning/${f}: provider path ${provider.options?.path}`)
    }
  }
})
