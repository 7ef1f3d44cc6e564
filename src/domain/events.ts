/**
 * The input contract (shared/spec/events.md), version 1 of each topic's schema.
 *
 * These TypeBox schemas are the single source of truth: the TypeScript types below are derived from
 * them and the decoder compiles them into its runtime validator. Unknown fields are allowed
 * (forward compatibility), so no schema sets `additionalProperties: false`.
 */
import { Type, type Static } from '@sinclair/typebox'

const Id = Type.String({ minLength: 1, maxLength: 256 })
/** Event time: epoch milliseconds or an RFC 3339 string with an offset; parsed by the decoder. */
const Timestamp = Type.Union([Type.Number(), Type.String({ maxLength: 64 })])
const Country = Type.String({ maxLength: 8 })

export const CHAT_TYPES = ['channel', 'group', 'supergroup', 'private', 'bot'] as const
export const MESSAGE_TYPES = ['created', 'edited', 'deleted'] as const
export const ENTITY_TYPES = ['url', 'text_link', 'mention', 'hashtag', 'cashtag', 'phone', 'email', 'bot_command'] as const
export const MEDIA_KINDS = ['photo', 'video', 'document', 'audio', 'voice', 'sticker', 'contact', 'poll', 'location'] as const
export const MODERATION_ACTIONS = [
  'message_removed',
  'chat_banned',
  'chat_restricted',
  'user_banned',
  'user_restricted',
  'action_reverted',
  'no_violation',
] as const
export const CATEGORIES = [
  'spam',
  'scam',
  'csam',
  'terrorism',
  'violence',
  'illegal_goods',
  'doxxing',
  'copyright',
  'impersonation',
  'other',
] as const
export const ACTION_SOURCES = ['automated', 'proactive_review', 'user_report', 'trusted_flagger', 'authority'] as const
export const REPORTER_KINDS = ['user', 'trusted_flagger', 'authority'] as const
export const PRIORITIES = ['urgent', 'normal'] as const

/** A string enum as a union of literals, so the derived type is the union of the values. */
const literalUnion = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)))

export const MessageV1 = Type.Object({
  schema: Type.Literal('message.v1'),
  event_id: Id,
  type: literalUnion(MESSAGE_TYPES),
  ts: Timestamp,
  chat: Type.Object({
    id: Id,
    type: literalUnion(CHAT_TYPES),
    title: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    members: Type.Optional(Type.Number()),
  }),
  message_id: Id,
  sender: Type.Object({
    id: Id,
    bot: Type.Optional(Type.Boolean()),
    premium: Type.Optional(Type.Boolean()),
    created_ts: Type.Optional(Timestamp),
  }),
  text: Type.Optional(Type.String()),
  entities: Type.Optional(
    Type.Array(Type.Object({ type: literalUnion(ENTITY_TYPES), value: Type.Optional(Type.String()) }), { maxItems: 1000 }),
  ),
  buttons: Type.Optional(Type.Array(Type.Object({ text: Type.String(), url: Type.Optional(Type.String()) }), { maxItems: 1000 })),
  media: Type.Optional(Type.Object({ kind: literalUnion(MEDIA_KINDS), hash: Type.Optional(Type.String()) })),
  forward: Type.Optional(
    Type.Object({
      chat_id: Type.Optional(Type.String()),
      message_id: Type.Optional(Type.String()),
      sender_id: Type.Optional(Type.String()),
    }),
  ),
  reply_to: Type.Optional(Type.String()),
  lang: Type.Optional(Type.String({ maxLength: 35 })),
  country: Type.Optional(Country),
})

const Target = Type.Object({
  chat_id: Id,
  message_id: Type.Optional(Type.String()),
  user_id: Type.Optional(Type.String()),
})

export const ModerationV1 = Type.Object({
  schema: Type.Literal('moderation.v1'),
  event_id: Id,
  ts: Timestamp,
  action: literalUnion(MODERATION_ACTIONS),
  target: Target,
  category: literalUnion(CATEGORIES),
  source: literalUnion(ACTION_SOURCES),
  report_id: Type.Optional(Type.String()),
  country: Type.Optional(Country),
})

export const ReportV1 = Type.Object({
  schema: Type.Literal('report.v1'),
  event_id: Id,
  ts: Timestamp,
  report_id: Id,
  reporter: literalUnion(REPORTER_KINDS),
  reporter_org: Type.Optional(Type.String()),
  priority: literalUnion(PRIORITIES),
  target: Target,
  category: literalUnion(CATEGORIES),
  country: Type.Optional(Country),
})

export type MessageV1 = Static<typeof MessageV1>
export type ModerationV1 = Static<typeof ModerationV1>
export type ReportV1 = Static<typeof ReportV1>
export type ChatType = (typeof CHAT_TYPES)[number]
export type MessageType = (typeof MESSAGE_TYPES)[number]

/** Every schema the processor knows, by the value of its `schema` field. */
export const SCHEMAS = {
  'message.v1': MessageV1,
  'moderation.v1': ModerationV1,
  'report.v1': ReportV1,
} as const
export type SchemaName = keyof typeof SCHEMAS

/** A validated event with its event time parsed to epoch milliseconds. */
export type DecodedEvent =
  | { kind: 'message'; event: MessageV1; tsMs: number; senderCreatedMs: number | null }
  | { kind: 'moderation'; event: ModerationV1; tsMs: number }
  | { kind: 'report'; event: ReportV1; tsMs: number }
