/**
 * docs/contract/events.md: the input topics and every event schema, rendered from the TypeBox schemas
 * of src/domain/events.ts (the validator's own source, so the page cannot say something the decoder
 * does not do) into the prose of templates/events.md.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { DEAD_LETTER_REASONS } from '../../src/domain/errors.js'
import { SCHEMAS } from '../../src/domain/events.js'
import { code, table } from './md.js'
import { fill, root, template } from './template.js'

/** The JSON Schema subset TypeBox emits for these schemas. */
interface Schema {
  type?: string
  const?: unknown
  anyOf?: Schema[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  minLength?: number
  maxLength?: number
  maxItems?: number
  description?: string
}

function typeOf(s: Schema): string {
  if (s.const !== undefined) return code(JSON.stringify(s.const))
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ')
  if (s.type === 'string') {
    const { minLength: min, maxLength: max } = s
    if (min !== undefined && max !== undefined) return `string (${min}–${max} chars)`
    if (max !== undefined) return `string (≤ ${max} chars)`
    return 'string'
  }
  if (s.type === 'array')
    return `array${s.maxItems === undefined ? '' : ` (≤ ${s.maxItems} items)`} of ${s.items?.type === 'object' ? 'objects' : typeOf(s.items ?? {})}`
  return s.type ?? 'any'
}

/** One row per field, nested fields as `parent.child` and array items as `parent[].child`, in declaration order. */
function rows(s: Schema, prefix: string): string[][] {
  const out: string[][] = []
  const required = new Set(s.required ?? [])
  for (const [name, field] of Object.entries(s.properties ?? {})) {
    const path = `${prefix}${name}`
    out.push([code(path), typeOf(field), required.has(name) ? 'yes' : 'no', field.description ?? ''])
    if (field.type === 'object') out.push(...rows(field, `${path}.`))
    if (field.type === 'array' && field.items?.type === 'object') out.push(...rows(field.items, `${path}[].`))
  }
  return out
}

export function schemaTable(name: keyof typeof SCHEMAS): string {
  return table(['field', 'type', 'required', 'meaning'], rows(SCHEMAS[name], ''))
}

/** Default topic names and the record size limit, from config/default.yaml (what a fresh install uses). */
function topicsTable(): string {
  const config = parse(readFileSync(`${root}/config/default.yaml`, 'utf8')) as { kafka: { topics: Record<string, string> } }
  const topics = config.kafka.topics
  const schemaOf: Record<string, string> = { messages: 'message.v1', moderation: 'moderation.v1', reports: 'report.v1' }
  return table(
    ['topic (default name)', 'configuration key', 'schemas'],
    Object.entries(topics)
      .filter(([key]) => key in schemaOf)
      .map(([key, name]) => [code(name), code(`kafka.topics.${key}`), code(schemaOf[key] ?? '')]),
  )
}

function maxRecordBytes(): string {
  const config = parse(readFileSync(`${root}/config/default.yaml`, 'utf8')) as { pipeline: { max_record_bytes: number } }
  return String(config.pipeline.max_record_bytes)
}

export function renderEvents(): string {
  return fill(template('events.md'), {
    topics: topicsTable(),
    'max-record-bytes': maxRecordBytes(),
    'schema message.v1': schemaTable('message.v1'),
    'schema moderation.v1': schemaTable('moderation.v1'),
    'schema report.v1': schemaTable('report.v1'),
    schemas: Object.keys(SCHEMAS).map(code).join(', '),
    'dead-letter-reasons': DEAD_LETTER_REASONS.map(code).join(', '),
  })
}
