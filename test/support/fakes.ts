/**
 * In-memory fakes of the ports, for fast unit tests of the pipeline. They model the one behaviour the
 * exactly-once design relies on: the sink drops a write whose token it has seen (as ClickHouse does
 * with insert_deduplication_token) and the checkpoint keeps offset and in-flight metadata.
 */
import type { BatchOutput } from '../../src/domain/facts.js'
import type { BatchRange, Checkpointer, FactsSink, Logger, PartitionCheckpoint, ReplayStart, SeenEventKey } from '../../src/domain/ports.js'
import { InfrastructureError, RejectedRowsError } from '../../src/domain/errors.js'
import { batchToken } from '../../src/exactly-once/batch-token.js'
import { OwnershipLostError } from '../../src/exactly-once/errors.js'
import { NOOP_OBSERVER, type PipelineObserver } from '../../src/domain/observers.js'
import { NO_TEXT_VERDICT } from '../../src/facts/build.js'
import { Processor, type ProcessorSettings } from '../../src/pipeline/processor.js'

export class FakeSink implements FactsSink {
  readonly tokens = new Set<string>()
  readonly written: { range: BatchRange; output: BatchOutput }[] = []
  failuresLeft = 0
  writes = 0
  /** Message rows the fake refuses for their content, as ClickHouse refuses a value it cannot store. */
  refuseMessage: (row: BatchOutput['messages'][number]) => boolean = () => false

  async writeBatch(range: BatchRange, output: BatchOutput): Promise<void> {
    this.writes++
    if (this.failuresLeft > 0) {
      this.failuresLeft--
      throw new InfrastructureError('fake outage', 'clickhouse', true)
    }
    if (output.messages.some((row) => this.refuseMessage(row))) throw new RejectedRowsError('fake: cannot parse a value', 'messages')
    const token = batchToken(range)
    if (this.tokens.has(token)) return
    this.tokens.add(token)
    this.written.push({ range, output: structuredClone(output) })
  }

  async findRejectedRows(output: keyof BatchOutput, rows: readonly object[]): Promise<number[]> {
    if (output !== 'messages') return []
    return (rows as BatchOutput['messages']).flatMap((row, index) => (this.refuseMessage(row) ? [index] : []))
  }

  async loadSeenEventKeys(): Promise<SeenEventKey[]> {
    return this.written.flatMap(({ output }) =>
      [...output.messages, ...output.moderation, ...output.reports].map((f) => ({
        key: Number(f.event_key),
        topic: f.source_topic,
        partition: f.source_partition,
        offset: f.source_offset,
        seenAtMs: Date.now(),
      })),
    )
  }

  async ping(): Promise<boolean> {
    return true
  }

  messageIds(): string[] {
    return this.written.flatMap((w) => w.output.messages.map((m) => m.event_id))
  }
}

export class FakeCheckpoints implements Checkpointer {
  readonly committed = new Map<string, { offset: number; inflight: number | null }>()
  /** Set to make the next commit fail as if the process died after writing. */
  loseOwnershipOnCommit = false

  async load(topic: string, partition: number): Promise<PartitionCheckpoint> {
    const c = this.committed.get(`${topic}:${partition}`)
    return c ? { nextOffset: c.offset, inflightLastOffset: c.inflight } : { nextOffset: -1, inflightLastOffset: null }
  }

  async replayStarts(topic: string): Promise<ReplayStart[]> {
    return [...this.committed]
      .map(([key, c]) => ({
        topic: key.slice(0, key.lastIndexOf(':')),
        partition: Number(key.slice(key.lastIndexOf(':') + 1)),
        offset: c.offset,
      }))
      .filter((start) => start.topic === topic)
  }

  async markInflight(ranges: BatchRange[]): Promise<void> {
    for (const r of ranges) this.committed.set(`${r.topic}:${r.partition}`, { offset: r.firstOffset, inflight: r.lastOffset })
  }

  async commit(ranges: BatchRange[]): Promise<void> {
    if (this.loseOwnershipOnCommit) {
      this.loseOwnershipOnCommit = false
      throw new OwnershipLostError('simulated crash before commit')
    }
    for (const r of ranges) this.committed.set(`${r.topic}:${r.partition}`, { offset: r.lastOffset + 1, inflight: null })
  }
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger
  },
}

/** Settings of a processor under test: batches cut by size only (deterministic), fast retries. */
export const TEST_PROCESSOR_SETTINGS: ProcessorSettings = {
  flushIntervalMs: Number.POSITIVE_INFINITY,
  flushMinRecords: 1,
  flushMaxIntervalMs: Number.POSITIVE_INFINITY,
  flushMaxRecords: 4,
  maxBufferedRecords: 1000,
  maxRecordBytes: 1 << 20,
  dedupHorizonMs: 3_600_000,
  deadLetterPrefixBytes: 64,
  maxFutureSkewMs: 3_600_000,
  maxEventAgeMs: 400 * 86_400_000,
  retryInitialMs: 1,
  retryMaxMs: 2,
}

/** A processor over fakes: no text analysis unless `analyzer`, identity-shaped pseudonyms, the settings above with `settings` over them. */
export function testProcessor(
  sink: FactsSink,
  checkpoints: Checkpointer,
  options: {
    settings?: Partial<ProcessorSettings>
    observer?: PipelineObserver
    logger?: Logger
    pseudonymize?: (id: string) => string
    analyzer?: ConstructorParameters<typeof Processor>[0]['analyzer']
    now?: () => number
    fingerprints?: ConstructorParameters<typeof Processor>[0]['fingerprints']
  } = {},
): Processor {
  return new Processor({
    sink,
    checkpoints,
    analyzer: options.analyzer ?? { analyze: () => NO_TEXT_VERDICT },
    pseudonymize: options.pseudonymize ?? ((id) => id),
    observer: options.observer ?? NOOP_OBSERVER,
    logger: options.logger ?? silentLogger,
    now: options.now ?? (() => Date.now()),
    settings: { ...TEST_PROCESSOR_SETTINGS, ...options.settings },
    ...(options.fingerprints ? { fingerprints: options.fingerprints } : {}),
  })
}
