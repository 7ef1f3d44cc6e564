/** Growth of typed storage (the campaign index, the trackers, the recent-key tables). */

/** `to` (a larger array) with the contents of `from` at its start. */
export function grownFrom<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from)
  return to
}
