/**
 * Chaos hook for fault tests and game days: while the file named by ABUSE_RADAR_FAULT_FILE exists,
 * writes fail with a retryable error, as when ClickHouse is down: every write, or, when the file
 * lists partitions (`topic:partition`, one a line), only the batches of those (one bad partition).
 * Off unless the variable is set.
 */
import { readFileSync } from 'node:fs'
import { InfrastructureError } from '../domain/errors.js'
import type { BatchOutput } from '../domain/facts.js'
import type { BatchRange, FactsSink, Logger, SeenEventKey } from '../domain/ports.js'

export class FaultInjectingSink implements FactsSink {
  static wrapIfConfigured(sink: FactsSink, env: NodeJS.ProcessEnv, logger: Logger): FactsSink {
    const file = env.ABUSE_RADAR_FAULT_FILE
    if (!file) return sink
    logger.warn({ file }, 'fault injection enabled: writes fail while this file exists')
    return new FaultInjectingSink(sink, file)
  }

  constructor(
    private readonly inner: FactsSink,
    private readonly flagFile: string,
  ) {}

  async writeBatch(range: BatchRange, output: BatchOutput): Promise<void> {
    const failing = this.failingPartitions()
    if (failing && (failing.size === 0 || failing.has(`${range.topic}:${range.partition}`))) {
      throw new InfrastructureError('injected fault: ClickHouse insert failed', 'clickhouse', true)
    }
    return this.inner.writeBatch(range, output)
  }

  /** null while the file does not exist; the partitions it names (none: all of them) while it does. */
  private failingPartitions(): Set<string> | null {
    let text: string
    try {
      text = readFileSync(this.flagFile, 'utf8')
    } catch {
      return null
    }
    return new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /^.+:\d+$/.test(line)),
    )
  }

  findRejectedRows(output: keyof BatchOutput, rows: readonly object[]): Promise<number[]> {
    return this.inner.findRejectedRows(output, rows)
  }

  loadSeenEventKeys(sinceMs: number): Promise<SeenEventKey[]> {
    return this.inner.loadSeenEventKeys(sinceMs)
  }

  ping(): Promise<boolean> {
    return this.inner.ping()
  }
}
