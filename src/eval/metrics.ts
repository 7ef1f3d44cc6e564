/**
 * Pairwise clustering metrics from group-contingency counts (O(n), never O(n^2) pairs).
 *
 * A pair of messages is a true pair when both have the same ground-truth group, a predicted pair when
 * both have the same predicted cluster. precision = |true ∩ predicted| / |predicted|, recall =
 * |true ∩ predicted| / |true|; with no predicted pair precision is 1, with no true pair recall is 1.
 */
import { AbuseRadarError } from '../domain/errors.js'
export interface PairwiseMetrics {
  precision: number
  recall: number
  f1: number
  true_pairs: number
  predicted_pairs: number
  correct_pairs: number
  /** predicted clusters with at least two messages */
  campaigns: number
  /** distinct predicted clusters, singletons included */
  clusters: number
}

const pairs = (n: number): number => (n * (n - 1)) / 2

export function pairwiseMetrics(truth: readonly string[], predicted: readonly string[]): PairwiseMetrics {
  if (truth.length !== predicted.length) throw new AbuseRadarError('AR_INTERNAL', 'pairwiseMetrics: length mismatch')
  const byTruth = new Map<string, number>()
  const byPred = new Map<string, number>()
  const byCell = new Map<string, number>()
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!
    const p = predicted[i]!
    byTruth.set(t, (byTruth.get(t) ?? 0) + 1)
    byPred.set(p, (byPred.get(p) ?? 0) + 1)
    const cell = t + '\u0000' + p
    byCell.set(cell, (byCell.get(cell) ?? 0) + 1)
  }
  let truePairs = 0
  for (const n of byTruth.values()) truePairs += pairs(n)
  let predPairs = 0
  let campaigns = 0
  for (const n of byPred.values()) {
    predPairs += pairs(n)
    if (n >= 2) campaigns++
  }
  let correct = 0
  for (const n of byCell.values()) correct += pairs(n)
  const precision = predPairs === 0 ? 1 : correct / predPairs
  const recall = truePairs === 0 ? 1 : correct / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return {
    precision,
    recall,
    f1,
    true_pairs: truePairs,
    predicted_pairs: predPairs,
    correct_pairs: correct,
    campaigns,
    clusters: byPred.size,
  }
}
