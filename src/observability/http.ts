/**
 * /metrics (OpenMetrics text from the processor's own registry), /livez and /readyz.
 * /livez: the processing loop ticked recently (a wedged event loop or a stuck loop fails it).
 * /readyz: the source is ready (consumer group joined), ClickHouse answers, and no partition's
 * writes have been failing for longer than pipeline.unready_after_failing_seconds (a 503 with a JSON
 * body naming those partitions and the error code: ClickHouse answering a ping does not mean it
 * takes our inserts).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export interface HealthChecks {
  /** Milliseconds since the processing loop last ticked. */
  sinceLastTickMs(): number
  sourceReady(): boolean
  sinkReachable(): Promise<boolean>
  /** Partitions whose batches are failing to write (none when not given). */
  failingWrites?(): readonly FailingWrite[]
  /** Not ready once a partition has been failing for this long. */
  unreadyAfterFailingMs?: number
}

export interface FailingWrite {
  topic: string
  partition: number
  code: string
  error: string
  failingForMs: number
  attempts: number
}

/** The partitions failing for longer than allowed, as /readyz names them. */
function failingTooLong(health: HealthChecks): object[] {
  const limitMs = health.unreadyAfterFailingMs ?? 30_000
  return (health.failingWrites?.() ?? [])
    .filter((f) => f.failingForMs >= limitMs)
    .map((f) => ({
      topic: f.topic,
      partition: f.partition,
      code: f.code,
      error: f.error,
      failing_seconds: Math.round(f.failingForMs / 1000),
      attempts: f.attempts,
    }))
}

const LIVENESS_LIMIT_MS = 30_000

export async function startHttpServer(
  host: string,
  port: number,
  registry: Registry,
  health: HealthChecks,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type })
      res.end(body)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed\n')
    switch (path) {
      case '/metrics':
        registry.setContentType('application/openmetrics-text; version=1.0.0; charset=utf-8' as never)
        registry.metrics().then(
          (text) => reply(200, text, registry.contentType),
          (error: Error) => reply(500, `metrics failed: ${error.message}\n`),
        )
        return
      case '/livez': {
        const since = health.sinceLastTickMs()
        return since < LIVENESS_LIMIT_MS ? reply(200, 'ok\n') : reply(503, `processing loop silent for ${Math.round(since)} ms\n`)
      }
      case '/readyz': {
        if (!health.sourceReady()) return reply(503, 'source not ready (consumer group not joined)\n')
        const failing = failingTooLong(health)
        if (failing.length > 0) {
          const body = { ready: false, reason: 'writes to ClickHouse failing', partitions: failing }
          return reply(503, `${JSON.stringify(body)}\n`, 'application/json')
        }
        health.sinkReachable().then(
          (ok) => (ok ? reply(200, 'ready\n') : reply(503, 'ClickHouse not reachable\n')),
          () => reply(503, 'ClickHouse not reachable\n'),
        )
        return
      }
      default:
        return reply(404, 'not found: try /metrics, /livez, /readyz\n')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
