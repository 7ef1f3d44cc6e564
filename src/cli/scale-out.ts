/**
 * How the instances of one group agree on campaigns (campaigns.scale_out, docs/scale-out.md): the
 * campaign merge in ClickHouse, or the campaign exchange topic. Built here for the composition root.
 */
import type { Config } from '../config/schema.js'
import type { Logger } from '../domain/ports.js'
import type { Metrics } from '../observability/metrics.js'
import type { MessageAnalysis } from '../pipeline/analysis.js'
import { CampaignMerger } from '../pipeline/campaign-merge.js'
import { ClickHouseCampaignMerge } from '../sinks/clickhouse/campaign-merge.js'
import { CampaignExchange } from '../sources/kafka/exchange.js'
import type { KafkaSource } from '../sources/kafka/source.js'
import type { Store } from './runtime.js'
import { kafkaClientOptions } from './kafka-client.js'

/** The campaign exchange between the instances of the group, when enabled (docs/scale-out.md). */
export function campaignExchange(config: Config, logger: Logger, metrics: Metrics): CampaignExchange | null {
  const { kafka, campaigns } = config.settings
  if (campaigns.scale_out !== 'exchange') return null
  const lookbackMs = campaigns.exchange_lookback_seconds * 1000
  return new CampaignExchange(
    {
      ...kafkaClientOptions(config, logger),
      topic: kafka.topics.campaign_exchange,
      groupId: kafka.group_id,
      partitions: 1,
      retentionMs: Math.max(2 * lookbackMs, 3_600_000),
      lookbackMs,
    },
    metrics,
  )
}

/** The campaign merge between the instances of the group, when campaigns.scale_out is merge (docs/scale-out.md). */
export function campaignMerger(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  store: Store,
  source: KafkaSource,
  analysis: MessageAnalysis,
): CampaignMerger | null {
  const { campaigns, kafka } = config.settings
  if (campaigns.scale_out !== 'merge') return null
  return new CampaignMerger(new ClickHouseCampaignMerge(store.store), analysis, metrics, logger, {
    intervalMs: campaigns.merge_interval_seconds * 1000,
    minSimilarity: campaigns.merge_min_similarity,
    // one owner at a time, known to the group without an election of our own
    leads: () => source.owns(kafka.topics.messages, 0),
  })
}
