/** The transparency report: collect from ClickHouse, render as JSON and self-contained HTML, write both. */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { DsaMapping } from '../domain/dsa-statement.js'
import { collectDsaFigures, type DsaFigures } from './dsa/figures.js'
import { renderTransparencyHtml } from './html.js'
import { collectTransparencyReport, type ReportOptions, type ReportReader, type TransparencyReport } from './transparency.js'

export {
  collectTransparencyReport,
  defaultReportDate,
  parseReportDate,
  REPORT_SCHEMA,
  type TransparencyReport,
  type ReportReader,
} from './transparency.js'
export { renderTransparencyHtml, escapeHtml, formatDuration, selfContainedPage } from './html.js'
export { countUrgentReportsWaiting, URGENT_REPORTS_WAITING_SQL } from './urgent.js'

export interface WrittenReport {
  report: TransparencyReport
  /** the day's DSA figures shown in the HTML, when a DSA mapping was given */
  dsa?: DsaFigures
  json: string
  html: string
}

/**
 * Collects the report for one day and writes transparency-DATE.json and transparency-DATE.html into
 * `outDir`; with a DSA mapping, the HTML has a section with the day's DSA figures (their own JSON is `report dsa-figures`).
 */
export async function writeTransparencyReport(
  db: ReportReader,
  options: ReportOptions,
  outDir: string,
  dsaMapping?: DsaMapping,
): Promise<WrittenReport> {
  const report = await collectTransparencyReport(db, options)
  const dsa = dsaMapping ? await collectDsaFigures(db, dsaMapping, report.date, report.date) : undefined
  await mkdir(outDir, { recursive: true })
  const json = path.join(outDir, `transparency-${report.date}.json`)
  const html = path.join(outDir, `transparency-${report.date}.html`)
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(html, renderTransparencyHtml(report, dsa))
  return { report, json, html, ...(dsa ? { dsa } : {}) }
}
