/**
 * A local stand-in for the DSA Transparency Database's "multiple statements" endpoint, for the tests
 * of `report dsa --submit`: loopback HTTP, a bearer token, at most 100 statements a request, each
 * checked with the database's rules (src/reports/dsa/validate.ts) and for a puid it already holds or
 * that repeats in the request; one refused statement refuses the request (422, errors keyed
 * statement_N, nothing created), as the API page describes. Failures to answer first (429, 503, ...)
 * can be queued.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { validateStatement } from '../../../../src/reports/dsa/validate.js'

export const DUPLICATE_PUID_MESSAGE = 'The identifier given is not unique within this platform.'

export interface FakeTransparencyDatabase {
  url: string
  /** puid → statement, for every statement created */
  held: Map<string, Record<string, unknown>>
  /** every request: how many statements it carried and the status answered */
  requests: { statements: number; status: number }[]
  /** answers to give before any decision: the next requests get these statuses (and Retry-After) */
  fail(status: number, retryAfter?: string): void
  close(): Promise<void>
}

export async function startFakeTransparencyDatabase(token: string): Promise<FakeTransparencyDatabase> {
  const held = new Map<string, Record<string, unknown>>()
  const requests: { statements: number; status: number }[] = []
  const failures: { status: number; retryAfter?: string }[] = []

  const answer = (res: ServerResponse, status: number, body: unknown, count: number, headers: Record<string, string> = {}) => {
    requests.push({ statements: count, status })
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    let statements: unknown[] = []
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { statements?: unknown }
      if (Array.isArray(body.statements)) statements = body.statements
    } catch {
      // an unreadable body is answered below like an empty one
    }
    const failure = failures.shift()
    if (failure)
      return answer(
        res,
        failure.status,
        { message: 'try again later' },
        statements.length,
        failure.retryAfter ? { 'Retry-After': failure.retryAfter } : {},
      )
    if (req.method !== 'POST' || req.url !== '/api/v1/statements') return answer(res, 404, { message: 'not found' }, statements.length)
    if (req.headers.authorization !== `Bearer ${token}`) return answer(res, 401, { message: 'Unauthenticated.' }, statements.length)
    if (statements.length === 0 || statements.length > 100)
      return answer(
        res,
        422,
        { message: 'The statements field must have between 1 and 100 items.', errors: { statements: ['invalid size'] } },
        statements.length,
      )
    const errors: Record<string, Record<string, string[]>> = {}
    const inRequest = new Set<string>()
    statements.forEach((statement, index) => {
      const found = validateStatement(statement)
      const puid = (statement as { puid?: unknown }).puid
      if (typeof puid === 'string' && (held.has(puid) || inRequest.has(puid))) (found['puid'] ??= []).push(DUPLICATE_PUID_MESSAGE)
      if (typeof puid === 'string') inRequest.add(puid)
      if (Object.keys(found).length > 0) errors[`statement_${index}`] = found
    })
    if (Object.keys(errors).length > 0) return answer(res, 422, { errors }, statements.length)
    const created = statements.map((statement) => {
      const s = statement as Record<string, unknown>
      held.set(s['puid'] as string, s)
      return { ...s, uuid: `uuid-${held.size}`, created_at: '2026-11-21 08:00:00', platform_name: 'Test platform' }
    })
    return answer(res, 201, { statements: created }, statements.length)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/api/v1/statements`,
    held,
    requests,
    fail: (status, retryAfter) => failures.push(retryAfter === undefined ? { status } : { status, retryAfter }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
