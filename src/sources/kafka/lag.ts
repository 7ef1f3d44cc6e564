/**
 * Consumer lag as the group's committed offsets see it: per partition, the end offset minus the
 * offset committed by the group, i.e. what is not yet in ClickHouse (a batch is committed only after
 * its write). What an instance fetched or buffered does not count: a crash loses it.
 */

export interface PartitionOffsets {
  partition: number
  /** The log start offset (retention removed what is below it). */
  low: number
  /** The end offset: the next offset a producer writes. */
  high: number
}

export interface PartitionLag {
  topic: string
  partition: number
  lag: number
}

/**
 * A partition without a committed offset is read from its log start (`fromBeginning`) or from its end;
 * a committed offset below the log start (retention ran) resumes at the log start.
 */
export function partitionLags(
  topic: string,
  offsets: readonly PartitionOffsets[],
  committed: ReadonlyMap<number, number>,
  fromBeginning: boolean,
): PartitionLag[] {
  return offsets.map(({ partition, low, high }) => {
    const commit = committed.get(partition) ?? -1
    const resumeAt = commit >= 0 ? Math.max(commit, low) : fromBeginning ? low : high
    return { topic, partition, lag: Math.max(0, high - resumeAt) }
  })
}
