/**
 * Campaign slots: ids, live member counts, and the union-find that merges campaigns founded twice
 * (see `mergeRoots`). An id is `c` + the 16-hex exact hash of the founding message, or an id another
 * instance gave that is not of that form (kept as it is). An alias slot points at the campaign it
 * joined and lives as long as members or aliases still refer to it.
 */
import { hex64 } from '../fingerprint/hash.js'
import type { CampaignMerge } from './types.js'
import { grownFrom } from '../domain/typed-arrays.js'
import { U64Map } from '../domain/u64map.js'

const FOUNDER_ID = /^c[0-9a-f]{16}$/

function parseHex32(s: string, from: number): number {
  return parseInt(s.slice(from, from + 8), 16) >>> 0
}

export class Campaigns {
  private hi = new Uint32Array(0)
  private lo = new Uint32Array(0)
  /** live members, counted at the root of a merged campaign */
  private members = new Int32Array(0)
  /** the campaign a slot was merged into (itself for a root) */
  private parent = new Int32Array(0)
  /** members and aliases referring to a slot directly; the slot is freed at zero */
  private refs = new Int32Array(0)
  /** ids merged into a root, so a later merge of that root re-points them all */
  private readonly aliasesOf = new Map<number, string[]>()
  private merges: CampaignMerge[] = []
  private readonly foreign: (string | undefined)[] = []
  private readonly free: number[] = []
  private next = 0
  /** live campaigns (roots with a member or an alias) */
  live = 0
  private readonly byFounder = new U64Map(1024)
  private readonly byForeignId = new Map<string, number>()

  constructor() {
    this.grow(1024)
  }

  /** The live campaign founded by a message with this exact hash, or -1. */
  foundedBy(hi: number, lo: number): number {
    return this.byFounder.get(hi, lo)
  }

  /** The slot of a campaign id, created (with no member yet) when unknown. */
  forId(id: string): number {
    const c = this.slotOf(id)
    if (c >= 0) return c
    if (FOUNDER_ID.test(id)) return this.create(parseHex32(id, 1), parseHex32(id, 9), undefined)
    return this.create(0, 0, id)
  }

  /** The slot of a campaign id, or -1. */
  slotOf(id: string): number {
    if (FOUNDER_ID.test(id)) return this.byFounder.get(parseHex32(id, 1), parseHex32(id, 9))
    return this.byForeignId.get(id) ?? -1
  }

  create(hi: number, lo: number, foreign: string | undefined): number {
    let c: number
    if (this.free.length > 0) c = this.free.pop()!
    else {
      if (this.next >= this.hi.length) this.grow(this.hi.length * 2)
      c = this.next++
    }
    this.hi[c] = hi
    this.lo[c] = lo
    this.members[c] = 0
    this.parent[c] = c
    this.refs[c] = 0
    this.foreign[c] = foreign
    if (foreign === undefined) this.byFounder.set(hi, lo, c)
    else this.byForeignId.set(foreign, c)
    this.live++
    return c
  }

  /** A member joins campaign slot c; returns the slot it refers to (the root). */
  join(c: number): number {
    const root = this.root(c)
    this.refs[root]!++
    this.members[root]!++
    return root
  }

  /** A member that joined slot c leaves. */
  leave(c: number): void {
    this.members[this.root(c)]!--
    this.release(c)
  }

  size(c: number): number {
    return this.members[this.root(c)]!
  }

  root(c: number): number {
    while (this.parent[c] !== c) c = this.parent[c]!
    return c
  }

  /** The id a campaign slot resolves to (its root's). */
  idOf(c: number): string {
    return this.ownIdOf(this.root(c))
  }

  /** Campaign ids merged into others since the last call. */
  drainMerges(): CampaignMerge[] {
    const merges = this.merges
    this.merges = []
    return merges
  }

  /**
   * Merges two live campaigns under the smaller id; the other id becomes its alias (and so do its own
   * aliases). `recorded`: whether `drainMerges` reports it (not when the merge was read from the store).
   */
  mergeRoots(a: number, b: number, recorded = true): void {
    if (a === b) return
    const [winner, loser] = this.ownIdOf(a) < this.ownIdOf(b) ? [a, b] : [b, a]
    this.attach(loser, winner, recorded)
  }

  /**
   * Root `small` joins root `into`, whose id stays, whichever is smaller: a small campaign adopted,
   * or (`recorded` false) an alias the store holds, which names the id that stays.
   */
  adopt(small: number, into: number, recorded = true): void {
    if (small !== into) this.attach(small, into, recorded)
  }

  private attach(loser: number, winner: number, recorded: boolean): void {
    this.parent[loser] = winner
    this.refs[winner]!++
    this.members[winner]! += this.members[loser]!
    this.members[loser] = 0
    this.live--
    const canonical = this.ownIdOf(winner)
    const moved = [this.ownIdOf(loser), ...(this.aliasesOf.get(loser) ?? [])]
    this.aliasesOf.delete(loser)
    const aliases = this.aliasesOf.get(winner) ?? []
    for (const alias of moved) {
      aliases.push(alias)
      if (recorded) this.merges.push({ alias, canonical })
    }
    this.aliasesOf.set(winner, aliases)
    // a campaign known only by the id an entry carried (no member here yet) is an alias and nothing more
    if (this.refs[loser] === 0) {
      this.refs[loser] = 1
      this.release(loser)
    }
  }

  /** Drops one reference to a slot; at zero the slot is freed and lets go of the campaign it was merged into. */
  private release(c: number): void {
    if (--this.refs[c]! > 0) return
    const parent = this.parent[c]!
    const foreign = this.foreign[c]
    if (foreign === undefined) this.byFounder.delete(this.hi[c]!, this.lo[c]!)
    else this.byForeignId.delete(foreign)
    this.foreign[c] = undefined
    this.aliasesOf.delete(c)
    this.free.push(c)
    if (parent === c) this.live--
    else this.release(parent)
  }

  private ownIdOf(c: number): string {
    return this.foreign[c] ?? 'c' + hex64(this.hi[c]!, this.lo[c]!)
  }

  private grow(newCap: number): void {
    const cap = Math.max(16, newCap)
    this.hi = grownFrom(this.hi, new Uint32Array(cap))
    this.lo = grownFrom(this.lo, new Uint32Array(cap))
    this.members = grownFrom(this.members, new Int32Array(cap))
    this.parent = grownFrom(this.parent, new Int32Array(cap))
    this.refs = grownFrom(this.refs, new Int32Array(cap))
  }
}
