/**
 * Which rules file was in force when: every start hashes the rules file's content and, when it
 * differs from the latest recorded version, records it in rule_versions with what changed. The
 * previous content is read back from the table, so the difference needs no file kept anywhere else.
 */
import { createHash } from 'node:crypto'
import { parseYamlText } from '../config/yaml-file.js'
import type { Logger } from '../domain/ports.js'

/** What this module needs of the store (ClickHouseStore has it). */
export interface SqlStore {
  readonly database: string
  select<T>(query: string, params?: Record<string, unknown>): Promise<T[]>
  insertStatement(query: string): Promise<void>
}

/** The version of a rules file: its content's SHA-256, first 16 hex digits. */
export const rulesVersionOf = (content: string): string => createHash('sha256').update(content).digest('hex').slice(0, 16)

/**
 * One line per key whose value differs between two parsed rules documents, in key order:
 * `rules.shortener.weight: 0.3 -> 0.7`, `rules.sender_burst: (none) -> {...}`; a list (bad domains,
 * shorteners) is compared as a set: `lists.shorteners: +a.example -b.example`.
 */
export function diffRulesDocuments(previous: unknown, next: unknown): string[] {
  const before = flatten(previous)
  const after = flatten(next)
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort()
  const changes: string[] = []
  for (const key of keys) {
    const a = before.get(key)
    const b = after.get(key)
    if (Array.isArray(a) && Array.isArray(b)) {
      const added = b.filter((v) => !a.includes(v)).map((v) => `+${shown(v)}`)
      const removed = a.filter((v) => !b.includes(v)).map((v) => `-${shown(v)}`)
      if (added.length + removed.length > 0) changes.push(`${key}: ${[...added, ...removed].join(' ')}`)
    } else if (shown(a) !== shown(b)) {
      changes.push(`${key}: ${shown(a)} -> ${shown(b)}`)
    }
  }
  return changes
}

/** Leaves of a document by dotted path; arrays are leaves. */
function flatten(value: unknown, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into)
  } else if (prefix) {
    into.set(prefix, value)
  }
  return into
}

const shown = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v))

export interface RecordedVersion {
  version: string
  /** false: the latest recorded version already had this content */
  recorded: boolean
  changes: string[]
}

/** Records the rules file's version when its content differs from the latest recorded one. */
export async function recordRulesVersion(
  db: SqlStore,
  rulesFile: string,
  content: string,
  logger: Logger,
  now = Date.now(),
): Promise<RecordedVersion> {
  const version = rulesVersionOf(content)
  const [latest] = await db.select<{ version: string; content: string }>(
    `SELECT version, content FROM ${db.database}.rule_versions ORDER BY recorded_at DESC LIMIT 1`,
  )
  if (latest?.version === version) return { version, recorded: false, changes: [] }
  const changes = latest ? diffRulesDocuments(parsedOrNull(latest.content), parsedOrNull(content)) : []
  const row = { version, previous: latest?.version ?? '', recorded_at: now, rules_file: rulesFile, changes, content }
  // JSONEachRow data after FORMAT is read as data, not SQL: no escaping beyond JSON's own.
  await db.insertStatement(`INSERT INTO ${db.database}.rule_versions FORMAT JSONEachRow ${JSON.stringify(row)}`)
  logger.info({ version, previous: row.previous || null, changes }, 'new rules version recorded')
  return { version, recorded: true, changes }
}

function parsedOrNull(text: string): unknown {
  const parsed = parseYamlText(text)
  return parsed.ok ? parsed.value : null
}
