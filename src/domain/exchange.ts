/**
 * The contract of the campaign-exchange topic (docs/scale-out.md): what one processor instance
 * tells the others about every message it fingerprinted, so that all instances keep the same
 * campaign index, campaign spread, sender rates and chat-similarity inputs, whichever instance owns
 * which input partitions. One Kafka record carries a batch: `{ "v": 1, "origin": ..., "entries": [...] }`.
 *
 * Privacy: an entry carries the normalized skeleton of the text (so another instance verifies a
 * near-duplicate exactly as the instance that saw it would), the pseudonymous sender and public chat
 * metadata; never the raw text or a raw sender id. The topic's retention is the campaign window at
 * most, and it holds less than the input topic the text came from.
 */
import { Type, type Static } from '@sinclair/typebox'

const Id = Type.String({ minLength: 1, maxLength: 256 })

export const SharedAssignment = Type.Object({
  kind: Type.Literal('assign'),
  /** the event that was assigned: a replay of the same event elsewhere keeps this entry's `member` */
  event_id: Id,
  chat_id: Id,
  message_id: Id,
  /** event time, ms since the epoch */
  ts: Type.Number(),
  chat_type: Type.String({ maxLength: 32 }),
  title: Type.Optional(Type.String({ maxLength: 1024 })),
  username: Type.Optional(Type.String({ maxLength: 256 })),
  forward_chat_id: Type.Optional(Id),
  sender: Type.String({ maxLength: 64 }),
  exact_hash: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  signature: Type.String({ pattern: '^[0-9a-f]+$', maxLength: 1024 }),
  skeleton: Type.String({ maxLength: 65536 }),
  campaign_id: Id,
  /** whether the message counted as a new member of the campaign (a new message, or an edit that moved it) */
  member: Type.Boolean(),
})

export const SharedDeletion = Type.Object({
  kind: Type.Literal('delete'),
  chat_id: Id,
  message_id: Id,
  ts: Type.Number(),
})

export const SharedEntry = Type.Union([SharedAssignment, SharedDeletion])
export type SharedEntry = Static<typeof SharedEntry>

/** One record of the topic. Entries are checked one by one on receipt (a bad one does not cost the others). */
export interface SharedBatchV1 {
  v: 1
  /** the instance that published it: an instance skips its own */
  origin: string
  entries: SharedEntry[]
}
