/**
 * `report dsa --submit`: the day's statements to the Transparency Database in batches of at most
 * 100, each batch recorded as soon as the database accepts it, so that a rerun (after a crash, an
 * outage, a refusal) sends only what it does not hold yet.
 *
 * - Retryable failures (network, timeout, 429, 5xx) are tried again with exponential backoff, or
 *   after the server's Retry-After, up to `maxAttempts` tries of one request; then the submission
 *   stops with AR_DSA_API_UNAVAILABLE, what was accepted before staying recorded.
 * - A 422 creates nothing. Statements refused only because the database already holds their puid
 *   (an earlier run stopped between sending and recording) are recorded as `existing`; statements
 *   refused for their content are set aside and reported; the rest of the batch is sent again.
 * - Any other refusal (401, 403, 4xx) stops the submission with AR_DSA_API_REFUSED.
 */
import type { DsaStatement, DsaStatementSender } from '../../domain/dsa-statement.js'
import { AbuseRadarError } from '../../domain/errors.js'
import type { Ledger } from './ledger.js'

export interface SubmitSettings {
  batchSize: number
  maxAttempts: number
  initialBackoffMs: number
  maxBackoffMs: number
}

export interface SubmissionSummary {
  statements: number
  /** recorded by an earlier run: not sent */
  already_recorded: number
  /** accepted by this run */
  created: number
  /** refused as duplicates: the database held them already; now recorded */
  existing: number
  /** refused for their content: not recorded, sent again by the next run */
  refused: { puid: string; errors: Record<string, string[]> }[]
  requests: number
  retries: number
}

const DUPLICATE_PUID = /not unique/i

export async function submitStatements(
  statements: readonly DsaStatement[],
  sender: DsaStatementSender,
  ledger: Ledger,
  settings: SubmitSettings,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<SubmissionSummary> {
  const summary: SubmissionSummary = {
    statements: statements.length,
    already_recorded: 0,
    created: 0,
    existing: 0,
    refused: [],
    requests: 0,
    retries: 0,
  }
  const recorded = new Set<string>()
  for (const day of new Set(statements.map((s) => s.application_date)))
    for (const puid of await ledger.acceptedPuids(day)) recorded.add(puid)
  const pending = statements.filter((s) => !recorded.has(s.puid))
  summary.already_recorded = statements.length - pending.length

  const post = async (batch: readonly DsaStatement[]) => {
    for (let attempt = 1; ; attempt++) {
      summary.requests++
      try {
        return await sender.postStatements(batch)
      } catch (error) {
        if (!(error instanceof AbuseRadarError) || !error.retryable || attempt >= settings.maxAttempts) throw error
        summary.retries++
        const asked = (error as { retryAfterMs?: number | null }).retryAfterMs
        const backoff = Math.min(settings.maxBackoffMs, settings.initialBackoffMs * 2 ** (attempt - 1))
        await sleep(asked === null || asked === undefined ? backoff : Math.min(asked, settings.maxBackoffMs))
      }
    }
  }

  for (let from = 0; from < pending.length; from += settings.batchSize) {
    let batch = pending.slice(from, from + settings.batchSize)
    while (batch.length > 0) {
      const outcome = await post(batch)
      if (outcome.created) {
        await ledger.record(batch, 'created')
        summary.created += batch.length
        break
      }
      const existing: DsaStatement[] = []
      const rest: DsaStatement[] = []
      batch.forEach((statement, index) => {
        const errors = outcome.errors.get(index)
        if (!errors) rest.push(statement)
        else if (Object.keys(errors).length === 1 && (errors['puid'] ?? []).every((m) => DUPLICATE_PUID.test(m))) existing.push(statement)
        else summary.refused.push({ puid: statement.puid, errors })
      })
      if (rest.length === batch.length)
        throw new AbuseRadarError('AR_DSA_API_REFUSED', 'the DSA Transparency Database refused a batch without naming a statement of it')
      await ledger.record(existing, 'existing')
      summary.existing += existing.length
      batch = rest
    }
  }
  return summary
}
