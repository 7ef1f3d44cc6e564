/**
 * The figures from rows as ClickHouse returns them (a reader that answers each query by its table):
 * grounds and automated decisions follow the mapping, totals add up, medians are null without a
 * value, and the CSV carries every figure, quoted and defused for spreadsheets.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadDsaMapping } from '../../../../src/config/dsa.js'
import { collectDsaFigures, dsaFiguresCsv } from '../../../../src/reports/dsa/index.js'
import type { ReportReader } from '../../../../src/reports/transparency.js'

const mapping = loadDsaMapping()

/** Canned answers: the restricting actions, the notices, the timed actions and the reverts. */
function reader(): ReportReader & { queries: string[]; params: Record<string, unknown>[] } {
  const queries: string[] = []
  const params: Record<string, unknown>[] = []
  return {
    queries,
    params,
    select<T>(sql: string, p?: Record<string, unknown>): Promise<T[]> {
      queries.push(sql)
      if (p) params.push(p)
      let rows: unknown[] = []
      if (/action IN \(/.test(sql) && /GROUP BY category, action, source/.test(sql))
        rows = [
          { category: 'csam', action: 'user_banned', source: 'trusted_flagger', actions: '2' },
          { category: 'spam', action: 'message_removed', source: 'automated', actions: '5' },
          { category: 'terrorism', action: 'chat_banned', source: 'authority', actions: '1' },
          { category: 'violence', action: 'message_removed', source: 'proactive_review', actions: '3' },
        ]
      else if (/FROM \(SELECT \* FROM report_answers/.test(sql) && /GROUP BY reporter, category/.test(sql))
        rows = [
          { reporter: 'trusted_flagger', category: 'csam', notices: '3', acted_on: '2', median_s: 90 },
          { reporter: 'user', category: 'spam', notices: '4', acted_on: '0', median_s: null },
        ]
      else if (/FROM \(SELECT \* FROM report_answers/.test(sql)) rows = [{ notices: '7', acted_on: '2', median_s: 90 }]
      else if (/INNER JOIN/.test(sql) && /GROUP BY source/.test(sql)) rows = [{ source: 'trusted_flagger', n: '2', median_s: 120.5 }]
      else if (/INNER JOIN/.test(sql)) rows = [{ n: '2', median_s: 120.5 }]
      else if (/action = 'action_reverted'/.test(sql)) rows = [{ category: 'spam', source: 'user_report', reverted: '1' }]
      return Promise.resolve(rows as T[])
    },
  }
}

test('grounds, types, sources and automated means follow the mapping; totals add up', async () => {
  const f = await collectDsaFigures(reader(), mapping, '2026-11-01', '2026-11-30')
  assert.deepEqual(f.period, { from: '2026-11-01', to: '2026-11-30' })
  assert.equal(f.actions.total, 11)
  assert.deepEqual(f.actions.by_ground, { illegal: 3, terms: 8 })
  assert.deepEqual(f.actions.by_type, { chat_banned: 1, message_removed: 8, user_banned: 2 })
  assert.deepEqual(f.actions.by_source, { authority: 1, automated: 5, proactive_review: 3, trusted_flagger: 2 })
  assert.deepEqual(f.actions.rows[0], {
    ground: 'illegal',
    category: 'csam',
    dsa_category: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
    action: 'user_banned',
    source: 'trusted_flagger',
    actions: 2,
  })
  assert.deepEqual(f.automated, { detected: 5, decided_fully: 5, decided_partially: 0, not_automated: 6 })
  assert.equal(f.notices.total, 7)
  assert.equal(f.notices.from_trusted_flaggers, 3)
  assert.equal(f.notices.from_authorities, 0)
  assert.equal(f.notices.median_seconds_to_action, 90)
  assert.equal(f.notices.by_reporter_category[1]?.median_seconds_to_action, null, 'no median without an action')
  assert.deepEqual(f.median_seconds_report_to_action, { all: 120.5, by_source: { trusted_flagger: 120.5 } })
  assert.deepEqual(f.reverted, { total: 1, rows: [{ category: 'spam', source: 'user_report', reverted: 1 }] })
})

test('the period is whole UTC days, both included; a bad date or an empty period is refused', async () => {
  const r = reader()
  await collectDsaFigures(r, mapping, '2026-11-01', '2026-11-02')
  const from = Date.parse('2026-11-01T00:00:00Z') / 1000
  assert.ok(r.params.length > 0)
  for (const p of r.params) assert.deepEqual(p, { from, to: from + 2 * 86_400 })
  await assert.rejects(collectDsaFigures(r, mapping, '2026-11-31', '2026-12-01'), /not a date/)
  await assert.rejects(collectDsaFigures(r, mapping, '2026-11-02', '2026-11-01'), /--to 2026-11-01 is before --from 2026-11-02/)
})

test('CSV: every figure a row, empty for a missing median, fields quoted and defused', async () => {
  const f = await collectDsaFigures(reader(), mapping, '2026-11-01', '2026-11-30')
  const csv = dsaFiguresCsv(f)
  const lines = csv.trim().split('\n')
  assert.equal(lines[0], 'figure,reporter,ground,category,dsa_category,action,source,value')
  assert.ok(lines.includes('notices,,,,,,,7'))
  assert.ok(lines.includes('notices_from_trusted_flaggers,,,,,,,3'))
  assert.ok(lines.includes('actions,,illegal,,,,,3'))
  assert.ok(lines.includes('actions,,illegal,csam,STATEMENT_CATEGORY_PROTECTION_OF_MINORS,user_banned,trusted_flagger,2'))
  assert.ok(lines.includes('notices_median_seconds_to_action,user,,spam,,,,'))
  assert.ok(lines.includes('median_seconds_report_to_action,,,,,,trusted_flagger,120.5'))
  assert.ok(lines.includes('reverted,,,spam,,,user_report,1'))
  assert.equal(lines.length, 1 + 5 + 2 * 3 + 3 + 4 + 4 + 1 + 1 + 1 + 1)
  const hostile = dsaFiguresCsv({ ...f, reverted: { total: 1, rows: [{ category: '=HYPERLINK("x")', source: 'a,b', reverted: 1 }] } })
  assert.ok(hostile.includes(`reverted,,,"'=HYPERLINK(""x"")",,,"a,b",1`))
})
