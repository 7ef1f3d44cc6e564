/** The transparency report: collect from ClickHouse, render as JSON and self-contained HTML, write both. */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
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
export { renderTransparencyHtml, escapeHtml, formatDuration } from './html.js'
export { countUrgentReportsWaiting, URGENT_REPORTS_WAITING_SQL } from './urgent.js'

export interface WrittenReport {
  report: TransparencyReport
  json: string
  html: string
}

/** Collects the report for one day and writes transparency-DATE.json and transparency-DATE.html into `outDir`. */
export async function writeTransparencyReport(db: ReportReader, options: ReportOptions, outDir: string): Promise<WrittenReport> {
  const report = await collectTransparencyReport(db, options)
  await mkdir(outDir, { recursive: true })
  const json = path.join(outDir, `transparency-${report.date}.json`)
  const html = path.join(outDir, `transparency-${report.date}.html`)
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(html, renderTransparencyHtml(report))
  return { report, json, html }
}
