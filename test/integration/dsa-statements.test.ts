/**
 * `report dsa` end to end on the embedded engine: a hand-made stream (a spam campaign in six public
 * chats, a removal in a private chat, bans and restrictions of users and chats after notices from a
 * user, a trusted flagger and an authority, actions that restrict nothing, a redelivered event, the
 * days around) is loaded with `abuse-radar run --input`; `abuse-radar report dsa` writes the day's
 * statements. Checked: one statement per restricting action of the day, counted by DSA category from
 * the fixture; each accepted by the database's rules; the trusted flagger and the authority named as
 * sources; the campaign as ClickHouse counted it; no text, chat, message or user id anywhere; a rerun
 * gives the same bytes. `--submit` against a local copy of the database's endpoint: batches of the
 * configured size, a 503 and a 429 retried, a puid it already held recorded as such, every statement
 * recorded in dsa_submissions, and a second run that sends nothing. `report dsa-figures` on the same
 * day: every figure as counted from the fixture. No Kafka broker: run it alone with `node --import tsx --test` if you like.
 */
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse, stringify } from 'yaml'
import { REPO_ROOT, query, tempDir } from '../support/harness.js'
import { DEFAULT_DSA_MAPPING_PATH, loadDsaMapping } from '../../src/config/dsa.js'
import type { DsaStatement } from '../../src/domain/dsa-statement.js'
import { validateStatement, type DsaFigures } from '../../src/reports/dsa/index.js'
import { startFakeTransparencyDatabase } from '../unit/reports/dsa/transparency-database.js'

const run = promisify(execFile)
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')
const DAY = '2026-11-20'
const DAY_MS = Date.parse(`${DAY}T00:00:00Z`)
const at = (dayOffset: number, hhmm: string) =>
  new Date(DAY_MS + dayOffset * 86_400_000 + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000).toISOString()

const SPAM = 'FREE 500 USDT airdrop, claim now at https://claim-usdt.example/bonus before it ends'
const PRIVATE_TEXT = 'my home address is Elm Street 12, call me on +49 170 0000000'
const PRIVATE_CHAT = '900000001'
const USER_ID = '777000111'
const SENDER_PREFIX = '5550000'

interface Action {
  action: string
  category: string
  source: string
  ts: string
  chat: string
  message?: string
  user?: string
  report?: string
  country?: string
  eventId?: string
}

const ACTIONS: Action[] = [
  // the day: 9 restricting actions (one sent twice), 2 that restrict nothing; the removed copies are the campaign's last
  { action: 'message_removed', category: 'spam', source: 'automated', ts: at(0, '10:10'), chat: '-1005', message: 'm1', country: 'DE' },
  { action: 'message_removed', category: 'scam', source: 'automated', ts: at(0, '10:11'), chat: '-1006', message: 'm1', eventId: 'dup-1' },
  { action: 'message_removed', category: 'scam', source: 'automated', ts: at(0, '10:11'), chat: '-1006', message: 'm1', eventId: 'dup-1' },
  {
    action: 'message_removed',
    category: 'doxxing',
    source: 'user_report',
    ts: at(0, '11:00'),
    chat: PRIVATE_CHAT,
    message: 'p1',
    report: 'r-user',
  },
  {
    action: 'user_banned',
    category: 'csam',
    source: 'trusted_flagger',
    ts: at(0, '12:00'),
    chat: '-1003',
    user: USER_ID,
    report: 'r-tf',
    country: 'FR',
  },
  { action: 'chat_banned', category: 'terrorism', source: 'authority', ts: at(0, '13:00'), chat: '-1004', report: 'r-auth', country: 'US' },
  { action: 'chat_restricted', category: 'impersonation', source: 'proactive_review', ts: at(0, '14:00'), chat: '-1005' },
  { action: 'user_restricted', category: 'spam', source: 'automated', ts: at(0, '15:00'), chat: '-1001', user: '777000222' },
  { action: 'chat_banned', category: 'copyright', source: 'trusted_flagger', ts: at(0, '16:00'), chat: '-1006', report: 'r-tf2' },
  { action: 'message_removed', category: 'other', source: 'proactive_review', ts: at(0, '23:59'), chat: '-1006', message: 'x9' },
  { action: 'no_violation', category: 'spam', source: 'user_report', ts: at(0, '17:00'), chat: '-1001', message: 'm2' },
  { action: 'action_reverted', category: 'spam', source: 'user_report', ts: at(0, '18:00'), chat: '-1001', message: 'm1' },
  // the days around: not in the day's statements
  { action: 'message_removed', category: 'spam', source: 'automated', ts: at(-1, '23:59'), chat: '-1001', message: 'm0' },
  { action: 'chat_banned', category: 'scam', source: 'automated', ts: at(1, '00:00'), chat: '-1002' },
]
/** DSA category of each restricting action of the day, once per event (config/dsa.yaml). */
const EXPECTED_BY_CATEGORY = {
  STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS: 1,
  STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS: 1,
  STATEMENT_CATEGORY_OTHER_VIOLATION_TC: 3,
  STATEMENT_CATEGORY_PROTECTION_OF_MINORS: 1,
  STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY: 1,
  STATEMENT_CATEGORY_SCAMS_AND_FRAUD: 2,
}
const EXPECTED_STATEMENTS = 9

const REPORTS = [
  { id: 'r-user', reporter: 'user', ts: at(0, '10:30'), category: 'doxxing' },
  { id: 'r-tf', reporter: 'trusted_flagger', org: 'SafeNet Hotline', ts: at(0, '11:30'), category: 'csam' },
  { id: 'r-tf2', reporter: 'trusted_flagger', org: 'Rights Alliance', ts: at(0, '15:00'), category: 'copyright' },
  { id: 'r-auth', reporter: 'authority', org: 'Europol IRU', ts: at(0, '12:00'), category: 'terrorism' },
]

function fixtureLines(): string[] {
  const lines: string[] = []
  let n = 0
  // the campaign: the same spam text in six public chats, then an organic message; one private message
  for (let i = 1; i <= 6; i++)
    lines.push(
      JSON.stringify({
        schema: 'message.v1',
        event_id: `dsa-msg-${n++}`,
        type: 'created',
        ts: at(0, `09:0${i}`),
        chat: { id: `-100${i}`, type: 'channel', title: `Crypto news ${i}`, username: `crypto_news_${i}` },
        message_id: 'm1',
        sender: { id: `${SENDER_PREFIX}${i}` },
        text: SPAM,
        entities: [{ type: 'url', value: 'https://claim-usdt.example/bonus' }],
        lang: 'en',
        country: 'DE',
      }),
    )
  lines.push(
    JSON.stringify({
      schema: 'message.v1',
      event_id: `dsa-msg-${n++}`,
      type: 'created',
      ts: at(0, '09:30'),
      chat: { id: PRIVATE_CHAT, type: 'private' },
      message_id: 'p1',
      sender: { id: USER_ID },
      text: PRIVATE_TEXT,
      lang: 'en',
    }),
  )
  for (const r of REPORTS)
    lines.push(
      JSON.stringify({
        schema: 'report.v1',
        event_id: `dsa-rep-${n++}`,
        ts: r.ts,
        report_id: r.id,
        reporter: r.reporter,
        ...(r.org ? { reporter_org: r.org } : {}),
        priority: 'normal',
        target: { chat_id: '-1003' },
        category: r.category,
      }),
    )
  for (const a of ACTIONS)
    lines.push(
      JSON.stringify({
        schema: 'moderation.v1',
        event_id: a.eventId ?? `dsa-mod-${n++}`,
        ts: a.ts,
        action: a.action,
        target: { chat_id: a.chat, ...(a.message ? { message_id: a.message } : {}), ...(a.user ? { user_id: a.user } : {}) },
        category: a.category,
        source: a.source,
        ...(a.report ? { report_id: a.report } : {}),
        ...(a.country ? { country: a.country } : {}),
      }),
    )
  return lines
}

let dir: string
let dataDir: string
let env: NodeJS.ProcessEnv
let file: string
let statements: DsaStatement[]
let summary: { statements: number; by_category: Record<string, number> }

const reportDsa = async (out: string) => {
  const { stdout } = await run(process.execPath, [CLI, 'report', 'dsa', '--date', DAY, '--out', out, '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env,
  })
  return JSON.parse(stdout.trim().split('\n').pop() as string) as { file: string; statements: number; by_category: Record<string, number> }
}

before(async () => {
  dir = tempDir('dsa-statements')
  dataDir = path.join(dir, 'data')
  const input = path.join(dir, 'fixture.ndjson')
  writeFileSync(input, `${fixtureLines().join('\n')}\n`)
  env = {
    ...process.env,
    ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
    ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
    ABUSE_RADAR_PSEUDONYM_KEY: 'dsa-test-key-0123456789abcdef0123456789',
  }
  await run(process.execPath, [CLI, 'run', '--input', input, '--data-dir', dataDir], { cwd: REPO_ROOT, env })
  const written = await reportDsa(path.join(dir, 'out'))
  file = written.file
  summary = written
  statements = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as DsaStatement)
})

test('one statement per restricting action of the day, counted by DSA category', () => {
  assert.equal(path.basename(file), `statements-${DAY}.jsonl`)
  assert.equal(statements.length, EXPECTED_STATEMENTS)
  assert.equal(summary.statements, EXPECTED_STATEMENTS)
  assert.deepEqual(summary.by_category, EXPECTED_BY_CATEGORY)
  const counted: Record<string, number> = {}
  for (const s of statements) counted[s.category] = (counted[s.category] ?? 0) + 1
  assert.deepEqual(counted, EXPECTED_BY_CATEGORY)
  assert.equal(new Set(statements.map((s) => s.puid)).size, EXPECTED_STATEMENTS)
  assert.ok(statements.every((s) => s.application_date === DAY))
})

test('every statement is accepted by the database rules', () => {
  for (const s of statements) assert.deepEqual(validateStatement(s), {}, s.puid)
})

test('sources: trusted flaggers and the authority say so, with their organisation', () => {
  const mapping = loadDsaMapping()
  const bySource = (type: string) => statements.filter((s) => s.source_type === type)
  assert.deepEqual(
    bySource('SOURCE_TRUSTED_FLAGGER')
      .map((s) => s.source_identity)
      .sort(),
    ['Notice of a trusted flagger (Article 22 DSA): Rights Alliance', 'Notice of a trusted flagger (Article 22 DSA): SafeNet Hotline'],
  )
  assert.deepEqual(
    bySource('SOURCE_TYPE_OTHER_NOTIFICATION').map((s) => s.source_identity),
    ['Order of a judicial or administrative authority (Article 9 DSA): Europol IRU'],
  )
  assert.equal(bySource('SOURCE_ARTICLE_16').length, 1)
  assert.equal(bySource('SOURCE_VOLUNTARY').length, 5)
  assert.equal(statements.filter((s) => s.automated_detection === 'Yes').length, 3)
  // the authority's action was in the US: the statement covers the configured default scope
  const ordered = bySource('SOURCE_TYPE_OTHER_NOTIFICATION')[0] as DsaStatement
  assert.deepEqual(ordered.territorial_scope, mapping.platform.default_territorial_scope)
  assert.equal(ordered.decision_ground, 'DECISION_GROUND_ILLEGAL_CONTENT')
})

test('facts from the pipeline: the campaign as ClickHouse counted it, the spam rules that fired', async () => {
  const [campaign] = await query<{ campaign_id: string; messages: string; chats: string }>(
    dataDir,
    `SELECT campaign_id, messages, chats FROM campaigns_latest`,
  )
  assert.ok(campaign, 'the six copies form a campaign')
  assert.equal(Number(campaign.messages), 6)
  const removedSpam = statements.filter((s) => s.decision_facts.includes(`campaign ${campaign.campaign_id}: 6 messages in 6 chats`))
  assert.equal(removedSpam.length, 2, 'both removed copies name their campaign')
  assert.ok(
    removedSpam.every((s) => /spam rules that fired: .*campaign, campaign_spread/.test(s.decision_facts)),
    removedSpam.map((s) => s.decision_facts).join('\n'),
  )
  assert.ok(removedSpam.every((s) => s.content_date === DAY))
})

test('no text, no chat, message, sender or user id in any statement', () => {
  const text = readFileSync(file, 'utf8')
  for (const secret of [
    SPAM.slice(0, 20),
    'claim-usdt',
    PRIVATE_TEXT.slice(0, 15),
    'Elm Street',
    USER_ID,
    '777000222',
    PRIVATE_CHAT,
    SENDER_PREFIX,
    '-1001',
    '"m1"',
    'p1',
  ])
    assert.ok(!text.includes(secret), `statements contain ${secret}`)
})

test('a rerun writes the same bytes', async () => {
  const again = await reportDsa(path.join(dir, 'out-again'))
  assert.equal(readFileSync(again.file, 'utf8'), readFileSync(file, 'utf8'))
})

test('--submit: batches, retries, what the database already holds, recorded in dsa_submissions; a rerun sends nothing', async () => {
  const token = 'X|dsa-integration-token'
  const db = await startFakeTransparencyDatabase(token)
  try {
    const doc = parse(readFileSync(DEFAULT_DSA_MAPPING_PATH, 'utf8')) as { submission: Record<string, unknown> }
    doc.submission = { ...doc.submission, endpoint: db.url, batch_size: 4, initial_backoff_ms: 5, max_backoff_ms: 20 }
    const mappingFile = path.join(dir, 'dsa-test.yaml')
    writeFileSync(mappingFile, stringify(doc))
    // an earlier submission that stopped before recording: the database holds the first statement
    const first = statements[0] as DsaStatement
    db.held.set(first.puid, first)
    db.fail(503)
    db.fail(429, '0')
    const submit = async () => {
      const { stdout } = await run(
        process.execPath,
        [
          CLI,
          'report',
          'dsa',
          '--date',
          DAY,
          '--out',
          path.join(dir, 'out-submit'),
          '--data-dir',
          dataDir,
          '--mapping',
          mappingFile,
          '--submit',
        ],
        { cwd: REPO_ROOT, env: { ...env, ABUSE_RADAR_DSA_TOKEN: token } },
      )
      assert.ok(!stdout.includes(token), 'the token is never printed')
      return (JSON.parse(stdout.trim().split('\n').pop() as string) as { submission: Record<string, number> }).submission
    }
    const summary = await submit()
    // 9 statements in batches of 4: 503 and 429 on the first try, then 422 (the held puid), then the other 3, then 4, then 1
    assert.deepEqual(
      db.requests.map((r) => [r.statements, r.status]),
      [
        [4, 503],
        [4, 429],
        [4, 422],
        [3, 201],
        [4, 201],
        [1, 201],
      ],
    )
    assert.deepEqual(summary, { statements: 9, already_recorded: 0, created: 8, existing: 1, refused: 0, requests: 6, retries: 2 })
    assert.deepEqual([...db.held.keys()].sort(), statements.map((s) => s.puid).sort())
    const rows = await query<{ puid: string; outcome: string; application_date: string }>(
      dataDir,
      'SELECT puid, outcome, toString(application_date) AS application_date FROM dsa_submissions ORDER BY puid',
    )
    assert.deepEqual(
      rows.map((r) => [r.puid, r.outcome, r.application_date]),
      statements
        .map((s) => [s.puid, s.puid === first.puid ? 'existing' : 'created', DAY])
        .sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    )
    const again = await submit()
    assert.deepEqual(again, { statements: 9, already_recorded: 9, created: 0, existing: 0, refused: 0, requests: 0, retries: 0 })
    assert.equal(db.requests.length, 6)
  } finally {
    await db.close()
  }
})

test('--submit without ABUSE_RADAR_DSA_TOKEN: exit 2 before anything is opened', async () => {
  const { ABUSE_RADAR_DSA_TOKEN: _unset, ...noToken } = env
  await assert.rejects(
    run(process.execPath, [CLI, 'report', 'dsa', '--date', DAY, '--out', path.join(dir, 'out-none'), '--data-dir', dataDir, '--submit'], {
      cwd: REPO_ROOT,
      env: noToken,
    }),
    (e: { code?: number; stderr?: string }) => e.code === 2 && /ABUSE_RADAR_DSA_TOKEN: required with --submit/.test(e.stderr ?? ''),
  )
})

test('report dsa-figures: the day counted from the fixture, JSON and CSV', async () => {
  const out = path.join(dir, 'figures')
  const { stdout } = await run(
    process.execPath,
    [CLI, 'report', 'dsa-figures', '--from', DAY, '--to', DAY, '--out', out, '--data-dir', dataDir],
    {
      cwd: REPO_ROOT,
      env,
    },
  )
  const written = JSON.parse(stdout.trim().split('\n').pop() as string) as { json: string; csv: string }
  const f = JSON.parse(readFileSync(written.json, 'utf8')) as DsaFigures
  const restricting = ACTIONS.filter((a) => a.ts.startsWith(DAY) && !['no_violation', 'action_reverted'].includes(a.action))
  const distinct = restricting.filter((a, i) => !a.eventId || restricting.findIndex((b) => b.eventId === a.eventId) === i)
  const count = (pick: (a: Action) => string) => {
    const out: Record<string, number> = {}
    for (const a of [...distinct].sort((x, y) => pick(x).localeCompare(pick(y)))) out[pick(a)] = (out[pick(a)] ?? 0) + 1
    return out
  }
  assert.equal(f.actions.total, 9)
  assert.equal(f.actions.total, distinct.length)
  assert.deepEqual(
    f.actions.by_type,
    count((a) => a.action),
  )
  assert.deepEqual(
    f.actions.by_source,
    count((a) => a.source),
  )
  // csam, terrorism and copyright are mapped to the illegal-content ground
  assert.deepEqual(f.actions.by_ground, { illegal: 3, terms: 6 })
  assert.deepEqual(f.automated, { detected: 3, decided_fully: 3, decided_partially: 0, not_automated: 6 })
  assert.equal(f.notices.total, REPORTS.length)
  assert.equal(f.notices.from_trusted_flaggers, 2)
  assert.equal(f.notices.from_authorities, 1)
  assert.equal(f.notices.acted_on, 4)
  // report to action: user 30 min, trusted flaggers 30 and 60 min, authority 60 min
  assert.equal(f.notices.median_seconds_to_action, 2700)
  assert.deepEqual(f.median_seconds_report_to_action, {
    all: 2700,
    by_source: { authority: 3600, trusted_flagger: 2700, user_report: 1800 },
  })
  assert.deepEqual(f.reverted, { total: 1, rows: [{ category: 'spam', source: 'user_report', reverted: 1 }] })
  const csv = readFileSync(written.csv, 'utf8').trim().split('\n')
  assert.ok(csv.includes('actions,,illegal,,,,,3'))
  assert.ok(csv.includes('median_seconds_report_to_action,,,,,,,2700'))
})

test('the transparency report has a section with the day’s DSA figures', async () => {
  const out = path.join(dir, 'transparency')
  const { stdout } = await run(process.execPath, [CLI, 'report', 'transparency', '--date', DAY, '--out', out, '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env,
  })
  const html = readFileSync((JSON.parse(stdout.trim().split('\n').pop() as string) as { html: string }).html, 'utf8')
  const section = /<section id="dsa">[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
  assert.ok(section, 'the DSA section is there')
  const value = (field: string) => new RegExp(`data-field="${field}" data-value="([^"]*)"`).exec(section)?.[1]
  assert.equal(value('dsa_notices'), '4')
  assert.equal(value('dsa_notices_trusted_flaggers'), '2')
  assert.equal(value('dsa_actions_illegal'), '3')
  assert.equal(value('dsa_actions_terms'), '6')
  assert.equal(value('dsa_automated_detected'), '3')
  assert.equal(value('dsa_automated_decided'), '3')
  assert.equal(value('dsa_median_seconds_report_to_action'), '2700')
  assert.equal(value('dsa_reverted'), '1')
  assert.equal(
    (section.match(/<tr>/g) ?? []).length,
    1 + 4 + 1 + 9,
    'a header and a row per notice group, a header and a row per action group',
  )
})

test('clone and look-alike evidence from chat_similarity, its latest version per pair', async () => {
  const write = (sql: string) =>
    run(process.execPath, [CLI, 'sql', sql, '--write', '--data-dir', dataDir], {
      cwd: REPO_ROOT,
      env: { ...env, ABUSE_RADAR_DATA_DIR: dataDir },
    })
  const columns =
    'chat_a, chat_b, kind, score, shared_items, shared_campaigns, original_chat, a_first, b_first, name_a, name_b, first_seen, last_seen, updated_at'
  const t = (hhmm: string) => `toDateTime64('${at(0, hhmm).slice(0, 19).replace('T', ' ')}', 3, 'UTC')`
  // -1005 reposts -1004's content (an older version of the pair said 0.5) and its name is confusable with -1003's
  await write(
    `INSERT INTO chat_similarity (${columns}) VALUES
     ('-1004', '-1005', 'content', 0.5, 2, 1, '-1004', 2, 0, '', '', ${t('08:00')}, ${t('08:30')}, ${t('08:30')}),
     ('-1004', '-1005', 'content', 0.9, 9, 3, '-1004', 9, 0, '', '', ${t('08:00')}, ${t('09:30')}, ${t('09:30')}),
     ('-1003', '-1005', 'name', 0.8, 0, 0, '', 0, 0, 'crypto_news_3', 'crypto_news_5', ${t('08:00')}, ${t('09:30')}, ${t('09:30')})`,
  )
  const again = await reportDsa(path.join(dir, 'out-similarity'))
  const facts = readFileSync(again.file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as DsaStatement).decision_facts)
  const copy = 'The chat shares its content with 1 other chat (highest overlap 0.90); 1 of them posted the shared content first.'
  const lookAlike = "The chat's name or handle is confusable with that of 1 other chat or protected name (similarity 0.80)."
  // -1005: the removed copy of the campaign and the restriction of the chat
  const copier = facts.filter((f) => f.includes(copy))
  assert.equal(copier.length, 2)
  assert.ok(copier.every((f) => f.includes(lookAlike)))
  // -1004 (banned) is the original of the pair: its content is shared, posted first by none of the others
  const original = facts.filter((f) => f.includes('The chat shares its content with 1 other chat (highest overlap 0.90).'))
  assert.equal(original.length, 1)
  assert.ok(!original[0]?.includes('confusable'))
  // the pair of confusable names counts for both chats: -1003 too (the account banned there)
  assert.equal(facts.filter((f) => f.includes(lookAlike)).length, 3)
  assert.ok(
    facts.every((f) => !f.includes('crypto_news')),
    'names of chats are not repeated',
  )
})

test('an invalid mapping file: exit 2, every problem listed, before any data directory is opened', async () => {
  const doc = parse(readFileSync(DEFAULT_DSA_MAPPING_PATH, 'utf8')) as {
    categories: Record<string, Record<string, unknown>>
    version: unknown
  }
  doc.version = 2
  doc.categories['spam'] = { ...doc.categories['spam'], category: 'STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT' }
  const bad = path.join(dir, 'dsa-bad.yaml')
  writeFileSync(bad, stringify(doc))
  const missing = path.join(dir, 'no-such-data-dir')
  for (const args of [
    ['report', 'dsa', '--date', DAY, '--mapping', bad],
    ['report', 'dsa-figures', '--from', DAY, '--to', DAY, '--mapping', bad],
  ])
    await assert.rejects(
      run(process.execPath, [CLI, ...args, '--out', path.join(dir, 'out-bad'), '--data-dir', missing], { cwd: REPO_ROOT, env }),
      (e: { code?: number; stderr?: string }) =>
        e.code === 2 &&
        /AR_CONFIG_INVALID: invalid DSA mapping .* \(2 problems\)/.test(e.stderr ?? '') &&
        /- version: /.test(e.stderr ?? '') &&
        /- categories\.spam\.category: /.test(e.stderr ?? ''),
    )
})
