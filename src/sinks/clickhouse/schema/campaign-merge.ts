import { dedupSettings, engine, localName, onCluster, table, type Migration, type SchemaOptions } from './ddl.js'

/**
 * What the campaign merge (docs/scale-out.md, campaigns.scale_out = merge) reads: the founding
 * message of every campaign, and its 16 LSH band keys. Instances group only what their own partitions
 * give them, so a campaign whose copies land on several instances is founded on each; the merge
 * joins the campaigns founded since its last run with the window's others on these band keys and
 * compares their founders' signatures. Both tables are filled by views from message_facts, so the
 * batch's one insert and its token carry them (a replayed batch adds nothing). A founder is the row
 * whose campaign id is `c` + its own exact hash (src/campaigns/campaigns.ts), so exact copies of the
 * founding text write the same rows again: ReplacingMergeTree folds them in its background merges,
 * and the merge's queries read distinct values. Never text.
 *
 * The views that fill them follow the configuration (mergeViews): they cost about 17 rows per
 * founded campaign, which only the merge mode reads.
 *
 * `stored_at` is the insert's processing time: the merge takes what was stored since its last run,
 * whatever the event times, so an instance that lags behind the others is merged when it catches up.
 */
export const m13: Migration = {
  version: 13,
  name: 'campaign founders and their band keys, for the campaign merge',
  statements: (o) => {
    const ttl = `TTL toDateTime(ts) + INTERVAL ${o.rowTtlDays} DAY`
    return [
      ...table(
        o,
        'campaign_founders',
        'The founding message of each campaign as an instance saw it (never text): the signature the campaign merge compares. Several rows per campaign until background merges fold them (exact copies of the founding text, or several instances founding it from the same text): any(signature).',
        `(
    campaign_id String COMMENT 'campaign the message founded (c + its exact hash)',
    ts DateTime64(3, 'UTC') COMMENT 'event time of the founding message',
    signature String COMMENT 'near-duplicate signature of the founding message, hex (README "Fingerprints")',
    stored_at DateTime64(3, 'UTC') DEFAULT now64(3) COMMENT 'processing time of the insert'
) ENGINE = ${engine(o, 'ReplacingMergeTree', 'campaign_founders')}
PARTITION BY toYYYYMMDD(ts)
ORDER BY campaign_id
${ttl}
${dedupSettings(o)}`,
      ),
      ...table(
        o,
        'campaign_bands',
        'The 16 LSH band keys of each campaign founder (campaign_founders): the campaign merge looks up the bands of the newly stored founders here. Row per (band, founder).',
        `(
    band UInt64 COMMENT 'cityHash64 of the band number and the 32 hex characters of that band in the signature',
    campaign_id String COMMENT 'campaign the message founded',
    message UInt64 COMMENT 'cityHash64(chat_id, message_id) of the founding message: the versions of one edited message are never merged',
    ts DateTime64(3, 'UTC') COMMENT 'event time of the founding message',
    stored_at DateTime64(3, 'UTC') DEFAULT now64(3) COMMENT 'processing time of the insert: the merge reads what is new by it'
) ENGINE = ${engine(o, 'ReplacingMergeTree', 'campaign_bands')}
PARTITION BY toYYYYMMDD(ts)
ORDER BY (band, campaign_id)
${ttl}
${dedupSettings(o)}, index_granularity = 1024`,
      ),
    ]
  },
}

/**
 * The views from message_facts into campaign_founders and campaign_bands when campaigns.scale_out is
 * merge; dropped otherwise (switched to merge, the merge has the founders from the switch on, and a
 * new leader looks back only minutes anyway).
 */
export function mergeViews(o: SchemaOptions): string[] {
  const db = o.database
  if (!o.campaignMerge) {
    return ['campaign_founders_mv', 'campaign_bands_mv'].map((view) => `DROP VIEW IF EXISTS ${db}.${view}${onCluster(o)}`)
  }
  const founder = `fingerprinted = 1 AND type != 'deleted' AND campaign_id != '' AND campaign_id = concat('c', exact_hash)
      AND length(signature) = 520 AND ${SHINGLES_SQL} >= ${MIN_MERGE_SHINGLES}`
  return [
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaign_founders_mv${onCluster(o)} TO ${db}.${localName(o, 'campaign_founders')} AS
SELECT campaign_id, ts, signature FROM ${db}.message_facts WHERE ${founder}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaign_bands_mv${onCluster(o)} TO ${db}.${localName(o, 'campaign_bands')} AS
SELECT ${BAND_KEY_SQL} AS band, campaign_id, cityHash64(chat_id, message_id) AS message, ts
FROM ${db}.message_facts ARRAY JOIN range(16) AS b WHERE ${founder}`,
  ]
}

/**
 * Founders with fewer distinct shingles take no part in the merge. A short text's signature is
 * densified from a handful of shingles, so unrelated short texts share bands and agree on many
 * bins (the index decides short texts by edit distance on their text, which the store does not
 * keep). Measured on the bench:scale stream: 2.7 million founder pairs shared a band, most of them
 * short chatter; the merge's agreement with one instance is the same with or without them.
 */
export const MIN_MERGE_SHINGLES = 20
/** The estimated number of distinct shingles, from the signature's header (src/fingerprint/index.ts). */
const SHINGLES_SQL = 'bitAnd(reinterpretAsUInt32(reverse(unhex(substring(signature, 1, 8)))), 16777215)'

/** The key of band `b` (0..15) of the hex `signature`: its 4 bins, after the 8-character header. */
export const BAND_KEY_SQL = 'cityHash64(b, substring(signature, 9 + 32 * b, 32))'
