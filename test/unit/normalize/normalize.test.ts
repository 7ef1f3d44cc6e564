import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { MAX_INPUT_UNITS, MAX_OUTPUT_CHARS, OBFUSCATION_KINDS, normalizeText } from '../../../src/normalize/index.js'

test('OBFUSCATION_KINDS is a list of distinct names and evidence only uses them', () => {
  assert.equal(new Set(OBFUSCATION_KINDS).size, OBFUSCATION_KINDS.length)
  const n = normalizeText('Frее 🚀 m0n3y\u200b at https://t.me/x, call 5000 @someone')
  for (const k of Object.keys(n.evidence)) assert.ok((OBFUSCATION_KINDS as readonly string[]).includes(k), k)
  for (const v of Object.values(n.evidence)) assert.ok(typeof v === 'number' && v > 0)
})

test('deterministic: the same input gives the same output, calls do not leak state', () => {
  const a = 'Ꭺ 𝐁𝐈𝐆 ɢɪꜰᴛ 💰 for you: https://gift.example.com/claim?id=1 +7 999 123 45 67'
  const first = normalizeText(a)
  normalizeText('something else entirely, with 123 numbers and t.me/links')
  const again = normalizeText(a)
  assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(first)))
  assert.deepEqual(again.numbers, first.numbers)
})

test('empty and blank input', () => {
  for (const s of ['', '   ', '\n\t', '\u200b\u200c', '🚀🚀🚀']) {
    const n = normalizeText(s)
    assert.equal(n.text, '')
    assert.deepEqual(n.tokens, [])
    assert.deepEqual(n.linkDomains, [])
  }
})

test('very long input is capped and flagged', () => {
  const long = 'spam text '.repeat(3000) // 30,000 characters
  const n = normalizeText(long)
  assert.equal(n.evidence.truncated, 1)
  assert.ok(n.text.length <= MAX_OUTPUT_CHARS)
  const at4096 = normalizeText('word '.repeat(820).slice(0, 4096))
  assert.equal(at4096.evidence.truncated, undefined, 'a Telegram-sized text is read whole')
  assert.ok(MAX_INPUT_UNITS >= 4096)
})

test('a surrogate pair cut by the input cap is not split', () => {
  const s = 'a'.repeat(MAX_INPUT_UNITS - 1) + '😀' + 'tail'
  const n = normalizeText(s)
  assert.ok(!/[\ud800-\udfff]/.test(n.text))
})

test('pathological inputs finish quickly (no backtracking, bounded work)', () => {
  const inputs = [
    '@'.repeat(5000),
    '.'.repeat(5000),
    'a.'.repeat(2500),
    '1'.repeat(5000),
    'http://'.repeat(700),
    'x@y.'.repeat(1200),
    '\u0301'.repeat(5000),
    'ab '.repeat(2000),
    ('a'.repeat(30) + ' ').repeat(150),
  ]
  for (const s of inputs) {
    const t = performance.now()
    normalizeText(s)
    assert.ok(performance.now() - t < 2000, `slow on ${JSON.stringify(s.slice(0, 12))}...`)
  }
})

test('tokens are the words of text', () => {
  const n = normalizeText('Hello,   wonderful world!')
  assert.equal(n.text, 'hello wonderful world')
  assert.deepEqual(n.tokens, ['hello', 'wonderful', 'world'])
})

test('numbers are masked in text and kept aside in order', () => {
  const n = normalizeText('BTC 26600-26700 stop 26450, phone 89991234567')
  assert.equal(n.text, 'btc # # stop # phone #')
  assert.deepEqual(n.numbers, ['26600', '26700', '26450', '89991234567'])
})

test('several links: distinct registrable domains in order', () => {
  const n = normalizeText('a https://x.example.com/1 b https://t.me/a c http://y.example.com/2 d t.me/b')
  assert.deepEqual(n.linkDomains, ['example.com', 't.me'])
  assert.equal(n.evidence.link, 4)
})

test('the normalized text is what a JSON round trip shows (no text-derived hidden fields)', () => {
  const n = normalizeText('Call 5000 now')
  const json = JSON.parse(JSON.stringify(n)) as Record<string, unknown>
  assert.deepEqual(Object.keys(json).sort(), ['evidence', 'linkDomains', 'text', 'tokens'])
})

test('pure stages: normalize, fingerprint and cluster import no adapter, file system or clock', () => {
  const root = fileURLToPath(new URL('../../../src/', import.meta.url))
  const forbidden = [
    /from ['"]kafkajs['"]/,
    /@clickhouse\/client/,
    /from ['"]prom-client['"]/,
    /from ['"]pino['"]/,
    /from ['"](node:)?fs['"]/,
    /Date\.now\(/,
    /new Date\(/,
    /process\.env/,
    /Math\.random\(/,
  ]
  for (const dir of ['normalize', 'fingerprint', 'campaigns']) {
    for (const f of readdirSync(join(root, dir))) {
      if (!f.endsWith('.ts')) continue
      const src = readFileSync(join(root, dir, f), 'utf8')
      for (const re of forbidden) assert.ok(!re.test(src), `${dir}/${f} matches ${re}`)
    }
  }
})

test('small capitals upper-cased (ꞮƦⱭ...: what toUpperCase makes of ɪʀɑ) fold like the small capitals', () => {
  assert.equal(normalizeText('PRESALE SᴛΑƦᴛED, ALHAMDULꞮLLAH').text, 'presale started alhamdulillah')
  assert.equal(normalizeText('ⱭƊƐꞬꞪꞮƖƦꟅƲƔ').text, normalizeText('ɑɗɛɡɦɪɩʀʂʋɣ').text)
})
