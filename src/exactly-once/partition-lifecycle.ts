/**
 * The life of one partition in one generation, as the processor holds it (docs/exactly-once.md):
 *
 *   loading ──loaded──▶ awaiting ──admit (starts at or before the checkpoint)──▶ replaying | accepting
 *                          │                                                         ▲
 *                          └──admit (skips past the checkpoint)──▶ seekingBack ──admit┘
 *   replaying ──replayDone──▶ accepting;   every phase but revoked ──revoke──▶ revoked
 *
 * - loading: the checkpoint and the duplicate filter are being read; deliveries wait.
 * - awaiting: loaded; the first delivery must start at the checkpoint, or the batches would be cut
 *   at other offsets than the interrupted write's (other tokens) and records before it skipped.
 * - seekingBack: one delivery past the checkpoint (fetched before the rebalance) was refused and the
 *   source asked to read from the checkpoint; the next delivery is taken whatever its first offset
 *   (a real gap in the log, or a source that could not seek), so a partition never stalls.
 * - replaying: the previous owner left a range in flight; the open batch must end exactly at
 *   `replayUntil`, so the retried inserts carry the tokens of the ones that may already be written.
 * - accepting: batches are cut by size and age.
 * - revoked: the generation ended (a rebalance); the state is dropped and nothing of it is written.
 */
import type { PartitionCheckpoint } from '../domain/ports.js'
import { IllegalTransitionError } from './errors.js'

export type PartitionPhase = 'loading' | 'awaiting' | 'seekingBack' | 'replaying' | 'accepting' | 'revoked'
export type PartitionEvent = 'loaded' | 'admit' | 'replayDone' | 'revoke'

/** The legal transitions, phase → event → the phases it may lead to (what the diagram above shows). */
export const PARTITION_TRANSITIONS: Readonly<Record<PartitionPhase, Partial<Record<PartitionEvent, readonly PartitionPhase[]>>>> = {
  loading: { loaded: ['awaiting'], revoke: ['revoked'] },
  awaiting: { admit: ['seekingBack', 'replaying', 'accepting'], revoke: ['revoked'] },
  seekingBack: { admit: ['replaying', 'accepting'], revoke: ['revoked'] },
  replaying: { admit: ['replaying'], replayDone: ['accepting'], revoke: ['revoked'] },
  accepting: { admit: ['accepting'], revoke: ['revoked'] },
  revoked: {},
}

/** What to do with a delivery: take its records, or ask the source to read again from `nextOffset`. */
export type Admission = 'accept' | 'seekBack'

export class PartitionLifecycle {
  private current: PartitionPhase = 'loading'
  private replayEnd: number | null = null

  get phase(): PartitionPhase {
    return this.current
  }

  get isRevoked(): boolean {
    return this.current === 'revoked'
  }

  /** While replaying: the offset the open batch must end at (the last offset of the range left in flight). */
  get cutAt(): number | null {
    return this.current === 'replaying' ? this.replayEnd : null
  }

  /** The checkpoint is read: loading → awaiting, remembering the range the previous owner left in flight. */
  loaded(checkpoint: PartitionCheckpoint): void {
    this.move('loaded', 'awaiting')
    this.replayEnd = checkpoint.inflightLastOffset
  }

  /**
   * A delivery whose first record is at `firstOffset` arrives while the next offset to accept is
   * `nextOffset`. Only the first delivery of the generation is judged: past the checkpoint it is
   * refused once (awaiting → seekingBack); otherwise the partition starts, replaying the range in
   * flight if there is one. Later deliveries are accepted as they are (records below nextOffset are
   * skipped by the processor).
   */
  admit(firstOffset: number, nextOffset: number): Admission {
    switch (this.current) {
      case 'awaiting':
        if (firstOffset > nextOffset) {
          this.move('admit', 'seekingBack')
          return 'seekBack'
        }
        this.start()
        return 'accept'
      case 'seekingBack':
        this.start()
        return 'accept'
      case 'replaying':
      case 'accepting':
        this.move('admit', this.current)
        return 'accept'
      default:
        throw new IllegalTransitionError('partition', this.current, 'admit')
    }
  }

  /**
   * The range in flight is replayed: its batch is sealed at `cutAt`, or the log ended it early (a
   * gap left by retention or compaction). Replaying → accepting.
   */
  replayDone(): void {
    this.move('replayDone', 'accepting')
    this.replayEnd = null
  }

  /** The generation ended (a rebalance): any phase → revoked. */
  revoke(): void {
    this.move('revoke', 'revoked')
  }

  private start(): void {
    this.move('admit', this.replayEnd === null ? 'accepting' : 'replaying')
  }

  private move(event: PartitionEvent, to: PartitionPhase): void {
    if (!PARTITION_TRANSITIONS[this.current][event]?.includes(to)) throw new IllegalTransitionError('partition', this.current, event)
    this.current = to
  }
}
