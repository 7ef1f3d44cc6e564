/**
 * k8s/: every overlay renders with kustomize exactly as a user would (`kubectl kustomize
 * k8s/overlays/NAME`, no extra flags), every rendered object validates against its schema
 * (kubernetes-models, with the KEDA and Prometheus Operator models for the CRDs) and, through the
 * models' TypeScript types, has no misspelled field; the objects agree with each other and with the
 * processor's own configuration schema; the generated PrometheusRule and dashboards are fresh.
 * kubectl comes from scripts/install-tools.ts (the kustomize CLI from the Go module proxy if no
 * kubectl can be had).
 */
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { parse, parseAllDocuments } from 'yaml'
import { kustomizeCommand } from '../../../scripts/install-tools.js'
import { loadConfig } from '../../../src/config/load.js'
import type { Settings } from '../../../src/config/schema.js'
import type * as ChdbConnection from 'chdb/connection'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const K8S = path.join(ROOT, 'k8s')
const OVERLAYS = readdirSync(path.join(K8S, 'overlays')).sort()

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>
const rendered = new Map<string, Obj[]>()

before(async () => {
  const [bin, ...args] = await kustomizeCommand()
  await Promise.all(
    OVERLAYS.map(async (overlay) => {
      const { stdout } = await run(bin, [...args, path.join(K8S, 'overlays', overlay)], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })
      const docs = parseAllDocuments(stdout).map((d) => {
        assert.equal(d.errors.length, 0, d.errors.join('\n'))
        return d.toJS() as Obj
      })
      rendered.set(
        overlay,
        docs.filter((d) => d !== null),
      )
    }),
  )
})

const objects = (overlay: string) => rendered.get(overlay) ?? assert.fail(`${overlay} not rendered`)
const one = (overlay: string, kind: string, name?: string): Obj => {
  const found = objects(overlay).filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name))
  assert.equal(found.length, 1, `${overlay}: expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`)
  return found[0]!
}
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v)

/** The processor's effective configuration in an overlay: the ConfigMap's files + the Deployment's env. */
function effectiveConfig(overlay: string): { settings: Settings; env: Record<string, string> } {
  const deployment = one(overlay, 'Deployment', 'abuse-radar')
  const container = deployment.spec.template.spec.containers.find((c: Obj) => c.name === 'processor')
  const configVolume = deployment.spec.template.spec.volumes.find((v: Obj) => v.configMap)
  const mount = container.volumeMounts.find((m: Obj) => m.name === configVolume.name)
  const configMap = one(overlay, 'ConfigMap', configVolume.configMap.name)
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-k8s-'))
  try {
    const args: string[] = container.args
    const at = args.indexOf('--config')
    assert.ok(at > 0, `${overlay}: the processor is started with --config`)
    const files = args.slice(at + 1).filter((a) => !a.startsWith('-'))
    assert.ok(files.length > 0)
    const local = files.map((file) => {
      assert.ok(file.startsWith(`${mount.mountPath}/`), `${file} is not in the config mount ${mount.mountPath}`)
      const key = file.slice(mount.mountPath.length + 1)
      assert.ok(key in configMap.data, `${overlay}: ${file} is not a key of ConfigMap ${configMap.metadata.name}`)
      writeFileSync(path.join(dir, key), configMap.data[key])
      return path.join(dir, key)
    })
    const env: Record<string, string> = {}
    for (const e of container.env ?? [])
      env[e.name] = e.value ?? (e.valueFrom?.secretKeyRef ? `placeholder-secret-${e.valueFrom.secretKeyRef.key}` : '')
    return { settings: loadConfig({ files: local, env }).settings, env }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('the generated PrometheusRule and dashboard ConfigMaps are fresh (node scripts/render-prometheus-rule.mjs --check)', async () => {
  await run(process.execPath, [path.join(ROOT, 'scripts', 'render-prometheus-rule.mjs'), '--check'], { cwd: ROOT }).catch(
    (error: { stderr?: string }) => {
      assert.fail(`stale generated files: ${error.stderr ?? error}`)
    },
  )
})

test('the PrometheusRule carries exactly the groups of dashboards/prometheus/alerts.yaml', () => {
  const source = parse(readFileSync(path.join(ROOT, 'dashboards', 'prometheus', 'alerts.yaml'), 'utf8')) as Obj
  for (const overlay of OVERLAYS) {
    const rule = one(overlay, 'PrometheusRule', 'abuse-radar')
    assert.deepEqual(rule.spec.groups, source.groups, `${overlay}: PrometheusRule drifted from alerts.yaml`)
  }
})

test('every dashboard in dashboards/grafana is a ConfigMap for the Grafana sidecar, content unchanged', () => {
  const dir = path.join(ROOT, 'dashboards', 'grafana')
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
  assert.ok(files.length > 0, 'no dashboards')
  for (const overlay of OVERLAYS) {
    const maps = objects(overlay).filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1')
    const byFile = new Map(maps.flatMap((m) => Object.entries(m.data as Record<string, string>)))
    assert.deepEqual([...byFile.keys()].sort(), files, `${overlay}: dashboards ConfigMaps`)
    for (const file of files) {
      assert.deepEqual(JSON.parse(byFile.get(file)!), JSON.parse(readFileSync(path.join(dir, file), 'utf8')), `${overlay}: ${file}`)
    }
  }
})

// ---------------------------------------------------------------------------------------------
// Schemas

const MODEL_MODULES: Record<string, string> = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
}

async function validateObject(o: Obj): Promise<void> {
  const module = MODEL_MODULES[o.apiVersion]
  assert.ok(module, `no schema known for apiVersion ${o.apiVersion} (${o.kind} ${o.metadata?.name})`)
  const imported = (await import(`${module}/${o.kind}`)) as Record<string, new (data: Obj) => { validate(): void }>
  const Model = imported[o.kind]
  assert.ok(Model, `no model ${o.kind} in ${module}`)
  new Model(o).validate()
}

test('every rendered object of every overlay validates against its schema, CRDs included', async () => {
  const kinds = new Set<string>()
  for (const overlay of OVERLAYS) {
    for (const o of objects(overlay)) {
      kinds.add(`${o.apiVersion} ${o.kind}`)
      await validateObject(o).catch((error: Error & { errors?: unknown }) => {
        assert.fail(`${overlay}: ${o.kind} ${o.metadata?.name}: ${error.message} ${JSON.stringify(error.errors ?? '')}`)
      })
    }
  }
  for (const expected of [
    'apps/v1 Deployment',
    'v1 Service',
    'v1 ConfigMap',
    'v1 ServiceAccount',
    'policy/v1 PodDisruptionBudget',
    'networking.k8s.io/v1 NetworkPolicy',
    'keda.sh/v1alpha1 ScaledObject',
    'keda.sh/v1alpha1 TriggerAuthentication',
    'monitoring.coreos.com/v1 ServiceMonitor',
    'monitoring.coreos.com/v1 PrometheusRule',
  ]) {
    assert.ok(kinds.has(expected), `no ${expected} rendered`)
  }
})

test('the schema validation is live: it rejects a numeric KEDA lagThreshold and a string replica count', async () => {
  const scaled = structuredClone(one(OVERLAYS[0]!, 'ScaledObject'))
  scaled.spec.triggers[0].metadata.lagThreshold = 50000
  await assert.rejects(validateObject(scaled))
  const deployment = structuredClone(one(OVERLAYS[0]!, 'Deployment'))
  deployment.spec.replicas = 'three'
  await assert.rejects(validateObject(deployment))
})

test('no misspelled field: the rendered objects type-check against the models (excess property checks)', async () => {
  const dir = path.join(ROOT, '.cache', 'k8s-typecheck')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'rendered.ts')
  const imports = new Map<string, string>()
  const lines: string[] = []
  let n = 0
  for (const overlay of OVERLAYS) {
    for (const o of objects(overlay)) {
      const type = `I${o.kind}_${o.apiVersion.replace(/\W/g, '_')}`
      imports.set(type, `import type { I${o.kind} as ${type} } from '${MODEL_MODULES[o.apiVersion]}/${o.kind}'`)
      lines.push(`// ${overlay}: ${o.kind} ${o.metadata.name}\nexport const o${n++}: ${type} = ${JSON.stringify(o)}`)
    }
  }
  writeFileSync(file, `${[...imports.values()].join('\n')}\n\n${lines.join('\n')}\n`)
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const flags = [
    '--noEmit',
    '--strict',
    '--skipLibCheck',
    '--target',
    'es2022',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--types',
    'node',
  ]
  await run(process.execPath, [tsc, ...flags, file], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string }) => {
    assert.fail(`rendered objects do not match the models' types:\n${String(error.stdout).slice(0, 4000)}`)
  })
})

// ---------------------------------------------------------------------------------------------
// The Deployment

test('Deployment: non-root, read-only root, no privilege escalation, all capabilities dropped, resources set', () => {
  for (const overlay of OVERLAYS) {
    const spec = one(overlay, 'Deployment', 'abuse-radar').spec.template.spec
    assert.equal(spec.securityContext.runAsNonRoot, true, overlay)
    assert.ok(spec.securityContext.runAsUser > 0, overlay)
    assert.equal(spec.automountServiceAccountToken, false, overlay)
    assert.equal(spec.hostNetwork ?? false, false)
    for (const c of spec.containers) {
      const sc = c.securityContext
      assert.equal(sc.readOnlyRootFilesystem, true, `${overlay}/${c.name}`)
      assert.equal(sc.allowPrivilegeEscalation, false, `${overlay}/${c.name}`)
      assert.equal(sc.privileged ?? false, false)
      assert.deepEqual(sc.capabilities.drop, ['ALL'], `${overlay}/${c.name}`)
      assert.ok(!sc.capabilities.add?.length, 'no capability added')
      assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory, `${overlay}/${c.name}: resources`)
      assert.match(c.image, /^[\w./-]+:[\w.-]+$/, `${overlay}: image ${c.image} pinned to a tag`)
      assert.doesNotMatch(c.image, /:latest$/)
      // The heap fits the memory limit with room for buffers and the rest of the process.
      const heap = Number(/--max-old-space-size=(\d+)/.exec(c.env.find((e: Obj) => e.name === 'NODE_OPTIONS')?.value ?? '')?.[1])
      const limitMi = toMi(c.resources.limits.memory)
      assert.ok(heap > 0 && heap <= limitMi * 0.8, `${overlay}: heap ${heap} Mi vs memory limit ${limitMi} Mi`)
    }
    // Writable scratch only where mounted, none on the root filesystem.
    assert.ok(
      spec.volumes.some((v: Obj) => v.emptyDir),
      `${overlay}: a /tmp emptyDir`,
    )
  }
})

function toMi(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(quantity)
  assert.ok(m, `quantity ${quantity}`)
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1)
}

test('Deployment: probes on /livez and /readyz at the configured port; grace period longer than the shutdown drain', () => {
  for (const overlay of OVERLAYS) {
    const { settings } = effectiveConfig(overlay)
    const spec = one(overlay, 'Deployment', 'abuse-radar').spec.template.spec
    const c = spec.containers.find((x: Obj) => x.name === 'processor')
    const port = c.ports.find((p: Obj) => p.name === 'metrics')
    assert.equal(port.containerPort, settings.observability.http_port, `${overlay}: container port vs observability.http_port`)
    assert.equal(settings.observability.http_host, '0.0.0.0', `${overlay}: the HTTP server must listen on the pod IP`)
    assert.equal(c.livenessProbe.httpGet.path, '/livez')
    assert.equal(c.startupProbe.httpGet.path, '/livez')
    assert.equal(c.readinessProbe.httpGet.path, '/readyz')
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe])
      assert.ok(probe.httpGet.port === 'metrics' || probe.httpGet.port === port.containerPort)
    // The drain: the in-flight insert (request timeout), one retry after the longest backoff, a second attempt, commit.
    const { request_timeout_ms, insert_retry } = settings.clickhouse
    const drainSeconds = (2 * request_timeout_ms + insert_retry.max_backoff_ms) / 1000
    assert.ok(
      spec.terminationGracePeriodSeconds > drainSeconds + 10,
      `${overlay}: terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds} vs drain ${drainSeconds} s`,
    )
  }
})

test('secrets only by reference: the three secrets come from secretKeyRef, no Secret object and no secret value in k8s/', () => {
  for (const overlay of OVERLAYS) {
    assert.equal(objects(overlay).filter((o) => o.kind === 'Secret').length, 0, `${overlay} renders a Secret`)
    const c = one(overlay, 'Deployment', 'abuse-radar').spec.template.spec.containers.find((x: Obj) => x.name === 'processor')
    const env = new Map<string, Obj>(c.env.map((e: Obj) => [e.name, e]))
    for (const name of ['CLICKHOUSE_PASSWORD', 'KAFKA_SASL_PASSWORD', 'ABUSE_RADAR_PSEUDONYM_KEY', 'ABUSE_RADAR__KAFKA__SASL__USERNAME']) {
      assert.ok(env.get(name)?.valueFrom?.secretKeyRef?.name, `${overlay}: ${name} must come from a Secret`)
      assert.equal(env.get(name)?.value, undefined)
    }
    for (const e of c.env)
      if (/PASSWORD|SECRET|TOKEN|_KEY$/.test(e.name)) assert.equal(e.value, undefined, `${overlay}: ${e.name} has a literal value`)
  }
  // No credential-looking value anywhere in the manifests.
  const files = readdirSync(K8S, { recursive: true })
    .map(String)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
  for (const f of files) {
    const text = readFileSync(path.join(K8S, f), 'utf8')
    assert.doesNotMatch(
      text,
      /^\s*(password|passwd|secret|token|api[_-]?key)\s*:\s*["']?[^\s"'{}[\]]+/im,
      `${f} holds a credential-looking value`,
    )
    assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, f)
  }
})

test('the ConfigMap is valid processor configuration with the production Kafka and ClickHouse settings', () => {
  for (const overlay of OVERLAYS) {
    const { settings } = effectiveConfig(overlay)
    const { kafka, clickhouse } = settings
    assert.equal(kafka.ssl, true, `${overlay}: Kafka over TLS`)
    assert.match(kafka.sasl.mechanism, /^scram-sha-(256|512)$/, `${overlay}: SASL/SCRAM`)
    assert.ok(kafka.client_id && kafka.group_id)
    assert.ok(kafka.session_timeout_ms >= 3 * kafka.heartbeat_interval_ms, `${overlay}: heartbeat below a third of the session timeout`)
    assert.ok(kafka.rebalance_timeout_ms >= kafka.session_timeout_ms)
    assert.ok(kafka.brokers.length > 0 && !kafka.brokers.some((b) => b.startsWith('127.')), `${overlay}: brokers ${kafka.brokers}`)
    assert.match(clickhouse.url, /^https:\/\//, `${overlay}: ClickHouse over TLS`)
    assert.notEqual(clickhouse.username, 'default', `${overlay}: a dedicated ClickHouse user`)
  }
  // One overlay runs on a ClickHouse cluster, one on a single server.
  const clusters = OVERLAYS.map((o) => effectiveConfig(o).settings.clickhouse.cluster)
  assert.ok(clusters.includes('') && clusters.some((c) => c !== ''), `clickhouse.cluster per overlay: ${clusters}`)
})

// ---------------------------------------------------------------------------------------------
// The other objects, against the Deployment and the configuration

test('Service, ServiceMonitor and PodDisruptionBudget select the processor pods; /metrics is scraped on the metrics port', () => {
  for (const overlay of OVERLAYS) {
    const pods = one(overlay, 'Deployment', 'abuse-radar').spec.template.metadata.labels
    const service = one(overlay, 'Service', 'abuse-radar')
    assert.ok(matches(service.spec.selector, pods), `${overlay}: Service selector`)
    const monitor = one(overlay, 'ServiceMonitor', 'abuse-radar')
    assert.ok(matches(monitor.spec.selector.matchLabels, service.metadata.labels), `${overlay}: ServiceMonitor selects the Service`)
    for (const endpoint of monitor.spec.endpoints) {
      assert.equal(endpoint.path, '/metrics')
      assert.ok(
        service.spec.ports.some((p: Obj) => p.name === endpoint.port),
        `${overlay}: ServiceMonitor port ${endpoint.port}`,
      )
    }
    const pdb = one(overlay, 'PodDisruptionBudget', 'abuse-radar')
    assert.ok(matches(pdb.spec.selector.matchLabels, pods), `${overlay}: PDB selector`)
    assert.ok(pdb.spec.maxUnavailable === 1 || pdb.spec.minAvailable !== undefined)
  }
})

test('KEDA scales on the consumer group lag of each topic, never beyond the partition count', () => {
  for (const overlay of OVERLAYS) {
    const { settings } = effectiveConfig(overlay)
    const scaled = one(overlay, 'ScaledObject', 'abuse-radar')
    const partitions = Number(scaled.metadata.annotations['abuse-radar/topic-partitions'])
    assert.ok(partitions > 0, `${overlay}: the abuse-radar/topic-partitions annotation`)
    assert.equal(scaled.spec.scaleTargetRef.name, one(overlay, 'Deployment').metadata.name)
    assert.ok(
      scaled.spec.minReplicaCount >= 1 && scaled.spec.maxReplicaCount <= partitions,
      `${overlay}: replicas ${scaled.spec.minReplicaCount}..${scaled.spec.maxReplicaCount} for ${partitions} partitions`,
    )
    assert.equal(one(overlay, 'Deployment').spec.replicas, undefined, `${overlay}: replicas are KEDA's`)
    const topics = scaled.spec.triggers.map((t: Obj) => t.metadata.topic).sort()
    const { messages, moderation, reports } = settings.kafka.topics
    assert.deepEqual(topics, [messages, moderation, reports].sort(), `${overlay}: one trigger per input topic`)
    const auth = one(overlay, 'TriggerAuthentication')
    const sasl = settings.kafka.sasl.mechanism.replace(/-/g, '_').replace('scram_sha_', 'scram_sha')
    for (const t of scaled.spec.triggers) {
      assert.equal(t.type, 'kafka')
      assert.equal(t.metadata.consumerGroup, settings.kafka.group_id, `${overlay}: consumerGroup`)
      assert.equal(t.metadata.bootstrapServers, settings.kafka.brokers.join(','), `${overlay}: bootstrapServers vs kafka.brokers`)
      assert.equal(typeof t.metadata.lagThreshold, 'string')
      assert.equal(t.metadata.allowIdleConsumers, 'false', `${overlay}: idle consumers would exceed the partitions`)
      assert.equal(t.metadata.sasl, sasl, `${overlay}: KEDA's SASL mechanism`)
      assert.equal(t.metadata.tls, settings.kafka.ssl ? 'enable' : 'disable')
      assert.equal(t.metadata.offsetResetPolicy, settings.kafka.from_beginning ? 'earliest' : 'latest')
      assert.equal(t.authenticationRef.name, auth.metadata.name)
    }
    const deploymentSecrets = new Set(
      one(overlay, 'Deployment').spec.template.spec.containers.flatMap((c: Obj) =>
        c.env
          .filter((e: Obj) => e.valueFrom?.secretKeyRef)
          .map((e: Obj) => `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`),
      ),
    )
    for (const ref of auth.spec.secretTargetRef)
      assert.ok(
        deploymentSecrets.has(`${ref.name}/${ref.key}`),
        `${overlay}: KEDA uses ${ref.name}/${ref.key}, which the processor does not`,
      )
  }
  const max = OVERLAYS.map((o) => one(o, 'ScaledObject').spec.maxReplicaCount)
  assert.ok(Math.max(...max) > Math.min(...max), 'the overlays differ in size')
})

test('NetworkPolicy: ingress only for scraping; egress only to DNS and to the ports of kafka.brokers and clickhouse.url', () => {
  for (const overlay of OVERLAYS) {
    const { settings } = effectiveConfig(overlay)
    const pods = one(overlay, 'Deployment', 'abuse-radar').spec.template.metadata.labels
    const policy = one(overlay, 'NetworkPolicy', 'abuse-radar')
    assert.ok(matches(policy.spec.podSelector.matchLabels, pods), `${overlay}: podSelector`)
    assert.deepEqual([...policy.spec.policyTypes].sort(), ['Egress', 'Ingress'])
    for (const rule of policy.spec.ingress) {
      assert.ok(rule.from?.length > 0, `${overlay}: an ingress rule open to everyone`)
      assert.deepEqual(
        rule.ports.map((p: Obj) => p.port),
        ['metrics'],
      )
    }
    const allowed = new Set<string>()
    for (const rule of policy.spec.egress) {
      assert.ok(rule.to?.length > 0, `${overlay}: an egress rule open to every destination`)
      assert.ok(rule.ports?.length > 0, `${overlay}: an egress rule open on every port`)
      for (const peer of rule.to) assert.notEqual(peer.ipBlock?.cidr, '0.0.0.0/0', `${overlay}: egress to the whole internet`)
      for (const p of rule.ports) allowed.add(`${p.protocol ?? 'TCP'}/${p.port}`)
    }
    const url = new URL(settings.clickhouse.url)
    const expected = new Set([
      'UDP/53',
      'TCP/53',
      `TCP/${url.port || (url.protocol === 'https:' ? 443 : 80)}`,
      ...settings.kafka.brokers.map((b) => `TCP/${b.split(':')[1]}`),
    ])
    assert.deepEqual([...allowed].sort(), [...expected].sort(), `${overlay}: egress ports`)
  }
})

// ---------------------------------------------------------------------------------------------
// ClickHouse access (k8s/clickhouse)

test('k8s/clickhouse: the writer role may create and fill only its own database; create-users.sh renders valid SQL in both modes', async (t) => {
  const access = readFileSync(path.join(K8S, 'clickhouse', 'access.sql'), 'utf8')
  const statements = access.split('\n').filter((l) => l.trim() && !l.startsWith('--'))
  for (const s of statements) {
    assert.match(
      s,
      /^(CREATE ROLE IF NOT EXISTS \w+|CREATE SETTINGS PROFILE IF NOT EXISTS \w+ |GRANT )[^\n]*;$/,
      `one statement a line, of a shape create-users.sh can put ON CLUSTER: ${s}`,
    )
    if (s.startsWith('GRANT ')) {
      const pipelineHealthParts = /^GRANT SELECT\([\w, ]+\) ON system\.parts TO abuse_radar_reader;$/.test(s)
      if (!pipelineHealthParts)
        assert.match(s, / ON abuse\.\* TO abuse_radar_(writer|reader);$/, `a grant outside the abuse database: ${s}`)
      assert.doesNotMatch(
        s,
        /\b(ALL|DROP|TRUNCATE|ALTER|SYSTEM|KILL|ACCESS MANAGEMENT|CREATE USER|CREATE ROLE|dictGet|FILE|URL|S3|REMOTE)\b/,
        `too broad: ${s}`,
      )
    }
  }
  assert.ok(statements.some((s) => /GRANT .*\bINSERT\b.* TO abuse_radar_writer/.test(s)))
  assert.ok(statements.some((s) => /GRANT SELECT ON abuse\.\* TO abuse_radar_reader/.test(s)))
  assert.ok(!statements.some((s) => /GRANT .*\bINSERT\b.* TO abuse_radar_reader/.test(s)), 'the reader cannot write')

  // create-users.sh with a stand-in `clickhouse` that prints the SQL it is given.
  const bin = mkdtempSync(path.join(tmpdir(), 'fake-clickhouse-'))
  writeFileSync(path.join(bin, 'clickhouse'), '#!/bin/sh\ncat\n', { mode: 0o755 })
  const sqlFor = async (cluster: string) => {
    const { stdout } = await run('sh', [path.join(K8S, 'clickhouse', 'create-users.sh')], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        ABUSE_RADAR_WRITER_PASSWORD: "w'\\x",
        ABUSE_RADAR_READER_PASSWORD: 'r',
        CLICKHOUSE_CLUSTER: cluster,
      },
    })
    return stdout.split('\n').filter((l) => l.endsWith(';'))
  }
  const single = await sqlFor('')
  const cluster = await sqlFor('abuse_cluster')
  rmSync(bin, { recursive: true, force: true })
  assert.ok(single.length >= statements.length + 4)
  assert.ok(single.every((s) => !s.includes('ON CLUSTER')))
  assert.ok(
    cluster.every((s) => s.includes("ON CLUSTER 'abuse_cluster'")),
    cluster.join('\n'),
  )
  assert.ok(cluster.includes("GRANT ON CLUSTER 'abuse_cluster' CLUSTER ON *.* TO abuse_radar_writer;"))
  assert.ok(
    single.some((s) => s.includes("BY 'w\\'\\\\x'")),
    'passwords are quoted as SQL strings',
  )

  let chdb: typeof ChdbConnection
  try {
    chdb = await import('chdb/connection')
  } catch {
    t.diagnostic('chdb not installed: the SQL was not parsed by ClickHouse')
    return
  }
  const { createClient } = await import('@clickhouse/client')
  const connection = chdb.createChdbConnection({ path: ':memory:' }) as unknown as NonNullable<
    Parameters<typeof createClient>[0]
  >['connection']
  const client = createClient({ connection })
  try {
    for (const s of [...single, ...cluster]) {
      await client.query({ query: `EXPLAIN AST ${s.replace(/;$/, '')}`, format: 'TabSeparated' }).catch((error: Error) => {
        throw new Error(`ClickHouse rejects: ${s}\n-> ${error.message.split('\n')[0]}`)
      })
    }
  } finally {
    await client.close()
  }
})
