#!/usr/bin/env node
// Builds the Grafana dashboards in dashboards/grafana/*.json from the definitions below (the JSON
// files are committed; `node dashboards/build.mjs` rewrites them, `--check` fails if they are stale).
// Dashboards read ClickHouse through the official plugin (grafana-clickhouse-datasource) and
// Prometheus, each picked through a data source variable. ClickHouse panels use the plugin's macros
// ($__timeFilter, $__timeInterval, $__fromTime, $__toTime, $__conditionalAll) so the time picker
// and variables apply; every panel's SQL is run by test/integration/dashboards-sql.test.ts.
//
// Column contract checked by the tests: a table panel lists every column its query returns, in
// order, in its "organize" transformation; a time series query returns `time` first, then numbers
// (and at most one text column naming the series); stat and bar chart queries return numbers (a bar
// chart first a text column).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { parse } from 'yaml'

const OUT = fileURLToPath(new URL('./grafana/', import.meta.url))
// `campaign_stats_1m` holds every group of near-duplicates, one-message groups included; a group is
// a campaign from campaigns.min_messages messages (docs/detection.md, "Campaigns"), which the panels apply.
const MIN_CAMPAIGN = parse(readFileSync(fileURLToPath(new URL('../config/default.yaml', import.meta.url)), 'utf8')).campaigns.min_messages
const CH = { type: 'grafana-clickhouse-datasource', uid: '${datasource}' }
const PROM = { type: 'prometheus', uid: '${prometheus}' }
const JOB = '{job=~"$job"}'

// ---------------------------------------------------------------- template variables

const chDatasourceVar = {
  name: 'datasource',
  label: 'ClickHouse',
  type: 'datasource',
  query: 'grafana-clickhouse-datasource',
  current: { text: 'ClickHouse (abuse)', value: 'abuse-clickhouse' },
  hide: 0,
  refresh: 1,
  regex: '',
  options: [],
}
const promDatasourceVar = {
  name: 'prometheus',
  label: 'Prometheus',
  type: 'datasource',
  query: 'prometheus',
  current: { text: 'Prometheus', value: 'abuse-prometheus' },
  hide: 0,
  refresh: 1,
  regex: '',
  options: [],
}
const jobVar = {
  name: 'job',
  label: 'Job',
  type: 'query',
  datasource: PROM,
  definition: 'label_values(abuse_last_progress_timestamp_seconds, job)',
  query: { query: 'label_values(abuse_last_progress_timestamp_seconds, job)', refId: 'PrometheusVariableQueryEditor-VariableQuery' },
  includeAll: true,
  multi: true,
  allValue: '.*',
  current: { text: ['All'], value: ['$__all'] },
  refresh: 2,
  sort: 1,
  hide: 0,
  options: [],
  regex: '',
}
const customVar = (name, label, values, current, description) => ({
  name,
  label,
  description,
  type: 'custom',
  query: values.join(','),
  hide: 0,
  multi: false,
  includeAll: false,
  current: { text: current, value: current },
  options: values.map((v) => ({ text: v, value: v, selected: v === current })),
})
const chQueryVar = (name, label, sql, { multi = false, includeAll = false, refresh = 2 } = {}) => ({
  name,
  label,
  type: 'query',
  datasource: CH,
  definition: sql,
  query: sql,
  refresh,
  sort: 0,
  hide: 0,
  multi,
  includeAll,
  ...(includeAll ? { allValue: '' } : {}),
  current: includeAll ? { text: ['All'], value: ['$__all'] } : {},
  options: [],
  regex: '',
})

// ---------------------------------------------------------------- panels

let nextId = 1
const chTarget = (sql, queryType, refId = 'A') => ({
  refId,
  datasource: CH,
  editorType: 'sql',
  format: queryType === 'timeseries' ? 0 : 1,
  queryType,
  rawSql: sql.trim().replace(/\n\s+/g, '\n  '),
  pluginVersion: '4.0.0',
})
const promTarget = (expr, legendFormat, refId = 'A', extra = {}) => ({
  refId,
  datasource: PROM,
  expr,
  legendFormat,
  range: true,
  editorMode: 'code',
  ...extra,
})

function base(type, title, description, gridPos, datasource, targets, extra = {}) {
  return { id: nextId++, type, title, description, gridPos, datasource, targets, ...extra }
}

/** A ClickHouse time series; `unit` for the y axis; `stack` for stacked bars. */
function chTimeseries(title, description, gridPos, sql, { unit = 'short', bars = false, stack = false, overrides = [] } = {}) {
  return base('timeseries', title, description, gridPos, CH, [chTarget(sql, 'timeseries')], {
    interval: '1m',
    fieldConfig: {
      defaults: {
        unit,
        custom: {
          drawStyle: bars ? 'bars' : 'line',
          fillOpacity: bars ? 80 : 10,
          lineWidth: 1,
          showPoints: 'never',
          stacking: { mode: stack ? 'normal' : 'none', group: 'A' },
          spanNulls: false,
        },
      },
      overrides,
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  })
}

/** A ClickHouse table; `columns` are the query's columns in order (checked by the tests). */
function chTable(title, description, gridPos, sql, columns, { units = {}, links = {}, displayNames = {} } = {}) {
  const overrides = []
  for (const [name, unit] of Object.entries(units))
    overrides.push({ matcher: { id: 'byName', options: name }, properties: [{ id: 'unit', value: unit }] })
  for (const [name, link] of Object.entries(links))
    overrides.push({ matcher: { id: 'byName', options: name }, properties: [{ id: 'links', value: [link] }] })
  return base('table', title, description, gridPos, CH, [chTarget(sql, 'table')], {
    fieldConfig: { defaults: { custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: true } }, overrides },
    options: { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' } },
    transformations: [
      {
        id: 'organize',
        options: { excludeByName: {}, indexByName: Object.fromEntries(columns.map((c, i) => [c, i])), renameByName: displayNames },
      },
    ],
  })
}

/** A stat over a one-row ClickHouse query (every column a number). */
function chStat(title, description, gridPos, sql, { unit = 'short', decimals, thresholds } = {}) {
  return base('stat', title, description, gridPos, CH, [chTarget(sql, 'table')], {
    fieldConfig: {
      defaults: {
        unit,
        ...(decimals === undefined ? {} : { decimals }),
        color: { mode: thresholds ? 'thresholds' : 'fixed', fixedColor: 'blue' },
        thresholds: { mode: 'absolute', steps: thresholds ?? [{ color: 'blue', value: null }] },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'value',
      graphMode: 'none',
      justifyMode: 'auto',
      textMode: 'auto',
      orientation: 'auto',
    },
  })
}

/** A bar chart over a ClickHouse table: first column the category (text), then numbers. */
function chBars(title, description, gridPos, sql, { unit = 'short', stack = false, horizontal = true } = {}) {
  return base('barchart', title, description, gridPos, CH, [chTarget(sql, 'table')], {
    fieldConfig: { defaults: { unit, custom: { fillOpacity: 80, lineWidth: 1 } }, overrides: [] },
    options: {
      orientation: horizontal ? 'horizontal' : 'vertical',
      stacking: stack ? 'normal' : 'none',
      showValue: 'auto',
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'none' },
      xTickLabelRotation: 0,
      barWidth: 0.8,
      groupWidth: 0.7,
    },
  })
}

function promTimeseries(title, description, gridPos, targets, { unit = 'short', overrides = [], min } = {}) {
  return base('timeseries', title, description, gridPos, PROM, targets, {
    fieldConfig: {
      defaults: {
        unit,
        ...(min === undefined ? {} : { min }),
        custom: { drawStyle: 'line', fillOpacity: 10, lineWidth: 1, showPoints: 'never', spanNulls: false },
      },
      overrides,
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  })
}

function promStat(title, description, gridPos, expr, { unit = 'short', thresholds } = {}) {
  return base('stat', title, description, gridPos, PROM, [promTarget(expr, '', 'A', { instant: true, range: false })], {
    fieldConfig: {
      defaults: {
        unit,
        color: { mode: 'thresholds' },
        thresholds: { mode: 'absolute', steps: thresholds ?? [{ color: 'green', value: null }] },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'none',
      justifyMode: 'auto',
      textMode: 'auto',
      orientation: 'auto',
    },
  })
}

const row = (title, y) => ({ id: nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] })
const g = (x, y, w, h) => ({ x, y, w, h })

function dashboard({
  uid,
  title,
  description,
  tags,
  time = { from: 'now-6h', to: 'now' },
  refresh = '30s',
  variables,
  panels,
  links = [],
}) {
  return {
    uid,
    title,
    description,
    tags: ['abuse-radar', ...tags],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time,
    refresh,
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    timepicker: { refresh_intervals: ['10s', '30s', '1m', '5m', '15m', '1h'] },
    templating: { list: variables },
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    links: [
      {
        title: 'abuse-radar',
        type: 'dashboards',
        tags: ['abuse-radar'],
        asDropdown: true,
        includeVars: false,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
        url: '',
      },
      ...links,
    ],
    panels,
  }
}

const campaignLink = {
  title: 'Open in Campaigns',
  url: '/d/abuse-campaigns/campaigns?var-campaign=${__value.raw}&${__url_time_range}&${datasource:queryparam}',
}
const CHAT_TYPE = '$__conditionalAll(chat_type IN (${chat_type:singlequote}), $chat_type)'
const ENFORCEMENT = "action NOT IN ('no_violation', 'action_reverted')"

// ---------------------------------------------------------------- Abuse overview

function overview() {
  nextId = 1
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

// ---------------------------------------------------------------- Campaigns

function campaigns() {
  nextId = 1
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

// ---------------------------------------------------------------- Clone and look-alike channels

function channels() {
  nextId = 1
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

// ---------------------------------------------------------------- Transparency

function transparency() {
  nextId = 1
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

// ---------------------------------------------------------------- Pipeline health

function pipeline() {
  nextId = 1
  const q = (quantile, metric, by) => `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${metric}_bucket${JOB}[$__rate_interval])))`
  return dashboard({
    uid: 'abuse-pipeline',
    title: 'Pipeline health',
    tags: ['pipeline', 'on-call'],
    description:
      "Is the processor keeping up and writing? Throughput, lag, stage latency, the ClickHouse sink, backpressure and dead letters. Source: the processor's /metrics, and dead_letters in ClickHouse.",
    time: { from: 'now-3h', to: 'now' },
    variables: [promDatasourceVar, chDatasourceVar, jobVar],
    panels: [
      promStat(
        'Consumer lag',
        'Messages behind the high watermarks, all partitions (alert: AbuseRadarPipelineBehind).',
        g(0, 0, 4, 4),
        // every instance reports every partition's lag (end - committed): one value per partition, then the sum
        `sum(max by (topic, partition) (abuse_consumer_lag_messages${JOB}))`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'orange', value: 10000 },
            { color: 'red', value: 100000 },
          ],
        },
      ),
      promStat(
        'Since last commit',
        'Seconds since the last written and committed batch (alert: AbuseRadarStalled).',
        g(4, 0, 4, 4),
        `time() - max(abuse_last_progress_timestamp_seconds${JOB})`,
        {
          unit: 's',
          thresholds: [
            { color: 'green', value: null },
            { color: 'orange', value: 120 },
            { color: 'red', value: 600 },
          ],
        },
      ),
      promStat(
        'Records/s',
        'Records consumed per second, all topics.',
        g(8, 0, 4, 4),
        `sum(rate(abuse_records_consumed_total${JOB}[5m]))`,
        { unit: 'reqps' },
      ),
      promStat(
        'Dead letters/s',
        'Records rejected per second (alert: AbuseRadarDeadLetterRateHigh).',
        g(12, 0, 4, 4),
        `sum(rate(abuse_dead_letters_total${JOB}[5m]))`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'orange', value: 0.1 },
          ],
        },
      ),
      promStat(
        'Insert failures (15m)',
        'Failed ClickHouse inserts in the last 15 minutes (alerts: AbuseRadarClickHouseWritesFailing, AbuseRadarClickHouseInsertErrors).',
        g(16, 0, 4, 4),
        `sum(increase(abuse_sink_insert_failures_total${JOB}[15m]))`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'red', value: 1 },
          ],
        },
      ),
      promStat('Partitions held', 'Partitions assigned to the selected instances.', g(20, 0, 4, 4), `sum(abuse_partitions_assigned${JOB})`),
      row('Throughput and lag', 4),
      promTimeseries(
        'Records consumed and written',
        'Per second: records read per topic, and records covered by committed batches.',
        g(0, 5, 12, 8),
        [
          promTarget(`sum by (topic) (rate(abuse_records_consumed_total${JOB}[$__rate_interval]))`, 'consumed {{topic}}'),
          promTarget(`sum(rate(abuse_records_written_total${JOB}[$__rate_interval]))`, 'written and committed', 'B'),
          promTarget(`sum(rate(abuse_batches_written_total${JOB}[$__rate_interval]))`, 'batches committed', 'C'),
        ],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Events by kind, duplicates',
        'Valid events per second by kind; redelivered events dropped as duplicates.',
        g(12, 5, 12, 8),
        [
          promTarget(`sum by (kind) (rate(abuse_events_accepted_total${JOB}[$__rate_interval]))`, '{{kind}}'),
          promTarget(`sum(rate(abuse_duplicate_events_total${JOB}[$__rate_interval]))`, 'duplicates', 'B'),
        ],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Consumer lag',
        'Messages between the high watermark and the consumed offset, per topic.',
        g(0, 13, 12, 8),
        [promTarget(`sum by (topic) (max by (topic, partition) (abuse_consumer_lag_messages${JOB}))`, '{{topic}}')],
        { min: 0 },
      ),
      promTimeseries(
        'Event-time lag and progress',
        'Seconds between now and the newest record written; seconds since the last commit.',
        g(12, 13, 12, 8),
        [
          promTarget(`max(abuse_event_time_lag_seconds${JOB})`, 'event-time lag'),
          promTarget(`time() - max(abuse_last_progress_timestamp_seconds${JOB})`, 'since last commit', 'B'),
        ],
        { unit: 's', min: 0 },
      ),
      row('Processing', 21),
      promTimeseries(
        'Stage latency (p95)',
        '95th percentile of processing time per pipeline stage.',
        g(0, 22, 12, 8),
        [promTarget(q(0.95, 'abuse_stage_duration_seconds', 'stage'), '{{stage}}')],
        { unit: 's' },
      ),
      promTimeseries(
        'Messages by verdict',
        "Messages analysed per second by verdict, and the processor's spam ratio.",
        g(12, 22, 12, 8),
        [
          promTarget(`sum by (verdict) (rate(abuse_messages_total${JOB}[$__rate_interval]))`, '{{verdict}}'),
          promTarget(`avg(abuse_spam_ratio${JOB})`, 'spam ratio', 'B'),
        ],
        {
          overrides: [
            {
              matcher: { id: 'byName', options: 'spam ratio' },
              properties: [
                { id: 'unit', value: 'percentunit' },
                { id: 'custom.axisPlacement', value: 'right' },
              ],
            },
          ],
        },
      ),
      promTimeseries(
        'Campaigns and near-duplicate index',
        'Campaigns active and created, fingerprints in the index and evicted, largest campaign growth in chats over 10 minutes.',
        g(0, 30, 12, 8),
        [
          promTarget(`sum(abuse_campaigns_active${JOB})`, 'campaigns active'),
          promTarget(`sum(rate(abuse_campaigns_created_total${JOB}[$__rate_interval])) * 60`, 'campaigns created/min', 'B'),
          promTarget(`max(abuse_campaign_growth_max_chats_10m${JOB})`, 'max new chats of a campaign (10m)', 'C'),
          promTarget(`sum(abuse_neardup_index_entries${JOB})`, 'index entries', 'D'),
          promTarget(`sum(rate(abuse_neardup_index_evictions_total${JOB}[$__rate_interval]))`, 'evictions/s', 'E'),
        ],
        {
          overrides: [
            { matcher: { id: 'byName', options: 'index entries' }, properties: [{ id: 'custom.axisPlacement', value: 'right' }] },
          ],
        },
      ),
      promTimeseries(
        'Process',
        'Resident memory, CPU and event-loop lag (p99) of each instance.',
        g(12, 30, 12, 8),
        [
          promTarget(`process_resident_memory_bytes${JOB}`, 'rss {{instance}}'),
          promTarget(`rate(process_cpu_seconds_total${JOB}[$__rate_interval])`, 'cpu {{instance}}', 'B'),
          promTarget(`nodejs_eventloop_lag_p99_seconds${JOB}`, 'event loop p99 {{instance}}', 'C'),
        ],
        {
          unit: 'bytes',
          overrides: [
            {
              matcher: { id: 'byFrameRefID', options: 'B' },
              properties: [
                { id: 'unit', value: 'percentunit' },
                { id: 'custom.axisPlacement', value: 'right' },
              ],
            },
            {
              matcher: { id: 'byFrameRefID', options: 'C' },
              properties: [
                { id: 'unit', value: 's' },
                { id: 'custom.axisPlacement', value: 'right' },
              ],
            },
          ],
        },
      ),
      promTimeseries(
        'Spam rules fired',
        'Spam rules that fired per second, by rule and mode (counted, or shadow: recorded only).',
        g(0, 38, 12, 8),
        [promTarget(`sum by (reason, mode) (rate(abuse_spam_reasons_total${JOB}[$__rate_interval]))`, '{{reason}} ({{mode}})')],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Obfuscations undone',
        'Obfuscations the normalizer undid per second (homoglyphs, zero-width characters, inserted emoji...), by kind.',
        g(12, 38, 12, 8),
        [promTarget(`sum by (kind) (rate(abuse_obfuscations_total${JOB}[$__rate_interval]))`, '{{kind}}')],
        { unit: 'reqps' },
      ),
      row('ClickHouse sink', 46),
      promTimeseries(
        'Rows written',
        'Rows inserted per second, per table.',
        g(0, 47, 8, 8),
        [promTarget(`sum by (table) (rate(abuse_sink_rows_written_total${JOB}[$__rate_interval]))`, '{{table}}')],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Insert duration (p95)',
        '95th percentile of ClickHouse insert time, per table.',
        g(8, 47, 8, 8),
        [promTarget(q(0.95, 'abuse_sink_insert_duration_seconds', 'table'), '{{table}}')],
        { unit: 's' },
      ),
      promTimeseries(
        'Failures, retries, backpressure',
        'Insert failures and retries per second; share of time paused by backpressure; records buffered.',
        g(16, 47, 8, 8),
        [
          promTarget(`sum by (table) (rate(abuse_sink_insert_failures_total${JOB}[$__rate_interval]))`, 'failures {{table}}'),
          promTarget(`sum(rate(abuse_sink_retries_total${JOB}[$__rate_interval]))`, 'retries', 'B'),
          promTarget(`sum(rate(abuse_backpressure_seconds_total${JOB}[$__rate_interval]))`, 'paused (s/s)', 'C'),
          promTarget(`max(abuse_backpressure_active${JOB})`, 'paused now', 'E'),
          promTarget(`sum(abuse_buffered_records${JOB})`, 'buffered records', 'D'),
        ],
        {
          overrides: [
            { matcher: { id: 'byName', options: 'buffered records' }, properties: [{ id: 'custom.axisPlacement', value: 'right' }] },
          ],
        },
      ),
      promTimeseries('Rebalances and partitions', 'Group rebalances seen, partitions held.', g(0, 55, 8, 8), [
        promTarget(`sum(increase(abuse_rebalances_total${JOB}[$__rate_interval]))`, 'rebalances'),
        promTarget(`sum by (instance) (abuse_partitions_assigned${JOB})`, 'partitions {{instance}}', 'B'),
      ]),
      chStat(
        'Newest data',
        'Seconds between now and the newest minute in message_stats_1m (end-to-end freshness as analysts see it).',
        g(8, 55, 4, 8),
        "SELECT dateDiff('second', max(minute), now()) AS seconds_behind FROM message_stats_1m WHERE minute >= now() - INTERVAL 2 DAY",
        { unit: 's' },
      ),
      chTable(
        'Table sizes',
        'Rows and bytes on disk of the abuse tables (system.parts; the Grafana user needs SELECT on it).',
        g(12, 55, 12, 8),
        `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes_on_disk, count() AS parts, max(modification_time) AS last_write
         FROM system.parts WHERE database = currentDatabase() AND active GROUP BY table ORDER BY bytes_on_disk DESC`,
        ['table', 'rows', 'bytes_on_disk', 'parts', 'last_write'],
        { units: { bytes_on_disk: 'bytes' } },
      ),
      row('Dead letters', 63),
      promTimeseries(
        'Dead letters by reason',
        'Records rejected per second, per topic and reason code.',
        g(0, 64, 12, 8),
        [promTarget(`sum by (topic, reason) (rate(abuse_dead_letters_total${JOB}[$__rate_interval]))`, '{{reason}} ({{topic}})')],
        { unit: 'reqps' },
      ),
      chTimeseries(
        'Dead letters stored',
        'Rows written to dead_letters per interval, by reason code (processing time).',
        g(12, 64, 12, 8),
        `SELECT $__timeInterval(received_at) AS time, reason, count() AS dead_letters
         FROM dead_letters WHERE $__timeFilter(received_at) GROUP BY time, reason ORDER BY time`,
        { bars: true, stack: true },
      ),
      chTable(
        'Latest dead letters',
        'The newest rejected records: where they came from, why, and the hash of the payload (the prefix stays in ClickHouse).',
        g(0, 72, 24, 9),
        `SELECT received_at, topic, partition, offset, reason, detail, payload_bytes, payload_sha256
         FROM dead_letters WHERE $__timeFilter(received_at) ORDER BY received_at DESC LIMIT 100`,
        ['received_at', 'topic', 'partition', 'offset', 'reason', 'detail', 'payload_bytes', 'payload_sha256'],
        { units: { payload_bytes: 'bytes' } },
      ),
    ],
  })
}

// ---------------------------------------------------------------- output

export const DASHBOARDS = {
  'abuse-overview': overview,
  campaigns: campaigns,
  channels: channels,
  transparency: transparency,
  'pipeline-health': pipeline,
}

export function render() {
  return Object.entries(DASHBOARDS).map(([file, build]) => ({ file: `${file}.json`, text: `${JSON.stringify(build(), null, 2)}\n` }))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  let stale = 0
  for (const { file, text } of render()) {
    const target = path.join(OUT, file)
    let current = null
    try {
      current = readFileSync(target, 'utf8')
    } catch {
      // not generated yet: written below
    }
    if (current === text) continue
    if (check) {
      process.stderr.write(`stale: dashboards/grafana/${file} (run node dashboards/build.mjs)\n`)
      stale++
    } else {
      writeFileSync(target, text)
      process.stdout.write(`wrote dashboards/grafana/${file}\n`)
    }
  }
  process.exit(stale > 0 ? 1 : 0)
}
