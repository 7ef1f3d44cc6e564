/** A progress line on stderr for people watching a run: rate, totals, what was found. */
import type { Metrics } from '../observability/metrics.js'

export class ProgressReporter {
  private readonly timer: NodeJS.Timeout
  private last = { at: performance.now(), records: 0 }

  constructor(
    private readonly metrics: Metrics,
    intervalMs: number,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.timer = setInterval(() => void this.report(), intervalMs)
    this.timer.unref()
  }

  async report(): Promise<void> {
    const t = await this.metrics.totals()
    const now = performance.now()
    const rate = ((t.records ?? 0) - this.last.records) / ((now - this.last.at) / 1000)
    this.last = { at: now, records: t.records ?? 0 }
    this.write(
      `[abuse-radar] ${Math.round(rate).toLocaleString('en')} rec/s | records ${n(t.records)} | messages ${n(t.messages)} | spam ${n(t.spam)} | campaigns ${n(t.campaigns_created)} | moderation ${n(t.moderation)} | reports ${n(t.reports)} | duplicates ${n(t.duplicates)} | dead letters ${n(t.dead_letters)} | written ${n(t.records_written)}`,
    )
  }

  stop(): void {
    clearInterval(this.timer)
  }
}

const n = (v: number | undefined) => (v ?? 0).toLocaleString('en')
