/**
 * A pair's state as a `chat_similarity` row: its evidence (shared items, who posted them first,
 * the original) and its explanation (the matching names), chat_a < chat_b.
 */
import { copySlot } from './clone-score.js'
import { SP_CAMP, firstsOf, sharedOf, type Chat, type ChatTable, type Kind, type Pair, type SimilarityRow } from './model.js'

/** The row of `p` as `kind`; `retired` (the pair stopped being that kind) gives score 0. */
export function similarityRow(chats: ChatTable, p: Pair, kind: Kind, contentScore: number, nowMs: number, retired = false): SimilarityRow {
  const lo = chats.at(p.lo) as Chat
  const hi = chats.at(p.hi) as Chat
  const swap = hi.id < lo.id
  const a = swap ? hi : lo
  const b = swap ? lo : hi
  const content = kind !== 'name'
  const nameScore = p.name?.score ?? 0
  const score = retired ? 0 : kind === 'content' ? contentScore : kind === 'name' ? nameScore : Math.max(contentScore, nameScore)
  const nameLo = p.name?.nameLo ?? ''
  const nameHi = p.name?.nameHi ?? ''
  let original = ''
  if (content) original = chats.at(copySlot(p, chats) === p.lo ? p.hi : p.lo)!.id
  // A retired name row may come after the name match itself was dropped (p.name null).
  const firstSeen = content
    ? p.name
      ? Math.min(p.firstSeen || p.name.seen, p.name.seen)
      : p.firstSeen
    : (p.name?.seen ?? (p.firstSeen || nowMs))
  const lastSeen = content ? p.lastSeen : Math.max(lo.lastTs, hi.lastTs, firstSeen)
  return {
    chat_a: a.id,
    chat_b: b.id,
    kind,
    score: Math.round(Math.max(0, Math.min(1, score)) * 10000) / 10000,
    shared_items: Math.max(0, sharedOf(p)),
    shared_campaigns: Math.max(0, p.firsts[2 * SP_CAMP]! + p.firsts[2 * SP_CAMP + 1]!),
    original_chat: original,
    a_first: Math.max(0, firstsOf(p, !swap)),
    b_first: Math.max(0, firstsOf(p, swap)),
    name_a: kind === 'content' ? '' : swap ? nameHi : nameLo,
    name_b: kind === 'content' ? '' : swap ? nameLo : nameHi,
    first_seen: firstSeen,
    last_seen: Math.max(lastSeen, firstSeen),
    updated_at: nowMs,
  }
}
