/**
 * What a dead letter may keep of the record it rejects (README "Privacy"). A rejected record cannot
 * be trusted to say what it is: a private chat's message missing its `ts` looks like any other broken
 * record, and its chat type may be the very field that is wrong. So nothing of its content is kept,
 * whatever it claims to be: the prefix shows the record's shape (field names the contract knows,
 * brackets, the length of every value) and the few values that carry no user content (enum values of
 * the contract, event times); every other string or number becomes a placeholder of its length, and
 * the values under sender and user id keys are removed. Bytes that do not even start like JSON are
 * described by their size and the character classes they begin with. The operator reads the record
 * itself from Kafka (topic, partition, offset) within the topic's retention.
 */
import { CHAT_TYPES, SCHEMAS } from '../domain/events.js'

/** How many leading characters of a non-JSON record are described by class: enough to tell HTML from a log line. */
const STRUCTURE_PREVIEW_CHARS = 16

interface Vocabulary {
  /** Field names of the input contract and the fact rows (the payload of rejected_by_store dead letters). */
  keys: Set<string>
  /** Per field name, the closed list of values it may show (the contract's enums). */
  enums: Map<string, Set<string>>
}

interface SchemaNode {
  type?: string
  const?: unknown
  properties?: Record<string, SchemaNode>
  anyOf?: SchemaNode[]
  items?: SchemaNode
}

function collect(node: SchemaNode, key: string | null, vocabulary: Vocabulary): void {
  if (key !== null && typeof node.const === 'string') {
    const values = vocabulary.enums.get(key) ?? new Set<string>()
    values.add(node.const)
    vocabulary.enums.set(key, values)
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    vocabulary.keys.add(name)
    collect(child, name, vocabulary)
  }
  for (const option of node.anyOf ?? []) collect(option, key, vocabulary)
  if (node.items) collect(node.items, key, vocabulary)
}

/**
 * Columns of the fact rows (src/domain/facts.ts) that are not also fields of the input contract: a
 * row ClickHouse refuses is redacted like an input record, and its column names say where it failed.
 */
const FACT_COLUMNS = [
  'source_topic',
  'source_partition',
  'source_offset',
  'event_key',
  'chat_type',
  'chat_title',
  'chat_username',
  'spam',
  'in_campaign',
  'with_links',
  'forwarded',
  'fingerprinted',
  'exact_hash',
  'signature',
  'campaign_id',
  'head_key',
  'tail_key',
  'merge_representative',
  'campaign_messages',
  'campaign_first_seen',
  'campaign_chats',
  'campaign_senders',
  'campaign_countries',
  'campaign_signature',
  'campaign_sample',
  'spam_score',
  'reasons',
  'shadow_reasons',
  'obfuscation',
  'link_domains',
  'user',
] as const

function buildVocabulary(): Vocabulary {
  const vocabulary: Vocabulary = { keys: new Set(FACT_COLUMNS), enums: new Map() }
  for (const schema of Object.values(SCHEMAS)) collect(schema, null, vocabulary)
  // A fact row names the chat type in a column of its own.
  vocabulary.enums.set('chat_type', new Set(CHAT_TYPES))
  return vocabulary
}

const VOCABULARY = buildVocabulary()

/** Event times show what was wrong with them (invalid_ts, ts_in_future, ts_too_old) and are no one's content. */
const TIME_KEYS = new Set(['ts', 'created_ts', 'campaign_first_seen'])
/** A string under a time key is kept only in a timestamp's shape: digits and separators, no words. */
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/
/** Numbers the processor computed itself (positions, counts, flags, scores): the rest may be content (a text sent as a number). */
const COMPUTED_NUMBER_KEYS = new Set([
  'members',
  'source_partition',
  'source_offset',
  'spam',
  'in_campaign',
  'with_links',
  'forwarded',
  'fingerprinted',
  'campaign_messages',
  'spam_score',
])

/** Sender and user ids (raw in the input, pseudonyms in fact rows) are removed, not even measured. */
function isIdentityKey(key: string): boolean {
  const compact = key.toLowerCase().replace(/[^a-z]/g, '')
  return (
    /^(?:sender|user|from|author|account|member|owner)(?:ids?)?$/.test(compact) ||
    /(?:sender|user)ids?$/.test(compact) ||
    compact === 'campaignsenders'
  )
}

/** Redacts a rejected record to at most `maxChars` ASCII characters (so as many bytes). */
export function redactPayload(bytes: Uint8Array, maxChars: number): string {
  if (maxChars <= 0 || bytes.length === 0) return ''
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  const first = text.trimStart()[0]
  const redacted = first === '{' || first === '[' || first === '"' ? redactJsonLike(text, maxChars) : describeStructure(bytes, text)
  return redacted.slice(0, maxChars)
}

/** In order: U+FFFD (what invalid UTF-8 decodes to) would otherwise count as a symbol. */
const CHARACTER_CLASSES: [RegExp, string][] = [
  [/\ufffd/u, 'invalid UTF-8'],
  [/\p{L}/u, 'letter'],
  [/\p{N}/u, 'digit'],
  [/\s/u, 'space'],
  [/[\p{P}\p{S}]/u, 'punctuation'],
  [/\p{Cc}/u, 'control'],
]

function characterClass(char: string): string {
  return CHARACTER_CLASSES.find(([pattern]) => pattern.test(char))?.[1] ?? 'other'
}

/** Bytes that are not JSON: their size and the classes of their first characters, in runs ("4 letter, 1 space"). */
function describeStructure(bytes: Uint8Array, text: string): string {
  const runs: { kind: string; count: number }[] = []
  for (const char of Array.from(text).slice(0, STRUCTURE_PREVIEW_CHARS)) {
    const kind = characterClass(char)
    const last = runs.at(-1)
    if (last?.kind === kind) last.count++
    else runs.push({ kind, count: 1 })
  }
  return `<not JSON: ${bytes.length} bytes, starting with ${runs.map((r) => `${r.count} ${r.kind}`).join(', ')}>`
}

interface Frame {
  kind: 'object' | 'array'
  /** The field the next value belongs to: the last key read in an object, the array's own field in an array. */
  key: string | null
  expectingKey: boolean
}

const placeholder = (what: string) => JSON.stringify(`<${what}>`)
const codePoints = (s: string) => Array.from(s).length

/** The decoded content of a JSON string token, or null when its escapes are broken. */
function decodeJsonString(token: string): string | null {
  try {
    return JSON.parse(token) as string
  } catch {
    return null
  }
}

/** Where the string token starting at `start` (a quote) ends: just past its closing quote, or the text's end if it never closes. */
function endOfString(text: string, start: number): { end: number; closed: boolean } {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return { end: i + 1, closed: true }
  }
  return { end: text.length, closed: false }
}

/** Index just past the value starting at `start`: a whole bracketed structure, string or bare run. */
function endOfValue(text: string, start: number): number {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const char = text[i]!
    if (char === '"') {
      i = endOfString(text, i).end - 1
      if (depth === 0) return i + 1
    } else if (char === '{' || char === '[') depth++
    else if (char === '}' || char === ']') {
      if (depth === 0) return i
      if (--depth === 0) return i + 1
    } else if (depth === 0 && (char === ',' || /\s/.test(char))) return i
  }
  return text.length
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const BARE_END = /[\s{}[\]:,"]/

/**
 * A lexical pass, so a record that is JSON only in part (cut, or broken midway) is redacted as far
 * as it goes; its output is JSON again when the input was, with the placeholders as strings.
 */
function redactJsonLike(text: string, maxChars: number): string {
  const stack: Frame[] = []
  let out = ''
  let i = 0
  const valueKey = () => stack.at(-1)?.key ?? null
  while (i < text.length && out.length < maxChars) {
    const char = text[i]!
    const frame = stack.at(-1)
    if (/\s/.test(char)) {
      i++
      continue
    }
    if (char === '}' || char === ']' || char === ',' || char === ':') {
      if (char === '}' || char === ']') stack.pop()
      if (char === ',' && frame?.kind === 'object') frame.expectingKey = true
      if (char === ':' && frame?.kind === 'object') frame.expectingKey = false
      out += char
      i++
      continue
    }
    if (frame?.kind === 'object' && frame.expectingKey && char === '"') {
      const { end } = endOfString(text, i)
      const key = decodeJsonString(text.slice(i, end))
      frame.key = key
      out +=
        key !== null && VOCABULARY.keys.has(key) ? JSON.stringify(key) : placeholder(`key ${codePoints(text.slice(i + 1, end - 1))} chars`)
      i = end
      continue
    }
    const key = valueKey()
    if (key !== null && isIdentityKey(key)) {
      out += placeholder('removed')
      i = endOfValue(text, i)
      continue
    }
    if (char === '{' || char === '[') {
      stack.push({ kind: char === '{' ? 'object' : 'array', key, expectingKey: char === '{' })
      out += char
      i++
      continue
    }
    if (char === '"') {
      const { end, closed } = endOfString(text, i)
      const value = closed ? decodeJsonString(text.slice(i, end)) : null
      const length = value === null ? `${codePoints(text.slice(i + 1, closed ? end - 1 : end))}${closed ? '' : '+'}` : codePoints(value)
      out += value !== null && keepsString(key, value) ? JSON.stringify(value) : placeholder(`redacted ${length} chars`)
      i = end
      continue
    }
    let end = i + 1
    while (end < text.length && !BARE_END.test(text[end]!)) end++
    const bare = text.slice(i, end)
    if (bare === 'true' || bare === 'false' || bare === 'null') out += bare
    else if (NUMBER.test(bare))
      out += key !== null && (TIME_KEYS.has(key) || COMPUTED_NUMBER_KEYS.has(key)) ? bare : placeholder(`number ${bare.length} chars`)
    else out += placeholder(`${codePoints(bare)} unexpected chars`)
    i = end
  }
  return out
}

function keepsString(key: string | null, value: string): boolean {
  if (key === null) return false
  if (VOCABULARY.enums.get(key)?.has(value)) return true
  return TIME_KEYS.has(key) && TIMESTAMP_SHAPE.test(value)
}
