/**
 * Clone evidence of a pair of chats: the content score and which of the two is the copy.
 *
 *   net  = |copies one way - copies the other way|   (per item kind: exact, campaign, head, tail)
 *   score = max over the kinds of  min(1, net / min(items of A, items of B)) * net / (net + 1)
 *
 * (For the text keys, head and tail, the items of a chat are its posts, its exact items: a chat whose
 * short posts have no keys is not more of a copy for it.)
 *
 * Containment (over the smaller chat) is what counts: a clone that copies a big channel's posts and
 * little else has containment 1 whatever the sizes. Direction is what tells a copy from two chats
 * that merely receive the same campaigns: those post them in no consistent order.
 */
import { ITEM_KINDS, SP_CAMP, SP_EXACT, firstsOf, type Chat, type ChatTable, type Pair } from './model.js'

/** When a pair's content makes it a clone pair (ChatSimilarityOptions in ./model.ts says why each). */
export interface CloneThresholds {
  minShared: number
  minSharedExclusive: number
  minScore: number
  minScoreExclusive: number
}

/**
 * Sets p.contentOk (for one kind: net >= minShared with score >= minScore, or net >= minSharedExclusive
 * over the items only the two chats posted with score >= minScoreExclusive) and p.contentScore.
 */
export function judgeContent(p: Pair, chats: ChatTable, t: CloneThresholds): void {
  p.contentOk = false
  p.contentScore = 0
  const lo = chats.at(p.lo)
  const hi = chats.at(p.hi)
  if (lo === undefined || hi === undefined) return
  for (let sp = 0; sp < ITEM_KINDS; sp++) {
    // net directional evidence: copies one way minus copies the other way (chats that merely share
    // campaigns post them in no consistent order)
    const n = Math.abs(p.firsts[2 * sp]! - p.firsts[2 * sp + 1]!)
    if (n <= 0) continue
    const of = sp === SP_CAMP ? SP_CAMP : SP_EXACT
    const m = Math.min(lo.sizes[of]!, hi.sizes[of]!)
    const containment = Math.min(1, n / Math.max(1, m))
    const s = containment * (n / (n + 1))
    if (s > p.contentScore) p.contentScore = s
    const exclusive = Math.abs(p.exclusives[2 * sp]! - p.exclusives[2 * sp + 1]!)
    if ((n >= t.minShared && s >= t.minScore) || (exclusive >= t.minSharedExclusive && s >= t.minScoreExclusive)) p.contentOk = true
  }
}

/** The copy's slot: the chat that posted the shared items first less often (ties: the one with fewer items). */
export function copySlot(p: Pair, chats: ChatTable): number {
  const loFirst = firstsOf(p, true)
  const hiFirst = firstsOf(p, false)
  if (loFirst !== hiFirst) return loFirst > hiFirst ? p.hi : p.lo
  const lo = chats.at(p.lo) as Chat
  const hi = chats.at(p.hi) as Chat
  return lo.sizes[SP_EXACT]! + lo.sizes[SP_CAMP]! >= hi.sizes[SP_EXACT]! + hi.sizes[SP_CAMP]! ? p.hi : p.lo
}
