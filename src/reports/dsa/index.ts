/** `report dsa`: the day's statements of reasons, checked as the Transparency Database checks them, written as JSON Lines. */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { DsaMapping, DsaStatement } from '../../domain/dsa-statement.js'
import { AbuseRadarError } from '../../domain/errors.js'
import { parseReportDate, type ReportReader } from '../transparency.js'
import { collectActionEvidence } from './evidence.js'
import { collectDsaFigures, dsaFiguresCsv, type DsaFigures } from './figures.js'
import { buildStatement } from './statements.js'
import { validateStatement } from './validate.js'

export { buildStatement, decisionFacts, puidOf } from './statements.js'
export { validateStatement, type StatementErrors } from './validate.js'
export type { ActionEvidence } from './evidence.js'
export { collectDsaFigures, dsaFiguresCsv, DSA_FIGURES_SCHEMA, type DsaFigures } from './figures.js'

const DAY_S = 86_400

/** The statements of one UTC day, in event order; throws AR_INTERNAL if one would be refused (a defect of the mapping or the builder). */
export async function collectDsaStatements(db: ReportReader, mapping: DsaMapping, date: string): Promise<DsaStatement[]> {
  const from = parseReportDate(date)
  const evidence = await collectActionEvidence(db, from, from + DAY_S)
  const statements = evidence.map((e) => buildStatement(e, mapping))
  const refused = statements.flatMap((s, i) => {
    const errors = validateStatement(s)
    return Object.keys(errors).length > 0 ? [`statement ${i} (${s.puid}): ${JSON.stringify(errors)}`] : []
  })
  if (refused.length > 0)
    throw new AbuseRadarError(
      'AR_INTERNAL',
      `${refused.length} statement(s) the Transparency Database would refuse:\n${refused.join('\n')}`,
    )
  return statements
}

export interface WrittenStatements {
  file: string
  statements: DsaStatement[]
  /** statements per DSA category, sorted by category */
  byCategory: Record<string, number>
}

/** Writes DIR/statements-DATE.jsonl, one statement a line; the same data give the same bytes. */
export async function writeDsaStatements(db: ReportReader, mapping: DsaMapping, date: string, outDir: string): Promise<WrittenStatements> {
  const statements = await collectDsaStatements(db, mapping, date)
  await mkdir(outDir, { recursive: true })
  const file = path.join(outDir, `statements-${date}.jsonl`)
  await writeFile(file, statements.map((s) => `${JSON.stringify(s)}\n`).join(''))
  return { file, statements, byCategory: countBy(statements.map((s) => s.category)) }
}

export function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const key of [...keys].sort()) counts[key] = (counts[key] ?? 0) + 1
  return counts
}

export interface WrittenFigures {
  figures: DsaFigures
  json: string
  csv: string
}

/** Writes DIR/dsa-figures-FROM-TO.json and .csv. */
export async function writeDsaFigures(
  db: ReportReader,
  mapping: DsaMapping,
  from: string,
  to: string,
  outDir: string,
): Promise<WrittenFigures> {
  const figures = await collectDsaFigures(db, mapping, from, to)
  await mkdir(outDir, { recursive: true })
  const json = path.join(outDir, `dsa-figures-${from}-${to}.json`)
  const csv = path.join(outDir, `dsa-figures-${from}-${to}.csv`)
  await writeFile(json, `${JSON.stringify(figures, null, 2)}\n`)
  await writeFile(csv, dsaFiguresCsv(figures))
  return { figures, json, csv }
}
