/**
 * The checkpoint codec: how a partition's position, and the range in flight while a batch is being
 * written, are kept in the source's offset commits (Kafka's commit metadata).
 *
 * Before writing a batch [first, last] the checkpoint is committed at `first` again with the metadata
 * {"v":1,"inflight_last":last}; once the sink confirmed, it is committed at `last + 1` with no metadata.
 * A process that dies in between leaves the metadata behind, and the next owner replays exactly
 * [first, last] (PartitionLifecycle's replaying phase).
 */
import type { BatchRange, PartitionCheckpoint } from '../domain/ports.js'

const METADATA_VERSION = 1

/** One partition's offset commit: the next offset to read, and the metadata stored with it. */
export interface OffsetCommit {
  offset: number
  metadata: string | null
}

/** The commit that records a range as in flight: the position stays at its first offset. */
export function inflightCommit(range: BatchRange): OffsetCommit {
  return { offset: range.firstOffset, metadata: JSON.stringify({ v: METADATA_VERSION, inflight_last: range.lastOffset }) }
}

/** The commit after the sink confirmed the range: the position moves past it and the in-flight mark is cleared. */
export function writtenCommit(range: BatchRange): OffsetCommit {
  return { offset: range.lastOffset + 1, metadata: null }
}

/** A partition's checkpoint from its committed offset (-1 when none) and the metadata committed with it. */
export function checkpointFromCommit(offset: number, metadata: string | null | undefined): PartitionCheckpoint {
  return { nextOffset: offset, inflightLastOffset: decodeInflight(metadata) }
}

/**
 * The last offset of the range in flight, or null: no metadata (a plain commit), or metadata this
 * protocol did not write (another tool's, another version, malformed), which marks no range in flight.
 */
export function decodeInflight(metadata: string | null | undefined): number | null {
  if (!metadata) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(metadata)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const { v, inflight_last: last } = parsed as { v?: unknown; inflight_last?: unknown }
  return v === METADATA_VERSION && typeof last === 'number' && Number.isSafeInteger(last) && last >= 0 ? last : null
}
