/**
 * `eval neardup --false-pairs`: which labelled groups the detector joined, for reading a labelled
 * set's precision. A false pair is two messages predicted in one campaign whose `group` labels
 * differ; they are counted per pair of groups, with the closest two messages of the two groups:
 * the share of the smaller one's shingles the other holds (containment) and their Jaccard
 * similarity, on the normalized skeletons the index compares. A group pair whose containment is
 * (nearly) 1 is one text under two labels, as a hand-labelled set has when the same advert was
 * filed twice; one far below is a wrong join.
 */
import { shingleSet, skeletonOf } from '../fingerprint/index.js'
import { normalizeText } from '../normalize/index.js'
import type { EvalRecord } from './neardup.js'

export interface FalseGroupPair {
  groups: [string, string]
  /** message pairs of the two groups predicted together */
  pairs: number
  /** the highest containment of one message's shingles in another's, over those pairs */
  containment: number
  /** the highest Jaccard similarity over those pairs */
  jaccard: number
  /** the two messages of the highest containment */
  texts: [string, string]
}

/** The false pairs of a prediction (`campaignOf`: record id → predicted campaign), by group pair, most pairs first. */
export function falsePairsByGroup(records: readonly EvalRecord[], campaignOf: ReadonlyMap<string, string>): FalseGroupPair[] {
  const members = new Map<string, EvalRecord[]>()
  for (const r of records) {
    const campaign = campaignOf.get(r.id)
    if (campaign === undefined) continue
    const list = members.get(campaign)
    if (list === undefined) members.set(campaign, [r])
    else list.push(r)
  }
  const shingles = new Map<string, Set<number>>()
  const shinglesOf = (r: EvalRecord): Set<number> => {
    let set = shingles.get(r.id)
    if (set === undefined) {
      const normalized = normalizeText(r.text)
      set = new Set(shingleSet(skeletonOf(normalized.text, normalized.numbers)))
      shingles.set(r.id, set)
    }
    return set
  }
  const byGroups = new Map<string, FalseGroupPair>()
  for (const list of members.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!
        const b = list[j]!
        if (a.group === b.group) continue
        const [first, second] = a.group < b.group ? [a, b] : [b, a]
        const key = `${first.group}\u0000${second.group}`
        const sa = shinglesOf(first)
        const sb = shinglesOf(second)
        let shared = 0
        for (const s of sa) if (sb.has(s)) shared++
        const smaller = Math.max(1, Math.min(sa.size, sb.size))
        const containment = shared / smaller
        const jaccard = shared / Math.max(1, sa.size + sb.size - shared)
        const entry = byGroups.get(key)
        if (entry === undefined) {
          byGroups.set(key, { groups: [first.group, second.group], pairs: 1, containment, jaccard, texts: [first.text, second.text] })
          continue
        }
        entry.pairs++
        if (containment > entry.containment) {
          entry.containment = containment
          entry.texts = [first.text, second.text]
        }
        if (jaccard > entry.jaccard) entry.jaccard = jaccard
      }
    }
  }
  return [...byGroups.values()].sort((x, y) => y.pairs - x.pairs || (x.groups[0] < y.groups[0] ? -1 : 1))
}

/** The table `eval neardup --false-pairs` prints. */
export function formatFalsePairs(pairs: readonly FalseGroupPair[], containedAt = 0.95): string {
  const total = pairs.reduce((n, p) => n + p.pairs, 0)
  const contained = pairs.filter((p) => p.containment >= containedAt).reduce((n, p) => n + p.pairs, 0)
  const clip = (text: string) => text.replace(/\s+/g, ' ').slice(0, 90)
  const lines = [
    `false pairs: ${total} in ${pairs.length} pairs of groups; ${contained} of them where a message of one group holds >= ${containedAt} of the shingles of a message of the other`,
    '',
    'pairs  containment  jaccard  groups',
  ]
  for (const p of pairs) {
    lines.push(
      `${String(p.pairs).padStart(5)}  ${p.containment.toFixed(2).padStart(11)}  ${p.jaccard.toFixed(2).padStart(7)}  ${p.groups.join(' ~ ')}`,
    )
    lines.push(`       ${clip(p.texts[0])}`)
    lines.push(`       ${clip(p.texts[1])}`)
  }
  return lines.join('\n') + '\n'
}
