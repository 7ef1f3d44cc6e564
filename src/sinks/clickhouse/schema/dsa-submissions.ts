import { dedupSettings, engine, table, type Migration } from './ddl.js'

/**
 * Which statements of reasons the DSA Transparency Database has (`report dsa --submit`): one row per
 * statement it accepted, or already held when asked again. A rerun sends only the puids not here,
 * so nothing is sent twice. A puid is a digest of a moderation event id, nothing personal.
 */
export const m12: Migration = {
  version: 12,
  name: 'DSA statements of reasons accepted by the Transparency Database',
  statements: (o) => [
    ...table(
      o,
      'dsa_submissions',
      'One row per statement of reasons the DSA Transparency Database holds (report dsa --submit); a rerun sends only the puids not listed. Latest state per puid: argMax(..., accepted_at).',
      `(
    puid String COMMENT 'platform unique id of the statement (src/reports/dsa/statements.ts puidOf)',
    application_date Date COMMENT 'application_date of the statement: the UTC day of the moderation action',
    outcome LowCardinality(String) COMMENT 'created: accepted by this submission; existing: the database already held the puid (an earlier run that stopped before recording it)',
    accepted_at DateTime64(3, 'UTC') COMMENT 'processing time of the answer; version: the latest row per puid wins'
) ENGINE = ${engine(o, 'ReplacingMergeTree', 'dsa_submissions', 'accepted_at')}
PARTITION BY toYYYYMM(application_date)
ORDER BY puid
TTL application_date + INTERVAL ${o.aggregateTtlDays} DAY
${dedupSettings(o)}`,
    ),
  ],
}
