/**
 * The errors of the exactly-once protocol. Losing ownership is expected (every rebalance can cause
 * it) and handled inside the pipeline: what was written stays uncommitted and the partitions' next
 * owner replays it under the same tokens. An illegal transition is a defect of abuse-radar.
 */
import { AbuseRadarError } from '../domain/errors.js'

/**
 * This instance no longer owns the partitions of a batch: a rebalance ended the generation during
 * the write (AR_OWNERSHIP_LOST), or Kafka refused the commit because the group moved on
 * (AR_COMMIT_REFUSED). Thrown by a checkpointer or by the generation's fence; never retried.
 */
export class OwnershipLostError extends AbuseRadarError {
  constructor(message: string, code: 'AR_OWNERSHIP_LOST' | 'AR_COMMIT_REFUSED' = 'AR_OWNERSHIP_LOST') {
    super(code, message)
    this.name = 'OwnershipLostError'
  }
}

/** A state machine was asked for a transition its protocol does not have: a programming error (AR_INTERNAL). */
export class IllegalTransitionError extends AbuseRadarError {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly event: string,
  ) {
    super('AR_INTERNAL', `${machine}: no transition '${event}' from phase '${from}'`)
    this.name = 'IllegalTransitionError'
  }
}
