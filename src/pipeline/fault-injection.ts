/**
 * Chaos hook for fault tests and game days: while the file named by ABUSE_RADAR_FAULT_FILE exists,
 * every write fails with a retryable error, as when ClickHouse is down. Off unless the variable is set.
 */
import { existsSync } from 'node:fs'
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
    if (existsSync(this.flagFile)) throw new InfrastructureError('injected fault: ClickHouse insert failed', 'clickhouse', true)
    return this.inner.writeBatch(range, output)
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
