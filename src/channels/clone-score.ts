/**
 * Clone evidence of a pair of chats: the content score and which of the two is the copy.
 *
 *   net  = |copies one way - copies the other way|   (per item kind: exact, campaign)
 *   score = max over the two kinds of  min(1, net / min(items of A, items of B)) * net / (net + 1)
 *
 * Containment (over the smaller chat) is what counts: a clone that copies a big channel's posts and
 * little else has containment 1 whatever the sizes. Direction is what tells a copy from two chats
 * that merely receive the same campaigns: those post them in no consistent order.
 */
import { SP_EXACT, type Chat, type ChatTable, type Pair } from './model.js'

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
  for (let sp = 0; sp < 2; sp++) {
    // net directional evidence: copies one way minus copies the other way (chats that merely share
    // campaigns post them in no consistent order)
    const n = sp === SP_EXACT ? Math.abs(p.eLo - p.eHi) : Math.abs(p.cLo - p.cHi)
    if (n <= 0) continue
    const m = sp === SP_EXACT ? Math.min(lo.size0, hi.size0) : Math.min(lo.size1, hi.size1)
    const containment = Math.min(1, n / Math.max(1, m))
    const s = containment * (n / (n + 1))
    if (s > p.contentScore) p.contentScore = s
    const exclusive = sp === SP_EXACT ? Math.abs(p.xeLo - p.xeHi) : Math.abs(p.xcLo - p.xcHi)
    if ((n >= t.minShared && s >= t.minScore) || (exclusive >= t.minSharedExclusive && s >= t.minScoreExclusive)) p.contentOk = true
  }
}

/** The copy's slot: the chat that posted the shared items first less often (ties: the one with fewer items). */
export function copySlot(p: Pair, chats: ChatTable): number {
  const loFirst = p.eLo + p.cLo
  const hiFirst = p.eHi + p.cHi
  if (loFirst !== hiFirst) return loFirst > hiFirst ? p.hi : p.lo
  const lo = chats.at(p.lo) as Chat
  const hi = chats.at(p.hi) as Chat
  return lo.size0 + lo.size1 >= hi.size0 + hi.size1 ? p.hi : p.lo
}
