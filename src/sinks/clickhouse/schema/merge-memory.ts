/**
 * Migrations 16 to 18 and 21 to 23: what the engine's background merges hold in memory and rewrite. With the embedded
 * engine they run in the processor's own process, and several merges at once (150 to 350 MB each,
 * measured in `system.merges`) were the short peaks of its memory.
 *
 * Migration 16: a campaign's link domains are counted in a map, not kept in a topK state.
 *
 * `campaigns.top_link_domains` was an AggregateFunction(topKArray(10)) column. ClickHouse builds
 * such a state for every campaign of every insert and again for every row of every merge, and one
 * takes tens of kilobytes of memory. On the embedded engine, merging nine parts of 50,000 campaigns
 * held 2.8 GB and took 6.0 s with the column, 0.7 GB and 1.2 s without it. A map summed by the
 * merge (`sumMap`) costs about what no column does (0.7 GB, 1.5 s): `link_domain_counts` holds each
 * registrable domain's count, and campaigns_latest (../migrations.ts, configuredViews) takes the
 * ten most counted.
 *
 * A map keeps every domain a campaign linked, where the topK state kept at most 30 candidates.
 * Registrable domains cost their registrant money, so even a campaign that rotates its links
 * reuses a pool of them; a campaign of a million messages with a fresh registrable domain in each
 * would keep a million keys (about 30 bytes each) in its row, for as long as the row is kept
 * (`campaigns` has no TTL).
 *
 * The old column stayed: rows written before this migration kept their states, and campaigns_latest
 * read them for a campaign none of whose rows counted a domain. New rows left it empty; an empty
 * state seemed to cost merges little (0.8 GB and 1.5 s in the measurement above), but it was most
 * of what smaller merges held, and migration 23 drops the column, its domains moved into the map.
 */
import { commentColumns, localName, onCluster, quote, type Migration, bothNames } from './ddl.js'

const CAMPAIGNS_COMMENT =
  'One row per near-duplicate campaign (latest state, possibly several partial rows until merged): GROUP BY campaign_id with min(first_seen), max(last_seen), sum(messages), uniqMerge(chats), uniqMerge(senders), groupUniqArrayArray(countries), sumMap(link_domain_counts), max(spam_score), any(sample_text), any(signature). campaigns_latest does this for you.'

/** campaigns_latest's top_link_domains: the ten most counted domains, ties by name. */
export const TOP_LINK_DOMAINS = `arraySlice(arrayMap(d -> d.1, arraySort(d -> (-d.2, d.1), arrayZip(sumMap(link_domain_counts).1, sumMap(link_domain_counts).2))), 1, 10)`

export const m16: Migration = {
  version: 16,
  name: 'campaigns count link domains in a map (sumMap), not a topK state',
  statements: (o) => {
    const db = o.database
    const counts = quote(
      'registrable domains linked by the members and how many times (keys, counts); sumMap(link_domain_counts), then the ten most counted. campaigns_latest.top_link_domains does this for you',
    )
    return [
      ...bothNames(o, 'campaigns').map(
        (name) =>
          `ALTER TABLE ${db}.${name}${onCluster(o)} ADD COLUMN IF NOT EXISTS link_domain_counts SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))) COMMENT ${counts} AFTER top_link_domains`,
      ),
      ...commentColumns(o, 'campaigns', [
        `top_link_domains ${quote('most linked registrable domains, in rows written before migration 16 (later rows count them in link_domain_counts); topKArrayMerge(10)(top_link_domains). campaigns_latest.top_link_domains reads both')}`,
      ]),
      ...bothNames(o, 'campaigns').map((name) => `ALTER TABLE ${db}.${name}${onCluster(o)} MODIFY COMMENT ${quote(CAMPAIGNS_COMMENT)}`),
      `DROP VIEW IF EXISTS ${db}.campaigns_mv${onCluster(o)}`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaigns_mv${onCluster(o)} TO ${db}.${localName(o, 'campaigns')} AS
SELECT campaign_id, min(campaign_first_seen) AS first_seen, max(ts) AS last_seen, sum(campaign_messages) AS messages,
    uniqArrayState(campaign_chats) AS chats, uniqArrayState(campaign_senders) AS senders,
    groupUniqArrayArray(campaign_countries) AS countries,
    sumMap(link_domains, arrayMap(d -> toUInt64(1), link_domains)) AS link_domain_counts,
    max(spam_score) AS spam_score, any(campaign_sample) AS sample_text, any(campaign_signature) AS signature
FROM ${db}.message_facts WHERE campaign_messages > 0
GROUP BY campaign_id`,
    ]
  },
}

/** The tables whose merges held the most (both merge many columns, `campaigns` always horizontally: it aggregates). */
const WIDEST_MERGES = ['campaigns', 'message_fingerprints']

/**
 * Migration 17: a merge reads every column of every part it merges through a buffer of up to
 * `max_compress_block_size` (1 MiB by default) decompressed, beside the compressed one; a
 * horizontal merge of five parts of `message_fingerprints` held 165 to 176 MB. Parts written with
 * 256 KiB blocks are read with smaller buffers: 117 MB for the same merge, 73 MB for a merge of
 * eight parts of `campaigns` (about 200 before); the engine's tracked memory peaked at 235 MB
 * against 342 over 400,000 messages (the same run otherwise). Parts written before keep their
 * blocks until a merge rewrites them. The data compresses as well as before: 2.121 against 2.129
 * (message_fingerprints) and 1.508 against 1.513 (campaigns), uncompressed over compressed bytes.
 */
export const m17: Migration = {
  version: 17,
  name: 'campaigns and message_fingerprints compress in 256 KiB blocks: merges hold less memory',
  statements: (o) =>
    WIDEST_MERGES.map(
      (table) =>
        `ALTER TABLE ${o.database}.${localName(o, table)}${onCluster(o)} MODIFY SETTING max_compress_block_size = 262144, min_compress_block_size = 65536`,
    ),
}

/**
 * Migration 18: `campaigns.signature` is written once per campaign, by the member that makes it one
 * (its `campaigns.min_messages`-th live member), not by every member (src/pipeline/analysis.ts).
 * Most rows of `campaigns` are single messages, which no analyst reads as a campaign; with each
 * member's 520 hex characters the column was 263 of the table's 334 MB (uncompressed, 560,000 rows
 * after 1,000,000 generated messages) and 195 of its 226 MB on disk, every byte of it read and
 * written again by each background merge. The same rows with the signature on one row in ten:
 * 45 MB on disk, and merging them into one part took 2.5 s instead of 5.2 to 6.5; written this way
 * after 1 M messages, 41 MB. What a merge of `campaigns` holds in memory did not fall with it (145
 * MB for 33 MB of parts, in the probe of bench/README, session 18): its aggregate states, not its
 * bytes. The statement is the column's comment; the processor decides what it writes.
 */
export const m18: Migration = {
  version: 18,
  name: 'campaigns.signature written once per campaign (by the member that makes it one), not on every row',
  statements: (o) =>
    commentColumns(o, 'campaigns', [
      `signature ${quote('near-duplicate signature, hex (README "Fingerprints"), of the member that made the group a campaign (its campaigns.min_messages-th live member); NULL in every other row, so a single message has none; any(signature)')}`,
    ]),
}

/**
 * Migration 21: merges of `campaigns` and `message_fingerprints` take at most six parts at once. A
 * horizontal merge holds a read buffer for every column of every part it merges, and `campaigns`
 * also its aggregate states. In a probe (1 M generated messages written through the store into the
 * embedded engine, `system.merges` sampled every 200 ms) a merge of `campaigns` held up to 161 MB
 * by default, about 15 MB a part, and 103 MB with eight parts at most. In `npm run bench` (1 M
 * messages, bench/README session 25) the processor's peak RSS was 1,779 MB by default (a 300 MB
 * rise of native memory in the latency phase), 1,637 MB with six parts, at 369 against 366 µs of
 * CPU a message. Four parts did worse: 2,003 MB and 390 µs.
 */
export const MAX_PARTS_TO_MERGE_AT_ONCE = 6

export const m21: Migration = {
  version: 21,
  name: 'campaigns and message_fingerprints merge at most six parts at once: merges hold less memory',
  statements: (o) =>
    WIDEST_MERGES.map(
      (table) =>
        `ALTER TABLE ${o.database}.${localName(o, table)}${onCluster(o)} MODIFY SETTING max_parts_to_merge_at_once = ${MAX_PARTS_TO_MERGE_AT_ONCE}`,
    ),
}

/**
 * Migration 22: merges of `message_fingerprints` are vertical whatever their size. A horizontal merge
 * reads every column of every part at once; a vertical one reads the sorting key's columns, then
 * each other column alone. ClickHouse merges vertically only from 131,072 rows by default, and the
 * embedded engine's merges of this table were mostly below that (six parts of about 100,000 rows in
 * all), so they held up to 137 MB. With this setting at most 46 to 53 MB, over 600,000 messages
 * written through the store into the embedded engine (`system.merges` sampled every 200 ms, two
 * runs; bench/README, session 26). `campaigns` aggregates, and ClickHouse merges such tables
 * horizontally only; a smaller merge block (`merge_max_block_size` 1,024) left its merges at 82 to
 * 131 MB against 98, and was left out.
 */
export const m22: Migration = {
  version: 22,
  name: 'message_fingerprints merges vertically (a column at a time) at any size: merges hold less memory',
  statements: (o) => [
    `ALTER TABLE ${o.database}.${localName(o, 'message_fingerprints')}${onCluster(o)} MODIFY SETTING vertical_merge_algorithm_min_rows_to_activate = 1`,
  ],
}

/**
 * Migration 23: `campaigns.top_link_domains`, the topK column migration 16 stopped writing, is
 * dropped. Its states were still built for every row a merge read, empty or not: a merge of six
 * parts of 60,000 single-message campaigns raised the embedded engine's resident memory by 130 to
 * 149 MB with the column and by 6 MB without it, in 1.4 s against 1.0 (one process per run, peak RSS
 * over the merge; bench/README, session 26). In `npm run bench` those merges were the processor's
 * memory peaks.
 *
 * What the old states said is kept: each campaign whose rows hold domains only there gets one row
 * with them in `link_domain_counts`, their topK order as counts (the most linked 10 down to 1 with
 * ten, however many times each was linked), so campaigns_latest lists the same domains in the same
 * order. The row adds nothing else: no message, empty states, the campaign's own first and last
 * seen. A campaign that also counted domains after migration 16 read only those until now; its old
 * domains join them at rank weight. Run again (a migration stopped before it was recorded), the
 * insert finds no campaign left to convert.
 *
 * campaigns_latest read the column; it is dropped first and created again from configuredViews at
 * the end of every migrate (../migrations.ts). A processor of an older version started against this
 * schema creates it with the column, and the view fails until a processor of this version starts.
 */
export const m23: Migration = {
  version: 23,
  name: 'campaigns.top_link_domains dropped (its topK states held most of the memory of merges); its domains kept in link_domain_counts',
  statements: (o) => {
    const db = o.database
    return [
      `DROP VIEW IF EXISTS ${db}.campaigns_latest${onCluster(o)}`,
      // on a cluster, into the Distributed table synchronously: the column is dropped right after
      `INSERT INTO ${db}.campaigns (campaign_id, first_seen, last_seen, link_domain_counts)${o.cluster ? ' SETTINGS insert_distributed_sync = 1' : ''}
SELECT campaign_id, first_seen, last_seen, (domains, arrayMap(i -> toUInt64(length(domains) - i + 1), arrayEnumerate(domains)))
FROM (
    SELECT campaign_id, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
        topKArrayMerge(10)(top_link_domains) AS domains, sumMap(link_domain_counts) AS counts
    FROM ${db}.campaigns GROUP BY campaign_id
)
WHERE notEmpty(domains) AND empty(counts.1)`,
      ...bothNames(o, 'campaigns').map((name) => `ALTER TABLE ${db}.${name}${onCluster(o)} DROP COLUMN IF EXISTS top_link_domains`),
    ]
  },
}
