/**
 * 100,000 fuzzed records mixed into a valid generated stream: random bytes, truncated JSON, deep
 * nesting, huge strings, wrong types, control characters, SQL and HTML in every string field. The
 * processor must not crash, must count every valid record (valid JSON of a known schema is valid
 * whatever its strings contain, and unknown fields are ignored however deep), must dead-letter every
 * bad one with a reason (matched record by record through payload_sha256), and must keep its memory
 * bounded.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { DeadLetterReason as Reason } from '../../src/domain/errors.js'
import { generateWithTruth } from '../../src/generator/index.js'
import { KafkaWriter } from '../../src/sources/kafka/producer.js'
import { createTopics, freePort } from '../support/kafka-broker.js'
import {
  processorEnv,
  query,
  scrapeMetric,
  spawnProcessor,
  stopProcessor,
  tempDir,
  testBrokers,
  uniqueTopics,
  waitForCatchUp,
  type ProcessorProcess,
} from '../support/harness.js'
import {
  countDifferences,
  MESSAGE_STATS_QUERY,
  MODERATION_STATS_QUERY,
  expectedAggregates,
  messageStatsFromRows,
  moderationStatsFromRows,
  type LabelledRecord,
} from '../support/oracle.js'

const FUZZED = 100_000
const RSS_LIMIT_MB = 1536
const MAX_RECORD_BYTES = 1_048_576
/** Longest time without any record written before the test gives up on a stalled processor. */
const STALL_MS = 60_000

/** A record to publish: valid ones carry their kind (for the oracle), bad ones the reasons accepted. */
interface FuzzRecord {
  topic: string
  key: string | null
  value: Buffer
  kind: LabelledRecord['kind']
  reasons?: readonly Reason[]
  category: string
}

type Json = Record<string, unknown>

// --- deterministic randomness -----------------------------------------------------------------
function rng(seed: number) {
  let s = seed >>> 0
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T
  return { next, int, pick, between: (a: number, b: number) => a + int(b - a + 1) }
}

// --- hostile payloads for string fields -----------------------------------------------------
const PAYLOADS = [
  "'; DROP TABLE message_stats_1m; --",
  "Robert'); DROP TABLE abuse.dead_letters;--",
  "' OR '1'='1",
  '" OR ""="',
  '1; SELECT * FROM system.users',
  "x' UNION SELECT name, engine FROM system.tables --",
  '{since:UInt64}',
  '{name:String}) FORMAT JSONEachRow',
  '\\N',
  '\\\\N\\t\\n',
  'NULL',
  '$$; INSERT INTO abuse.campaigns VALUES (1) $$',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  '<a href="javascript:alert(1)">x</a>',
  '</textarea><svg/onload=alert(1)>',
  '&lt;b&gt;&amp;&quot;',
  '%s%s%s%n%x%p',
  '{0}{1}${7*7}{{7*7}}#{7*7}',
  '`rm -rf /`',
  '../../../../etc/passwd',
  '\u0000\u0001\u001f\u007f',
  '\u202eevil\u202c\u200b\ufeff',
  '\r\n\tINJECTED: header',
]
const short = (p: string, max: number) => (p.length <= max ? p : p.slice(0, max))

// --- builders -----------------------------------------------------------------------------------
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8')
const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth)
}
function deepObject(depth: number, leaf = '1'): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth)
}

/** The reason a payload of arbitrary bytes can get: not the decoder's code, the standards it applies. */
function arbitraryBytesReasons(bytes: Buffer): readonly Reason[] {
  if (bytes.length === 0) return ['empty_record']
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return ['invalid_utf8']
  }
  return ['not_json', 'not_object', 'missing_schema', 'unknown_schema']
}

function setPath(obj: Json, path: string, value: unknown): void {
  const parts = path.split('.')
  let at: Json = obj
  for (const p of parts.slice(0, -1)) {
    if (typeof at[p] !== 'object' || at[p] === null) at[p] = {}
    at = at[p] as Json
  }
  const last = parts.at(-1) as string
  if (value === undefined) delete at[last]
  else at[last] = value
}

/** One mutation of a valid event and the single reason it must give. */
type Mutation = [kind: 'message' | 'moderation' | 'report', path: string, value: unknown, reason: Reason]
const DELETE = undefined
const MUTATIONS: Mutation[] = [
  ['message', 'schema', 1, 'missing_schema'],
  ['message', 'schema', DELETE, 'missing_schema'],
  ['message', 'schema', 'message.v2', 'unknown_schema'],
  ['message', 'event_id', 7, 'wrong_type'],
  ['message', 'event_id', DELETE, 'missing_field'],
  ['message', 'event_id', '', 'wrong_type'],
  ['message', 'type', 'posted', 'wrong_type'],
  ['message', 'type', null, 'wrong_type'],
  ['message', 'ts', true, 'wrong_type'],
  ['message', 'ts', 'yesterday', 'invalid_ts'],
  ['message', 'ts', 1e20, 'invalid_ts'],
  ['message', 'ts', -5, 'ts_too_old'],
  ['message', 'ts', '2026-11-28T12:00:00', 'invalid_ts'],
  ['message', 'chat', null, 'wrong_type'],
  ['message', 'chat', [], 'wrong_type'],
  ['message', 'chat.id', 123, 'wrong_type'],
  ['message', 'chat.id', DELETE, 'missing_field'],
  ['message', 'chat.type', 'forum', 'wrong_type'],
  ['message', 'chat.members', 'many', 'wrong_type'],
  ['message', 'chat.title', { html: '<b>' }, 'wrong_type'],
  ['message', 'message_id', [], 'wrong_type'],
  ['message', 'sender', {}, 'missing_field'],
  ['message', 'sender.bot', 'yes', 'wrong_type'],
  ['message', 'sender.created_ts', 'not a time', 'invalid_ts'],
  ['message', 'text', 42, 'wrong_type'],
  ['message', 'text', ['a'], 'wrong_type'],
  ['message', 'entities', {}, 'wrong_type'],
  ['message', 'entities', [{ type: 'link', value: 'x' }], 'wrong_type'],
  ['message', 'buttons', [{ url: 'https://x' }], 'missing_field'],
  ['message', 'media', { kind: 'gif' }, 'wrong_type'],
  ['message', 'lang', 'x'.repeat(36), 'wrong_type'],
  ['message', 'country', 'ABCDEFGHI', 'wrong_type'],
  ['message', 'forward', 'yes', 'wrong_type'],
  ['moderation', 'action', 'deleted', 'wrong_type'],
  ['moderation', 'target', DELETE, 'missing_field'],
  ['moderation', 'target.chat_id', false, 'wrong_type'],
  ['moderation', 'category', 'fraud', 'wrong_type'],
  ['moderation', 'source', null, 'wrong_type'],
  ['moderation', 'report_id', 5, 'wrong_type'],
  ['moderation', 'ts', {}, 'wrong_type'],
  ['report', 'reporter', 'bot', 'wrong_type'],
  ['report', 'priority', 'high', 'wrong_type'],
  ['report', 'report_id', DELETE, 'missing_field'],
  ['report', 'target.message_id', 9, 'wrong_type'],
  ['report', 'schema', 'report.v1 ', 'unknown_schema'],
]

/** Free string fields per schema and their length limits (events.md / src/domain/events.ts). */
const FREE_STRINGS: Record<'message' | 'moderation' | 'report', [string, number][]> = {
  message: [
    ['event_id', 256],
    ['chat.id', 256],
    ['chat.title', 4096],
    ['chat.username', 4096],
    ['message_id', 256],
    ['sender.id', 256],
    ['text', 4096],
    ['reply_to', 4096],
    ['lang', 35],
    ['country', 8],
    ['forward.chat_id', 4096],
    ['forward.message_id', 4096],
    ['forward.sender_id', 4096],
    ['media.hash', 4096],
  ],
  moderation: [
    ['event_id', 256],
    ['target.chat_id', 256],
    ['target.message_id', 4096],
    ['target.user_id', 4096],
    ['report_id', 4096],
    ['country', 8],
  ],
  report: [
    ['event_id', 256],
    ['report_id', 256],
    ['reporter_org', 4096],
    ['target.chat_id', 256],
    ['target.message_id', 4096],
    ['target.user_id', 4096],
    ['country', 8],
  ],
}
const ENUM_FIELDS: Record<'message' | 'moderation' | 'report', string[]> = {
  message: ['type', 'chat.type'],
  moderation: ['action', 'category', 'source'],
  report: ['reporter', 'priority', 'category'],
}

function buildFuzz(
  templates: Record<'message' | 'moderation' | 'report', Json[]>,
  topics: { messages: string; moderation: string; reports: string },
): FuzzRecord[] {
  const r = rng(4242)
  const out: FuzzRecord[] = []
  let serial = 0
  const topicOf = { message: topics.messages, moderation: topics.moderation, report: topics.reports }
  const anyTopic = () => r.pick([topics.messages, topics.messages, topics.messages, topics.moderation, topics.reports])
  const key = () => (r.next() < 0.1 ? null : `-100${r.int(5000)}`)
  const fresh = (kind: 'message' | 'moderation' | 'report'): Json => {
    const event = clone(r.pick(templates[kind]))
    event.event_id = `fz-${++serial}`
    return event
  }
  const valid = (kind: 'message' | 'moderation' | 'report', event: Json, category: string, value = json(event)) =>
    out.push({ topic: topicOf[kind], key: key(), value, kind, category })
  const bad = (value: Buffer, reasons: readonly Reason[], category: string, topic = anyTopic()) =>
    out.push({ topic, key: key(), value, kind: 'malformed', reasons, category })
  const kindOf = () => r.pick(['message', 'message', 'message', 'moderation', 'report'] as const)

  // Random bytes (a few empty).
  for (let i = 0; i < 20_000; i++) {
    const bytes = Buffer.alloc(i % 100 === 0 ? 0 : r.between(1, 1500))
    for (let j = 0; j < bytes.length; j++) bytes[j] = r.int(256)
    // Half of them printable ASCII, so the JSON parser (not only the UTF-8 check) sees them.
    if (i % 2 === 1) for (let j = 0; j < bytes.length; j++) bytes[j] = 0x20 + r.int(95)
    bad(bytes, arbitraryBytesReasons(bytes), 'random bytes')
  }
  // Truncated JSON: a strict prefix of an object is never JSON (or not UTF-8, if cut inside a character).
  for (let i = 0; i < 20_000; i++) {
    const kind = kindOf()
    const whole = json(fresh(kind))
    const cut = whole.subarray(0, r.between(1, whole.length - 1))
    bad(
      Buffer.from(cut),
      arbitraryBytesReasons(cut).includes('invalid_utf8') ? ['invalid_utf8'] : ['not_json'],
      'truncated JSON',
      topicOf[kind],
    )
  }
  // Deep nesting.
  for (let i = 0; i < 5_000; i++) {
    const depth = i % 100 === 0 ? r.between(50_000, 150_000) : r.between(10, 3_000)
    switch (i % 5) {
      case 0:
        bad(Buffer.from(deepArray(depth)), ['not_object'], 'deep array')
        break
      case 1:
        bad(Buffer.from(deepObject(depth)), ['missing_schema'], 'deep object')
        break
      case 2: {
        // Valid: an unknown field, however deep, is ignored.
        const event = fresh('message')
        const text = JSON.stringify(event)
        valid('message', event, 'deep unknown field', Buffer.from(`${text.slice(0, -1)},"x_extra":${deepObject(depth, deepArray(10))}}`))
        break
      }
      case 3: {
        const event = fresh('message')
        const text = JSON.stringify({ ...event, chat: '__CHAT__' })
        bad(Buffer.from(text.replace('"__CHAT__"', deepArray(depth))), ['wrong_type'], 'deep known field', topics.messages)
        break
      }
      default: {
        const event = fresh('report')
        const text = JSON.stringify({ ...event, target: '__T__' })
        bad(Buffer.from(text.replace('"__T__"', deepObject(depth))), ['missing_field', 'wrong_type'], 'deep known field', topics.reports)
      }
    }
  }
  // Huge strings.
  for (let i = 0; i < 600; i++) {
    const big = (n: number) => {
      const unit = `${r.pick(PAYLOADS)} `
      return unit.repeat(Math.ceil(n / unit.length)).slice(0, n)
    }
    if (i < 300) {
      const event = fresh('message')
      event.type = 'created'
      event.text = big(r.between(5_000, 100_000))
      valid('message', event, 'huge text')
    } else if (i < 330) {
      // As large as a valid record gets: up to 1 MiB of JSON (escapes included).
      const event = fresh('message')
      event.type = 'created'
      let n = r.between(300_000, 900_000)
      do event.text = big((n = Math.floor(n * 0.8)))
      while (json(event).length > MAX_RECORD_BYTES)
      valid('message', event, 'huge text')
    } else if (i < 430) {
      const event = fresh('message')
      ;(event.chat as Json).title = big(r.between(10_000, 200_000))
      valid('message', event, 'huge title')
    } else if (i < 450) {
      const event = fresh('message')
      event.text = big(r.between(MAX_RECORD_BYTES + 1, 2 * MAX_RECORD_BYTES))
      bad(json(event), ['too_large'], 'too large', topics.messages)
    } else if (i < 550) {
      const event = fresh(kindOf())
      event.event_id = big(r.between(257, 10_000))
      bad(json(event), ['wrong_type'], 'huge id')
    } else {
      const event = fresh('message')
      event.schema = big(r.between(100, 100_000))
      bad(json(event), ['unknown_schema'], 'huge schema')
    }
  }
  // Wrong types and missing fields: one mutation each, one reason each.
  for (let i = 0; i < 20_000; i++) {
    const [kind, path, value, reason] = MUTATIONS[i % MUTATIONS.length] as Mutation
    const event = fresh(kind)
    setPath(event, path, value)
    bad(json(event), [reason], `mutation ${kind}.${path}`, topicOf[kind])
  }
  // Control characters.
  for (let i = 0; i < 10_000; i++) {
    const event = fresh('message')
    event.type = 'created'
    const raw = String.fromCharCode(r.pick([0, 1, 2, 7, 8, 11, 12, 14, 27, 31]))
    switch (i % 7) {
      case 0: {
        // Raw (unescaped) control characters inside a string: not JSON.
        event.text = 'before __CTL__ after'
        bad(
          Buffer.from(JSON.stringify(event).replace('__CTL__', raw.repeat(r.between(1, 5)))),
          ['not_json'],
          'raw control in string',
          topics.messages,
        )
        break
      }
      case 1: {
        // Escaped control characters everywhere a string goes: valid.
        event.text = `text ${raw}\u0000\u001b[31m red \u0007\r\n\t end`
        ;(event.chat as Json).title = `title${raw}\u0000`
        ;(event.chat as Json).username = `user${raw}`
        valid('message', event, 'escaped control')
        break
      }
      case 2: {
        // Control characters between tokens (JSON whitespace is only space, tab, LF and CR).
        const text = JSON.stringify(event)
        bad(Buffer.from(`${text.slice(0, 1)}${raw}${text.slice(1)}`), ['not_json'], 'control between tokens', topics.messages)
        break
      }
      case 3: {
        // Lone surrogate escapes: valid JSON text and a valid string for the schema.
        event.text = `broken pair \ud83d and \udc00 end`
        // JSON.stringify writes them as \\ud83d escapes (well-formed JSON.stringify).
        valid('message', event, 'lone surrogate')
        break
      }
      case 4: {
        // Invalid UTF-8 inside a string.
        event.text = 'x__BAD__y'
        const [head, tail] = JSON.stringify(event).split('__BAD__') as [string, string]
        const badBytes = r.pick([
          Buffer.from([0xc3, 0x28]),
          Buffer.from([0xc0, 0x80]),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from([0xff]),
          Buffer.from([0xf4, 0x90, 0x80, 0x80]),
        ])
        bad(Buffer.concat([Buffer.from(head), badBytes, Buffer.from(tail)]), ['invalid_utf8'], 'invalid utf-8 in string', topics.messages)
        break
      }
      case 5: {
        // Not JSON, with astral characters around the error: the parser's message quotes the text there.
        const emoji = '😈'.repeat(r.between(1, 12))
        bad(Buffer.from(`["${emoji}",x${emoji}${emoji}]`), ['not_json'], 'not JSON around emoji', topics.messages)
        break
      }
      default: {
        // A NUL after the object.
        const text = JSON.stringify(event)
        bad(Buffer.from(`${text}\u0000`), ['not_json'], 'trailing NUL', topics.messages)
      }
    }
  }
  // SQL, HTML and format strings in every free string field: valid, and counted.
  const remaining = FUZZED - out.length
  for (let i = 0; i < remaining; i++) {
    const kind = kindOf()
    const event = fresh(kind)
    if (i % 10 === 9) {
      // ... but in an enum field the same strings are wrong values.
      setPath(event, r.pick(ENUM_FIELDS[kind]), r.pick(PAYLOADS))
      bad(json(event), ['wrong_type'], 'payload in enum', topicOf[kind])
      continue
    }
    if (kind === 'message' && event.media === undefined) event.media = { kind: 'photo' }
    for (const [path, max] of FREE_STRINGS[kind]) {
      const payload = r.pick(PAYLOADS)
      // Event ids stay unique (a repeated id would be a duplicate, rightly not counted).
      setPath(event, path, path === 'event_id' ? `${short(payload, 200)}|${event.event_id as string}` : short(payload, max))
    }
    valid(kind, event, 'payloads in strings')
  }
  return out
}

/**
 * Waits for the group to catch up, failing early (with the processor's last log lines) when nothing
 * is written for STALL_MS: a poison record retried forever must fail the test, not hang it.
 */
async function catchUpOrStall(
  brokers: string[],
  group: string,
  topics: string[],
  port: number,
  processor: ProcessorProcess,
): Promise<void> {
  let written = -1
  let progressAt = Date.now()
  for (;;) {
    if (processor.child.exitCode !== null)
      throw new Error(`the processor exited with ${processor.child.exitCode}:\n${processor.stderr().slice(-3000)}`)
    try {
      await waitForCatchUp(brokers, group, topics, 2000)
      return
    } catch (error) {
      if (!/records behind/.test((error as Error).message)) throw error
    }
    const now = await scrapeMetric(port, 'abuse_records_written_total').catch(() => written)
    if (now !== written) {
      written = now
      progressAt = Date.now()
    } else if (Date.now() - progressAt > STALL_MS) {
      const retries = await scrapeMetric(port, 'abuse_sink_retries_total').catch(() => Number.NaN)
      throw new Error(
        `stalled: nothing written for ${STALL_MS / 1000} s at ${written} records written, ${retries} retries; last log lines:\n${processor.stderr().slice(-3000)}`,
      )
    }
  }
}

/** Interleaves the fuzzed records into the valid stream at random positions (order within each kept). */
function mix<T>(a: readonly T[], b: readonly T[], seed: number): T[] {
  const r = rng(seed)
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const takeA = j >= b.length || (i < a.length && r.int(a.length + b.length) < a.length)
    out.push(takeA ? (a[i++] as T) : (b[j++] as T))
  }
  return out
}

test(
  '100,000 fuzzed records in a valid stream → no crash, valid ones counted, every bad one dead-lettered with its reason, bounded memory',
  { timeout: 600_000 },
  async () => {
    const brokers = testBrokers()
    const topics = uniqueTopics('fuzz')
    // Records above 1 MiB must reach the processor (to become too_large dead letters).
    await createTopics(brokers, Object.values(topics), 4, { configs: { 'max.message.bytes': String(8 * MAX_RECORD_BYTES) } })
    const stream = generateWithTruth({
      seed: 41,
      messages: 30_000,
      startMs: Date.UTC(2026, 10, 28, 7),
      duplicateShare: 0.01,
      malformedShare: 0.005,
      topics,
    })
    const templates: Record<'message' | 'moderation' | 'report', Json[]> = { message: [], moderation: [], report: [] }
    for (const rec of stream.records) {
      if ((rec.kind === 'message' || rec.kind === 'moderation' || rec.kind === 'report') && templates[rec.kind].length < 2000) {
        templates[rec.kind].push(JSON.parse(rec.value.toString('utf8')) as Json)
      }
    }
    const fuzz = buildFuzz(templates, topics)
    assert.equal(fuzz.length, FUZZED)
    const generated: FuzzRecord[] = stream.records.map((rec) => ({
      topic: rec.topic,
      key: rec.key,
      value: rec.value,
      kind: rec.kind,
      category: 'generated',
      ...(rec.kind === 'malformed' ? { reasons: [rec.malformedReason as Reason] } : {}),
    }))
    const all = mix(generated, fuzz, 99)
    const expected = expectedAggregates(all)
    const badRecords = all.filter((rec) => rec.kind === 'malformed')
    assert.equal(expected.totals.deadLetters, badRecords.length)

    // Publish in order; records of 256 KiB and more on their own, so no request exceeds the topic's limit.
    const writer = new KafkaWriter({ brokers, clientId: 'fuzz-producer', partitions: 4 })
    await writer.connect(Object.values(topics))
    try {
      let batch: FuzzRecord[] = []
      for (const rec of all) {
        if (rec.value.length >= 256 * 1024) {
          if (batch.length > 0) await writer.send(batch)
          batch = []
          await writer.send([rec])
        } else {
          batch.push(rec)
          if (batch.length >= 2000) {
            await writer.send(batch)
            batch = []
          }
        }
      }
      if (batch.length > 0) await writer.send(batch)
    } finally {
      await writer.close()
    }

    const dataDir = tempDir('fuzz')
    const port = await freePort()
    const group = `g-fuzz-${Date.now()}`
    const processor = spawnProcessor(processorEnv(brokers, topics, group, dataDir, { ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: String(port) }))
    const pid = processor.child.pid as number
    let peakRss = 0
    const sampler = setInterval(() => {
      try {
        const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
        peakRss = Math.max(peakRss, kb / 1024)
      } catch {
        // exited
      }
    }, 250)
    const started = Date.now()
    let caughtUp = false
    try {
      await catchUpOrStall(brokers, group, Object.values(topics), port, processor)
      assert.equal(await scrapeMetric(port, 'abuse_records_consumed_total'), all.length, 'every record was consumed once')
      caughtUp = true
    } finally {
      clearInterval(sampler)
      if (!caughtUp) processor.child.kill('SIGKILL')
    }
    const seconds = (Date.now() - started) / 1000
    await stopProcessor(processor)
    process.stderr.write(
      `fuzz: ${all.length} records (${fuzz.length} fuzzed, ${badRecords.length} bad) in ${seconds.toFixed(1)} s; processor RSS peak ${peakRss.toFixed(0)} MB\n`,
    )
    assert.ok(peakRss <= RSS_LIMIT_MB, `RSS peak ${peakRss.toFixed(0)} MB <= ${RSS_LIMIT_MB} MB`)

    // Every bad record dead-lettered once, with an accepted reason and a detail.
    const letters = await query<{ payload_sha256: string; reason: string; detail: string; payload_bytes: string }>(
      dataDir,
      'SELECT payload_sha256, reason, detail, payload_bytes FROM dead_letters',
    )
    const open = new Map<string, FuzzRecord[]>()
    for (const rec of badRecords) {
      const sha = createHash('sha256').update(rec.value).digest('hex')
      open.set(sha, [...(open.get(sha) ?? []), rec])
    }
    const problems: string[] = []
    for (const letter of letters) {
      const candidates = open.get(letter.payload_sha256) ?? []
      const at = candidates.findIndex((rec) => rec.reasons?.includes(letter.reason as Reason))
      if (at < 0) {
        problems.push(
          `${letter.reason} (${letter.detail}) for ${candidates[0]?.category ?? 'a record that is not bad'}; expected ${candidates[0]?.reasons?.join('|') ?? 'no dead letter'}`,
        )
        continue
      }
      const [rec] = candidates.splice(at, 1)
      if (letter.detail === '') problems.push(`empty detail for ${rec?.category}`)
      if (Number(letter.payload_bytes) !== rec?.value.length)
        problems.push(`payload_bytes ${letter.payload_bytes} for ${rec?.value.length} bytes`)
    }
    for (const rest of open.values())
      for (const rec of rest) problems.push(`not dead-lettered: ${rec.category} (expected ${rec.reasons?.join('|')})`)
    // Every valid record counted, exactly (and all of it reported at once: one cause often shows in both).
    const messageDiffs = countDifferences(messageStatsFromRows(await query(dataDir, MESSAGE_STATS_QUERY)), expected.messages)
    const moderationDiffs = countDifferences(moderationStatsFromRows(await query(dataDir, MODERATION_STATS_QUERY)), expected.moderation)
    assert.deepEqual(
      { deadLetters: problems.slice(0, 20), messages: messageDiffs, moderation: moderationDiffs },
      { deadLetters: [], messages: [], moderation: [] },
      `${letters.length} dead letters for ${badRecords.length} bad records; ${problems.length} mismatches`,
    )
  },
)
