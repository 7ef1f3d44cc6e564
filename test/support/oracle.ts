/**
 * The expected aggregates of a generated stream, computed independently of the pipeline (plain JSON
 * parsing and counting), for integration tests to compare ClickHouse against.
 */
import { createHmac } from 'node:crypto'

/** The pseudonym key every test processor runs with (processorEnv). */
export const TEST_PSEUDONYM_KEY = 'test-pseudonym-key-0123456789abcdef'

/** A message's chat id as stored: a private chat's id is a person's, so it is stored as its keyed pseudonym (80 bits of HMAC-SHA256). */
function storedChatIdOf(chat: { id: string; type: string }): string {
  return chat.type === 'private' ? createHmac('sha256', TEST_PSEUDONYM_KEY).update(chat.id).digest('hex').slice(0, 20) : chat.id
}
export interface LabelledRecord {
  kind: 'message' | 'moderation' | 'report' | 'malformed' | 'duplicate'
  value: Buffer
}

export interface MinuteCounts {
  created: number
  edited: number
  deleted: number
  forwarded: number
}

const minuteOf = (ts: number | string) => {
  const ms = typeof ts === 'number' ? ts : Date.parse(ts)
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace('T', ' ').slice(0, 19)
}

export interface Expected {
  /** `${minute}|${chat_id}` → counts */
  messages: Map<string, MinuteCounts>
  /** `${minute}|${action}|${category}|${source}|${country}` → actions */
  moderation: Map<string, number>
  totals: {
    created: number
    edited: number
    deleted: number
    forwarded: number
    actions: number
    reports: number
    deadLetters: number
    duplicates: number
  }
}

export function expectedAggregates(records: Iterable<LabelledRecord>): Expected {
  const messages = new Map<string, MinuteCounts>()
  const moderation = new Map<string, number>()
  const totals = { created: 0, edited: 0, deleted: 0, forwarded: 0, actions: 0, reports: 0, deadLetters: 0, duplicates: 0 }
  for (const record of records) {
    if (record.kind === 'malformed') {
      totals.deadLetters++
      continue
    }
    if (record.kind === 'duplicate') {
      totals.duplicates++
      continue
    }
    const event = JSON.parse(record.value.toString('utf8'))
    if (record.kind === 'message') {
      const key = `${minuteOf(event.ts)}|${storedChatIdOf(event.chat)}`
      const counts = messages.get(key) ?? { created: 0, edited: 0, deleted: 0, forwarded: 0 }
      counts[event.type as 'created' | 'edited' | 'deleted']++
      totals[event.type as 'created' | 'edited' | 'deleted']++
      if (event.type === 'created' && event.forward) {
        counts.forwarded++
        totals.forwarded++
      }
      messages.set(key, counts)
    } else if (record.kind === 'moderation') {
      const country = typeof event.country === 'string' && /^[A-Za-z]{2}$/.test(event.country) ? event.country.toUpperCase() : ''
      const key = `${minuteOf(event.ts)}|${event.action}|${event.category}|${event.source}|${country}`
      moderation.set(key, (moderation.get(key) ?? 0) + 1)
      totals.actions++
    } else {
      totals.reports++
    }
  }
  return { messages, moderation, totals }
}

/** The same shape read back from ClickHouse, for a deepEqual against the expectation. */
export const MESSAGE_STATS_QUERY = `SELECT toString(minute) AS minute, chat_id, sum(created) AS created, sum(edited) AS edited,
  sum(deleted) AS deleted, sum(forwarded) AS forwarded FROM message_stats_1m GROUP BY minute, chat_id`
export const MODERATION_STATS_QUERY = `SELECT toString(minute) AS minute, action, category, source, country, sum(actions) AS actions
  FROM moderation_stats_1m GROUP BY minute, action, category, source, country`

export function messageStatsFromRows(rows: Record<string, unknown>[]): Map<string, MinuteCounts> {
  return new Map(
    rows.map((r) => [
      `${String(r.minute)}|${String(r.chat_id)}`,
      { created: Number(r.created), edited: Number(r.edited), deleted: Number(r.deleted), forwarded: Number(r.forwarded) },
    ]),
  )
}

export function moderationStatsFromRows(rows: Record<string, unknown>[]): Map<string, number> {
  return new Map(rows.map((r) => [[r.minute, r.action, r.category, r.source, r.country].map(String).join('|'), Number(r.actions)]))
}

/** Compares two count maps and describes up to 10 differences (a full deepEqual dump is unreadable). */
export function countDifferences<V>(actual: Map<string, V>, expected: Map<string, V>): string[] {
  const differences: string[] = []
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = JSON.stringify(actual.get(key) ?? null)
    const e = JSON.stringify(expected.get(key) ?? null)
    if (a !== e) differences.push(`${key}: got ${a}, expected ${e}`)
  }
  return differences.slice(0, 10).concat(differences.length > 10 ? [`... ${differences.length - 10} more`] : [])
}
