/**
 * The view that fills message_fingerprints, and the columns only a restart reads: migration 15 (each
 * row keeps its source topic beside its partition and offset, so a restart can tell the rows of a
 * batch it is about to replay) and migration 20 (the text keys of channel posts, from which a
 * restart rebuilds clone evidence).
 */
import { commentColumns, localName, onCluster, quote, type Migration, type SchemaOptions, bothNames } from './ddl.js'
import { FINGERPRINT_COLUMNS } from './rule-outcomes.js'

/** Which message facts become rows (migration 6): fingerprinted versions, and deletions of public messages. */
export const FINGERPRINTED_OR_DELETED = "fingerprinted = 1 OR (type = 'deleted' AND chat_type != 'private')"

/** The columns a restart alone reads, by the migration that added them (a backtest's shadow copy has none). */
const RESTART_COLUMNS = { 15: ['source_topic'], 20: ['source_topic', 'head_key', 'tail_key'] } as const

/** The view that fills message_fingerprints from the message facts that `where` selects, with the restart columns of migration `since` on. */
export function fingerprintsView(o: SchemaOptions, where: string, since?: keyof typeof RESTART_COLUMNS): string {
  const db = o.database
  const columns = since === undefined ? FINGERPRINT_COLUMNS : [...FINGERPRINT_COLUMNS, ...RESTART_COLUMNS[since]]
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
      fingerprintsView(o, FINGERPRINTED_OR_DELETED, 15),
    ]
  },
}

/**
 * Migration 20. Chat similarity compares channel posts by their text keys too (the beginning and the
 * end of the skeleton, src/fingerprint/text-key.ts): a repost cut short, with a tail or a greeting,
 * or posted after the campaign index forgot the original. A restart rebuilds its evidence from
 * message_fingerprints, so the keys are kept there: 16 hex characters each, on channel posts only
 * (empty on every other row). Rows stored before this version have none: their posts come back with
 * their exact hashes and campaigns alone. chat_similarity.shared_items counts the text keys too.
 */
export const m20: Migration = {
  version: 20,
  name: 'message_fingerprints.head_key and tail_key: text keys of channel posts, for clone evidence after a restart',
  statements: (o) => {
    const db = o.database
    const head = quote(
      'text key of a channel post: hash of the first 48 characters of its skeleton, hex; empty on other rows (restart bookkeeping of chat similarity)',
    )
    const tail = quote(
      'text key of a channel post: hash of the last 48 characters of its skeleton, hex; empty on other rows (restart bookkeeping of chat similarity)',
    )
    return [
      `ALTER TABLE ${db}.message_facts${onCluster(o)} ADD COLUMN IF NOT EXISTS head_key String DEFAULT '' AFTER campaign_id, ADD COLUMN IF NOT EXISTS tail_key String DEFAULT '' AFTER head_key`,
      ...bothNames(o, 'message_fingerprints').map(
        (name) =>
          `ALTER TABLE ${db}.${name}${onCluster(o)} ADD COLUMN IF NOT EXISTS head_key String DEFAULT '' COMMENT ${head} AFTER source_topic, ADD COLUMN IF NOT EXISTS tail_key String DEFAULT '' COMMENT ${tail} AFTER head_key`,
      ),
      `DROP VIEW IF EXISTS ${db}.message_fingerprints_mv${onCluster(o)}`,
      fingerprintsView(o, FINGERPRINTED_OR_DELETED, 20),
      ...commentColumns(o, 'chat_similarity', [
        `shared_items ${quote('items both chats posted in the window: exact hashes, campaigns and text keys (the beginning and the end of a text); an identical repost counts once per kind it shares')}`,
      ]),
    ]
  },
}
