/**
 * Pair lifecycle: the table of chat pairs with any evidence (shared items or a name match), which
 * of them changed since the last drain, and their retirement. A pair is reported while it is a
 * kind (content, name or both); one that stops being a kind (superseded by another kind, decayed
 * out of the window, or dropped with a forgotten chat) gets a last row of that kind with score 0.
 * Two copies of one original are not reported as clones of each other (they resemble each other
 * through it). `maxPairs` bounds the table: beyond it, never-reported pairs with the least evidence
 * are dropped first.
 */
import { copySlot, judgeContent, type CloneThresholds } from './clone-score.js'
import { Pair, SLOT_SPAN, sharedOf, type ChatTable, type Kind, type SimilarityRow } from './model.js'
import { similarityRow } from './rows.js'

export class PairTable {
  readonly byKey = new Map<number, Pair>()
  private dirty: Pair[] = []
  /** final rows of reported pairs that were dropped with a forgotten chat (written at the next drain) */
  private retired: SimilarityRow[] = []
  reportedContent = 0
  reportedName = 0

  constructor(
    private readonly chats: ChatTable,
    private readonly maxPairs: number,
    private readonly thresholds: CloneThresholds,
  ) {}

  get(a: number, b: number): Pair | undefined {
    return this.byKey.get(a < b ? a * SLOT_SPAN + b : b * SLOT_SPAN + a)
  }

  getOrCreate(a: number, b: number): Pair {
    const lo = a < b ? a : b
    const hi = a < b ? b : a
    const key = lo * SLOT_SPAN + hi
    let p = this.byKey.get(key)
    if (p === undefined) {
      if (this.byKey.size >= this.maxPairs) this.prune()
      p = new Pair(lo, hi, key)
      this.byKey.set(key, p)
      this.pairSetOf(lo).add(key)
      this.pairSetOf(hi).add(key)
    }
    return p
  }

  private pairSetOf(slot: number): Set<number> {
    const c = this.chats.at(slot)!
    return (c.pairs ??= new Set())
  }

  markDirty(p: Pair): void {
    if (p.dirty) return
    p.dirty = true
    this.dirty.push(p)
  }

  delete(p: Pair): void {
    if (p.gone) return
    // a reported pair leaves with a last row: score 0, its evidence gone with a forgotten chat
    if (p.reported !== null) {
      const r = similarityRow(this.chats, p, p.reported, 0, 0, true)
      r.shared_items = r.shared_campaigns = r.a_first = r.b_first = 0
      this.retired.push(r)
    }
    this.setReported(p, null)
    this.setCloneSide(p, -1)
    p.gone = true
    this.byKey.delete(p.key)
    this.chats.at(p.lo)?.pairs?.delete(p.key)
    this.chats.at(p.hi)?.pairs?.delete(p.key)
  }

  /** Pairs whose state changed since the last call, with their latest state (only pairs that are, or were, reported). */
  drainChanged(nowMs: number): SimilarityRow[] {
    const rows: SimilarityRow[] = []
    for (const r of this.retired) rows.push({ ...r, updated_at: nowMs })
    this.retired = []
    const dirty = this.dirty
    this.dirty = []
    // pass 1: clone relations (who copies whom), so that pass 2 can tell sibling copies apart
    for (const p of dirty) {
      if (p.gone) continue
      judgeContent(p, this.chats, this.thresholds)
      const before = p.cloneSlot
      this.setCloneSide(p, p.contentOk ? copySlot(p, this.chats) : -1)
      if (p.cloneSlot >= 0 && p.cloneSlot !== before) this.touchPairsOf(p.cloneSlot, p)
    }
    // pass 2: rows
    for (const p of dirty) {
      p.dirty = false
      if (p.gone) continue
      const contentOk = p.contentOk && !this.siblingCopies(p)
      if (!contentOk) this.setCloneSide(p, -1)
      const nameOk = p.name !== null && (!p.name.weak || contentOk)
      const kind: Kind | null = contentOk && nameOk ? 'both' : contentOk ? 'content' : nameOk ? 'name' : null
      if (kind !== null) rows.push(similarityRow(this.chats, p, kind, p.contentScore, nowMs))
      if (p.reported !== null && p.reported !== kind) {
        // no longer this kind (superseded by another, or decayed as the window moved): score 0
        rows.push(similarityRow(this.chats, p, p.reported, 0, nowMs, true))
      }
      this.setReported(p, kind)
      if (kind === null && sharedOf(p) <= 0 && p.name === null) this.delete(p)
    }
    return rows
  }

  /** A chat became a copy in a pair: its other pairs are judged again (sibling copies). */
  private touchPairsOf(slot: number, except: Pair): void {
    const c = this.chats.at(slot)
    if (c === undefined || c.pairs === null) return
    for (const key of c.pairs) {
      const q = this.byKey.get(key)
      if (q !== undefined && q !== except && q.reported !== null) this.markDirty(q)
    }
  }

  /**
   * Two copies of one original resemble each other through it: the pair (copy X, "original" Y) is
   * not reported when X and Y are both reported copies of a third chat Z.
   */
  private siblingCopies(p: Pair): boolean {
    const x = copySlot(p, this.chats)
    const y = x === p.lo ? p.hi : p.lo
    const cx = this.chats.at(x)
    const cy = this.chats.at(y)
    if (cx === undefined || cy === undefined || cy.clones === 0 || cx.pairs === null) return false
    for (const key of cx.pairs) {
      const q = this.byKey.get(key)
      if (q === undefined || q === p || q.cloneSlot !== x) continue
      const z = q.lo === x ? q.hi : q.lo
      if (z === y) continue
      const r = this.get(y, z)
      if (r !== undefined && r.cloneSlot === y) return true
    }
    return false
  }

  private setReported(p: Pair, kind: Kind | null): void {
    const wasC = p.reported === 'content' || p.reported === 'both'
    const wasN = p.reported === 'name' || p.reported === 'both'
    const isC = kind === 'content' || kind === 'both'
    const isN = kind === 'name' || kind === 'both'
    this.reportedContent += Number(isC) - Number(wasC)
    this.reportedName += Number(isN) - Number(wasN)
    p.reported = kind
  }

  private setCloneSide(p: Pair, slot: number): void {
    if (p.cloneSlot === slot) return
    if (p.cloneSlot >= 0) {
      const c = this.chats.at(p.cloneSlot)
      if (c !== undefined) c.clones--
    }
    if (slot >= 0) {
      const c = this.chats.at(slot)
      if (c !== undefined) c.clones++
    }
    p.cloneSlot = slot
  }

  /** Over maxPairs: drop never-reported pairs with the least evidence (1 shared item, then 2, ...). */
  private prune(): void {
    const target = Math.floor(this.maxPairs * 0.9)
    for (let limit = 1; this.byKey.size > target && limit <= this.thresholds.minShared; limit++) {
      for (const p of this.byKey.values()) {
        if (this.byKey.size <= target) break
        if (p.reported === null && p.name === null && !p.dirty && sharedOf(p) <= limit) this.delete(p)
      }
    }
  }
}
