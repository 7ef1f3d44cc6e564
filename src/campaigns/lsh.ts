/**
 * The LSH table entries are found again through: per entry NUM_BANDS band nodes (keyed by the band
 * keys of its signature) and one node keyed by its exact hash, in singly-linked bucket chains kept in
 * one Int32Array (node = slot * perEntry + band). A bucket chain lists its newest node first. The same
 * structure with another number of nodes per entry holds the word keys of short texts
 * (`new LshTable(WORD_BANDS, …)`, see ../fingerprint/word-keys.ts): a slot's nodes are in no chain
 * unless it was linked, so entries without word keys cost only their unused nodes (8 bytes each).
 *
 * A search reads at most `visiblePerKey` nodes of one key and band (../candidates.ts, newest first), so
 * linking a node unlinks that key's older nodes beyond it: they could only be read again if a newer one
 * were removed (a delete or an edit; eviction takes the oldest first). That bounds every chain to a few
 * nodes per key, which is what lets a node do without a "previous" link (unlinking walks its bucket
 * from the head): 8 bytes a node instead of 12, the index 390 MB instead of 527 at a million entries
 * and its lookups faster (a walk reads fewer cache lines; bench/README, session 22).
 *
 * Growth copies the nodes (a node's number, slot * perEntry + band, does not change). The bucket heads
 * are sized for the capacity, one to two nodes a bucket when full; a growth that resizes them relinks
 * every linked node, in slot order, untrimmed. That relink held the event loop for 486 ms at the growth
 * to 524,288 entries and 822 ms at the one to a million (heads 64 MB, every node pushed at a random
 * bucket; bench/README, session 24), so once the table's
 * capacity reaches a sixteenth of the largest it can have, its heads are sized for the largest:
 * the growths after that relink nothing (their chains keep arrival order), and the last relink is
 * one of a sixteenth of the entries at most. The index's entries jump to the largest capacity by
 * the same rule (./entries.ts `RESERVE_FROM_ONE_IN`), so there the relink is at that jump, of
 * 32,768 entries at a million, and no growth follows it.
 */
import { AbuseRadarError } from '../domain/errors.js'
import { NUM_BANDS } from '../fingerprint/index.js'
import { F_LIVE, RESERVE_FROM_ONE_IN, type Entries } from './entries.js'

export const NODES_PER_ENTRY = NUM_BANDS + 1
export const EXACT_BAND = NUM_BANDS
/** "next" of a node that is in no bucket chain (otherwise the next node, or -1 at a chain's end) */
const NOT_LINKED = -2

/** The key of an entry's exact-hash node. */
export function exactKey(lo: number): number {
  return (lo ^ 0x7f4a7c15) | 0
}

export class LshTable {
  /** per node, interleaved (one cache line per visit): [2n] key (as int32), [2n+1] next node */
  nodes = new Int32Array(0)
  /** first node of each bucket, -1 when empty */
  heads = new Int32Array(0)
  headMask = 0

  /**
   * `perEntry`: nodes per slot (NODES_PER_ENTRY: the bands and the exact hash); `visiblePerKey`: the
   * most nodes of one key and band a search reads (the index's maxCandidatesPerBand).
   */
  constructor(
    readonly perEntry: number,
    private readonly visiblePerKey: number,
    /** the largest capacity the table will grow to (the index's maxEntries) */
    private readonly maxCapacity: number,
  ) {}

  /** Links an entry's band nodes and its exact-hash node. */
  linkEntry(slot: number, bandKeys: Uint32Array, exactLo: number): void {
    for (let b = 0; b < NUM_BANDS; b++) this.link(slot * NODES_PER_ENTRY + b, bandKeys[b]! | 0)
    this.link(slot * NODES_PER_ENTRY + EXACT_BAND, exactKey(exactLo))
  }

  /** Links an entry's `perEntry` nodes under `keys` (node b under keys[b]). */
  linkKeys(slot: number, keys: Uint32Array): void {
    const per = this.perEntry
    for (let b = 0; b < per; b++) this.link(slot * per + b, keys[b]! | 0)
  }

  /**
   * Marks an entry that is in no chain (a text with nothing to compare is never found), or, before
   * `relink`, one whose chains are about to be rebuilt without it.
   */
  leaveUnlinked(slot: number): void {
    const per = this.perEntry
    for (let b = 0; b < per; b++) this.nodes[2 * (slot * per + b) + 1] = NOT_LINKED
  }

  unlinkEntry(slot: number): void {
    const per = this.perEntry
    for (let b = 0; b < per; b++) this.unlink(slot * per + b)
  }

  /**
   * Grows to `cap` entries; when the bucket heads grow too, rebuilds the buckets from the live entries.
   * The new nodes are left unwritten (zero: not committed by the operating system until used), so a
   * slot taken for the first time must be linked or `leaveUnlinked` before anything reads its nodes.
   */
  grow(cap: number, entries: Entries): void {
    const nodes = new Int32Array(cap * this.perEntry * 2)
    nodes.set(this.nodes)
    this.nodes = nodes
    const size = this.headsFor(cap)
    if (size === this.heads.length) return
    this.heads = new Int32Array(size)
    this.headMask = size - 1
    this.relink(entries)
  }

  /**
   * Bucket heads for a capacity: one to two nodes per bucket when full, for the largest capacity once
   * `cap` is a sixteenth of it (see the class comment). Half as many heads (32 MB less at a million
   * entries) made a lookup at a million entries 48 % slower (11.2 against 16.5 µs, bench:fingerprint).
   */
  private headsFor(cap: number): number {
    const sizedFor = cap * RESERVE_FROM_ONE_IN >= this.maxCapacity ? Math.max(cap, this.maxCapacity) : cap
    let size = 16
    while (size * 2 < sizedFor * this.perEntry) size *= 2
    return size
  }

  /**
   * Rebuilds the buckets from the linked nodes of the live entries, in slot order: after entries left
   * by `leaveUnlinked` instead of `unlinkEntry` (a mass eviction, where walking each node's bucket
   * costs more than linking what is left).
   */
  relink(entries: Entries): void {
    const per = this.perEntry
    const nodes = this.nodes
    this.heads.fill(-1)
    for (let slot = 0; slot < entries.nextSlot; slot++) {
      if ((entries.flags[slot]! & F_LIVE) === 0) continue
      for (let b = 0; b < per; b++) {
        const node = slot * per + b
        if (nodes[2 * node + 1] !== NOT_LINKED) this.push(node, nodes[2 * node]!)
      }
    }
  }

  /** Puts `node` first in its key's bucket, and unlinks that key's nodes of the same band beyond the visible ones. */
  private link(node: number, key: number): void {
    const nodes = this.nodes
    const per = this.perEntry
    const band = node % per
    let visible = 1
    let prev = this.push(node, key)
    for (let n = nodes[2 * node + 1]!; n >= 0;) {
      const next = nodes[2 * n + 1]!
      if (nodes[2 * n] === key && n % per === band && ++visible > this.visiblePerKey) {
        nodes[2 * prev + 1] = next
        nodes[2 * n + 1] = NOT_LINKED
      } else prev = n
      n = next
    }
  }

  /** Puts `node` first in the bucket of `key`; returns it. */
  private push(node: number, key: number): number {
    const nodes = this.nodes
    const h = key & this.headMask
    nodes[2 * node] = key
    nodes[2 * node + 1] = this.heads[h]!
    this.heads[h] = node
    return node
  }

  private unlink(node: number): void {
    const nodes = this.nodes
    const next = nodes[2 * node + 1]!
    if (next === NOT_LINKED) return
    const h = nodes[2 * node]! & this.headMask
    let n = this.heads[h]!
    if (n === node) this.heads[h] = next
    else {
      // A linked node is always in its bucket's chain. If it were not, the walk would pass the chain's
      // end or (a node never initialized reads as linked to node 0) go round a cycle for ever.
      for (let steps = nodes.length / 2; nodes[2 * n + 1] !== node; steps--) {
        n = nodes[2 * n + 1]!
        if (n < 0 || steps === 0) throw new AbuseRadarError('AR_INTERNAL', `LshTable: linked node ${node} is not in its bucket's chain`)
      }
      nodes[2 * n + 1] = next
    }
    nodes[2 * node + 1] = NOT_LINKED
  }
}
