/**
 * A stop left accepted records unwritten (a partition still failing, or the grace period over): they
 * stay uncommitted and are read again at the next start. Not a failure of the stop itself: the
 * command reports the run as interrupted (docs/errors.md).
 */
export class UnwrittenAtStopError extends Error {
  override readonly name = 'UnwrittenAtStopError'
}

/**
 * A stop, as the processor's waits see it: backoff waits that a stop ends at once, and a deadline
 * (pipeline.shutdown_grace_ms) after which the work a stop still waits for is given up.
 */
export class StopSignal {
  private requested = false
  private readonly waiters = new Set<() => void>()
  private expired: Promise<never> | null = null

  get isRequested(): boolean {
    return this.requested
  }

  /** Waits `ms`, or until a stop is requested. */
  pauseFor(ms: number): Promise<void> {
    if (this.requested) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.waiters.add(done)
    })
  }

  /** Ends the waits in progress (a rebalance: what they waited for is gone). */
  interrupt(): void {
    for (const wake of [...this.waiters]) wake()
  }

  /** Ends every wait; from `graceMs` on, `bounded` rejects with what `describe` then says is left. Returns false if already requested. */
  request(graceMs: number, describe: () => string): boolean {
    if (this.requested) return false
    this.requested = true
    this.interrupt()
    this.expired = new Promise<never>((_, reject) => {
      setTimeout(
        () => reject(new UnwrittenAtStopError(`stop: pipeline.shutdown_grace_ms (${graceMs} ms) passed with ${describe()}`)),
        graceMs,
      ).unref()
    })
    this.expired.catch(() => {})
    return true
  }

  /** `work`, settling no later than the grace period of a stop requested (as it is when none is). */
  bounded<T>(work: Promise<T>): Promise<T> {
    return this.expired ? Promise.race([work, this.expired]) : work
  }
}
