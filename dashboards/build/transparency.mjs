// The dashboard "Transparency".
import { resetPanelIds, chDatasourceVar, customVar, chTimeseries, chTable, chStat, chBars, g, dashboard, ENFORCEMENT } from './grafana.mjs'

export function transparency() {
  resetPanelIds()
  const target = customVar(
    'urgent_target_minutes',
    'Urgent target (min)',
    ['15', '60', '240', '1440'],
    '60',
    'Answer target for urgent trusted-flagger reports',
  )
  const REPORTS_IN_RANGE = 'report_answers WHERE $__timeFilter(received_at)'
  // day is a Date: the whole days the range touches (a time filter would drop the day the range starts in)
  const RULE_OUTCOMES_IN_RANGE = 'rule_outcomes_daily WHERE day >= toDate($__fromTime) AND day <= toDate($__toTime)'
  return dashboard({
    uid: 'abuse-transparency',
    title: 'Transparency',
    tags: ['transparency'],
    description:
      'What the platform did and how fast it answered reports: daily actions by category and source, reports received and answered with time to answer. The numbers of the daily transparency report (`abuse-radar report transparency`). Source: moderation_stats_1m, report_answers.',
    time: { from: 'now-30d', to: 'now' },
    refresh: '5m',
    variables: [chDatasourceVar, target],
    panels: [
      chStat(
        'Enforcement actions',
        'Actions taken (all actions except no_violation and action_reverted).',
        g(0, 0, 4, 4),
        `SELECT sum(actions) AS actions FROM moderation_stats_1m WHERE $__timeFilter(minute) AND ${ENFORCEMENT}`,
      ),
      chStat(
        'Messages removed',
        'message_removed actions.',
        g(4, 0, 4, 4),
        "SELECT sum(actions) AS messages_removed FROM moderation_stats_1m WHERE $__timeFilter(minute) AND action = 'message_removed'",
      ),
      chStat(
        'Chats banned',
        'chat_banned actions.',
        g(8, 0, 4, 4),
        "SELECT sum(actions) AS chats_banned FROM moderation_stats_1m WHERE $__timeFilter(minute) AND action = 'chat_banned'",
      ),
      chStat(
        'Reports received',
        'Reports received in the time range.',
        g(12, 0, 4, 4),
        `SELECT count() AS reports FROM ${REPORTS_IN_RANGE}`,
      ),
      chStat(
        'Median time to answer',
        'Over the reports received in the range that are answered.',
        g(16, 0, 4, 4),
        `SELECT quantileExactInclusive(0.5)(seconds_to_answer) AS median_seconds FROM ${REPORTS_IN_RANGE} AND answered_at IS NOT NULL`,
        { unit: 's' },
      ),
      chStat(
        'Urgent reports past target',
        'Urgent trusted-flagger reports still unanswered after the target (the query behind abuse_urgent_reports_waiting).',
        g(20, 0, 4, 4),
        `SELECT count() AS waiting FROM report_answers
         WHERE reporter = 'trusted_flagger' AND priority = 'urgent' AND answered_at IS NULL AND received_at IS NOT NULL
           AND received_at < now64(3) - toIntervalMinute(\${urgent_target_minutes}) AND received_at >= $__fromTime`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'red', value: 1 },
          ],
        },
      ),
      chTimeseries(
        'Actions per day by category',
        'Enforcement actions per UTC day, stacked by category.',
        g(0, 4, 12, 9),
        `SELECT toStartOfDay(minute) AS time, category, sum(actions) AS actions
         FROM moderation_stats_1m WHERE $__timeFilter(minute) AND ${ENFORCEMENT} GROUP BY time, category ORDER BY time`,
        { bars: true, stack: true },
      ),
      chTimeseries(
        'Actions per day by source',
        'Enforcement actions per UTC day, stacked by what led to them.',
        g(12, 4, 12, 9),
        `SELECT toStartOfDay(minute) AS time, source, sum(actions) AS actions
         FROM moderation_stats_1m WHERE $__timeFilter(minute) AND ${ENFORCEMENT} GROUP BY time, source ORDER BY time`,
        { bars: true, stack: true },
      ),
      chTable(
        'Actions by category and action',
        'Every action, including reviews that found no violation and reverted actions.',
        g(0, 13, 12, 9),
        `SELECT category, sumIf(actions, action = 'message_removed') AS messages_removed, sumIf(actions, action = 'chat_banned') AS chats_banned,
           sumIf(actions, action = 'chat_restricted') AS chats_restricted, sumIf(actions, action IN ('user_banned', 'user_restricted')) AS users_actioned,
           sumIf(actions, action = 'action_reverted') AS reverted, sumIf(actions, action = 'no_violation') AS no_violation
         FROM moderation_stats_1m WHERE $__timeFilter(minute) GROUP BY category ORDER BY messages_removed + chats_banned DESC`,
        ['category', 'messages_removed', 'chats_banned', 'chats_restricted', 'users_actioned', 'reverted', 'no_violation'],
      ),
      chBars(
        'Removals by source',
        'Messages removed and chats banned, by what led to the action.',
        g(12, 13, 12, 9),
        `SELECT source, sumIf(actions, action = 'message_removed') AS messages_removed, sumIf(actions, action = 'chat_banned') AS chats_banned
         FROM moderation_stats_1m WHERE $__timeFilter(minute) GROUP BY source ORDER BY messages_removed DESC`,
      ),
      chTable(
        'Reports and time to answer by reporter',
        'Reports received in the range, answered (by any action, no_violation included), still open, and time to answer of those answered.',
        g(0, 22, 12, 8),
        `SELECT reporter, count() AS received, countIf(answered_at IS NOT NULL) AS answered, countIf(answered_at IS NULL) AS open,
           quantileExactInclusive(0.5)(seconds_to_answer) AS median_seconds, quantileExactInclusive(0.95)(seconds_to_answer) AS p95_seconds
         FROM ${REPORTS_IN_RANGE} GROUP BY reporter ORDER BY received DESC`,
        ['reporter', 'received', 'answered', 'open', 'median_seconds', 'p95_seconds'],
        { units: { median_seconds: 's', p95_seconds: 's' } },
      ),
      chTable(
        'Trusted flaggers and authorities',
        'Per organisation and priority: the hotline promise that urgent requests are handled faster.',
        g(12, 22, 12, 8),
        `SELECT reporter, ifNull(reporter_org, '') AS organisation, priority, count() AS received, countIf(answered_at IS NOT NULL) AS answered,
           quantileExactInclusive(0.5)(seconds_to_answer) AS median_seconds, quantileExactInclusive(0.95)(seconds_to_answer) AS p95_seconds,
           countIf(priority = 'urgent' AND ifNull(seconds_to_answer, dateDiff('second', received_at, now64(3))) > \${urgent_target_minutes} * 60) AS urgent_past_target
         FROM ${REPORTS_IN_RANGE} AND reporter IN ('trusted_flagger', 'authority')
         GROUP BY reporter, organisation, priority ORDER BY reporter, organisation, priority`,
        ['reporter', 'organisation', 'priority', 'received', 'answered', 'median_seconds', 'p95_seconds', 'urgent_past_target'],
        { units: { median_seconds: 's', p95_seconds: 's' } },
      ),
      chTimeseries(
        'Median time to answer per day',
        'Median seconds to answer of the reports received each UTC day, by reporter kind.',
        g(0, 30, 12, 8),
        `SELECT toStartOfDay(received_at) AS time, reporter, quantileExactInclusive(0.5)(seconds_to_answer) AS median_seconds
         FROM ${REPORTS_IN_RANGE} AND answered_at IS NOT NULL GROUP BY time, reporter ORDER BY time`,
        { unit: 's' },
      ),
      chTable(
        'Outcomes',
        'What answered the reports received in the range (the first moderation event carrying the report id).',
        g(12, 30, 12, 8),
        `SELECT reporter, ifNull(outcome, 'open') AS answer, count() AS reports
         FROM ${REPORTS_IN_RANGE} GROUP BY reporter, answer ORDER BY reporter, reports DESC`,
        ['reporter', 'answer', 'reports'],
      ),
      chTimeseries(
        'Rule precision per day',
        "Each spam rule's measured precision, removed / (removed + reverted + no_violation), over the messages it flagged each UTC day (the day of the message's latest version), enforcing and shadow apart; a day without a reviewed message is a gap. Decisions count within scoring.outcome_window_hours (docs/rules.md). Source: rule_outcomes_daily.",
        g(0, 38, 12, 8),
        `SELECT toStartOfDay(toDateTime(day)) AS time, concat(rule, ' (', mode, ')') AS rule_mode,
           sum(removed) / nullIf(sum(removed) + sum(reverted) + sum(no_violation), 0) AS precision
         FROM ${RULE_OUTCOMES_IN_RANGE} GROUP BY time, rule_mode ORDER BY time`,
        { unit: 'percentunit' },
      ),
      chTimeseries(
        'Messages flagged per rule per day',
        'Messages whose latest version had the rule fire, per UTC day, enforcing and shadow apart. Source: rule_outcomes_daily.',
        g(12, 38, 12, 8),
        `SELECT toStartOfDay(toDateTime(day)) AS time, concat(rule, ' (', mode, ')') AS rule_mode, sum(flagged) AS flagged
         FROM ${RULE_OUTCOMES_IN_RANGE} GROUP BY time, rule_mode ORDER BY time`,
      ),
      chTable(
        'Rule outcomes',
        "What followed the messages each rule flagged in the range: removed (and not reverted), reverted, reviewed without action, unreviewed, and the rule's precision (`abuse-radar report rules`). Source: rule_outcomes_daily.",
        g(0, 46, 24, 8),
        `SELECT rule, mode, flagged, removed, reverted, no_violation, unreviewed, removed / nullIf(removed + reverted + no_violation, 0) AS precision
         FROM (SELECT rule, mode, sum(flagged) AS flagged, sum(removed) AS removed, sum(reverted) AS reverted, sum(no_violation) AS no_violation,
             sum(unreviewed) AS unreviewed FROM ${RULE_OUTCOMES_IN_RANGE} GROUP BY rule, mode)
         ORDER BY rule, mode`,
        ['rule', 'mode', 'flagged', 'removed', 'reverted', 'no_violation', 'unreviewed', 'precision'],
        { units: { precision: 'percentunit' } },
      ),
    ],
  })
}
