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

/** RFC 3339 with a mandatory offset (Z or ±hh:mm); Date.parse alone also accepts local times. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/
/** Event times outside this range are treated as not a time (year 2000 to year 2200). */
const MIN_TS_MS = 946_684_800_000
const MAX_TS_MS = 7_258_118_400_000

export function parseTimestamp(ts: unknown): number | null {
  let ms: number
  if (typeof ts === 'number') ms = ts
  else if (typeof ts === 'string' && RFC3339.test(ts)) ms = Date.parse(ts)
  else return null
  if (!Number.isFinite(ms) || ms < MIN_TS_MS || ms > MAX_TS_MS) return null
  return Math.floor(ms)
}

export function decodeRecord(bytes: Uint8Array | null, maxBytes: number): DecodeResult {
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
    return fail('not_json', (error as Error).message.slice(0, 200))
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('not_object', `a JSON ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}`)
  }
  const schema = (parsed as { schema?: unknown }).schema
  if (typeof schema !== 'string') return fail('missing_schema', 'no string field `schema`')
  if (!Object.hasOwn(validators, schema)) return fail('unknown_schema', `schema ${JSON.stringify(schema.slice(0, 64))}`)
  const name = schema as SchemaName
  const validator = validators[name]
  if (!validator.Check(parsed)) return describeSchemaError(validator.Errors(parsed).First())
  const tsMs = parseTimestamp((parsed as { ts: unknown }).ts)
  if (tsMs === null) return fail('invalid_ts', '`ts` is not epoch milliseconds or RFC 3339 with an offset')
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

type FirstError = ReturnType<ReturnType<typeof TypeCompiler.Compile>['Errors']> extends { First(): infer E } ? E : never

function describeSchemaError(error: FirstError): DecodeResult {
  if (error === undefined) return fail('wrong_type', 'does not match its schema')
  const field = error.path.replace(/^\//, '').split('/').join('.') || '(root)'
  // TypeBox reports a missing property as a type error on an undefined value.
  const missing = error.value === undefined && error.type !== ValueErrorType.Never
  return missing ? fail('missing_field', `${field} is required`) : fail('wrong_type', `${field}: ${error.message}`)
}
