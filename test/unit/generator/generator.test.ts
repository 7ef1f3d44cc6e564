import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ValueErrorType } from '@sinclair/typebox/errors'
import {
  MessageV1,
  ModerationV1,
  ReportV1,
  CHAT_TYPES,
  MODERATION_ACTIONS,
  ACTION_SOURCES,
  REPORTER_KINDS,
} from '../../../src/domain/events.js'
import { generateRecords, generateWithTruth, type GeneratedRecord, type GeneratorOptions } from '../../../src/generator/index.js'

const START = Date.parse('2026-11-28T12:00:00Z')
const TOPICS = { messages: 'abuse.messages', moderation: 'abuse.moderation', reports: 'abuse.reports' }
const VALIDATORS = {
  [TOPICS.messages]: { schema: 'message.v1', check: TypeCompiler.Compile(MessageV1) },
  [TOPICS.moderation]: { schema: 'moderation.v1', check: TypeCompiler.Compile(ModerationV1) },
  [TOPICS.reports]: { schema: 'report.v1', check: TypeCompiler.Compile(ReportV1) },
} as const
const SCHEMA_NAMES = new Set(['message.v1', 'moderation.v1', 'report.v1'])
const fatal = new TextDecoder('utf-8', { fatal: true })
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/

/** Epoch ms of a contract timestamp, or null when it is not a time (judged here, independently of the decoder). */
function timeOf(ts: unknown): number | null {
  if (typeof ts === 'number') return Number.isFinite(ts) && Math.abs(ts) <= 8.64e15 ? ts : null
  if (typeof ts !== 'string' || !RFC3339.test(ts)) return null
  const ms = Date.parse(ts)
  return Number.isNaN(ms) ? null : ms
}

// Generated records are checked field by field against the contract; any keeps those probes short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>
const parse = (r: GeneratedRecord): Json => JSON.parse(fatal.decode(r.value)) as Json
const valid = (r: GeneratedRecord) => r.kind === 'message' || r.kind === 'moderation' || r.kind === 'report'

const BASE: GeneratorOptions = { seed: 20261128, messages: 20_000, startMs: START, malformedShare: 0.01 }
const small = generateWithTruth(BASE)
const events = small.records.filter(valid).map((r) => ({ r, o: parse(r) }))
const messages = events.filter((e) => e.r.kind === 'message').map((e) => e.o)

test('the same seed gives byte-identical output, another seed another stream', () => {
  const opts = { seed: 7, messages: 3000, startMs: START }
  const a = [...generateRecords(opts)]
  const b = [...generateRecords(opts)]
  assert.equal(a.length, b.length)
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as GeneratedRecord
    const y = b[i] as GeneratedRecord
    assert.equal(x.topic, y.topic)
    assert.equal(x.key, y.key)
    assert.equal(x.kind, y.kind)
    assert.equal(x.malformedReason, y.malformedReason)
    assert.ok(x.value.equals(y.value), `record ${i} differs`)
  }
  const c = [...generateRecords({ ...opts, seed: 8 })]
  const same = c.filter((r, i) => a[i] !== undefined && r.value.equals(a[i].value)).length
  assert.ok(same < c.length / 100, `${same} identical records across seeds`)
  // the streaming and the in-memory entry points give the same stream
  const w = generateWithTruth(opts).records
  assert.equal(w.length, a.length)
  assert.ok(w.every((r, i) => r.value.equals((a[i] as GeneratedRecord).value)))
})

test('exactly `messages` valid message records, and the record mix', () => {
  const count = (k: GeneratedRecord['kind']) => small.records.filter((r) => r.kind === k).length
  assert.equal(count('message'), BASE.messages)
  const valids = events.length
  assert.ok(count('moderation') > valids * 0.01 && count('moderation') < valids * 0.1, `moderation ${count('moderation')}`)
  assert.ok(count('report') > valids * 0.002 && count('report') < valids * 0.03, `reports ${count('report')}`)
  assert.ok(Math.abs(count('duplicate') / valids - 0.01) < 0.004, `duplicates ${count('duplicate')}`)
  assert.ok(Math.abs(count('malformed') / valids - 0.01) < 0.004, `malformed ${count('malformed')}`)
  assert.deepEqual([...generateRecords({ seed: 1, messages: 0, startMs: START })], [])
  const none = [...generateRecords({ seed: 1, messages: 2000, startMs: START, duplicateShare: 0, malformedShare: 0 })]
  assert.ok(none.every(valid))
})

test('every valid record passes its topic schema and carries times that are times', () => {
  for (const { r, o } of events) {
    const v = VALIDATORS[r.topic]
    assert.ok(v, `unknown topic ${r.topic}`)
    assert.equal(o.schema, v.schema)
    // `as unknown` keeps the schema guard from narrowing the probe object for the checks below.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    assert.ok(v.check.Check(o as unknown), `${r.topic} ${JSON.stringify(o).slice(0, 300)}: ${JSON.stringify(v.check.Errors(o).First())}`)
    assert.notEqual(timeOf(o.ts), null, `ts ${o.ts}`)
    if (o.sender?.created_ts !== undefined) assert.notEqual(timeOf(o.sender.created_ts), null)
    if (r.key !== null) assert.equal(r.key, o.chat?.id ?? o.target.chat_id)
  }
  assert.ok(
    small.records.some((r) => r.key === null),
    'some records have no key',
  )
  for (const m of messages) {
    assert.match(m.chat.id, /^-?\d+$/)
    if (m.chat.type === 'channel' || m.chat.type === 'supergroup') assert.match(m.chat.id, /^-100\d{10}$/)
  }
})

test('records come in event-time order: messages strictly, other topics within a little jitter', () => {
  let lastMessage = -Infinity
  let max = -Infinity
  for (const { r, o } of events) {
    const t = timeOf(o.ts) as number
    if (r.kind === 'message') {
      assert.ok(t >= lastMessage, `message at ${t} after ${lastMessage}`)
      lastMessage = t
    }
    assert.ok(t >= max - 10 * 60_000, `${r.kind} at ${t} is ${max - t} ms behind`)
    max = Math.max(max, t)
  }
  const first = timeOf(messages[0]?.ts) as number
  assert.equal(first, START)
  // the default rate is 50 messages per second of event time (late edits and deletes trail behind)
  const span = (timeOf(messages[messages.length >> 1]?.ts) as number) - first
  const expected = BASE.messages / 2 / 50
  assert.ok(Math.abs(span / 1000 - expected) < expected * 0.2, `half of the messages in ${span} ms`)
})

test('message ids are unique within a chat and edits/deletes refer to created messages', () => {
  const created = new Set<string>()
  const eventIds = new Set<string>()
  for (const { o } of events) {
    assert.ok(!eventIds.has(o.event_id), `event id ${o.event_id} reused by a different event`)
    eventIds.add(o.event_id)
  }
  for (const m of messages) {
    const k = `${m.chat.id}/${m.message_id}`
    if (m.type === 'created') {
      assert.ok(!created.has(k), `message ${k} created twice`)
      created.add(k)
    } else assert.ok(created.has(k), `${m.type} of unknown message ${k}`)
  }
})

test('every malformed record is broken in the way its reason says', () => {
  const big = generateWithTruth({
    seed: 99,
    messages: 20_000,
    startMs: START,
    malformedShare: 0.05,
    oversized: { every: 4000, bytes: 64 * 1024 },
  })
  const seen = new Map<string, number>()
  for (const r of big.records.filter((x) => x.kind === 'malformed')) {
    const reason = r.malformedReason as string
    seen.set(reason, (seen.get(reason) ?? 0) + 1)
    if (reason === 'invalid_utf8') {
      assert.throws(() => fatal.decode(r.value))
      continue
    }
    if (reason === 'too_large') {
      assert.ok(r.value.length > 64 * 1024)
      const o = parse(r)
      // `as unknown` keeps the schema guard from narrowing the probe object for the checks below.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      assert.ok(VALIDATORS[TOPICS.messages]?.check.Check(o as unknown), 'an oversized record is otherwise valid')
      continue
    }
    assert.ok(r.value.length > 0)
    const text = fatal.decode(r.value)
    if (reason === 'not_json') {
      assert.throws(() => JSON.parse(text), `parsed: ${text.slice(0, 120)}`)
      continue
    }
    const o = JSON.parse(text) as unknown
    const isObject = typeof o === 'object' && o !== null && !Array.isArray(o)
    if (reason === 'not_object') {
      assert.ok(!isObject)
      continue
    }
    assert.ok(isObject)
    const obj = o as Json
    if (reason === 'unknown_schema') {
      assert.equal(typeof obj.schema, 'string')
      assert.ok(!SCHEMA_NAMES.has(obj.schema))
      continue
    }
    const v = VALIDATORS[r.topic]
    assert.ok(v && obj.schema === v.schema, `${reason} keeps the topic's schema`)
    const errors = [...v.check.Errors(obj)]
    const missing = errors.some((e) => e.type === ValueErrorType.ObjectRequiredProperty)
    if (reason === 'missing_field') {
      assert.ok(missing, `nothing missing in ${text.slice(0, 200)}`)
    } else if (reason === 'wrong_type') {
      assert.ok(errors.length > 0 && !missing, `${text.slice(0, 200)}`)
    } else if (reason === 'invalid_ts') {
      // `as unknown` keeps the schema guard from narrowing the probe object for the checks below.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      assert.ok(v.check.Check(obj as unknown), 'only the time is wrong')
      assert.equal(timeOf(obj.ts), null, `${obj.ts} is a time`)
    } else assert.fail(`unexpected reason ${reason}`)
  }
  assert.deepEqual([...seen.keys()].sort(), [
    'invalid_ts',
    'invalid_utf8',
    'missing_field',
    'not_json',
    'not_object',
    'too_large',
    'unknown_schema',
    'wrong_type',
  ])
  assert.equal(seen.get('too_large'), Math.floor(big.records.filter(valid).length / 4000))
  assert.ok(
    small.records.every((r) => r.malformedReason !== 'too_large'),
    'oversized records are off by default',
  )
})

test('duplicates repeat an earlier record byte for byte', () => {
  const seen = new Map<string, GeneratedRecord>()
  let dups = 0
  for (const r of small.records) {
    if (r.kind === 'malformed') continue
    const id = parse(r).event_id as string
    if (r.kind === 'duplicate') {
      dups++
      const first = seen.get(id)
      assert.ok(first, `duplicate of unseen ${id}`)
      assert.ok(first.value.equals(r.value))
      assert.equal(first.topic, r.topic)
      assert.equal(first.key, r.key)
    } else {
      assert.ok(!seen.has(id))
      seen.set(id, r)
    }
  }
  assert.ok(dups > 50)
})

test('the ground truth is consistent with the stream', () => {
  const { truth } = small
  const byId = new Map(messages.map((m) => [m.event_id as string, m]))
  const chats = new Set(messages.map((m) => m.chat.id as string))
  const perLabel = new Map<string, { n: number; chats: Set<string> }>()
  for (const [eventId, label] of truth.campaignOf) {
    const m = byId.get(eventId)
    assert.ok(m, `campaign message ${eventId} is not in the stream`)
    assert.ok(m.text, 'campaign copies have text')
    const s = perLabel.get(label) ?? { n: 0, chats: new Set() }
    s.n++
    s.chats.add(m.chat.id)
    perLabel.set(label, s)
  }
  assert.ok(perLabel.size >= 5, `${perLabel.size} campaigns`)
  for (const [label, s] of perLabel) {
    assert.ok(s.n >= 2 && s.chats.size >= 2, `${label}: ${s.n} messages in ${s.chats.size} chats`)
    assert.match(label, /^(crypto_airdrop|fake_giveaway|betting|adult|phishing_support|job_scam):[a-z]{2}:\d+$/)
  }
  const share = truth.campaignOf.size / messages.length
  assert.ok(share > 0.03 && share < 0.2, `spam share ${share}`)
  assert.ok(perLabel.size > 0 && [...perLabel.values()].some((s) => s.chats.size >= 5), 'some campaign reaches 5 public chats')
  // campaign copies differ: obfuscation makes most copies unique
  const texts = [...truth.campaignOf.keys()].map((id) => byId.get(id)?.text as string)
  assert.ok(new Set(texts).size > texts.length * 0.7)

  assert.ok(truth.cloneOf.size >= 2)
  for (const [clone, original] of truth.cloneOf) {
    assert.ok(chats.has(clone) && chats.has(original), `${clone} clones ${original}`)
    assert.notEqual(clone, original)
  }
  for (const [copy, orig] of truth.copyOf) assert.ok(byId.has(copy) && byId.has(orig))
  assert.ok(truth.lookalikeOf.size >= 2)
  for (const [chat, target] of truth.lookalikeOf) {
    assert.ok(chats.has(chat))
    assert.ok(/^-?\d+$/.test(target) ? chats.has(target) : /^[a-z_]+$/.test(target), `look-alike target ${target}`)
  }
  for (const c of truth.spamChats) assert.ok(chats.has(c))
  assert.ok(truth.spamChats.size >= 2)
})

test('the content looks like a Telegram stream', () => {
  const langs = new Set(messages.map((m) => m.lang).filter(Boolean))
  for (const l of ['en', 'ru', 'uk', 'es', 'pt', 'id', 'fa', 'ar', 'de', 'tr']) assert.ok(langs.has(l), `no ${l}`)
  assert.ok(new Set(messages.map((m) => m.country).filter(Boolean)).size >= 10)
  assert.deepEqual(new Set(messages.map((m) => m.chat.type)), new Set(CHAT_TYPES))
  assert.deepEqual(new Set(messages.map((m) => m.type)), new Set(['created', 'edited', 'deleted']))
  const lengths = messages.filter((m) => typeof m.text === 'string').map((m) => (m.text as string).length)
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length
  assert.ok(mean >= 150 && mean <= 350, `mean text length ${mean}`)
  assert.ok(lengths.filter((n) => n <= 12).length > lengths.length * 0.05, 'very short messages')
  assert.ok(
    lengths.some((n) => n >= 1000),
    'long posts',
  )
  const entityTypes = new Set(messages.flatMap((m) => (m.entities ?? []).map((e: Json) => e.type)))
  for (const t of ['url', 'text_link', 'mention', 'hashtag', 'cashtag', 'phone', 'email', 'bot_command'])
    assert.ok(entityTypes.has(t), `no ${t} entity`)
  assert.ok(messages.some((m) => m.buttons?.some((b: Json) => typeof b.url === 'string')))
  assert.ok(messages.some((m) => m.media?.hash))
  assert.ok(messages.some((m) => m.forward?.chat_id))
  assert.ok(messages.some((m) => m.reply_to))
  assert.ok(messages.some((m) => m.sender.premium === true) && messages.some((m) => m.sender.bot === true))
  assert.ok(messages.some((m) => m.chat.title && m.chat.username && m.chat.members))
  assert.ok(messages.some((m) => typeof m.ts === 'string') && messages.some((m) => typeof m.ts === 'number'))
  assert.ok(
    messages.some((m) => typeof m.ts === 'string' && /[+-]\d\d:\d\d$/.test(m.ts)),
    'offsets other than Z',
  )
  // spam is obfuscated: homoglyphs, zero-width characters, mathematical alphanumerics
  const spam = [...small.truth.campaignOf.keys()].map((id) => messages.find((m) => m.event_id === id)?.text ?? '')
  assert.ok(
    spam.some((t) => /[a-z][\u0430\u0435\u043e\u0440\u0441][a-z]/i.test(t) || /[a-z][\u03bf\u03c1][a-z]/i.test(t)),
    'homoglyphs',
  )
  assert.ok(
    spam.some((t) => /[\u200b-\u200d\u2060\ufeff]/.test(t)),
    'zero-width characters',
  )
  assert.ok(
    spam.some((t) => /[\u{1d400}-\u{1d7ff}]/u.test(t)),
    'fancy fonts',
  )
  // spammers are young accounts
  const age = (m: Json) => (timeOf(m.ts) as number) - (timeOf(m.sender.created_ts) ?? 0)
  const spamMsgs = messages.filter(
    (m) => small.truth.campaignOf.has(m.event_id) && m.sender.created_ts !== undefined && m.sender.id[0] !== '-',
  )
  const organic = messages.filter((m) => !small.truth.campaignOf.has(m.event_id) && m.sender.created_ts !== undefined)
  const young = (xs: Json[]) => xs.filter((m) => age(m) < 30 * 86_400_000).length / xs.length
  assert.ok(young(spamMsgs) > 0.8 && young(organic) < 0.05, `young: spam ${young(spamMsgs)}, organic ${young(organic)}`)
  // look-alike names against famous and protected ones
  const handles = new Set(messages.map((m) => m.chat.username).filter(Boolean))
  assert.ok(handles.has('durov') || handles.has('telegram') || handles.has('cryptosignals_vip'))
})

test('moderation and reports: actions, sources, reporters, answers (some before their report), open reports', () => {
  const mods = events.filter((e) => e.r.kind === 'moderation').map((e) => e.o)
  const reps = events.filter((e) => e.r.kind === 'report').map((e) => e.o)
  const big = generateWithTruth({ seed: 5, messages: 60_000, startMs: START, duplicateShare: 0, malformedShare: 0 }).records.map(parse)
  const allMods = [...mods, ...big.filter((o) => o.schema === 'moderation.v1')]
  const allReps = [...reps, ...big.filter((o) => o.schema === 'report.v1')]
  assert.deepEqual(new Set(allMods.map((m) => m.action)), new Set(MODERATION_ACTIONS))
  assert.deepEqual(new Set(allMods.map((m) => m.source)), new Set(ACTION_SOURCES))
  assert.deepEqual(new Set(allReps.map((r) => r.reporter)), new Set(REPORTER_KINDS))
  assert.deepEqual(new Set(allReps.map((r) => r.priority)), new Set(['urgent', 'normal']))
  assert.ok(allReps.filter((r) => r.reporter !== 'user').every((r) => typeof r.reporter_org === 'string' && r.reporter_org.length > 0))
  assert.ok(allReps.some((r) => r.reporter_org === 'INHOPE-DE'))
  assert.ok(allReps.filter((r) => r.reporter === 'user').every((r) => r.reporter_org === undefined))

  // answers: in `big` (no duplicates), find each report's first moderation event
  const firstAnswer = new Map<string, { index: number; ts: number; source: string }>()
  const reportAt = new Map<string, { index: number; ts: number; reporter: string; priority: string }>()
  big.forEach((o, index) => {
    if (o.schema === 'report.v1')
      reportAt.set(o.report_id, { index, ts: timeOf(o.ts) as number, reporter: o.reporter, priority: o.priority })
    else if (o.schema === 'moderation.v1' && o.report_id && !firstAnswer.has(o.report_id))
      firstAnswer.set(o.report_id, { index, ts: timeOf(o.ts) as number, source: o.source })
  })
  let before = 0
  let open = 0
  const delays: Record<string, number[]> = {}
  for (const [id, rep] of reportAt) {
    const ans = firstAnswer.get(id)
    if (!ans) {
      open++
      continue
    }
    assert.ok(ans.ts > rep.ts, 'an answer comes after its report in event time')
    assert.equal(ans.source, rep.reporter === 'user' ? 'user_report' : rep.reporter)
    if (ans.index < rep.index) before++
    ;(delays[`${rep.reporter}/${rep.priority}`] ??= []).push(ans.ts - rep.ts)
  }
  for (const id of firstAnswer.keys()) assert.ok(reportAt.has(id), `answer to a report ${id} that never comes`)
  assert.ok(before > 0, 'some answers precede their report in the stream')
  assert.ok(open > 0, 'some reports stay open')
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number
  const tfUrgent = delays['trusted_flagger/urgent'] ?? []
  const tfNormal = delays['trusted_flagger/normal'] ?? []
  assert.ok(tfUrgent.length > 3 && tfNormal.length > 3)
  assert.ok(median(tfUrgent) < median(tfNormal), 'urgent trusted-flagger reports are answered faster')
})

test('options: topics, rate and shares are honoured', () => {
  const topics = { messages: 'm', moderation: 'x', reports: 'r' }
  const recs = [
    ...generateRecords({ seed: 3, messages: 5000, startMs: START, ratePerSecond: 500, topics, duplicateShare: 0, malformedShare: 0 }),
  ]
  assert.deepEqual(new Set(recs.map((r) => r.topic)), new Set(['m', 'x', 'r']))
  assert.ok(recs.every(valid))
  const ms = recs.filter((r) => r.topic === 'm').map((r) => timeOf(parse(r).ts) as number)
  const span = (ms[2500] as number) - (ms[0] as number)
  assert.ok(span > 4000 && span < 6500, `2500 messages at 500/s in ${span} ms`)
  assert.throws(() => [...generateRecords({ seed: 1, messages: -1, startMs: START })])
  assert.throws(() => [...generateRecords({ seed: 1, messages: 10, startMs: START, duplicateShare: 2 })])
})
