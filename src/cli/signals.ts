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
import path from 'node:path'
import { loadPrecisionFloors } from '../config/analysis-files.js'
import { PACKAGE_ROOT } from '../config/load.js'
import { recentRulePrecision } from './commands/rules-report.js'

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
  const stopPrecision = startRulePrecision(store, metrics, config, logger)
  return () => {
    clearInterval(timer)
    stopPrecision()
  }
}

/** Rule outcomes read every message flagged in the period: a slower refresh than the other signals. */
const RULE_PRECISION_INTERVAL_MS = 5 * 60_000

/** abuse_rule_precision now and every few minutes, abuse_rule_precision_floor from the rules file (docs/rules.md). */
function startRulePrecision(store: ClickHouseStore, metrics: Metrics, config: Config, logger: Logger): () => void {
  for (const [rule, floor] of loadPrecisionFloors(path.resolve(PACKAGE_ROOT, config.settings.scoring.rules_file)))
    metrics.rulePrecisionFloor.set({ rule }, floor)
  const refresh = async () => {
    const measured = await recentRulePrecision(store, config, Date.now())
    metrics.rulePrecision.reset()
    for (const [rule, precision] of measured) metrics.rulePrecision.set({ rule }, precision)
  }
  const run = () => void refresh().catch((error: Error) => logger.warn({ err: error.message }, 'measuring rule precision failed'))
  run()
  const timer = setInterval(run, RULE_PRECISION_INTERVAL_MS)
  timer.unref()
  return () => clearInterval(timer)
}
