/**
 * What the Transparency Database already holds, in ClickHouse (dsa_submissions, migration 12): read
 * before a submission so a rerun sends only what is missing, written after each accepted batch.
 */
import { PUID_PATTERN } from '../../domain/dsa-statement.js'
import { AbuseRadarError } from '../../domain/errors.js'
import type { ReportReader } from '../transparency.js'

export interface LedgerStore extends ReportReader {
  insertStatement(query: string): Promise<void>
}

export type SubmissionOutcome = 'created' | 'existing'

/** Which statements the database holds: read before sending, written after each answer. */
export interface Ledger {
  acceptedPuids(applicationDate: string): Promise<Set<string>>
  record(entries: readonly { puid: string; application_date: string }[], outcome: SubmissionOutcome): Promise<void>
}

export class SubmissionLedger implements Ledger {
  /** `table`: where rows are written: dsa_submissions, or dsa_submissions_local behind the Distributed one in cluster mode. */
  constructor(
    private readonly db: LedgerStore,
    private readonly table = 'dsa_submissions',
  ) {}

  /** The puids of the day's statements the database holds. */
  async acceptedPuids(applicationDate: string): Promise<Set<string>> {
    const rows = await this.db.select<{ puid: string }>(`SELECT DISTINCT puid FROM dsa_submissions WHERE application_date = {day:Date}`, {
      day: applicationDate,
    })
    return new Set(rows.map((r) => r.puid))
  }

  async record(entries: readonly { puid: string; application_date: string }[], outcome: SubmissionOutcome): Promise<void> {
    if (entries.length === 0) return
    // Values are inlined: a puid and a day have shapes that need no quoting, checked here.
    for (const e of entries)
      if (!PUID_PATTERN.test(e.puid) || !/^\d{4}-\d{2}-\d{2}$/.test(e.application_date))
        throw new AbuseRadarError('AR_INTERNAL', `not a statement to record: ${JSON.stringify(e).slice(0, 200)}`)
    const values = entries.map((e) => `('${e.puid}', '${e.application_date}', '${outcome}', now64(3))`).join(', ')
    await this.db.insertStatement(`INSERT INTO ${this.table} (puid, application_date, outcome, accepted_at) VALUES ${values}`)
  }
}
