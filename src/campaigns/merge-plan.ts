/**
 * Which aliases a campaign merge writes (docs/scale-out.md). The aliases already written are edges
 * as they were written: an alias resolves to its canonical, as the index attached it (an adopted
 * small campaign's id resolves to the campaign that adopted it, even when its own id is the smaller:
 * campaigns.ts `adopt`). Pairs found alike then join those groups, each pair under the smaller of its
 * two groups' canonical ids, the rule the index's own merges follow (`mergeRoots`), so the result
 * does not depend on which pair was found first or by whom. Readers resolve one alias level
 * (campaigns_latest), so every id whose alias row no longer names its group's canonical is written
 * again: when two groups join, the ids that resolved to the larger group's canonical; when a row
 * written meanwhile made a chain or a cycle, the ids on it.
 */
import { SIG_LENGTH, signatureFromHex, signatureSimilarity } from '../fingerprint/index.js'

/**
 * The candidate pairs of which some representative of one and some representative of the other
 * agree on at least `minSimilarity` of their signature bins (the estimated Jaccard similarity of
 * their texts). Malformed signatures are skipped; a pair with no well-formed signature on one side
 * is left out: it cannot be compared.
 */
export function similarPairs(
  pairs: readonly { a: string; b: string }[],
  signatures: ReadonlyMap<string, readonly string[]>,
  minSimilarity: number,
): { a: string; b: string }[] {
  const parsed = new Map<string, Uint32Array[]>()
  const signaturesOf = (id: string) => {
    let sigs = parsed.get(id)
    if (sigs === undefined) {
      sigs = (signatures.get(id) ?? [])
        .filter((hex) => hex.length === 8 * SIG_LENGTH && /^[0-9a-f]+$/.test(hex))
        .map((hex) => signatureFromHex(hex))
      parsed.set(id, sigs)
    }
    return sigs
  }
  return pairs.filter(({ a, b }) => {
    const others = signaturesOf(b)
    return signaturesOf(a).some((x) => others.some((y) => signatureSimilarity(x, y) >= minSimilarity))
  })
}

export interface AliasPlanInput {
  /** campaign ids found alike, as pairs */
  pairs: readonly { a: string; b: string }[]
  /** the alias rows already written that mention any id of `pairs`, latest per alias, oldest first */
  current: readonly { alias: string; canonical: string }[]
}

export function planAliases({ pairs, current }: AliasPlanInput): { alias: string; canonical: string }[] {
  const parent = new Map<string, string>()
  const find = (id: string): string => {
    let root = id
    for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root)) root = up
    // path compression: the next find of any id on the way is one step
    for (let at = id; at !== root;) {
      const up = parent.get(at)!
      parent.set(at, root)
      at = up
    }
    return root
  }
  for (const id of [...pairs.flatMap((p) => [p.a, p.b]), ...current.flatMap((c) => [c.alias, c.canonical])])
    if (!parent.has(id)) parent.set(id, id)
  // Oldest first: a row that would close a cycle (possible in rows written before aliases kept their
  // direction) is the later one, and is left out: the rewrite below replaces it.
  for (const { alias, canonical } of current) {
    const [from, to] = [find(alias), find(canonical)]
    if (from !== to) parent.set(from, to)
  }
  for (const { a, b } of pairs) {
    const [ra, rb] = [find(a), find(b)]
    if (ra < rb) parent.set(rb, ra)
    else if (rb < ra) parent.set(ra, rb)
  }

  const resolvesTo = new Map(current.map((c) => [c.alias, c.canonical]))
  const plan: { alias: string; canonical: string }[] = []
  for (const id of [...parent.keys()].sort()) {
    const canonical = find(id)
    // an id that is its group's canonical again but has a row saying otherwise gets a row naming itself
    if ((resolvesTo.get(id) ?? id) !== canonical) plan.push({ alias: id, canonical })
  }
  return plan
}
