/**
 * The daily transparency report (outputs.md "Transparency report"): what the platform removed on one
 * UTC day, per category and source, against the 30 days before; the reports it received and answered
 * per reporter kind with median and 95th-percentile time to answer; the largest campaigns. Read from
 * ClickHouse (moderation_stats_1m, report_answers, campaign_stats_1m, campaigns_latest,
 * message_stats_1m) through any reader with `select` (the ClickHouseStore, with the configured
 * database as the default one).
 *
 * Definitions (also printed in the HTML):
 * - enforcement actions: every moderation action except `no_violation` and `action_reverted`;
 * - received: reports whose report event is dated on the day;
 * - answered: reports whose first answer (the first moderation event carrying the report id,
 *   `no_violation` included) is dated on the day; time to answer is answer minus receipt, over the
 *   answered reports whose receipt is known (a report may be answered before the processor saw it);
 * - open at end of day: received in the 30 days up to the day's end and not answered by then.
 */
import { AbuseRadarError } from '../domain/errors.js'
import { collectAutomatedMeans, type AutomatedMeansRow } from './rules/automated-means.js'
export interface ReportReader {
  select<T>(query: string, params?: Record<string, unknown>): Promise<T[]>
}

export const REPORT_SCHEMA = 'abuse-radar.transparency.v1'
export const ENFORCEMENT_EXCLUDED = ['no_violation', 'action_reverted'] as const
export const REPORTER_KINDS = ['user', 'trusted_flagger', 'authority'] as const

export interface ActionCount {
  category: string
  source: string
  action: string
  actions: number
}

export interface CategoryRow {
  category: string
  enforcement_actions: number
  messages_removed: number
  chats_banned: number
  /** Enforcement actions per day over the previous 30 days. */
  previous_30d_daily_average: number
  /** (day - average) / average; null when the average is 0. */
  change: number | null
}

export interface SourceRow {
  source: string
  enforcement_actions: number
  messages_removed: number
  chats_banned: number
}

export interface DayTotals {
  date: string
  enforcement_actions: number
  messages_removed: number
  chats_banned: number
}

export interface AnswerStats {
  received: number
  answered: number
  open_end_of_day: number
  median_seconds: number | null
  p95_seconds: number | null
}

export interface ReporterRow extends AnswerStats {
  reporter: string
}

export interface OrganisationRow extends AnswerStats {
  reporter: string
  organisation: string
  priority: string
  /** Urgent reports answered on the day within the target. */
  answered_within_target: number
}

export interface CampaignRow {
  campaign_id: string
  messages: number
  chats: number
  senders: number
  first_seen: string | null
  lifetime_messages: number
  lifetime_chats: number
  spam_score: number | null
  sample_text: string | null
  top_link_domains: string[]
}

export interface TransparencyReport {
  schema: typeof REPORT_SCHEMA
  date: string
  period: { from: string; to: string }
  generated_at: string
  urgent_target_seconds: number
  totals: {
    enforcement_actions: number
    messages_removed: number
    chats_banned: number
    no_violation: number
    action_reverted: number
    reports_received: number
    reports_answered: number
    median_seconds_to_answer: number | null
    p95_seconds_to_answer: number | null
    messages_created: number
    messages_spam: number
  }
  actions: ActionCount[]
  by_category: CategoryRow[]
  by_source: SourceRow[]
  history: DayTotals[]
  previous_30d_daily_average: number
  reports_by_reporter: ReporterRow[]
  reports_by_organisation: OrganisationRow[]
  urgent_trusted_flagger: { answered: number; answered_within_target: number; open_past_target_end_of_day: number }
  top_campaigns: CampaignRow[]
  /** indicators of the accuracy of automated means: each enforcing spam rule's outcomes on this day (docs/rules.md) */
  automated_means: AutomatedMeansRow[]
}

export interface ReportOptions {
  /** The UTC day, YYYY-MM-DD. */
  date: string
  urgentTargetSeconds: number
  topCampaigns?: number
  now?: Date
}

const DAY_S = 86_400

/** Yesterday (UTC) as YYYY-MM-DD. */
export function defaultReportDate(now: Date = new Date()): string {
  return new Date(now.getTime() - DAY_S * 1000).toISOString().slice(0, 10)
}

export function parseReportDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== date)
    throw new AbuseRadarError('AR_USAGE', `--date: not a date (YYYY-MM-DD): ${date}`)
  return ms / 1000
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))
const numOrNull = (v: unknown): number | null => {
  if (v === null || v === undefined) return null
  const n = Number(v)
  return Number.isFinite(n) ? n : null
}
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v))
const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10)
const EXCLUDED_SQL = ENFORCEMENT_EXCLUDED.map((a) => `'${a}'`).join(', ')

/** Reads everything the report shows for `options.date`. */
export async function collectTransparencyReport(db: ReportReader, options: ReportOptions): Promise<TransparencyReport> {
  const from = parseReportDate(options.date)
  const to = from + DAY_S
  const from30 = from - 30 * DAY_S
  const target = options.urgentTargetSeconds
  const params = { from, to, from30, target, top: options.topCampaigns ?? 10 }

  const actionRows = await db.select<{ action: string; category: string; source: string; actions: string }>(
    `SELECT action, category, source, sum(actions) AS actions FROM moderation_stats_1m
     WHERE minute >= toDateTime({from:UInt32}, 'UTC') AND minute < toDateTime({to:UInt32}, 'UTC')
     GROUP BY action, category, source ORDER BY category, source, action`,
    params,
  )
  const actions: ActionCount[] = actionRows
    .map((r) => ({ action: r.action, category: r.category, source: r.source, actions: num(r.actions) }))
    .filter((r) => r.actions > 0)

  const previousByCategory = new Map(
    (
      await db.select<{ category: string; actions: string }>(
        `SELECT category, sum(actions) AS actions FROM moderation_stats_1m
         WHERE minute >= toDateTime({from30:UInt32}, 'UTC') AND minute < toDateTime({from:UInt32}, 'UTC') AND action NOT IN (${EXCLUDED_SQL})
         GROUP BY category`,
        params,
      )
    ).map((r) => [r.category, num(r.actions) / 30]),
  )

  const enforcement = (a: ActionCount) => !(ENFORCEMENT_EXCLUDED as readonly string[]).includes(a.action)
  const categories = [...new Set([...actions.map((a) => a.category), ...previousByCategory.keys()])].sort()
  const by_category: CategoryRow[] = categories
    .map((category) => {
      const mine = actions.filter((a) => a.category === category)
      const day = sumOf(mine.filter(enforcement))
      const average = previousByCategory.get(category) ?? 0
      return {
        category,
        enforcement_actions: day,
        messages_removed: sumOf(mine.filter((a) => a.action === 'message_removed')),
        chats_banned: sumOf(mine.filter((a) => a.action === 'chat_banned')),
        previous_30d_daily_average: round(average, 2),
        change: average > 0 ? round((day - average) / average, 4) : null,
      }
    })
    .sort(
      (a, b) =>
        b.enforcement_actions - a.enforcement_actions ||
        b.previous_30d_daily_average - a.previous_30d_daily_average ||
        a.category.localeCompare(b.category),
    )
  const by_source: SourceRow[] = [...new Set(actions.map((a) => a.source))]
    .map((source) => {
      const mine = actions.filter((a) => a.source === source)
      return {
        source,
        enforcement_actions: sumOf(mine.filter(enforcement)),
        messages_removed: sumOf(mine.filter((a) => a.action === 'message_removed')),
        chats_banned: sumOf(mine.filter((a) => a.action === 'chat_banned')),
      }
    })
    .sort((a, b) => b.enforcement_actions - a.enforcement_actions || a.source.localeCompare(b.source))

  const historyRows = new Map(
    (
      await db.select<{ day: string; enforcement: string; removed: string; banned: string }>(
        `SELECT toString(toDate(minute)) AS day, sumIf(actions, action NOT IN (${EXCLUDED_SQL})) AS enforcement,
           sumIf(actions, action = 'message_removed') AS removed, sumIf(actions, action = 'chat_banned') AS banned
         FROM moderation_stats_1m WHERE minute >= toDateTime({from30:UInt32}, 'UTC') AND minute < toDateTime({to:UInt32}, 'UTC')
         GROUP BY day ORDER BY day`,
        params,
      )
    ).map((r) => [r.day, r]),
  )
  const history: DayTotals[] = []
  for (let day = from30; day < to; day += DAY_S) {
    const r = historyRows.get(isoDay(day))
    history.push({
      date: isoDay(day),
      enforcement_actions: num(r?.enforcement),
      messages_removed: num(r?.removed),
      chats_banned: num(r?.banned),
    })
  }
  const previous = history.slice(0, -1)

  // Reports: received on the day; answered on the day (time to answer over those); open at the day's end.
  const answerStats = `count() AS n,
      countIf(received_at >= toDateTime64({from:UInt32}, 3, 'UTC') AND received_at < toDateTime64({to:UInt32}, 3, 'UTC')) AS received,
      countIf(answered_on_day AND received_at IS NOT NULL) AS answered,
      countIf(received_at >= toDateTime64({from30:UInt32}, 3, 'UTC') AND received_at < toDateTime64({to:UInt32}, 3, 'UTC')
              AND (answered_at IS NULL OR answered_at >= toDateTime64({to:UInt32}, 3, 'UTC'))) AS open_end_of_day,
      quantileExactInclusiveIf(0.5)(seconds_to_answer, answered_on_day AND seconds_to_answer IS NOT NULL) AS median_seconds,
      quantileExactInclusiveIf(0.95)(seconds_to_answer, answered_on_day AND seconds_to_answer IS NOT NULL) AS p95_seconds,
      countIf(answered_on_day AND priority = 'urgent' AND seconds_to_answer IS NOT NULL AND seconds_to_answer <= {target:UInt32}) AS within_target,
      countIf(priority = 'urgent' AND received_at IS NOT NULL AND received_at >= toDateTime64({from30:UInt32}, 3, 'UTC')
              AND received_at < toDateTime64({to:UInt32}, 3, 'UTC') - toIntervalSecond({target:UInt32})
              AND (answered_at IS NULL OR answered_at >= toDateTime64({to:UInt32}, 3, 'UTC'))) AS urgent_open_past_target`
  const reportsSource = `(SELECT *, ifNull(answered_at >= toDateTime64({from:UInt32}, 3, 'UTC') AND answered_at < toDateTime64({to:UInt32}, 3, 'UTC'), 0) AS answered_on_day
      FROM report_answers
      WHERE (received_at >= toDateTime64({from30:UInt32}, 3, 'UTC') AND received_at < toDateTime64({to:UInt32}, 3, 'UTC'))
         OR (answered_at >= toDateTime64({from:UInt32}, 3, 'UTC') AND answered_at < toDateTime64({to:UInt32}, 3, 'UTC')))`
  type StatsRow = {
    received: string
    answered: string
    open_end_of_day: string
    median_seconds: unknown
    p95_seconds: unknown
    within_target: string
    urgent_open_past_target: string
  }
  const stats = (r: StatsRow | undefined): AnswerStats => ({
    received: num(r?.received),
    answered: num(r?.answered),
    open_end_of_day: num(r?.open_end_of_day),
    median_seconds: r && num(r.answered) > 0 ? roundOrNull(numOrNull(r.median_seconds), 3) : null,
    p95_seconds: r && num(r.answered) > 0 ? roundOrNull(numOrNull(r.p95_seconds), 3) : null,
  })

  const reporterRows = await db.select<StatsRow & { kind: string }>(
    `SELECT ifNull(reporter, 'unknown') AS kind, ${answerStats} FROM ${reportsSource} GROUP BY kind ORDER BY kind`,
    params,
  )
  const reporterKinds = [
    ...REPORTER_KINDS,
    ...reporterRows.map((r) => r.kind).filter((k) => !(REPORTER_KINDS as readonly string[]).includes(k)),
  ]
  const reports_by_reporter: ReporterRow[] = reporterKinds.map((reporter) => ({
    reporter,
    ...stats(reporterRows.find((r) => r.kind === reporter)),
  }))
  const [allRow] = await db.select<StatsRow>(`SELECT ${answerStats} FROM ${reportsSource}`, params)
  const all = stats(allRow)

  const orgRows = await db.select<StatsRow & { kind: string; organisation: string; prio: string }>(
    `SELECT ifNull(reporter, 'unknown') AS kind, ifNull(reporter_org, '') AS organisation, ifNull(priority, 'unknown') AS prio, ${answerStats}
     FROM ${reportsSource} WHERE reporter IN ('trusted_flagger', 'authority')
     GROUP BY kind, organisation, prio ORDER BY kind, organisation, prio`,
    params,
  )
  const reports_by_organisation: OrganisationRow[] = orgRows
    .map((r) => ({
      reporter: r.kind,
      organisation: str(r.organisation),
      priority: r.prio,
      ...stats(r),
      answered_within_target: num(r.within_target),
    }))
    .filter((r) => r.received + r.answered + r.open_end_of_day > 0)
  const [urgentRow] = await db.select<StatsRow>(
    `SELECT ${answerStats} FROM ${reportsSource} WHERE reporter = 'trusted_flagger' AND priority = 'urgent'`,
    params,
  )

  const campaignRows = await db.select<Record<string, unknown>>(
    `SELECT s.campaign_id AS campaign_id, s.messages AS messages, s.chats AS chats, s.senders AS senders,
       c.first_seen AS first_seen, c.messages AS lifetime_messages, c.chats AS lifetime_chats, c.spam_score AS spam_score,
       c.sample_text AS sample_text, c.top_link_domains AS top_link_domains
     FROM (SELECT campaign_id, sum(messages) AS messages, uniqMerge(chats) AS chats, uniqMerge(senders) AS senders
           FROM campaign_stats_1m WHERE minute >= toDateTime({from:UInt32}, 'UTC') AND minute < toDateTime({to:UInt32}, 'UTC')
             -- campaign_stats_1m holds every group of near-duplicates; campaigns_latest lists the campaigns
             AND campaign_id IN (SELECT campaign_id FROM campaigns_latest)
           GROUP BY campaign_id ORDER BY messages DESC, campaign_id LIMIT {top:UInt32}) AS s
     LEFT JOIN (SELECT * FROM campaigns_latest WHERE campaign_id IN (
           SELECT campaign_id FROM campaign_stats_1m WHERE minute >= toDateTime({from:UInt32}, 'UTC') AND minute < toDateTime({to:UInt32}, 'UTC'))) AS c
       ON c.campaign_id = s.campaign_id
     ORDER BY messages DESC, campaign_id
     SETTINGS join_use_nulls = 1`,
    params,
  )
  const top_campaigns: CampaignRow[] = campaignRows.map((r) => ({
    campaign_id: str(r.campaign_id),
    messages: num(r.messages),
    chats: num(r.chats),
    senders: num(r.senders),
    first_seen: r.first_seen === null || r.first_seen === undefined ? null : `${String(r.first_seen).replace(' ', 'T')}Z`,
    lifetime_messages: num(r.lifetime_messages),
    lifetime_chats: num(r.lifetime_chats),
    spam_score: roundOrNull(numOrNull(r.spam_score), 4),
    sample_text: r.sample_text === null || r.sample_text === undefined ? null : String(r.sample_text),
    top_link_domains: Array.isArray(r.top_link_domains) ? r.top_link_domains.map(String) : [],
  }))

  const [messages] = await db.select<{ created: string; spam: string }>(
    `SELECT sum(created) AS created, sum(spam) AS spam FROM message_stats_1m
     WHERE minute >= toDateTime({from:UInt32}, 'UTC') AND minute < toDateTime({to:UInt32}, 'UTC')`,
    params,
  )

  const day = history[history.length - 1] as DayTotals
  return {
    schema: REPORT_SCHEMA,
    date: options.date,
    period: { from: new Date(from * 1000).toISOString(), to: new Date(to * 1000).toISOString() },
    generated_at: (options.now ?? new Date()).toISOString(),
    urgent_target_seconds: target,
    totals: {
      enforcement_actions: day.enforcement_actions,
      messages_removed: day.messages_removed,
      chats_banned: day.chats_banned,
      no_violation: sumOf(actions.filter((a) => a.action === 'no_violation')),
      action_reverted: sumOf(actions.filter((a) => a.action === 'action_reverted')),
      reports_received: all.received,
      reports_answered: all.answered,
      median_seconds_to_answer: all.median_seconds,
      p95_seconds_to_answer: all.p95_seconds,
      messages_created: num(messages?.created),
      messages_spam: num(messages?.spam),
    },
    actions,
    by_category,
    by_source,
    history,
    previous_30d_daily_average: round(previous.reduce((acc, d) => acc + d.enforcement_actions, 0) / 30, 2),
    reports_by_reporter,
    reports_by_organisation,
    urgent_trusted_flagger: {
      answered: num(urgentRow?.answered),
      answered_within_target: num(urgentRow?.within_target),
      open_past_target_end_of_day: num(urgentRow?.urgent_open_past_target),
    },
    top_campaigns,
    automated_means: await collectAutomatedMeans(db, from),
  }
}

const sumOf = (rows: { actions: number }[]) => rows.reduce((acc, r) => acc + r.actions, 0)
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits
const roundOrNull = (n: number | null, digits: number) => (n === null ? null : round(n, digits))
