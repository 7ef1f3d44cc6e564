/**
 * The LSH table entries are found again through: per entry NUM_BANDS band nodes (keyed by the band
 * keys of its signature) and one node keyed by its exact hash, in doubly-linked bucket chains kept in
 * one Int32Array (node = slot * NODES_PER_ENTRY + band). A bucket chain lists its newest node first;
 * growth relinks every live entry in slot order. The same structure with another number of nodes per
 * entry holds the word keys of short texts (`new LshTable(WORD_BANDS)`, see ../fingerprint/word-keys.ts):
 * a slot's nodes are in no chain unless it was linked, so entries without word keys cost only
 * their unused nodes (12 bytes each).
 */
import { NUM_BANDS } from '../fingerprint/index.js'
import { F_LIVE, type Entries } from './entries.js'

export const NODES_PER_ENTRY = NUM_BANDS + 1
export const EXACT_BAND = NUM_BANDS
/** "previous" of a node that is in no bucket chain (otherwise >= 0: the previous node; -1 - h: first node of bucket h) */
const NOT_LINKED = -2147483648

/** The key of an entry's exact-hash node. */
export function exactKey(lo: number): number {
  return (lo ^ 0x7f4a7c15) | 0
}

export class LshTable {
  /** per node, interleaved (one cache line per visit): [3n] key (as int32), [3n+1] next node, [3n+2] previous node */
  nodes = new Int32Array(0)
  /** first node of each bucket, -1 when empty */
  heads = new Int32Array(0)
  headMask = 0

  /** `perEntry`: nodes per slot (NODES_PER_ENTRY: the bands and the exact hash) */
  constructor(readonly perEntry: number = NODES_PER_ENTRY) {}

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

  /** Marks an entry that is in no chain (a text with nothing to compare is never found). */
  leaveUnlinked(slot: number): void {
    const per = this.perEntry
    for (let b = 0; b < per; b++) this.nodes[3 * (slot * per + b) + 2] = NOT_LINKED
  }

  unlinkEntry(slot: number): void {
    const per = this.perEntry
    for (let b = 0; b < per; b++) this.unlink(slot * per + b)
  }

  /** Grows to `cap` entries and rebuilds the buckets from the live entries. */
  grow(cap: number, entries: Entries): void {
    const per = this.perEntry
    const nodes = new Int32Array(cap * per * 3)
    nodes.set(this.nodes)
    // slots never taken are in no chain (a zeroed node would read as linked after node 0)
    for (let n = this.nodes.length / 3; n < cap * per; n++) nodes[3 * n + 2] = NOT_LINKED
    this.nodes = nodes
    // one to two nodes per bucket when full: half the heads of one per node, for a node or so more per walk
    let size = 16
    while (size * 2 < cap * per) size *= 2
    this.heads = new Int32Array(size).fill(-1)
    this.headMask = size - 1
    for (let slot = 0; slot < entries.nextSlot; slot++) {
      if ((entries.flags[slot]! & F_LIVE) === 0) continue
      for (let b = 0; b < per; b++) {
        const node = slot * per + b
        if (nodes[3 * node + 2] !== NOT_LINKED) this.link(node, nodes[3 * node]!)
      }
    }
  }

  private link(node: number, key: number): void {
    const nodes = this.nodes
    const h = key & this.headMask
    const head = this.heads[h]!
    nodes[3 * node] = key
    nodes[3 * node + 1] = head
    nodes[3 * node + 2] = -1 - h
    if (head >= 0) nodes[3 * head + 2] = node
    this.heads[h] = node
  }

  private unlink(node: number): void {
    const nodes = this.nodes
    const prev = nodes[3 * node + 2]!
    if (prev === NOT_LINKED) return
    const next = nodes[3 * node + 1]!
    if (prev >= 0) nodes[3 * prev + 1] = next
    else this.heads[-1 - prev] = next
    if (next >= 0) nodes[3 * next + 2] = prev
    nodes[3 * node + 2] = NOT_LINKED
  }
}
