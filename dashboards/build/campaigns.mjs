// The dashboard "Campaigns".
import {
  resetPanelIds,
  MIN_CAMPAIGN,
  chDatasourceVar,
  chQueryVar,
  chTimeseries,
  chTable,
  chStat,
  chBars,
  g,
  dashboard,
} from './grafana.mjs'

export function campaigns() {
  resetPanelIds()
  const campaignVar = chQueryVar(
    'campaign',
    'Campaign',
    `SELECT campaign_id FROM campaign_stats_1m WHERE $__timeFilter(minute) GROUP BY campaign_id HAVING sum(messages) >= ${MIN_CAMPAIGN} ORDER BY sum(messages) DESC LIMIT 500`,
  )
  const C = 'campaign_id = ${campaign:sqlstring}'
  return dashboard({
    uid: 'abuse-campaigns',
    title: 'Campaigns',
    tags: ['campaigns'],
    description:
      'Near-duplicate campaigns: pick one to see how it spreads over time, the chats it reaches, its sample and signature. Source: campaigns_latest, campaign_stats_1m, message_fingerprints.',
    variables: [chDatasourceVar, campaignVar],
    panels: [
      chTable(
        'Campaigns in range',
        'Campaigns with messages in the time range (messages, chats and senders counted in the range; first and last seen over their whole life). Click one to select it.',
        g(0, 0, 24, 8),
        `WITH top AS (SELECT campaign_id, sum(messages) AS messages, uniqMerge(chats) AS chats, uniqMerge(senders) AS senders
               FROM campaign_stats_1m WHERE $__timeFilter(minute) GROUP BY campaign_id HAVING messages >= ${MIN_CAMPAIGN} ORDER BY messages DESC LIMIT 100)
         SELECT s.campaign_id AS campaign_id, s.messages AS messages, s.chats AS chats, s.senders AS senders, c.first_seen AS first_seen, c.last_seen AS last_seen,
           c.messages AS lifetime_messages, c.countries AS countries, c.spam_score AS spam_score
         FROM top AS s
         LEFT JOIN (SELECT campaign_id, first_seen, last_seen, messages, countries, spam_score FROM campaigns_latest WHERE campaign_id IN (SELECT campaign_id FROM top)) AS c
           ON c.campaign_id = s.campaign_id
         ORDER BY messages DESC`,
        ['campaign_id', 'messages', 'chats', 'senders', 'first_seen', 'last_seen', 'lifetime_messages', 'countries', 'spam_score'],
        {
          links: {
            campaign_id: {
              title: 'Select',
              url: '/d/abuse-campaigns/campaigns?var-campaign=${__value.raw}&${__url_time_range}&${datasource:queryparam}',
            },
          },
          units: { spam_score: 'percentunit' },
        },
      ),
      chStat(
        'Messages',
        'All messages of the selected campaign over its life.',
        g(0, 8, 6, 4),
        `SELECT messages FROM campaigns_latest WHERE ${C}`,
      ),
      chStat(
        'Chats reached',
        'Distinct chats of the selected campaign over its life.',
        g(6, 8, 6, 4),
        `SELECT chats FROM campaigns_latest WHERE ${C}`,
      ),
      chStat(
        'Senders',
        'Distinct pseudonymous senders of the selected campaign.',
        g(12, 8, 6, 4),
        `SELECT senders FROM campaigns_latest WHERE ${C}`,
      ),
      chStat(
        'Age',
        'Time between the first and the last message of the selected campaign.',
        g(18, 8, 6, 4),
        `SELECT dateDiff('second', first_seen, last_seen) AS age_seconds FROM campaigns_latest WHERE ${C}`,
        { unit: 's' },
      ),
      chTimeseries(
        'Spread over time',
        'Messages, distinct chats and distinct senders of the selected campaign per interval.',
        g(0, 12, 12, 8),
        `SELECT $__timeInterval(minute) AS time, sum(messages) AS messages, uniqMerge(chats) AS chats, uniqMerge(senders) AS senders
         FROM campaign_stats_1m WHERE ${C} AND $__timeFilter(minute) GROUP BY time ORDER BY time`,
      ),
      chTimeseries(
        'New chats reached',
        'Chats the selected campaign reached for the first time, per interval (from message_fingerprints, public chats only).',
        g(12, 12, 12, 8),
        `SELECT $__timeInterval(first_ts) AS time, count() AS new_chats
         FROM (SELECT chat_id, min(ts) AS first_ts FROM message_fingerprints WHERE ${C} GROUP BY chat_id)
         WHERE $__timeFilter(first_ts) GROUP BY time ORDER BY time`,
        { bars: true },
      ),
      chTable(
        'Its chats',
        'Chats the selected campaign posted in, in the time range (public chats; private chats contribute counts only).',
        g(0, 20, 12, 9),
        `SELECT chat_id, count() AS messages, uniqExact(sender) AS senders, min(ts) AS first_seen, max(ts) AS last_seen, round(avg(spam_score), 3) AS avg_spam_score
         FROM message_fingerprints WHERE ${C} AND $__timeFilter(ts) GROUP BY chat_id ORDER BY messages DESC LIMIT 200`,
        ['chat_id', 'messages', 'senders', 'first_seen', 'last_seen', 'avg_spam_score'],
      ),
      chTable(
        'Sample and signature',
        'The sample text (NULL until seen in privacy.sample_min_chats public chats; private data masked), countries, top link domains and the near-duplicate signature.',
        g(12, 20, 12, 9),
        `SELECT campaign_id, sample_text, countries, top_link_domains, spam_score, first_seen, last_seen, signature
         FROM campaigns_latest WHERE ${C}`,
        ['campaign_id', 'sample_text', 'countries', 'top_link_domains', 'spam_score', 'first_seen', 'last_seen', 'signature'],
        { units: { spam_score: 'percentunit' } },
      ),
      chBars(
        'Spam rules fired',
        "Spam rules that fired on the selected campaign's messages in the time range.",
        g(0, 29, 12, 8),
        `SELECT reason, count() AS messages FROM message_fingerprints ARRAY JOIN reasons AS reason
         WHERE ${C} AND $__timeFilter(ts) GROUP BY reason ORDER BY messages DESC LIMIT 20`,
      ),
      chBars(
        'Link domains',
        "Registrable domains linked by the selected campaign's messages in the time range.",
        g(12, 29, 12, 8),
        `SELECT domain, count() AS messages FROM message_fingerprints ARRAY JOIN link_domains AS domain
         WHERE ${C} AND $__timeFilter(ts) GROUP BY domain ORDER BY messages DESC LIMIT 20`,
      ),
    ],
  })
}
