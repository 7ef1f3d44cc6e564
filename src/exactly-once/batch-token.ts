/**
 * Deduplication tokens. A batch is an offset range of one partition, and its token is derived from
 * that range alone, so whoever writes the range again (a retry, the partition's next owner after a
 * crash or a rebalance, a replay of the same file) sends the same token and the sink drops the repeat.
 */
import type { BatchRange } from '../domain/ports.js'

/** The token of a batch: the same range always gives the same token, and no other range gives it. */
export const batchToken = (range: BatchRange): string => `${range.topic}:${range.partition}:${range.firstOffset}-${range.lastOffset}`

/**
 * The token of a batch's insert into one table. Each table (and each view under it) keeps its own
 * deduplication log, so a batch interrupted between two tables is completed, not doubled, by a retry.
 */
export const insertToken = (range: BatchRange, table: string): string => `${batchToken(range)}:${table}`
