/**
 * docs/contract/metrics.md: the Prometheus metric catalogue, read from a live instance of the Metrics
 * class of src/observability/metrics.ts (names, types, labels, help and buckets exactly as exported),
 * and the alert rules of dashboards/prometheus/alerts.yaml, placed into templates/metrics.md.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Metrics } from '../../src/observability/metrics.js'
import { code, table } from './md.js'
import { fill, root, template } from './template.js'

interface Rule {
  alert: string
  expr: string
  for?: string
  labels?: Record<string, string>
  annotations?: { summary?: string; description?: string; runbook_url?: string }
}

function alertRules(): { group: string; rules: Rule[] }[] {
  const file = parse(readFileSync(`${root}/dashboards/prometheus/alerts.yaml`, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }
  return file.groups.map((g) => ({ group: g.name, rules: g.rules }))
}

/** Only our own metrics: prom-client's default process and Node.js metrics differ by platform and version. */
async function catalogue(rules: Rule[]): Promise<string> {
  const metrics = new Metrics()
  const rows: string[][] = []
  for (const metric of metrics.registry.getMetricsAsArray()) {
    // The registry's entries are the Counter, Gauge and Histogram objects themselves; their typings hide these fields.
    const m = metric as unknown as {
      name: string
      help: string
      labelNames?: string[]
      upperBounds?: number[]
      get(): Promise<{ type: string }>
    }
    if (!m.name.startsWith('abuse_')) continue
    const { type } = await m.get()
    const alerts = rules.filter((r) => new RegExp(`\\b${m.name}(_bucket|_count|_sum)?\\b`).test(r.expr)).map((r) => r.alert)
    const buckets = type === 'histogram' && m.upperBounds ? ` Buckets (s): ${m.upperBounds.join(', ')}.` : ''
    rows.push([
      code(m.name),
      String(type),
      (m.labelNames ?? []).map(code).join(', '),
      `${m.help.replace(/\.?$/, '.')}${buckets}`,
      alerts.join(', '),
    ])
  }
  return table(['metric', 'type', 'labels', 'help', 'alerts using it'], rows)
}

function renderAlerts(groups: { group: string; rules: Rule[] }[]): string {
  const summary = table(
    ['alert', 'severity', 'for', 'group', 'summary'],
    groups.flatMap((g) =>
      g.rules.map((r) => [
        `[${r.alert}](#${r.alert.toLowerCase()})`,
        r.labels?.severity ?? '',
        r.for ?? '',
        g.group,
        r.annotations?.summary ?? '',
      ]),
    ),
  )
  const sections = groups.flatMap((g) =>
    g.rules.map((r) => {
      const a = r.annotations ?? {}
      const facts = [
        `severity **${r.labels?.severity ?? 'none'}**`,
        r.for && `for ${r.for}`,
        ...Object.entries(r.labels ?? {})
          .filter(([k]) => k !== 'severity')
          .map(([k, v]) => `${k} ${code(v)}`),
        a.runbook_url && `[runbook](../../${a.runbook_url})`,
      ].filter((f) => f)
      return [
        `### ${r.alert}`,
        '',
        `${facts.join(' · ')}`,
        '',
        `> ${a.summary ?? ''}`,
        '',
        (a.description ?? '').trim(),
        '',
        '```promql',
        r.expr.trim(),
        '```',
      ].join('\n')
    }),
  )
  return [summary, ...sections].join('\n\n')
}

export async function renderMetrics(): Promise<string> {
  const groups = alertRules()
  return fill(template('metrics.md'), {
    catalogue: await catalogue(groups.flatMap((g) => g.rules)),
    alerts: renderAlerts(groups),
  })
}
