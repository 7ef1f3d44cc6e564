/**
 * Abuse signals for Prometheus, refreshed periodically by a running processor: urgent
 * trusted-flagger reports waiting past their target and the largest campaign growth (from
 * ClickHouse, so every instance reports the same value), and the spam ratio of what this instance
 * analysed since the last refresh.
 */
import type { Config } from '../config/schema.js'
import type { Logger } from '../domain/ports.js'
import type { Metrics } from '../observability/metrics.js'
import type { ClickHouseStore } from '../sinks/clickhouse/store.js'
import { countUrgentReportsWaiting } from '../reports/urgent.js'

const CAMPAIGN_GROWTH_SQL = `SELECT max(chats) AS growth FROM (
  SELECT campaign_id, uniqMerge(chats) AS chats FROM campaign_stats_1m
  WHERE minute >= (SELECT max(minute) FROM campaign_stats_1m) - INTERVAL 10 MINUTE
  GROUP BY campaign_id)`

export function startSignals(store: ClickHouseStore, metrics: Metrics, config: Config, logger: Logger, intervalMs = 30_000): () => void {
  let last = { spam: 0, total: 0 }
  const refresh = async () => {
    const values = (await metrics.messagesByVerdict.get()).values
    const total = values.reduce((sum, v) => sum + v.value, 0)
    const spam = values.filter((v) => v.labels.verdict === 'spam').reduce((sum, v) => sum + v.value, 0)
    if (total > last.total) metrics.spamRatio.set((spam - last.spam) / (total - last.total))
    last = { spam, total }
    metrics.urgentReportsWaiting.set(await countUrgentReportsWaiting(store, config.settings.reports.urgent_target_minutes * 60))
    const [growth] = await store.select<{ growth: string }>(CAMPAIGN_GROWTH_SQL)
    metrics.campaignGrowth.set(Number(growth?.growth ?? 0))
  }
  const timer = setInterval(
    () => void refresh().catch((error: Error) => logger.warn({ err: error.message }, 'refreshing abuse signals failed')),
    intervalMs,
  )
  timer.unref()
  return () => clearInterval(timer)
}
