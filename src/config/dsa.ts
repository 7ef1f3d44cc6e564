/**
 * The DSA mapping file (config/dsa.yaml): how abuse-radar's categories, action sources and actions
 * become the Transparency Database's categories, grounds, source types and restrictions, and where
 * statements are submitted. One TypeBox schema is the type and the validator; `loadDsaMapping` reads
 * the file and throws one error listing every problem (schema errors with their path, then checks
 * across fields: every category, source and restricting action mapped, the grounds and `_other`
 * texts a choice requires), before anything opens ClickHouse or the network.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { fileURLToPath } from 'node:url'
import { DsaMappingSchema, RESTRICTING_ACTIONS, type DsaMapping } from '../domain/dsa-statement.js'
import { InvalidInputError } from '../domain/errors.js'
import { ACTION_SOURCES, CATEGORIES } from '../domain/events.js'
import { readYamlFile } from './yaml-file.js'

export const DEFAULT_DSA_MAPPING_PATH = fileURLToPath(new URL('../../config/dsa.yaml', import.meta.url))
/** The environment variable holding the database's API token: never in a file, never printed. */
export const DSA_TOKEN_ENV = 'ABUSE_RADAR_DSA_TOKEN'

const checker = TypeCompiler.Compile(DsaMappingSchema)

export function loadDsaMapping(path: string = DEFAULT_DSA_MAPPING_PATH): DsaMapping {
  const file = readYamlFile(path)
  if (!file.ok) throw new InvalidInputError('AR_CONFIG_INVALID', `invalid DSA mapping ${path}`, file.problems)
  return compileDsaMapping(file.value, path)
}

/** A parsed mapping document, checked: every problem at once in one AR_CONFIG_INVALID error. */
export function compileDsaMapping(doc: unknown, source: string): DsaMapping {
  const problems: string[] = []
  for (const e of checker.Errors(doc)) {
    const path = e.path.replace(/^\//, '').split('/').join('.') || '(root)'
    const shown =
      typeof e.value === 'string' || typeof e.value === 'number' || typeof e.value === 'boolean' ? ` (got ${JSON.stringify(e.value)})` : ''
    problems.push(`${path}: ${e.message}${shown}`)
  }
  problems.push(...crossFieldProblems(doc))
  if (problems.length > 0) throw new InvalidInputError('AR_CONFIG_INVALID', `invalid DSA mapping ${source}`, problems)
  return doc as DsaMapping
}

/** Checks across fields, also on a document with schema errors (each section read defensively): every problem at once. */
function crossFieldProblems(doc: unknown): string[] {
  const problems: string[] = []
  const m = record(doc)
  const keys = (section: 'categories' | 'actions' | 'sources', expected: readonly string[]) => {
    const mapped = record(m[section])
    for (const key of expected)
      if (!(key in mapped)) problems.push(`${section}.${key}: missing (every ${section.slice(0, -1)} needs a mapping)`)
    for (const key of Object.keys(mapped))
      if (!expected.includes(key)) problems.push(`${section}.${key}: unknown; expected one of ${expected.join(', ')}`)
  }
  keys('categories', CATEGORIES)
  keys('actions', RESTRICTING_ACTIONS)
  keys('sources', ACTION_SOURCES)
  for (const [name, value] of Object.entries(record(m['categories']))) {
    const c = record(value)
    if (c['ground'] === 'illegal' && c['also_illegal'] !== undefined)
      problems.push(`categories.${name}.also_illegal: only for ground terms`)
  }
  for (const [name, value] of Object.entries(record(m['actions']))) {
    const a = record(value)
    const list = (key: string) => (Array.isArray(a[key]) ? (a[key] as unknown[]) : [])
    if (a['decision_visibility'] === undefined && a['decision_provision'] === undefined && a['decision_account'] === undefined)
      problems.push(`actions.${name}: needs a restriction (decision_visibility, decision_provision or decision_account)`)
    if (list('decision_visibility').includes('DECISION_VISIBILITY_OTHER') && a['decision_visibility_other'] === undefined)
      problems.push(`actions.${name}.decision_visibility_other: required with DECISION_VISIBILITY_OTHER`)
    if (list('content_type').includes('CONTENT_TYPE_OTHER') && a['content_type_other'] === undefined)
      problems.push(`actions.${name}.content_type_other: required with CONTENT_TYPE_OTHER`)
  }
  const submission = record(m['submission'])
  const initial = submission['initial_backoff_ms']
  const max = submission['max_backoff_ms']
  if (typeof initial === 'number' && typeof max === 'number' && initial > max)
    problems.push(`submission.initial_backoff_ms (${initial}) must not exceed max_backoff_ms (${max})`)
  return problems
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
