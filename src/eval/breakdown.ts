/**
 * Where a near-duplicate run finds and misses pairs: recall per attack, when the data says which
 * attacks made each copy (`ops`), and precision / recall / F1 per half of the base texts (`half`,
 * see ./adversarial.ts), so that figures can be read on data no threshold was chosen on.
 *
 * Recall of an attack: over every message the attack made and every other member of its group, the
 * share of those pairs predicted together (a pair counts for each attack of either message). The
 * unattacked messages of groups with copies are reported as `none`.
 */
import { pairwiseMetrics, type PairwiseMetrics } from './metrics.js'

export interface AttackRecall {
  /** messages the attack made */
  messages: number
  /** pairs of those messages with the rest of their group */
  pairs: number
  found: number
  recall: number
}

export interface Labelled {
  group: string
  ops?: readonly string[]
  half?: string
}

/** Recall per attack (empty when no record has `ops`). */
export function recallByAttack(records: readonly Labelled[], predicted: readonly string[]): Record<string, AttackRecall> {
  const groupSize = new Map<string, number>()
  const cell = new Map<string, number>()
  let anyOps = false
  records.forEach((r, i) => {
    if (r.ops !== undefined) anyOps = true
    groupSize.set(r.group, (groupSize.get(r.group) ?? 0) + 1)
    const k = r.group + '\u0000' + predicted[i]!
    cell.set(k, (cell.get(k) ?? 0) + 1)
  })
  const out: Record<string, AttackRecall> = {}
  if (!anyOps) return out
  records.forEach((r, i) => {
    const pairs = groupSize.get(r.group)! - 1
    if (pairs === 0) return
    const found = cell.get(r.group + '\u0000' + predicted[i]!)! - 1
    const ops = r.ops === undefined || r.ops.length === 0 ? ['none'] : r.ops
    for (const op of ops) {
      const a = (out[op] ??= { messages: 0, pairs: 0, found: 0, recall: 0 })
      a.messages++
      a.pairs += pairs
      a.found += found
    }
  })
  for (const a of Object.values(out)) a.recall = a.pairs === 0 ? 1 : a.found / a.pairs
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => x.localeCompare(y)))
}

export interface HalfResult extends PairwiseMetrics {
  messages: number
  attacks: Record<string, AttackRecall>
}

/** Metrics of each half on its own messages (empty when no record has `half`). */
export function resultsByHalf(records: readonly Labelled[], predicted: readonly string[]): Record<string, HalfResult> {
  const halves = new Map<string, number[]>()
  records.forEach((r, i) => {
    if (r.half === undefined) return
    const list = halves.get(r.half)
    if (list === undefined) halves.set(r.half, [i])
    else list.push(i)
  })
  const out: Record<string, HalfResult> = {}
  for (const [half, idx] of [...halves].sort(([a], [b]) => b.localeCompare(a))) {
    const sub = idx.map((i) => records[i]!)
    const pred = idx.map((i) => predicted[i]!)
    out[half] = {
      ...pairwiseMetrics(
        sub.map((r) => r.group),
        pred,
      ),
      messages: idx.length,
      attacks: recallByAttack(sub, pred),
    }
  }
  return out
}
