/**
 * `abuse-radar eval neardup --data FILE.jsonl [--json]`: the near-duplicate evaluation.
 *
 * Reads a JSONL file in the format of test/fixtures/eval/README.md (`id`, `text`, `group`; `ts`, `channel`
 * and the rest optional), runs normalizer → fingerprint → campaign index over the messages in `ts`
 * order (file order for equal or missing `ts`), and scores the predicted campaigns against `group`
 * with pairwise precision, recall and F1 (./metrics.ts), next to two baselines (./baselines.ts).
 * This module may read files (the only stage-adjacent module allowed to); the clock is read only to
 * measure throughput.
 */
import { readFileSync } from 'node:fs'
import { CampaignIndex, type CampaignIndexOptions } from '../campaigns/index.js'
import { fingerprintText } from '../fingerprint/index.js'
import { OBFUSCATION_KINDS, normalizeText, type ObfuscationKind } from '../normalize/index.js'
import { exactRawClusters, tokenCosineClusters } from './baselines.js'
import { pairwiseMetrics } from './metrics.js'
import { recallByAttack, resultsByHalf, type AttackRecall, type HalfResult } from './breakdown.js'
import { AbuseRadarError } from '../domain/errors.js'

export interface EvalRecord {
  id: string
  text: string
  group: string
  /** event time in milliseconds (from `ts`: seconds when below 1e11, else milliseconds, or RFC 3339) */
  tsMs?: number
  channel?: string
  /** the attacks that made this copy (adversarial data, ./adversarial.ts); [] for an unattacked message */
  ops?: string[]
  /** the half of the base texts the record belongs to (`tune` or `heldout`) */
  half?: string
}

export interface MethodResult {
  precision: number
  recall: number
  f1: number
  messages_per_second: number
  /** predicted campaigns with at least two messages */
  campaigns: number
  /** distinct predicted clusters, singletons included */
  clusters: number
  true_pairs: number
  predicted_pairs: number
  correct_pairs: number
}

export interface NeardupEvalResult extends MethodResult {
  messages: number
  groups: number
  /** messages whose normalization found each obfuscation kind */
  evidence: Partial<Record<ObfuscationKind, number>>
  baselines: Record<string, MethodResult>
  /** recall per attack, when the data has `ops` (./breakdown.ts) */
  attacks: Record<string, AttackRecall>
  /** figures per half of the base texts, when the data has `half` */
  halves: Record<string, HalfResult>
}

export interface NeardupEvalOptions {
  /** campaign index options; default window 24 h, 1,000,000 entries */
  index?: Partial<CampaignIndexOptions>
  /** run the baselines (default true) */
  baselines?: boolean
  /** also return the predicted campaign id per record (stream order), merged ids resolved as in predicted */
  onAssign?: (record: EvalRecord, campaignId: string) => void
}

/** Parses a JSONL evaluation file; throws with the line number on a malformed line. */
export function readEvalJsonl(path: string): EvalRecord[] {
  return parseEvalJsonl(readFileSync(path, 'utf8'))
}

export function parseEvalJsonl(content: string): EvalRecord[] {
  const out: EvalRecord[] = []
  eachJsonlObject(content, (o, line) => {
    const id = scalar(o['id']) ?? `line-${line}`
    const text = typeof o['text'] === 'string' ? o['text'] : ''
    const group = scalar(o['group'])
    if (group === undefined) throw new AbuseRadarError('AR_INPUT_INVALID', `line ${line}: missing "group"`)
    const rec: EvalRecord = { id, text, group }
    const tsMs = parseTs(o['ts'])
    if (tsMs !== undefined) rec.tsMs = tsMs
    const channel = scalar(o['channel'])
    if (channel !== undefined) rec.channel = channel
    const ops = o['ops']
    if (Array.isArray(ops)) rec.ops = ops.filter((x): x is string => typeof x === 'string')
    const half = scalar(o['half'])
    if (half !== undefined) rec.half = half
    out.push(rec)
  })
  return out
}

/**
 * Calls `fn` with each JSON object of a JSONL text and its line number (1-based), blank lines
 * skipped; throws with the line number on a line that is not a JSON object.
 */
export function eachJsonlObject(content: string, fn: (o: Record<string, unknown>, line: number) => void): void {
  const lines = content.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line.length === 0) continue
    let obj: unknown
    try {
      obj = JSON.parse(line)
    } catch (err) {
      throw new AbuseRadarError('AR_INPUT_INVALID', `line ${i + 1}: not valid JSON (${(err as Error).message})`)
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      throw new AbuseRadarError('AR_INPUT_INVALID', `line ${i + 1}: not a JSON object`)
    fn(obj as Record<string, unknown>, i + 1)
  }
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return undefined
}

/** An eval record's time: epoch seconds or ms, a numeric string, or a date string; undefined otherwise. */
export function parseTs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v
  if (typeof v === 'string' && v.length > 0) {
    const n = Number(v)
    if (Number.isFinite(n)) return n < 1e11 ? n * 1000 : n
    const d = Date.parse(v)
    if (Number.isFinite(d)) return d
  }
  return undefined
}

/** Records in stream order: by time, file order for ties; records without time keep their place after the previous one. */
export function streamOrder<R extends { tsMs?: number }>(records: readonly R[]): R[] {
  let last = 0
  const keyed = records.map((r, i) => {
    const t = r.tsMs ?? last
    last = t
    return { r, t, i }
  })
  keyed.sort((a, b) => a.t - b.t || a.i - b.i)
  return keyed.map((k) => k.r)
}

/** Items per second from a count and milliseconds (the count itself when no time was measured). */
export function rate(n: number, ms: number): number {
  return ms > 0 ? Math.round((n / ms) * 1000) : n
}

function method(truth: readonly string[], predicted: readonly string[], ms: number): MethodResult {
  const m = pairwiseMetrics(truth, predicted)
  return {
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    messages_per_second: rate(truth.length, ms),
    campaigns: m.campaigns,
    clusters: m.clusters,
    true_pairs: m.true_pairs,
    predicted_pairs: m.predicted_pairs,
    correct_pairs: m.correct_pairs,
  }
}

export function runNeardupEval(records: readonly EvalRecord[], opts: NeardupEvalOptions = {}): NeardupEvalResult {
  const ordered = streamOrder(records)
  const truth = ordered.map((r) => r.group)
  const texts = ordered.map((r) => r.text)
  const index = new CampaignIndex({ windowMs: 24 * 3600 * 1000, maxEntries: 1_000_000, ...opts.index })
  const predicted: string[] = new Array<string>(ordered.length)
  const evidence: Partial<Record<ObfuscationKind, number>> = {}
  const seenIds = new Map<string, number>()
  const t0 = performance.now()
  let lastTs = 0
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i]!
    const ts = r.tsMs ?? lastTs
    lastTs = ts
    const n = normalizeText(r.text)
    for (const k of OBFUSCATION_KINDS) if (n.evidence[k] !== undefined) evidence[k] = (evidence[k] ?? 0) + 1
    const fp = fingerprintText(n)
    index.evict(ts)
    // duplicate ids in a file are distinct messages
    const dup = seenIds.get(r.id) ?? 0
    seenIds.set(r.id, dup + 1)
    const messageId = dup === 0 ? r.id : `${r.id}#${dup}`
    const a = index.assign({ chatId: r.channel ?? 'eval', messageId }, fp, n.text, ts)
    predicted[i] = a.campaignId
  }
  const pipelineMs = performance.now() - t0
  // campaigns merged since (a lone message adopted later): each id resolved to where it ended up,
  // as campaigns_latest resolves campaign_aliases (the last alias row of an id is its final one)
  const canonical = new Map<string, string>()
  for (const m of index.drainMerges()) canonical.set(m.alias, m.canonical)
  for (let i = 0; i < predicted.length; i++) {
    const id = canonical.get(predicted[i]!) ?? predicted[i]!
    predicted[i] = id
    opts.onAssign?.(ordered[i]!, id)
  }
  const main = method(truth, predicted, pipelineMs)
  const groups = new Set(truth).size

  const baselines: Record<string, MethodResult> = {}
  if (opts.baselines !== false) {
    let t = performance.now()
    const exact = exactRawClusters(texts)
    baselines['exact_raw'] = method(truth, exact, performance.now() - t)
    t = performance.now()
    const cos = tokenCosineClusters(texts, 0.5)
    baselines['token_cosine_0.5'] = method(truth, cos, performance.now() - t)
  }
  const attacks = recallByAttack(ordered, predicted)
  const halves = resultsByHalf(ordered, predicted)
  return { ...main, messages: ordered.length, groups, evidence, baselines, attacks, halves }
}

const pct = (v: number): string => (v * 100).toFixed(1).padStart(6) + '%'

/** A readable table of an evaluation result. */
export function formatNeardupEval(r: NeardupEvalResult): string {
  const rows: [string, MethodResult][] = [['pipeline', r], ...Object.entries(r.baselines)]
  const lines: string[] = []
  lines.push(`near-duplicate evaluation: ${r.messages} messages, ${r.groups} ground-truth groups, ${r.true_pairs} true pairs`)
  lines.push('')
  lines.push('method              precision   recall       F1   campaigns   msgs/s')
  for (const [name, m] of rows) {
    lines.push(
      `${name.padEnd(18)} ${pct(m.precision)}  ${pct(m.recall)}  ${pct(m.f1)}   ${String(m.campaigns).padStart(9)}   ${String(m.messages_per_second).padStart(6)}`,
    )
  }
  const ev = Object.entries(r.evidence)
    .filter(([, v]) => (v ?? 0) > 0)
    .map(([k, v]) => `${k} ${v}`)
  if (ev.length > 0) {
    lines.push('')
    lines.push(`messages with evidence of: ${ev.join(', ')}`)
  }
  const halves = Object.entries(r.halves)
  if (halves.length > 0) {
    lines.push('')
    lines.push('half        messages   precision   recall       F1')
    for (const [name, h] of halves)
      lines.push(`${name.padEnd(10)} ${String(h.messages).padStart(9)}   ${pct(h.precision)}  ${pct(h.recall)}  ${pct(h.f1)}`)
  }
  const names = Object.keys(r.attacks)
  if (names.length > 0) {
    lines.push('')
    lines.push(`${'recall by attack'.padEnd(16)} ${['all', ...halves.map(([n]) => n)].map((n) => n.padStart(9)).join(' ')}`)
    for (const a of names) {
      const cells = [r.attacks[a], ...halves.map(([, h]) => h.attacks[a])].map((x) => (x === undefined ? '      -' : pct(x.recall)))
      lines.push(`${a.padEnd(16)} ${cells.map((c) => c.padStart(9)).join(' ')}`)
    }
  }
  return lines.join('\n') + '\n'
}
