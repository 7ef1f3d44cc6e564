/**
 * Migration 19: `campaigns` expires like every other aggregate.
 *
 * Every table that holds what the processor learned from messages has a TTL (privacy.row_ttl_days
 * for per-message rows, privacy.aggregate_ttl_days for aggregates), except `campaigns` until now:
 * its rows keep a masked sample text of public campaigns and a member's signature, and were kept
 * for ever. A campaign now goes `privacy.aggregate_ttl_days` after its last message, as its
 * per-minute spread in `campaign_stats_1m` and its aliases in `campaign_aliases` do.
 *
 * The TTL is on `last_seen`, which the table aggregates with max(), and the engine applies it to each
 * row before a merge aggregates them (test/integration/retention.test.ts): a campaign's members that
 * one insert or a merge within the TTL has aggregated live as long as their latest, and a partial
 * row that nothing joined with later ones within the TTL (400 days by default; parts merge within
 * minutes to hours) goes on its own, with what it counted. A campaign active for longer than the TTL
 * can so lose its oldest counts, as its per-minute rows in `campaign_stats_1m` do (docs/limits.md).
 *
 * The ALTER materializes the TTL in the parts already written (ClickHouse's default,
 * `materialize_ttl_after_modify`): one rewrite of the table's TTL information at the upgrade; the
 * table is small (41 MB after 1 M messages, bench/README).
 */
import { localName, onCluster, type Migration } from './ddl.js'

export const m19: Migration = {
  version: 19,
  name: 'campaigns expire privacy.aggregate_ttl_days after their last message',
  statements: (o) => [
    `ALTER TABLE ${o.database}.${localName(o, 'campaigns')}${onCluster(o)} MODIFY TTL toDateTime(last_seen) + INTERVAL ${o.aggregateTtlDays} DAY`,
  ],
}
