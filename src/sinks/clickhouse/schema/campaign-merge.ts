import {
  commentColumns,
  dedupSettings,
  engine,
  localName,
  onCluster,
  quote,
  table,
  type Migration,
  type SchemaOptions,
  bothNames,
} from './ddl.js'

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
 * Migration 14: the merge compares a campaign's **representatives** (`merge_representative`, set by
 * the analysis: its founder on an instance and its first members there that are not exact copies),
 * not its founder alone. A campaign founded on three instances from three different copies is one
 * campaign when any representative of one agrees with any of the other's: the founders alone
 * agreed with one instance at pairwise F1 0.927, with three more members each at 0.967 (a simulation
 * over the bench:scale stream, docs/scale-out.md). campaign_founders, which kept one signature per
 * campaign, is dropped with the view that filled it (what it held is minutes old by the time a
 * merge reads it, and the merge reads campaign_representatives from this version on).
 */
export const m14: Migration = {
  version: 14,
  name: 'campaign representatives (a founder and its first members) for the campaign merge',
  statements: (o) => {
    const db = o.database
    return [
      `ALTER TABLE ${db}.message_facts${onCluster(o)} ADD COLUMN IF NOT EXISTS merge_representative UInt8 DEFAULT 0 AFTER campaign_id`,
      ...table(
        o,
        'campaign_representatives',
        'The messages of each campaign the campaign merge compares (never text): the founder on each instance and its first members there that are not exact copies. Row per (campaign, message); exact copies of a row fold in background merges.',
        `(
    campaign_id String COMMENT 'campaign the message belongs to on the instance that processed it',
    message UInt64 COMMENT 'cityHash64(chat_id, message_id)',
    ts DateTime64(3, 'UTC') COMMENT 'event time of the message',
    signature String COMMENT 'near-duplicate signature of the message, hex (README "Fingerprints")',
    stored_at DateTime64(3, 'UTC') DEFAULT now64(3) COMMENT 'processing time of the insert'
) ENGINE = ${engine(o, 'ReplacingMergeTree', 'campaign_representatives')}
PARTITION BY toYYYYMMDD(ts)
ORDER BY (campaign_id, message)
TTL toDateTime(ts) + INTERVAL ${o.rowTtlDays} DAY
${dedupSettings(o)}`,
      ),
      `DROP VIEW IF EXISTS ${db}.campaign_founders_mv${onCluster(o)}`,
      ...(o.cluster ? [`DROP TABLE IF EXISTS ${db}.campaign_founders${onCluster(o)}`] : []),
      `DROP TABLE IF EXISTS ${db}.${localName(o, 'campaign_founders')}${onCluster(o)}`,
      ...commentColumns(o, 'campaign_bands', [
        `campaign_id ${quote('campaign of the representative (campaign_representatives)')}`,
        `message ${quote('cityHash64(chat_id, message_id) of the representative: the versions of one edited message are never merged')}`,
        `ts ${quote('event time of the representative')}`,
      ]),
      ...bothNames(o, 'campaign_bands').map((name) => `ALTER TABLE ${db}.${name}${onCluster(o)} MODIFY COMMENT ${quote(BANDS_COMMENT)}`),
    ]
  },
}

const BANDS_COMMENT =
  'The 16 LSH band keys of each campaign representative (campaign_representatives): the campaign merge looks up the bands of the newly stored ones here. Row per (band, campaign); several representatives of one campaign under one band fold.'

/** The views that filled the merge tables before migration 14, dropped at every start: their rows were founders only. */
const VIEWS_BEFORE_14 = ['campaign_founders_mv', 'campaign_bands_mv']
/** The views that fill them now. */
const MERGE_VIEWS = ['campaign_representatives_mv', 'campaign_representative_bands_mv']

/**
 * The views from message_facts into campaign_representatives and campaign_bands when
 * campaigns.scale_out is merge; dropped otherwise (switched to merge, the merge has the
 * representatives from the switch on, and a new leader looks back only minutes anyway). They have
 * names of their own, not those of the views before migration 14, so that a start never drops a
 * view another instance's inserts are passing through.
 */
export function mergeViews(o: SchemaOptions): string[] {
  const db = o.database
  const drop = (view: string) => `DROP VIEW IF EXISTS ${db}.${view}${onCluster(o)}`
  if (!o.campaignMerge) return [...VIEWS_BEFORE_14, ...MERGE_VIEWS].map(drop)
  const representative = `merge_representative = 1 AND fingerprinted = 1 AND type != 'deleted' AND campaign_id != ''
      AND length(signature) = 520 AND ${SHINGLES_SQL} >= ${MIN_MERGE_SHINGLES}`
  return [
    ...VIEWS_BEFORE_14.map(drop),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaign_representatives_mv${onCluster(o)} TO ${db}.${localName(o, 'campaign_representatives')} AS
SELECT campaign_id, cityHash64(chat_id, message_id) AS message, ts, signature FROM ${db}.message_facts WHERE ${representative}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaign_representative_bands_mv${onCluster(o)} TO ${db}.${localName(o, 'campaign_bands')} AS
SELECT ${BAND_KEY_SQL} AS band, campaign_id, cityHash64(chat_id, message_id) AS message, ts
FROM ${db}.message_facts ARRAY JOIN range(16) AS b WHERE ${representative}`,
  ]
}

/**
 * Representatives with fewer distinct shingles take no part in the merge. A short text's signature is
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
