// The dashboard "Clone and look-alike channels".
import {
  resetPanelIds,
  JOB,
  chDatasourceVar,
  promDatasourceVar,
  jobVar,
  customVar,
  promTarget,
  chTimeseries,
  chTable,
  chStat,
  promTimeseries,
  promStat,
  g,
  dashboard,
} from './grafana.mjs'

export function channels() {
  resetPanelIds()
  const minScore = customVar(
    'min_score',
    'Minimum score',
    ['0', '0.3', '0.5', '0.7', '0.9'],
    '0.5',
    'Pairs below this similarity are hidden',
  )
  const PAIRS = 'chat_similarity FINAL'
  const RANGE = 'last_seen >= $__fromTime AND first_seen <= $__toTime AND score >= ${min_score}'
  return dashboard({
    uid: 'abuse-channels',
    title: 'Clone and look-alike channels',
    tags: ['channels'],
    description:
      "Chats that repost another chat's content (clones) and chats whose title or @handle is confusable with another's (look-alikes). Source: chat_similarity (read with FINAL).",
    time: { from: 'now-24h', to: 'now' },
    variables: [chDatasourceVar, promDatasourceVar, jobVar, minScore],
    panels: [
      chStat(
        'Clone pairs',
        'Pairs of kind content or both seen together in the time range.',
        g(0, 0, 6, 4),
        `SELECT count() AS pairs FROM ${PAIRS} WHERE kind IN ('content', 'both') AND ${RANGE}`,
      ),
      chStat(
        'Look-alike pairs',
        'Pairs of kind name or both seen in the time range.',
        g(6, 0, 6, 4),
        `SELECT count() AS pairs FROM ${PAIRS} WHERE kind IN ('name', 'both') AND ${RANGE}`,
      ),
      chStat(
        'Chats involved',
        'Distinct chats in any pair.',
        g(12, 0, 6, 4),
        `SELECT uniqExact(chat) AS chats FROM ${PAIRS} ARRAY JOIN [chat_a, chat_b] AS chat WHERE ${RANGE}`,
      ),
      promStat(
        'Pairs tracked now',
        'abuse_chat_similarity_pairs: pairs the processor tracks in its window.',
        g(18, 0, 6, 4),
        `sum(abuse_chat_similarity_pairs${JOB})`,
      ),
      chTable(
        'Clones',
        'Chat pairs whose content overlaps: the original is the chat that posted the shared items first more often.',
        g(0, 4, 24, 9),
        `SELECT original_chat, if(original_chat = chat_a, chat_b, if(original_chat = chat_b, chat_a, '')) AS copy_chat, chat_a, chat_b, kind, round(score, 3) AS score,
           shared_items, shared_campaigns, a_first, b_first, first_seen, last_seen
         FROM ${PAIRS} WHERE kind IN ('content', 'both') AND ${RANGE} ORDER BY score DESC, shared_items DESC LIMIT 200`,
        [
          'original_chat',
          'copy_chat',
          'chat_a',
          'chat_b',
          'kind',
          'score',
          'shared_items',
          'shared_campaigns',
          'a_first',
          'b_first',
          'first_seen',
          'last_seen',
        ],
        { units: { score: 'percentunit' } },
      ),
      chTable(
        'Look-alikes',
        "Chats whose title or @handle is confusably close to another's (homoglyphs, rn for m, inserted separators).",
        g(0, 13, 24, 9),
        `SELECT chat_a, name_a, chat_b, name_b, kind, round(score, 3) AS score, first_seen, last_seen
         FROM ${PAIRS} WHERE kind IN ('name', 'both') AND ${RANGE} ORDER BY score DESC LIMIT 200`,
        ['chat_a', 'name_a', 'chat_b', 'name_b', 'kind', 'score', 'first_seen', 'last_seen'],
        { units: { score: 'percentunit' } },
      ),
      chTable(
        'Most cloned chats',
        'Originals with the most clones.',
        g(0, 22, 12, 8),
        `SELECT original_chat, count() AS clones, round(max(score), 3) AS max_score, sum(shared_items) AS items_shared, max(last_seen) AS latest
         FROM ${PAIRS} WHERE kind IN ('content', 'both') AND original_chat != '' AND ${RANGE} GROUP BY original_chat ORDER BY clones DESC LIMIT 50`,
        ['original_chat', 'clones', 'max_score', 'items_shared', 'latest'],
        { units: { max_score: 'percentunit' } },
      ),
      chTimeseries(
        'New pairs',
        'Pairs first seen together per interval, by kind.',
        g(12, 22, 12, 8),
        `SELECT $__timeInterval(first_seen) AS time, kind, count() AS pairs
         FROM ${PAIRS} WHERE $__timeFilter(first_seen) AND score >= \${min_score} GROUP BY time, kind ORDER BY time`,
        { bars: true, stack: true },
      ),
      promTimeseries('Pairs tracked by the processor', 'abuse_chat_similarity_pairs by kind.', g(0, 30, 24, 7), [
        promTarget(`sum by (kind) (abuse_chat_similarity_pairs${JOB})`, '{{kind}}'),
      ]),
    ],
  })
}
