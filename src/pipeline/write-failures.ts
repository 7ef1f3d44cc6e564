/**
 * Which partitions' batches the sink is failing to write, since when, and when each is tried again.
 *
 * A batch the sink cannot write (a retryable failure: the store decides what can pass later) holds
 * back its own partition only: the processor leaves it out of the write rounds until its next
 * attempt is due, while the other partitions keep writing and committing. The delay doubles from
 * `initialMs` up to `maxMs`, with jitter (half to all of it) so that instances sharing a server
 * that failed together do not retry together.
 */
import type { AbuseRadarError } from '../domain/errors.js'

/** A partition whose writes are failing. */
export interface WriteFailure {
  topic: string
  partition: number
  /** The error code of the latest failure (AR_CLICKHOUSE_UNAVAILABLE, ...). */
  code: string
  /** Its message's first line (the store's message names ClickHouse's own code). */
  error: string
  /** When the first failure of this run of failures happened (ms since the epoch). */
  sinceMs: number
  attempts: number
  /** When the partition is tried again. */
  nextAttemptAtMs: number
}

export interface BackoffSettings {
  initialMs: number
  maxMs: number
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`

/** The delay before attempt `attempts + 1`: exponential, capped, jittered into [half, all] of it. */
export function backoffDelayMs(attempts: number, { initialMs, maxMs }: BackoffSettings, random: () => number = Math.random): number {
  const full = Math.min(maxMs, initialMs * 2 ** Math.min(attempts - 1, 30))
  return Math.round(full * (0.5 + random() / 2))
}

export class WriteFailures {
  private readonly failing = new Map<string, WriteFailure>()

  constructor(
    private readonly backoff: BackoffSettings,
    private readonly clock: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Records a failed attempt of the partition's batch; returns its state, with the next attempt's time. */
  failed(topic: string, partition: number, error: AbuseRadarError): WriteFailure {
    const now = this.clock()
    const key = keyOf(topic, partition)
    const previous = this.failing.get(key)
    const attempts = (previous?.attempts ?? 0) + 1
    const failure: WriteFailure = {
      topic,
      partition,
      code: error.code,
      error: (error.message.split('\n')[0] ?? '').slice(0, 300),
      sinceMs: previous?.sinceMs ?? now,
      attempts,
      nextAttemptAtMs: now + backoffDelayMs(attempts, this.backoff, this.random),
    }
    this.failing.set(key, failure)
    return failure
  }

  /** The partition's batch was written: returns the failure it ends, if any. */
  recovered(topic: string, partition: number): WriteFailure | null {
    const key = keyOf(topic, partition)
    const failure = this.failing.get(key) ?? null
    this.failing.delete(key)
    return failure
  }

  /** Whether the partition may be written now: it is not failing, or its next attempt is due. */
  isDue(topic: string, partition: number): boolean {
    const failure = this.failing.get(keyOf(topic, partition))
    return !failure || failure.nextAttemptAtMs <= this.clock()
  }

  /** Milliseconds until the earliest next attempt (0 if one is due), null when nothing is failing. */
  msUntilNextAttempt(): number | null {
    let earliest: number | null = null
    for (const { nextAttemptAtMs } of this.failing.values()) if (earliest === null || nextAttemptAtMs < earliest) earliest = nextAttemptAtMs
    return earliest === null ? null : Math.max(0, earliest - this.clock())
  }

  /** Every failing partition's next attempt is due now (a stop makes one last attempt, without waiting). */
  expedite(): void {
    const now = this.clock()
    for (const failure of this.failing.values()) failure.nextAttemptAtMs = Math.min(failure.nextAttemptAtMs, now)
  }

  /** The failing partitions, with how long each has been failing. */
  list(): (WriteFailure & { failingForMs: number })[] {
    const now = this.clock()
    return [...this.failing.values()].map((failure) => ({ ...failure, failingForMs: now - failure.sinceMs }))
  }

  /** Forgets every partition (a rebalance: their batches are dropped and read again from the checkpoint). */
  clear(): WriteFailure[] {
    const all = [...this.failing.values()]
    this.failing.clear()
    return all
  }
}

/** "stopped with batches unwritten: t:1 failing for 12 s (AR_CLICKHOUSE_UNAVAILABLE: ...); ...": the partitions a stop leaves unwritten. */
export function describeUnwrittenAtStop(failures: readonly (WriteFailure & { failingForMs: number })[]): string {
  const each = failures.map((f) => `${f.topic}:${f.partition} failing for ${Math.round(f.failingForMs / 1000)} s (${f.code}: ${f.error})`)
  return `stopped with batches unwritten: ${each.join('; ')}; they stay uncommitted and are read again at the next start`
}
