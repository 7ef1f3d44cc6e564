/**
 * The input contract, version 1 of each topic's schema (rendered for readers as
 * docs/contract/events.md by `npm run docs`; the descriptions below are its text).
 *
 * These TypeBox schemas are the single source of truth: the TypeScript types below are derived from
 * them and the decoder compiles them into its runtime validator. Unknown fields are allowed
 * (forward compatibility), so no schema sets `additionalProperties: false`. Descriptions are
 * documentation only: TypeBox ignores them when it validates.
 */
import { Type, type Static } from '@sinclair/typebox'

/** Ids are strings: Telegram chat ids are 64-bit and negative for groups and channels; JavaScript numbers lose them. */
const id = (description: string) => Type.String({ minLength: 1, maxLength: 256, description })
/** Event time: epoch milliseconds or an RFC 3339 string with an offset; parsed by the decoder. */
const timestamp = (description: string) => Type.Union([Type.Number(), Type.String({ maxLength: 64 })], { description })
const country = () => Type.String({ maxLength: 8, description: 'ISO 3166-1 alpha-2 region of the chat or sender, where known' })
const EVENT_ID = 'unique per event; a redelivered event carries the same id (the duplicate filter keys on it)'
const TS = 'event time: epoch milliseconds (number) or RFC 3339 with an offset (`2026-11-28T12:00:00.123Z`)'

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
const literalUnion = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description === undefined ? {} : { description },
  )

export const MessageV1 = Type.Object({
  schema: Type.Literal('message.v1', { description: 'schema name and version' }),
  event_id: id(EVENT_ID),
  type: literalUnion(MESSAGE_TYPES, 'an edit carries the new text; a delete may omit it'),
  ts: timestamp(TS),
  chat: Type.Object(
    {
      id: id('chat id'),
      type: literalUnion(CHAT_TYPES, 'private chats contribute counts only: their text is never fingerprinted or stored'),
      title: Type.Optional(Type.String({ description: 'public name of the chat (look-alike and impersonation detection)' })),
      username: Type.Optional(Type.String({ description: '@handle of the chat (look-alike and impersonation detection)' })),
      members: Type.Optional(Type.Number({ description: 'subscriber or member count' })),
    },
    { description: 'the chat the message was posted in' },
  ),
  message_id: id('unique within the chat'),
  sender: Type.Object(
    {
      id: id('the posting account (for a channel post: the channel itself); pseudonymised before it reaches any store, metric or log'),
      bot: Type.Optional(Type.Boolean({ description: 'the account is a bot' })),
      premium: Type.Optional(Type.Boolean({ description: 'the account has a paid subscription' })),
      created_ts: Type.Optional(timestamp('when the account was created (same formats as `ts`)')),
    },
    { description: 'the posting account' },
  ),
  text: Type.Optional(
    Type.String({ description: 'message text or media caption; Telegram caps it at 4096 characters, longer texts are accepted' }),
  ),
  entities: Type.Optional(
    Type.Array(
      Type.Object({
        type: literalUnion(ENTITY_TYPES, 'entity kind'),
        value: Type.Optional(Type.String({ description: 'the URL or handle' })),
      }),
      { maxItems: 1000, description: 'entities the platform marked in the text' },
    ),
  ),
  buttons: Type.Optional(
    Type.Array(
      Type.Object({
        text: Type.String({ description: 'button label' }),
        url: Type.Optional(Type.String({ description: 'link the button opens' })),
      }),
      { maxItems: 1000, description: 'inline keyboard (spam often hides its link here)' },
    ),
  ),
  media: Type.Optional(
    Type.Object(
      {
        kind: literalUnion(MEDIA_KINDS, 'media kind'),
        hash: Type.Optional(Type.String({ description: 'an upstream content hash (exact or perceptual)' })),
      },
      { description: 'attached media' },
    ),
  ),
  forward: Type.Optional(
    Type.Object(
      {
        chat_id: Type.Optional(Type.String({ description: 'chat the forwarded message came from' })),
        message_id: Type.Optional(Type.String({ description: 'its message id there' })),
        sender_id: Type.Optional(Type.String({ description: 'its original sender' })),
      },
      { description: 'origin of a forwarded message' },
    ),
  ),
  reply_to: Type.Optional(Type.String({ description: 'message id replied to' })),
  lang: Type.Optional(Type.String({ maxLength: 35, description: 'BCP 47 language tag, if the platform detected one' })),
  country: Type.Optional(country()),
})

const Target = Type.Object(
  {
    chat_id: id('chat acted on or reported'),
    message_id: Type.Optional(Type.String({ description: 'message acted on or reported' })),
    user_id: Type.Optional(Type.String({ description: 'account acted on or reported; pseudonymised like sender ids' })),
  },
  { description: 'what the action or report is about' },
)

export const ModerationV1 = Type.Object({
  schema: Type.Literal('moderation.v1', { description: 'schema name and version' }),
  event_id: id(EVENT_ID),
  ts: timestamp(TS),
  action: literalUnion(
    MODERATION_ACTIONS,
    '`action_reverted`: an appeal granted or a mistake undone; `no_violation`: a report was reviewed and nothing was done',
  ),
  target: Target,
  category: literalUnion(CATEGORIES, 'the kind of abuse'),
  source: literalUnion(
    ACTION_SOURCES,
    'what led to the action; `trusted_flagger` is an NGO hotline partner, `authority` a regulator or police request',
  ),
  report_id: Type.Optional(
    Type.String({ description: 'the report that led to it, if any: the first moderation event with a report id answers it' }),
  ),
  country: Type.Optional(country()),
})

export const ReportV1 = Type.Object({
  schema: Type.Literal('report.v1', { description: 'schema name and version' }),
  event_id: id(EVENT_ID),
  ts: timestamp(TS),
  report_id: id('report id; moderation events that answer it carry it'),
  reporter: literalUnion(REPORTER_KINDS, 'who asked'),
  reporter_org: Type.Optional(Type.String({ description: 'the partner organisation or agency (never a private person)' })),
  priority: literalUnion(PRIORITIES, 'urgent reports have an answer-time target (alert AbuseRadarUrgentReportUnanswered)'),
  target: Target,
  category: literalUnion(CATEGORIES, 'the kind of abuse reported'),
  country: Type.Optional(country()),
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
