// The processor's own figures: its /metrics (Prometheus text), and what changed between two scrapes.
import type { LoopStats } from './probe.js'

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** Gauges reported at the end of a window: what the processor holds. */
const STATE_GAUGES = [
  'abuse_neardup_index_entries',
  'abuse_campaigns_active',
  'abuse_chat_similarity_pairs',
  'abuse_buffered_records',
  'abuse_partitions_assigned',
  'nodejs_heap_size_total_bytes',
]
const INSERT_HISTOGRAM = 'abuse_sink_insert_duration_seconds'

export async function scrape(port: number): Promise<Sample[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) })
  }
  return samples
}

export const sum = (samples: Sample[], name: string, filter: (l: Record<string, string>) => boolean = () => true) =>
  samples.filter((s) => s.name === name && filter(s.labels)).reduce((acc, s) => acc + s.value, 0)

/** Cumulative bucket counts of a histogram, summed over label sets: le → count. */
function buckets(samples: Sample[], name: string): Map<number, number> {
  const out = new Map<number, number>()
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue
    const le = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le)
    out.set(le, (out.get(le) ?? 0) + s.value)
  }
  return out
}

/** histogram_quantile over the difference of two scrapes (linear interpolation inside a bucket). */
function histogramQuantile(q: number, before: Map<number, number>, after: Map<number, number>): number {
  const les = [...after.keys()].sort((a, b) => a - b)
  const counts = les.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0))
  const total = counts.at(-1) ?? 0
  if (total <= 0) return Number.NaN
  const rank = q * total
  let prevLe = 0
  let prevCount = 0
  for (let i = 0; i < les.length; i++) {
    const le = les[i] as number
    const c = counts[i] as number
    if (c >= rank) {
      if (!Number.isFinite(le)) return prevLe
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, c - prevCount)
    }
    prevLe = le
    prevCount = c
  }
  return prevLe
}

/** What the processor did between two scrapes. */
export interface Window {
  seconds: number
  records: number
  cpuSeconds: number
  inserts: number
  insertP99Ms: number
  insertP50Ms: number
  insertsByTable: Record<string, number>
  stageSeconds: Record<string, number>
  batches: number
  loop: LoopStats
  heapUsedMb: number
  externalMb: number
  /** Gauges at the end of the window: what the processor holds. */
  state: Record<string, number>
}

/** Differences of the processor's counters between two scrapes. */
export function windowOf(before: Sample[], after: Sample[], seconds: number, records: number, loop: LoopStats): Window {
  const delta = (name: string, filter?: (l: Record<string, string>) => boolean) => sum(after, name, filter) - sum(before, name, filter)
  const insertsByTable: Record<string, number> = {}
  for (const s of after) {
    if (s.name !== `${INSERT_HISTOGRAM}_count`) continue
    const table = s.labels.table as string
    insertsByTable[table] = delta(`${INSERT_HISTOGRAM}_count`, (l) => l.table === table)
  }
  const stageSeconds: Record<string, number> = {}
  for (const stage of ['process', 'write', 'commit'])
    stageSeconds[stage] = delta('abuse_stage_duration_seconds_sum', (l) => l.stage === stage)
  const insertsBefore = buckets(before, INSERT_HISTOGRAM)
  const insertsAfter = buckets(after, INSERT_HISTOGRAM)
  return {
    seconds,
    records,
    cpuSeconds: delta('process_cpu_seconds_total'),
    inserts: delta(`${INSERT_HISTOGRAM}_count`),
    insertP99Ms: histogramQuantile(0.99, insertsBefore, insertsAfter) * 1000,
    insertP50Ms: histogramQuantile(0.5, insertsBefore, insertsAfter) * 1000,
    insertsByTable,
    stageSeconds,
    batches: delta('abuse_batches_written_total'),
    loop,
    heapUsedMb: sum(after, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    externalMb: sum(after, 'nodejs_external_memory_bytes') / 2 ** 20,
    state: Object.fromEntries(STATE_GAUGES.map((name) => [name, Math.round(sum(after, name))])),
  }
}
