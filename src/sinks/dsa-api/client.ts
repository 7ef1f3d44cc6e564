/**
 * The DSA Transparency Database's "multiple statements" endpoint: one POST of up to 100 statements,
 * a bearer token, JSON both ways. The only module that talks to it (docs/dsa.md).
 *
 * Its answers, as its API page describes them: 201 with the statements created (all of them); 422
 * with `errors` keyed `statement_N` (none created: the request is fixed and sent again); 401 for a
 * bad token; other 4xx for a request that is wrong; 5xx when it fails on its side. 429 and 5xx and
 * network failures may pass and are retryable errors (AR_DSA_API_UNAVAILABLE), with the server's
 * Retry-After when it gives one; the rest are refusals (AR_DSA_API_REFUSED). The token is never part
 * of a message.
 */
import type { DsaPostOutcome, DsaStatement, DsaStatementSender } from '../../domain/dsa-statement.js'
import { AbuseRadarError } from '../../domain/errors.js'

export interface DsaApiOptions {
  endpoint: string
  token: string
  timeoutMs: number
}

export class DsaApiError extends AbuseRadarError {
  constructor(
    message: string,
    retryable: boolean,
    /** the wait the server asked for (Retry-After), if any */
    readonly retryAfterMs: number | null = null,
  ) {
    super(retryable ? 'AR_DSA_API_UNAVAILABLE' : 'AR_DSA_API_REFUSED', message)
    this.name = 'DsaApiError'
  }
}

export class DsaApiClient implements DsaStatementSender {
  constructor(private readonly options: DsaApiOptions) {}

  async postStatements(statements: readonly DsaStatement[]): Promise<DsaPostOutcome> {
    let response: Response
    try {
      response = await fetch(this.options.endpoint, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.options.token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ statements }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
    } catch (error) {
      throw new DsaApiError(`POST ${this.endpointName()}: ${(error as Error).message}`, true)
    }
    const body = await response.text().catch(() => '')
    if (response.status === 201 || response.status === 200) return { created: true }
    if (response.status === 422) {
      const errors = statementErrors(body)
      if (errors.size > 0) return { created: false, errors }
      throw new DsaApiError(`POST ${this.endpointName()}: HTTP 422 without statement errors: ${body.slice(0, 300)}`, false)
    }
    const retryable = response.status === 429 || response.status >= 500
    throw new DsaApiError(
      `POST ${this.endpointName()}: HTTP ${response.status}${response.status === 401 ? ' (the token is not valid)' : ''}: ${body.slice(0, 300)}`,
      retryable,
      retryable ? retryAfterMs(response.headers.get('retry-after')) : null,
    )
  }

  /** The endpoint without credentials or query, for messages. */
  private endpointName(): string {
    try {
      const url = new URL(this.options.endpoint)
      return `${url.protocol}//${url.host}${url.pathname}`
    } catch {
      return 'the DSA endpoint'
    }
  }
}

/** `{"errors": {"statement_3": {"puid": ["..."]}}}` → 3 → {puid: [...]}; a single statement's `{"errors": {field: [...]}}` → 0. */
function statementErrors(body: string): Map<number, Record<string, string[]>> {
  const found = new Map<number, Record<string, string[]>>()
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return found
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors
  if (typeof errors !== 'object' || errors === null) return found
  for (const [key, value] of Object.entries(errors)) {
    const index = /^statement_(\d+)$/.exec(key)
    if (index && typeof value === 'object' && value !== null) found.set(Number(index[1]), value as Record<string, string[]>)
  }
  return found
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
  if (header === null || header.trim() === '') return null
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(header)
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null
}
