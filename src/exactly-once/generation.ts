/**
 * This member's hold on its partitions for one consumer-group generation, from one group join to the
 * next: the one place that decides whether work begun under a generation may still write and commit.
 *
 *   held ──commitRefused──▶ refused ──ended──▶ ended
 *     └─────────────────ended─────────────────────┘
 *
 * - held: batches are written and committed.
 * - refused: Kafka refused a commit (the group moved on without us): nothing more is written until
 *   the next join, since no commit of this generation can succeed. Records are still accepted.
 * - ended: the group was joined again (a rebalance); work started under this generation must not
 *   commit, and partitions loading under it load again under the next.
 */
import { IllegalTransitionError, OwnershipLostError } from './errors.js'

export type GenerationPhase = 'held' | 'refused' | 'ended'

export class Generation {
  private current: GenerationPhase = 'held'

  /** The first generation of a process; `number` counts the group joins, for logs. */
  constructor(readonly number = 0) {}

  get phase(): GenerationPhase {
    return this.current
  }

  /** Whether this is still the member's generation (refused or not): what it loads and buffers is not stale. */
  get isCurrent(): boolean {
    return this.current !== 'ended'
  }

  /** Whether batches may be written and committed under this generation. */
  get mayWrite(): boolean {
    return this.current === 'held'
  }

  /** The fence before every step of a write (mark in flight, insert, commit). */
  assertCurrent(): void {
    if (this.current === 'ended') throw new OwnershipLostError(`generation ${this.number} ended: a rebalance happened during the write`)
  }

  /** Kafka refused a commit of this generation: held → refused. */
  commitRefused(): void {
    if (this.current !== 'held') throw new IllegalTransitionError('generation', this.current, 'commitRefused')
    this.current = 'refused'
  }

  /** The group was joined again: this generation ends (held or refused → ended) and the next one begins, held. */
  next(): Generation {
    if (this.current === 'ended') throw new IllegalTransitionError('generation', this.current, 'ended')
    this.current = 'ended'
    return new Generation(this.number + 1)
  }
}
