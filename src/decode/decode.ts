/**
 * Bytes → a validated event, or a dead letter with a reason code. Never throws: every input,
 * however broken, gets one of the two answers.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ValueErrorType } from '@sinclair/typebox/errors'
import { MessageV1, ModerationV1, ReportV1, type DecodedEvent, type SchemaName } from '../domain/events.js'
import type { DeadLetter } from '../domain/errors.js'

const validators = {
  'message.v1': TypeCompiler.Compile(MessageV1),
  'moderation.v1': TypeCompiler.Compile(ModerationV1),
  'report.v1': TypeCompiler.Compile(ReportV1),
} as const satisfies Record<SchemaName, unknown>

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

export type DecodeResult = { ok: true; value: DecodedEvent } | { ok: false; error: DeadLetter }

const fail = (reason: DeadLetter['reason'], detail: string): DecodeResult => ({ ok: false, error: { reason, detail } })

/**
 * Which event times the pipeline accepts, relative to its processing time (the decoder reads no
 * clock: the caller passes it). Outside the window an event would distort what it lands in: one
 * dated far ahead moves every "latest" (dashboards, the campaign index restored relative to the
 * newest stored event time); one older than the aggregates' retention would be counted in the run's
 * summary, then deleted by the aggregates' TTL without a trace.
 */
export interface EventTimeWindow {
  /** processing time, epoch ms */
  nowMs: number
  /** pipeline.max_future_skew_seconds, in ms: how far ahead of processing time an event may be */
  maxFutureSkewMs: number
  /** privacy.aggregate_ttl_days, in ms: how far behind processing time an event may be */
  maxAgeMs: number
}

/**
 * The widest window, whatever the clock: `minute` columns are DateTime (UInt32 seconds), which wraps
 * after 2106-02-07T06:28:15Z (2199 was stored as 2063), and no event of this system predates 2000.
 */
const STORABLE_MIN_MS = Date.UTC(2000, 0, 1)
const STORABLE_MAX_MS = 4_294_967_295_999

/** RFC 3339 with a mandatory offset (Z or ±hh:mm); Date.parse alone also accepts local times. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
/** The range of a JavaScript Date; beyond it a number is not a time. */
const DATE_LIMIT_MS = 8.64e15

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
const daysInMonth = (year: number, month: number) => (month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31)

/**
 * Epoch ms of an RFC 3339 time, or null for an impossible one. Computed from its fields rather than
 * with Date.parse, which rolls 2026-02-30 over to March 2.
 */
function parseRfc3339(ts: string): number | null {
  const m = RFC3339.exec(ts)
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const offsetHours = m[9] === undefined ? 0 : Number(m[9])
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)))
  const offsetMs = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000
  return date.getTime() - offsetMs
}

/** Epoch milliseconds (a number) or RFC 3339 with an offset → epoch ms; null if it is not a possible time. */
export function parseTimestamp(ts: unknown): number | null {
  let ms: number | null
  if (typeof ts === 'number') ms = ts
  else if (typeof ts === 'string') ms = parseRfc3339(ts)
  else return null
  if (ms === null || !Number.isFinite(ms) || Math.abs(ms) > DATE_LIMIT_MS) return null
  return Math.floor(ms)
}

/**
 * Whether an event time fits every column and partition it lands in, and the window: a dead letter
 * (ts_in_future, ts_too_old) if not. Both bounds are inclusive.
 */
export function checkEventTime(tsMs: number, window?: EventTimeWindow): DeadLetter | null {
  const latest = window === undefined ? STORABLE_MAX_MS : Math.min(STORABLE_MAX_MS, window.nowMs + window.maxFutureSkewMs)
  const earliest = window === undefined ? STORABLE_MIN_MS : Math.max(STORABLE_MIN_MS, window.nowMs - window.maxAgeMs)
  const at = new Date(tsMs).toISOString()
  if (tsMs > latest) {
    const limit =
      window === undefined || latest === STORABLE_MAX_MS ? 'the latest storable time' : 'processing time + pipeline.max_future_skew_seconds'
    return { reason: 'ts_in_future', detail: `\`ts\` ${at} is after ${limit} (${new Date(latest).toISOString()})` }
  }
  if (tsMs < earliest) {
    const limit =
      window === undefined || earliest === STORABLE_MIN_MS ? 'the earliest storable time' : 'processing time - privacy.aggregate_ttl_days'
    return { reason: 'ts_too_old', detail: `\`ts\` ${at} is before ${limit} (${new Date(earliest).toISOString()})` }
  }
  return null
}

/**
 * `window` bounds event times relative to processing time; without it (offline evaluation) only what
 * ClickHouse can store is checked.
 */
export function decodeRecord(bytes: Uint8Array | null, maxBytes: number, window?: EventTimeWindow): DecodeResult {
  if (bytes === null || bytes.length === 0) return fail('empty_record', 'the record has no value')
  if (bytes.length > maxBytes) return fail('too_large', `${bytes.length} bytes > max_record_bytes ${maxBytes}`)
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return fail('invalid_utf8', 'the bytes are not valid UTF-8')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return fail('not_json', describeJsonError(text, (error as Error).message))
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('not_object', `a JSON ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}`)
  }
  const schema = (parsed as { schema?: unknown }).schema
  if (typeof schema !== 'string') return fail('missing_schema', 'no string field `schema`')
  if (!Object.hasOwn(validators, schema)) return fail('unknown_schema', `an unknown schema of ${schema.length} characters`)
  const name = schema as SchemaName
  const validator = validators[name]
  if (!validator.Check(parsed)) return describeSchemaError(validator.Errors(parsed).First())
  const tsMs = parseTimestamp((parsed as { ts: unknown }).ts)
  if (tsMs === null) return fail('invalid_ts', '`ts` is not epoch milliseconds or a possible RFC 3339 time with an offset')
  const outOfWindow = checkEventTime(tsMs, window)
  if (outOfWindow !== null) return { ok: false, error: outOfWindow }
  switch (name) {
    case 'message.v1': {
      const event = parsed as MessageV1
      let senderCreatedMs: number | null = null
      if (event.sender.created_ts !== undefined) {
        senderCreatedMs = parseTimestamp(event.sender.created_ts)
        if (senderCreatedMs === null) return fail('invalid_ts', '`sender.created_ts` is not a time')
      }
      return { ok: true, value: { kind: 'message', event, tsMs, senderCreatedMs } }
    }
    case 'moderation.v1':
      return { ok: true, value: { kind: 'moderation', event: parsed as ModerationV1, tsMs } }
    case 'report.v1':
      return { ok: true, value: { kind: 'report', event: parsed as ReportV1, tsMs } }
  }
}

/**
 * JSON.parse's message quotes the input ("Unexpected token 'S', "SNDRMARK-t"..."): only the position
 * is kept. When V8 gives none, the position is where the longest prefix that could still become JSON
 * ends, found by bisection (dead letters are rare; a record is at most max_record_bytes).
 */
function describeJsonError(text: string, message: string): string {
  const reported = /at position (\d+)/.exec(message)
  const endsEarly = /Unexpected end of JSON input/.test(message) || (reported !== null && Number(reported[1]) >= text.length)
  if (endsEarly) return `invalid JSON: it ends at position ${text.length} before the value is complete`
  if (reported) return `invalid JSON at position ${reported[1]}`
  let viable = 0
  let broken = text.length
  while (broken - viable > 1) {
    const middle = Math.floor((viable + broken) / 2)
    if (couldStillBecomeJson(text.slice(0, middle))) viable = middle
    else broken = middle
  }
  return `invalid JSON at position ${viable}`
}

function couldStillBecomeJson(prefix: string): boolean {
  try {
    JSON.parse(prefix)
    return true
  } catch (error) {
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)
    return /Unexpected end of JSON input/.test(message) || (position !== null && Number(position[1]) >= prefix.length)
  }
}

type FirstError = ReturnType<ReturnType<typeof TypeCompiler.Compile>['Errors']> extends { First(): infer E } ? E : never

function describeSchemaError(error: FirstError): DecodeResult {
  if (error === undefined) return fail('wrong_type', 'does not match its schema')
  const field = error.path.replace(/^\//, '').split('/').join('.') || '(root)'
  // TypeBox reports a missing property as a type error on an undefined value.
  const missing = error.value === undefined && error.type !== ValueErrorType.Never
  return missing ? fail('missing_field', `${field} is required`) : fail('wrong_type', `${field}: ${error.message}`)
}
