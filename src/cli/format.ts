/** Renders query results for people (an aligned table) and for programs (CSV, JSON lines). */
export type OutputFormat = 'table' | 'csv' | 'json'

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Control characters in data are shown escaped, so a value can never move the terminal's cursor. */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

export function formatRows(rows: Record<string, unknown>[], format: OutputFormat, maxWidth = 60): string {
  if (format === 'json') return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '')
  const columns = rows.length > 0 ? Object.keys(rows[0] as object) : []
  if (format === 'csv') {
    const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
    return [columns.map(esc).join(','), ...rows.map((r) => columns.map((c) => esc(cell(r[c]))).join(','))].join('\n') + '\n'
  }
  if (rows.length === 0) return '(no rows)\n'
  const text = rows.map((r) => columns.map((c) => truncate(printable(cell(r[c])), maxWidth)))
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((row) => (row[i] as string).length)))
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] as number))
      .join(' | ')
      .trimEnd()
  return (
    [
      line(columns),
      widths.map((w) => '-'.repeat(w)).join('-+-'),
      ...text.map(line),
      `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
    ].join('\n') + '\n'
  )
}

const truncate = (s: string, width: number) => (s.length > width ? `${s.slice(0, width - 1)}…` : s)
