// The dashboard "Abuse overview".
import {
  resetPanelIds,
  MIN_CAMPAIGN,
  JOB,
  chDatasourceVar,
  promDatasourceVar,
  jobVar,
  chQueryVar,
  chTimeseries,
  chTable,
  chStat,
  chBars,
  promStat,
  g,
  dashboard,
  campaignLink,
  CHAT_TYPE,
} from './grafana.mjs'

export function overview() {
  resetPanelIds()
  const chatTypeVar = chQueryVar(
    'chat_type',
    'Chat type',
    'SELECT DISTINCT chat_type FROM message_stats_1m WHERE $__timeFilter(minute) ORDER BY chat_type',
    { multi: true, includeAll: true },
  )
  return dashboard({
    uid: 'abuse-overview',
    title: 'Abuse overview',
    tags: ['overview'],
    description:
      'What is being posted and spammed right now: volumes, spam ratio, campaigns, countries and chats. Source: message_stats_1m, campaign_stats_1m, campaigns_latest.',
    variables: [chDatasourceVar, promDatasourceVar, jobVar, chatTypeVar],
    panels: [
      chStat(
        'Messages created',
        'sum(created) over the time range.',
        g(0, 0, 4, 4),
        `SELECT sum(created) AS messages FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE}`,
      ),
      chStat(
        'Spam ratio',
        'Messages scored as spam (created or edited) over messages created or edited.',
        g(4, 0, 4, 4),
        `SELECT sum(spam) / greatest(sum(created) + sum(edited), 1) AS spam_ratio FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE}`,
        {
          unit: 'percentunit',
          decimals: 1,
          thresholds: [
            { color: 'green', value: null },
            { color: 'orange', value: 0.1 },
            { color: 'red', value: 0.25 },
          ],
        },
      ),
      chStat(
        'In campaigns',
        'Share of created messages that belong to a near-duplicate campaign.',
        g(8, 0, 4, 4),
        `SELECT sum(in_campaign) / greatest(sum(created), 1) AS campaign_share FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE}`,
        { unit: 'percentunit', decimals: 1 },
      ),
      chStat(
        'Distinct senders',
        'uniqMerge(senders): pseudonymous accounts that posted.',
        g(12, 0, 4, 4),
        `SELECT uniqMerge(senders) AS senders FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE}`,
      ),
      chStat(
        'Active campaigns',
        `Groups of near-duplicates with at least ${MIN_CAMPAIGN} messages in the time range.`,
        g(16, 0, 4, 4),
        `SELECT count() AS campaigns FROM (SELECT campaign_id FROM campaign_stats_1m WHERE $__timeFilter(minute) GROUP BY campaign_id HAVING sum(messages) >= ${MIN_CAMPAIGN})`,
      ),
      promStat(
        'Urgent reports waiting',
        'Urgent trusted-flagger reports unanswered past their target (abuse_urgent_reports_waiting).',
        g(20, 0, 4, 4),
        `max(abuse_urgent_reports_waiting${JOB})`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'red', value: 1 },
          ],
        },
      ),
      chTimeseries(
        'Message volume',
        'Created, edited and deleted messages, and messages scored as spam, per interval.',
        g(0, 4, 12, 8),
        `SELECT $__timeInterval(minute) AS time, sum(created) AS created, sum(edited) AS edited, sum(deleted) AS deleted, sum(spam) AS spam
         FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE} GROUP BY time ORDER BY time`,
      ),
      chTimeseries(
        'Spam ratio and campaign share',
        'Per interval: spam over created + edited; in_campaign, with_links and forwarded over created.',
        g(12, 4, 12, 8),
        `SELECT $__timeInterval(minute) AS time, sum(spam) / greatest(sum(created) + sum(edited), 1) AS spam_ratio,
           sum(in_campaign) / greatest(sum(created), 1) AS in_campaign_share, sum(with_links) / greatest(sum(created), 1) AS with_links_share,
           sum(forwarded) / greatest(sum(created), 1) AS forwarded_share
         FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE} GROUP BY time ORDER BY time`,
        { unit: 'percentunit' },
      ),
      chTimeseries(
        'Messages by chat type',
        'Messages created per interval, one series per chat type.',
        g(0, 12, 12, 8),
        `SELECT $__timeInterval(minute) AS time, chat_type, sum(created) AS messages
         FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE} GROUP BY time, chat_type ORDER BY time`,
        { stack: true },
      ),
      chTable(
        'Top campaigns now',
        'Campaigns with the most messages in the time range; the sample text appears only once the privacy rule allows it. Click a campaign to open it.',
        g(12, 12, 12, 8),
        `WITH top AS (SELECT campaign_id, sum(messages) AS messages, uniqMerge(chats) AS chats, uniqMerge(senders) AS senders
               FROM campaign_stats_1m WHERE $__timeFilter(minute) GROUP BY campaign_id HAVING messages >= ${MIN_CAMPAIGN} ORDER BY messages DESC LIMIT 20)
         SELECT s.campaign_id AS campaign_id, s.messages AS messages, s.chats AS chats, s.senders AS senders, c.first_seen AS first_seen,
           c.spam_score AS spam_score, c.sample_text AS sample_text
         FROM top AS s
         LEFT JOIN (SELECT campaign_id, first_seen, spam_score, sample_text FROM campaigns_latest WHERE campaign_id IN (SELECT campaign_id FROM top)) AS c
           ON c.campaign_id = s.campaign_id
         ORDER BY messages DESC`,
        ['campaign_id', 'messages', 'chats', 'senders', 'first_seen', 'spam_score', 'sample_text'],
        { links: { campaign_id: campaignLink }, units: { spam_score: 'percentunit' } },
      ),
      chBars(
        'Countries',
        'Messages created and spam per country (empty: unknown).',
        g(0, 20, 12, 9),
        `SELECT if(country = '', 'unknown', country) AS country, sum(created) AS messages, sum(spam) AS spam
         FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE} GROUP BY country ORDER BY messages DESC LIMIT 15`,
      ),
      chTable(
        'Most active chats',
        'Chats with the most messages in the time range, with their spam and campaign share.',
        g(12, 20, 12, 9),
        `SELECT chat_id, any(chat_type) AS type, sum(created) AS messages, sum(spam) AS spam_messages, sum(spam) / greatest(sum(created) + sum(edited), 1) AS spam_ratio,
           sum(in_campaign) AS campaign_messages, uniqMerge(senders) AS distinct_senders
         FROM message_stats_1m WHERE $__timeFilter(minute) AND ${CHAT_TYPE} GROUP BY chat_id ORDER BY messages DESC LIMIT 25`,
        ['chat_id', 'type', 'messages', 'spam_messages', 'spam_ratio', 'campaign_messages', 'distinct_senders'],
        { units: { spam_ratio: 'percentunit' } },
      ),
    ],
  })
}
