/**
 * Reads the schema the migrations build: every statement of src/sinks/clickhouse/migrations.ts (and
 * the configured views) is rendered for a single node and folded, in order, into the tables, views
 * and materialized views that exist after the last migration. Only the statement forms the
 * migrations use are understood; any other form is an error, so a new kind of migration cannot be
 * left out of docs/contract/tables.md silently.
 */
import { MIGRATIONS, configuredViews, type SchemaOptions } from '../../src/sinks/clickhouse/migrations.js'

export interface Column {
  name: string
  type: string
  comment: string
  default: string
}
export interface Table {
  kind: 'table'
  name: string
  comment: string
  columns: Column[]
  engine: string
  partitionBy: string
  orderBy: string
  ttl: string
  /** the CREATE's SETTINGS and those of later MODIFY SETTING, comma-separated */
  settings: string
  migration: number
}
export interface View {
  kind: 'view'
  name: string
  /** The outermost SELECT's output columns and the expressions that produce them. */
  columns: { name: string; expression: string }[]
  from: string[]
  migration: number
}
export interface MaterializedView {
  kind: 'mv'
  name: string
  from: string[]
  to: string
  migration: number
}
export type SchemaObject = Table | View | MaterializedView

const DB = 'abuse'
/**
 * Settings rendered as numbers no real value takes, then shown as the configuration keys they come
 * from: the page documents the keys, not one deployment's values.
 */
const SENTINELS: Record<string, number> = {
  'privacy.row_ttl_days': 900_001,
  'privacy.aggregate_ttl_days': 900_002,
  'pipeline.dedup_horizon_hours': 900_003,
  'clickhouse.deduplication_window': 900_004,
  'campaigns.min_messages': 900_005,
}
const OPTIONS: SchemaOptions = {
  database: DB,
  cluster: '',
  rowTtlDays: SENTINELS['privacy.row_ttl_days']!,
  aggregateTtlDays: SENTINELS['privacy.aggregate_ttl_days']!,
  dedupHorizonHours: SENTINELS['pipeline.dedup_horizon_hours']!,
  deduplicationWindow: SENTINELS['clickhouse.deduplication_window']!,
  minCampaignMessages: SENTINELS['campaigns.min_messages']!,
  // every object the schema can hold is documented: the merge's views exist with campaigns.scale_out merge
  campaignMerge: true,
}

export function showSettings(text: string): string {
  let out = text
  for (const [key, value] of Object.entries(SENTINELS)) out = out.replaceAll(String(value), `<${key}>`)
  return out
}

const STRING = `'(?:[^'\\\\]|\\\\.)*'`
const unquote = (s: string) => s.slice(1, -1).replace(/\\(.)/g, '$1')

/** Splits at `separator` characters outside quotes and parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '\\') i++
      else if (c === "'") quoted = false
    } else if (c === "'") quoted = true
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/** Index of the parenthesis closing the one at `open`, outside quotes. */
function closing(text: string, open: number): number {
  let depth = 0
  let quoted = false
  for (let i = open; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '\\') i++
      else if (c === "'") quoted = false
    } else if (c === "'") quoted = true
    else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return i
  }
  throw new Error(`unbalanced parentheses in ${text.slice(0, 80)}`)
}

function parseColumn(definition: string): Column {
  const comment = new RegExp(`\\s+COMMENT\\s+(${STRING})$`, 's').exec(definition)
  let rest = comment ? definition.slice(0, comment.index) : definition
  const dflt = /\s+DEFAULT\s+(.+)$/s.exec(rest)
  if (dflt) rest = rest.slice(0, dflt.index)
  const [, name, type] = /^(\w+)\s+(.+)$/s.exec(rest.trim()) ?? []
  if (!name || !type) throw new Error(`cannot read column definition: ${definition}`)
  return { name, type: type.replace(/\s+/g, ' '), comment: comment ? unquote(comment[1]!) : '', default: dflt?.[1]?.trim() ?? '' }
}

function parseTable(name: string, statement: string, migration: number): Table {
  const open = statement.indexOf('(')
  const end = closing(statement, open)
  const columns = splitTopLevel(statement.slice(open + 1, end), ',').map(parseColumn)
  let rest = statement.slice(end + 1)
  const comment = new RegExp(`\\s*COMMENT\\s+(${STRING})\\s*$`, 's').exec(rest)
  if (comment) rest = rest.slice(0, comment.index)
  const clause = (keyword: string) =>
    new RegExp(`${keyword}\\s+(.+?)\\s*(?=\\b(?:ENGINE =|PARTITION BY|ORDER BY|TTL|SETTINGS)\\b|$)`, 's')
      .exec(rest)?.[1]
      ?.replace(/\s+/g, ' ') ?? ''
  return {
    kind: 'table',
    name,
    comment: comment ? unquote(comment[1]!) : '',
    columns,
    engine: clause('ENGINE ='),
    partitionBy: clause('PARTITION BY'),
    orderBy: clause('ORDER BY'),
    ttl: clause('TTL'),
    settings: clause('SETTINGS'),
    migration,
  }
}

/**
 * One action of an ALTER TABLE statement, applied to the table as documented. `afterSetting`: the
 * action before it in the statement was a setting (a MODIFY SETTING's further settings come as
 * actions of their own). Returns whether this action was one, so the next may continue it.
 */
function alterTable(table: Table, action: string, afterSetting: boolean): boolean {
  let m: RegExpExecArray | null
  const column = (name: string) => {
    const c = table.columns.find((col) => col.name === name)
    if (!c) throw new Error(`ALTER TABLE ${table.name}: no column ${name}`)
    return c
  }
  if ((m = new RegExp(`^MODIFY COMMENT (${STRING})$`, 's').exec(action))) table.comment = unquote(m[1]!)
  else if ((m = new RegExp(`^COMMENT COLUMN (?:IF EXISTS )?(\\w+) (${STRING})$`, 's').exec(action))) column(m[1]!).comment = unquote(m[2]!)
  else if ((m = /^MODIFY TTL (.+)$/s.exec(action))) table.ttl = m[1]!.replace(/\s+/g, ' ')
  // MODIFY SETTING a = 1, b = 2: the actions are split at commas, so `b = 2` comes as one of its own,
  // and only there is a bare `name = value` a setting
  else if ((m = /^MODIFY SETTING (\w+ = \S+)$/.exec(action) ?? (afterSetting ? /^(\w+ = \S+)$/.exec(action) : null))) {
    table.settings = [table.settings, m[1]!].filter((x) => x).join(', ')
    return true
  } else if ((m = /^DROP COLUMN (?:IF EXISTS )?(\w+)$/.exec(action))) table.columns = table.columns.filter((c) => c.name !== m![1])
  else if ((m = /^ADD COLUMN (?:IF NOT EXISTS )?(.+?)(?: (AFTER \w+|FIRST))?$/s.exec(action))) {
    const added = parseColumn(m[1]!)
    const after = m[2]?.startsWith('AFTER ')
      ? table.columns.findIndex((c) => c.name === m![2]!.slice(6))
      : m[2] === 'FIRST'
        ? -1
        : table.columns.length - 1
    table.columns.splice(after + 1, 0, added)
  } else throw new Error(`scripts/docs/ddl.ts does not understand this ALTER TABLE action; teach it: ${action.slice(0, 200)}`)
  return false
}

const sources = (select: string) => [...new Set([...select.matchAll(new RegExp(`\\b(?:FROM|JOIN) ${DB}\\.(\\w+)`, 'g'))].map((m) => m[1]!))]

function parseView(name: string, select: string, migration: number): View {
  // The outermost SELECT list: from SELECT to the first FROM at parenthesis depth 0.
  const body = select.replace(/--[^\n]*/g, '').replace(/^\s*SELECT\s+/s, '')
  const list = splitTopLevel(body, ',')
  const columns: View['columns'] = []
  for (const item of list) {
    const last = /^(.*?)\s+FROM\s/s.exec(item)
    const expression = (last ? last[1]! : item).replace(/\s+/g, ' ')
    const alias = /^(.*)\s+AS\s+(\w+)$/s.exec(expression)
    columns.push(alias ? { name: alias[2]!, expression: alias[1]! } : { name: expression, expression })
    if (last) break
  }
  return { kind: 'view', name, columns, from: sources(select), migration }
}

/** Every table and view that exists after all migrations, in the order they were first created. */
export function schemaObjects(): SchemaObject[] {
  return foldStatements([
    ...MIGRATIONS.flatMap((m) => m.statements(OPTIONS).map((statement) => ({ statement, migration: m.version }))),
    ...configuredViews(OPTIONS).map((statement) => ({ statement, migration: 0 })),
  ])
}

/** Applies DDL statements for database `abuse` in order; migration 0 marks views replaced at every start. */
export function foldStatements(statements: { statement: string; migration: number }[]): SchemaObject[] {
  const objects = new Map<string, SchemaObject>()
  /**
   * Per name, the migration that first created it and its place in creation order, kept across a drop
   * (migration 23 drops campaigns_latest, every start creates it again).
   */
  const firstCreated = new Map<string, { migration: number; order: number }>()
  const created = (name: string, migration: number) => {
    if (!firstCreated.has(name)) firstCreated.set(name, { migration, order: firstCreated.size })
  }
  const name = String.raw`${DB}\.(\w+)`
  for (const { statement: s, migration: v } of statements) {
    const statement = s.trim()
    let m: RegExpExecArray | null
    if (new RegExp(`^CREATE DATABASE IF NOT EXISTS ${DB}$`).test(statement)) continue
    // rows a migration writes (migration 23 moves old states into a column), not schema
    if (new RegExp(`^INSERT INTO ${name} `).test(statement)) continue
    if ((m = new RegExp(`^CREATE TABLE IF NOT EXISTS ${name}\\s*\\(`).exec(statement))) {
      objects.set(m[1]!, parseTable(m[1]!, statement, v))
      created(m[1]!, v)
    } else if ((m = new RegExp(`^CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} TO ${name} AS\\s+(.*)$`, 's').exec(statement))) {
      objects.set(m[1]!, { kind: 'mv', name: m[1]!, to: m[2]!, from: sources(m[3]!), migration: v })
      created(m[1]!, v)
    } else if ((m = new RegExp(`^CREATE (?:OR REPLACE VIEW|VIEW IF NOT EXISTS) ${name} AS\\s+(.*)$`, 's').exec(statement))) {
      // Views replaced at every start keep the migration that first created them.
      const first = firstCreated.get(m[1]!)?.migration
      created(m[1]!, v)
      objects.set(m[1]!, parseView(m[1]!, m[2]!, v === 0 && first !== undefined ? first : v))
    } else if ((m = new RegExp(`^DROP (?:VIEW|TABLE) IF EXISTS ${name}$`).exec(statement))) {
      objects.delete(m[1]!)
    } else if ((m = new RegExp(`^ALTER TABLE ${name} (.*)$`, 's').exec(statement))) {
      const table = objects.get(m[1]!)
      if (table?.kind !== 'table') throw new Error(`ALTER TABLE of unknown table ${m[1]}`)
      let afterSetting = false
      for (const action of splitTopLevel(m[2]!, ',')) afterSetting = alterTable(table, action, afterSetting)
    } else {
      throw new Error(`scripts/docs/ddl.ts does not understand this migration statement; teach it:\n${statement.slice(0, 200)}`)
    }
  }
  const order = (o: SchemaObject) => firstCreated.get(o.name)!.order
  return [...objects.values()].sort((a, b) => order(a) - order(b))
}
