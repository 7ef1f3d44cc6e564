/**
 * What the pipeline knows about each restricting moderation action of one UTC day, read from
 * ClickHouse: the action itself (moderation_actions), the report behind it (report_answers), the
 * message's rule reasons, spam score and campaign (message_fingerprints, campaigns_latest) and the
 * chat's clone and look-alike evidence (chat_similarity). Never text, never a user id: the
 * statements are built from these fields only.
 */
import { RESTRICTING_ACTIONS, type RestrictingAction } from '../../domain/dsa-statement.js'
import type { ReportReader } from '../transparency.js'

export interface ActionEvidence {
  eventId: string
  tsMs: number
  action: RestrictingAction
  category: string
  source: string
  country: string
  /** the report behind the action, when one is named and known */
  report: { reporter: string; organisation: string } | null
  /** the acted-on message as fingerprinted (public chats only); null for chat and user actions or when unknown */
  message: { firstSeenMs: number; reasons: string[]; spamScore: number; campaignId: string } | null
  /** the message's campaign, when it is one (campaigns_latest lists groups of campaigns.min_messages or more) */
  campaign: { id: string; messages: number; chats: number } | null
  /** the chat's pairs in chat_similarity: clones (content) and look-alikes (name) */
  similarity: { clonePairs: number; cloneScore: number; copiedFromOthers: number; lookAlikePairs: number; lookAlikeScore: number }
}

const RESTRICTING_SQL = RESTRICTING_ACTIONS.map((a) => `'${a}'`).join(', ')

/** The day's actions, in event time then event id order: the order of the statements file. */
export async function collectActionEvidence(db: ReportReader, fromS: number, toS: number): Promise<ActionEvidence[]> {
  const params = { from: fromS, to: toS }
  const dayActions = `SELECT * FROM moderation_actions
    WHERE ts >= toDateTime64({from:UInt32}, 3, 'UTC') AND ts < toDateTime64({to:UInt32}, 3, 'UTC') AND action IN (${RESTRICTING_SQL})`
  const actions = await db.select<Record<string, string>>(
    `SELECT event_id, toString(toUnixTimestamp64Milli(ts)) AS ts_ms, action, category, source, country, chat_id, message_id, report_id
     FROM (${dayActions}) ORDER BY ts, event_id LIMIT 1 BY event_id`,
    params,
  )
  const reports = new Map(
    (
      await db.select<{ report_id: string; reporter: string | null; reporter_org: string | null }>(
        `SELECT report_id, reporter, reporter_org FROM report_answers
         WHERE report_id IN (SELECT report_id FROM (${dayActions}) WHERE report_id != '')`,
        params,
      )
    ).map((r) => [r.report_id, { reporter: r.reporter ?? '', organisation: r.reporter_org ?? '' }]),
  )
  const messages = new Map(
    (
      await db.select<{
        chat_id: string
        message_id: string
        first_ms: string
        reasons: string[]
        spam_score: number
        campaign_id: string
      }>(
        `SELECT chat_id, message_id, toString(toUnixTimestamp64Milli(min(ts))) AS first_ms, argMax(reasons, ts) AS reasons,
           argMax(spam_score, ts) AS spam_score, argMax(campaign_id, ts) AS campaign_id
         FROM message_fingerprints
         WHERE type != 'deleted' AND (chat_id, message_id) IN (SELECT chat_id, message_id FROM (${dayActions}) WHERE message_id != '')
         GROUP BY chat_id, message_id`,
        params,
      )
    ).map((r) => [
      `${r.chat_id}\u0000${r.message_id}`,
      { firstSeenMs: Number(r.first_ms), reasons: r.reasons.map(String), spamScore: Number(r.spam_score), campaignId: r.campaign_id },
    ]),
  )
  const campaigns = new Map(
    (
      await db.select<{ campaign_id: string; messages: string; chats: string }>(
        `SELECT campaign_id, messages, chats FROM campaigns_latest
         WHERE campaign_id IN (
           SELECT campaign_id FROM message_fingerprints
           WHERE campaign_id != '' AND (chat_id, message_id) IN (SELECT chat_id, message_id FROM (${dayActions}) WHERE message_id != ''))`,
        params,
      )
    ).map((r) => [r.campaign_id, { id: r.campaign_id, messages: Number(r.messages), chats: Number(r.chats) }]),
  )
  const similarity = new Map(
    (
      await db.select<Record<string, string>>(
        `SELECT chat, countIf(kind IN ('content', 'both')) AS clone_pairs, maxIf(score, kind IN ('content', 'both')) AS clone_score,
           countIf(kind IN ('content', 'both') AND original != '' AND original != chat) AS copied, countIf(kind IN ('name', 'both')) AS name_pairs,
           maxIf(score, kind IN ('name', 'both')) AS name_score
         FROM (
           SELECT chat_a, chat_b, kind, argMax(score, updated_at) AS score, argMax(original_chat, updated_at) AS original
           FROM chat_similarity GROUP BY chat_a, chat_b, kind
         ) ARRAY JOIN [chat_a, chat_b] AS chat
         WHERE chat IN (SELECT chat_id FROM (${dayActions}))
         GROUP BY chat`,
        params,
      )
    ).map((r) => [
      r['chat'] as string,
      {
        clonePairs: Number(r['clone_pairs']),
        cloneScore: Number(r['clone_score']),
        copiedFromOthers: Number(r['copied']),
        lookAlikePairs: Number(r['name_pairs']),
        lookAlikeScore: Number(r['name_score']),
      },
    ]),
  )
  const noSimilarity = { clonePairs: 0, cloneScore: 0, copiedFromOthers: 0, lookAlikePairs: 0, lookAlikeScore: 0 }
  return actions.map((a) => {
    const chatId = a['chat_id'] ?? ''
    const message = a['message_id'] ? (messages.get(`${chatId}\u0000${a['message_id']}`) ?? null) : null
    return {
      eventId: a['event_id'] ?? '',
      tsMs: Number(a['ts_ms']),
      action: a['action'] as RestrictingAction,
      category: a['category'] ?? '',
      source: a['source'] ?? '',
      country: a['country'] ?? '',
      report: a['report_id'] ? (reports.get(a['report_id']) ?? null) : null,
      message,
      campaign: message?.campaignId ? (campaigns.get(message.campaignId) ?? null) : null,
      similarity: similarity.get(chatId) ?? noSimilarity,
    }
  })
}
