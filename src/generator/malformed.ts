/**
 * Broken records, each broken in exactly one documented way, derived from a valid record's JSON.
 */
import type { Rng } from './prng.js'
import { AbuseRadarError } from '../domain/errors.js'

export type MalformedReason =
  'not_json' | 'not_object' | 'unknown_schema' | 'missing_field' | 'wrong_type' | 'invalid_utf8' | 'invalid_ts' | 'too_large'
export type TopicKind = 'message' | 'moderation' | 'report'

export const MALFORMED_REASONS: readonly Exclude<MalformedReason, 'too_large'>[] = [
  'not_json',
  'not_object',
  'unknown_schema',
  'missing_field',
  'wrong_type',
  'invalid_utf8',
  'invalid_ts',
]

const REQUIRED: Record<TopicKind, string[]> = {
  message: ['event_id', 'type', 'ts', 'chat', 'chat.id', 'chat.type', 'message_id', 'sender', 'sender.id'],
  moderation: ['event_id', 'ts', 'action', 'target', 'target.chat_id', 'category', 'source'],
  report: ['event_id', 'ts', 'report_id', 'reporter', 'priority', 'target', 'target.chat_id', 'category'],
}

type Obj = Record<string, unknown>
type Mutation = (o: Obj) => void

const asObj = (v: unknown): Obj => v as Obj

const WRONG_TYPES: Record<TopicKind, Mutation[]> = {
  message: [
    (o) => (asObj(o.chat).id = Number(asObj(o.chat).id)),
    (o) => (o.message_id = Number(o.message_id)),
    (o) => (o.ts = true),
    (o) => (o.ts = null),
    (o) => (o.ts = { ms: o.ts }),
    (o) => (asObj(o.sender).bot = 'yes'),
    (o) => (asObj(o.chat).members = 'many'),
    (o) => (o.entities = {}),
    (o) => (o.text = 12345),
    (o) => (o.type = 1),
    (o) => (asObj(o.sender).id = Number(asObj(o.sender).id)),
    (o) => (o.buttons = 'none'),
    (o) => (o.media = 'photo'),
    (o) => (o.lang = 7),
    (o) => (o.reply_to = 5512),
  ],
  moderation: [
    (o) => (asObj(o.target).chat_id = Number(asObj(o.target).chat_id)),
    (o) => (o.action = 3),
    (o) => (o.category = null),
    (o) => (o.source = ['automated']),
    (o) => (o.report_id = 987654),
    (o) => (o.ts = false),
    (o) => (o.country = 49),
  ],
  report: [
    (o) => (o.report_id = 123456),
    (o) => (o.reporter = ['user']),
    (o) => (o.priority = true),
    (o) => (o.target = asObj(o.target).chat_id),
    (o) => (o.category = 7),
    (o) => (o.ts = [o.ts]),
    (o) => (o.reporter_org = 42),
  ],
}

/** Values of `ts` that pass the schema (number or string) but are no time: no offset, impossible dates, out of range. */
export const INVALID_TS: readonly (string | number)[] = [
  'yesterday',
  '',
  '2026-13-45T25:61:00Z',
  '2026-11-28T12:00:00',
  '12:00',
  'not a time',
  '28/11/2026 12:00',
  '2026-11-28T12:00:00.123+25:00',
  1e20,
  -1e20,
]

const BAD_UTF8: readonly number[][] = [
  [0xff],
  [0xc3, 0x28],
  [0x80],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe, 0xfe],
]

/** Never empty: an empty value is a different failure (no record at all). */
const GARBAGE = ['hello', 'ERROR: producer timeout', '<html><body>502 Bad Gateway</body></html>', 'message.v1', '{', '}']

function deletePath(o: Obj, path: string): void {
  const [a, b] = path.split('.') as [string, string | undefined]
  if (b === undefined) delete o[a]
  else delete asObj(o[a])[b]
}

/** A broken copy of `json` (a valid record of `topic`), with a fresh event id. */
export function makeMalformed(
  rng: Rng,
  json: string,
  topic: TopicKind,
  eventId: string,
  reason: Exclude<MalformedReason, 'too_large'>,
): Buffer {
  const o = JSON.parse(json) as Obj
  o.event_id = eventId
  switch (reason) {
    case 'not_json': {
      const s = JSON.stringify(o)
      switch (rng.int(6)) {
        case 0:
          return Buffer.from(s.slice(0, 1 + rng.int(s.length - 2)))
        case 1:
          return Buffer.from(s.replace(/"/g, "'"))
        case 2:
          return Buffer.from(s + (rng.chance(0.5) ? '}' : ','))
        case 3:
          return Buffer.from(s.replace(/"ts":("[^"]*"|[-\d.e+]+)/, '"ts":NaN'))
        case 4:
          return Buffer.from(s + s)
        default:
          return Buffer.from(rng.pick(GARBAGE))
      }
    }
    case 'not_object': {
      const s = JSON.stringify(o)
      return Buffer.from(rng.pick([`[${s}]`, JSON.stringify(s), '42', 'null', 'true', '[]', '"message.v1"']))
    }
    case 'unknown_schema':
      o.schema = rng.pick(['message.v2', 'reaction.v1', 'moderation.v0', 'report.v9', 'MESSAGE.V1', '', 'message'])
      return Buffer.from(JSON.stringify(o))
    case 'missing_field':
      deletePath(o, rng.pick(REQUIRED[topic]))
      return Buffer.from(JSON.stringify(o))
    case 'wrong_type':
      rng.pick(WRONG_TYPES[topic])(o)
      return Buffer.from(JSON.stringify(o))
    case 'invalid_ts':
      o.ts = rng.pick(INVALID_TS)
      return Buffer.from(JSON.stringify(o))
    case 'invalid_utf8': {
      const buf = Buffer.from(JSON.stringify(o))
      // right after the opening quote of a string value: never inside an escape or a multi-byte character
      const t = buf.indexOf('"text":"')
      const pos = t >= 0 ? t + 8 : buf.indexOf('"event_id":"') + 12
      return Buffer.concat([buf.subarray(0, pos), Buffer.from(rng.pick(BAD_UTF8)), buf.subarray(pos)])
    }
  }
}

/** An otherwise valid message record whose size exceeds `bytes`. */
export function makeTooLarge(rng: Rng, messageJson: string, eventId: string, bytes: number, filler: string): Buffer {
  const o = JSON.parse(messageJson) as Obj
  o.event_id = eventId
  o.type = 'created'
  o.text = ''
  const base = Buffer.byteLength(JSON.stringify(o))
  const unit = filler + ' '
  const unitBytes = Buffer.byteLength(unit)
  const n = Math.max(1, Math.ceil((bytes - base) / unitBytes) + 1 + rng.int(3))
  o.text = unit.repeat(n)
  const buf = Buffer.from(JSON.stringify(o))
  if (buf.length <= bytes) throw new AbuseRadarError('AR_INTERNAL', `oversized record of ${buf.length} bytes is not over ${bytes}`)
  return buf
}
