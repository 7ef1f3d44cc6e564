/**
 * docs/contract/tables.md: every ClickHouse table and view the migrations create, with engine,
 * partitioning, ordering, TTL and each column's type and COMMENT (scripts/docs/ddl.ts reads them),
 * placed into the prose and example queries of templates/tables.md.
 */
import { type SchemaObject, type Table, type View, schemaObjects, showSettings } from './ddl.js'
import { code, table } from './md.js'
import { fill, template } from './template.js'

const since = (o: SchemaObject) => {
  if (o.migration > 0) return `migration ${o.migration}`
  // configured materialized views: the campaign merge's, with campaigns.scale_out merge only
  return o.kind === 'mv' ? 'created at every start with `campaigns.scale_out` merge, dropped otherwise' : 'replaced at every start'
}

function renderTable(t: Table): string {
  const facts = [
    `Engine ${code(t.engine)}`,
    t.partitionBy && `partitioned by ${code(t.partitionBy)}`,
    t.orderBy && `ordered by ${code(t.orderBy)}`,
    t.ttl && `TTL ${code(showSettings(t.ttl))}`,
    t.settings && `settings ${code(showSettings(t.settings))}`,
    since(t),
  ].filter((f) => f !== '')
  const columns = table(
    ['column', 'type', 'comment'],
    t.columns.map((c) => [code(c.name), code(c.type), [c.comment, c.default && `default ${code(c.default)}`].filter((x) => x).join('; ')]),
  )
  return [`### \`${t.name}\``, '', showSettings(t.comment), '', `${facts.join(' · ')}.`, '', columns].join('\n')
}

function renderView(v: View, byName: Map<string, SchemaObject>): string {
  const base = v.from.map((f) => byName.get(f)).find((o): o is Table => o?.kind === 'table')
  // The column of that name, else the one column the expression reads (campaigns_latest.top_link_domains reads link_domain_counts).
  const commentOf = (name: string, expression: string) => {
    const read = base?.columns.filter((c) => new RegExp(`\\b${c.name}\\b`).test(expression)) ?? []
    return (base?.columns.find((c) => c.name === name) ?? (read.length === 1 ? read[0] : undefined))?.comment ?? ''
  }
  const columns = table(
    ['column', 'expression', 'comment (of the column it reads)'],
    v.columns.map((c) => [code(c.name), c.expression === c.name ? '' : code(c.expression), commentOf(c.name, c.expression)]),
  )
  return [`### \`${v.name}\` (view)`, '', `A view over ${v.from.map(code).join(' and ')} · ${since(v)}.`, '', columns].join('\n')
}

function render(o: SchemaObject, byName: Map<string, SchemaObject>): string {
  if (o.kind === 'table') return renderTable(o)
  if (o.kind === 'view') return renderView(o, byName)
  throw new Error(`${o.name} is a materialized view; it is listed in {{materialized views}}`)
}

export function renderTables(): string {
  const text = template('tables.md')
  const objects = schemaObjects()
  const byName = new Map(objects.map((o) => [o.name, o]))
  const values: Record<string, string> = {}
  const placed = new Set<string>()
  for (const [, name] of text.matchAll(/\{\{table (\w+)\}\}/g)) {
    const o = byName.get(name!)
    if (!o) throw new Error(`templates/tables.md asks for {{table ${name}}}, which no migration creates`)
    values[`table ${name}`] = render(o, byName)
    placed.add(name!)
  }
  const rest = objects.filter((o) => o.kind !== 'mv' && !placed.has(o.name))
  values['other tables'] = rest.map((o) => render(o, byName)).join('\n\n')
  values['summary'] = table(
    ['name', 'kind', 'what it holds and how to read it'],
    objects
      .filter((o) => o.kind !== 'mv')
      .map((o) => [
        code(o.name),
        o.kind === 'view' ? 'view' : o.kind === 'table' ? o.engine.replace(/\(.*/, '') : '',
        o.kind === 'table' ? showSettings(o.comment) : o.kind === 'view' ? `merges ${o.from.map(code).join(' and ')}; see below` : '',
      ]),
  )
  values['materialized views'] = table(
    ['materialized view', 'reads', 'writes into', 'since'],
    objects.filter((o) => o.kind === 'mv').map((o) => [code(o.name), o.from.map(code).join(', '), code(o.to), since(o)]),
  )
  return fill(text, values)
}
