/**
 * Eviction for the bounded, insertion-ordered maps and sets that hold recent state (scores, trackers,
 * pseudonyms, sample states).
 *
 * Why in bulk: V8's Map and Set keep deleted entries as holes until they rehash, and
 * `keys().next()` walks from the first slot over every hole; deleting the oldest entry one at a time
 * therefore costs a walk over all earlier deletions, about 60 µs per call at 500k entries, which
 * made the processor slow down steadily past ~800k messages. Dropping the oldest 1% in one
 * iterator pass lets the table rehash once per 1% and keeps the cost per insert constant.
 */

/** Share of the bound dropped at once when a collection is full. */
const EVICT_FRACTION = 0.01

/**
 * Makes room for one insertion: when the collection holds `maxSize` entries or more, deletes its
 * oldest entries (insertion order) down to `maxSize` less 1% of it (at least one entry).
 */
export function makeRoomFor<K>(collection: Map<K, unknown> | Set<K>, maxSize: number): void {
  if (collection.size < maxSize) return
  const target = Math.max(0, maxSize - Math.max(1, Math.floor(maxSize * EVICT_FRACTION)))
  let excess = collection.size - target
  for (const key of collection.keys()) {
    if (excess-- <= 0) break
    collection.delete(key)
  }
}
