/**
 * One slice of analysis per turn of the event loop, shared by every partition being processed.
 *
 * Each partition's delivery used to yield every 64 records with setImmediate; but kafkajs hands
 * over several partitions at once (partitions_consumed_concurrently), and every continuation
 * queued for the same turn runs in that turn: six partitions made one turn six slices long (the
 * benchmark measured an event-loop delay of 42 ms at the median, 220 ms at p99). Here a
 * continuation that has used the turn's budget waits in a FIFO queue, and each turn releases one
 * waiter, so timers, fetches, health checks and inserts run between slices of about `sliceMs`.
 */
export class TurnBudget {
  private turnStartedMs = performance.now()
  private readonly waiting: (() => void)[] = []
  private turnScheduled = false

  constructor(private readonly sliceMs: number) {}

  /** True once the current turn's slice is spent: the caller should `await nextTurn()`. */
  spent(): boolean {
    return performance.now() - this.turnStartedMs >= this.sliceMs
  }

  /** Resolves in a later turn of the event loop, when this caller's slice begins (first come, first served). */
  nextTurn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve)
      this.scheduleTurn()
    })
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return
    this.turnScheduled = true
    setImmediate(() => {
      this.turnScheduled = false
      this.turnStartedMs = performance.now()
      this.waiting.shift()?.()
      if (this.waiting.length > 0) this.scheduleTurn()
    })
  }
}
