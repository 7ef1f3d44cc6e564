/**
 * The view that fills message_fingerprints, and migration 15: each row keeps its source topic beside
 * its partition and offset, so a restart can tell the rows of a batch it is about to replay.
 */
import { localName, onCluster, quote, type Migration, type SchemaOptions, bothNames } from './ddl.js'
import { FINGERPRINT_COLUMNS } from './rule-outcomes.js'

/** Which message facts become rows (migration 6): fingerprinted versions, and deletions of public messages. */
export const FINGERPRINTED_OR_DELETED = "fingerprinted = 1 OR (type = 'deleted' AND chat_type != 'private')"

/** The view that fills message_fingerprints from the message facts that `where` selects; `withSourceTopic` from migration 15 on. */
export function fingerprintsView(o: SchemaOptions, where: string, withSourceTopic = false): string {
  const db = o.database
  const columns = withSourceTopic ? [...FINGERPRINT_COLUMNS, 'source_topic'] : FINGERPRINT_COLUMNS
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.message_fingerprints_mv${onCluster(o)} TO ${db}.${localName(o, 'message_fingerprints')} AS
SELECT ${columns.join(', ')}
FROM ${db}.message_facts WHERE ${where}`
}

/**
 * Migration 15. A restart rebuilds the campaign index and chat similarity from message_fingerprints.
 * An insert into message_facts feeds its views one after another, so a kill can leave a batch in
 * message_fingerprints and not in `campaigns`; the replay then met its own messages in the rebuilt
 * index, counted none of them as new members, and `campaigns` undercounted (docs/exactly-once.md).
 * The rebuild now leaves out every row at or past a partition's committed offset: those batches are
 * written again by the replay, from the same state as the first time. Offsets compare only within
 * one topic, and one database holds rows of several (the Kafka topic, replayed files): hence the
 * column. Rows stored before this version have it empty and are never left out.
 */
export const m15: Migration = {
  version: 15,
  name: 'message_fingerprints.source_topic: a restart leaves out the rows of batches it replays',
  statements: (o) => {
    const db = o.database
    const comment = quote('Kafka topic (or file) of the row (restart bookkeeping); empty for rows stored before migration 15')
    return [
      ...bothNames(o, 'message_fingerprints').map(
        (name) =>
          `ALTER TABLE ${db}.${name}${onCluster(o)} ADD COLUMN IF NOT EXISTS source_topic LowCardinality(String) DEFAULT '' COMMENT ${comment} AFTER link_domains`,
      ),
      `DROP VIEW IF EXISTS ${db}.message_fingerprints_mv${onCluster(o)}`,
      fingerprintsView(o, FINGERPRINTED_OR_DELETED, true),
    ]
  },
}
