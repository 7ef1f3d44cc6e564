// Grafana building blocks shared by the dashboards in this folder: data sources, template
// variables, panel constructors and the dashboard frame. Panel ids come from one counter, so the
// dashboards are built in the order dashboards/build.mjs lists them.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// `campaign_stats_1m` holds every group of near-duplicates, one-message groups included; a group is
// a campaign from campaigns.min_messages messages (docs/detection.md, "Campaigns"), which the panels apply.
export const MIN_CAMPAIGN = parse(readFileSync(fileURLToPath(new URL('../../config/default.yaml', import.meta.url)), 'utf8')).campaigns
  .min_messages
export const CH = { type: 'grafana-clickhouse-datasource', uid: '${datasource}' }
export const PROM = { type: 'prometheus', uid: '${prometheus}' }
export const JOB = '{job=~"$job"}'

// ---------------------------------------------------------------- template variables

export const chDatasourceVar = {
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
export const promDatasourceVar = {
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
export const jobVar = {
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
export const customVar = (name, label, values, current, description) => ({
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
export const chQueryVar = (name, label, sql, { multi = false, includeAll = false, refresh = 2 } = {}) => ({
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
/** Every dashboard numbers its panels from 1. */
export function resetPanelIds() {
  nextId = 1
}
export const chTarget = (sql, queryType, refId = 'A') => ({
  refId,
  datasource: CH,
  editorType: 'sql',
  format: queryType === 'timeseries' ? 0 : 1,
  queryType,
  rawSql: sql.trim().replace(/\n\s+/g, '\n  '),
  pluginVersion: '4.0.0',
})
export const promTarget = (expr, legendFormat, refId = 'A', extra = {}) => ({
  refId,
  datasource: PROM,
  expr,
  legendFormat,
  range: true,
  editorMode: 'code',
  ...extra,
})

export function base(type, title, description, gridPos, datasource, targets, extra = {}) {
  return { id: nextId++, type, title, description, gridPos, datasource, targets, ...extra }
}

/** A ClickHouse time series; `unit` for the y axis; `stack` for stacked bars. */
export function chTimeseries(title, description, gridPos, sql, { unit = 'short', bars = false, stack = false, overrides = [] } = {}) {
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
export function chTable(title, description, gridPos, sql, columns, { units = {}, links = {}, displayNames = {} } = {}) {
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
export function chStat(title, description, gridPos, sql, { unit = 'short', decimals, thresholds } = {}) {
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
export function chBars(title, description, gridPos, sql, { unit = 'short', stack = false, horizontal = true } = {}) {
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

export function promTimeseries(title, description, gridPos, targets, { unit = 'short', overrides = [], min } = {}) {
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

export function promStat(title, description, gridPos, expr, { unit = 'short', thresholds } = {}) {
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

export const row = (title, y) => ({ id: nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] })
export const g = (x, y, w, h) => ({ x, y, w, h })

export function dashboard({
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

export const campaignLink = {
  title: 'Open in Campaigns',
  url: '/d/abuse-campaigns/campaigns?var-campaign=${__value.raw}&${__url_time_range}&${datasource:queryparam}',
}
export const CHAT_TYPE = '$__conditionalAll(chat_type IN (${chat_type:singlequote}), $chat_type)'
export const ENFORCEMENT = "action NOT IN ('no_violation', 'action_reverted')"
