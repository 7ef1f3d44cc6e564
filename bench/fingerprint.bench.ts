/**
 * Micro-benchmark of the near-duplicate stages: `npm run bench:fingerprint`
 * (or `npx tsx bench/fingerprint.bench.ts [--entries N] [--quick] [--from-sources]`). It measures
 * the compiled build (./compile.ts), as the image runs it; `--from-sources` measures the
 * sources through tsx.
 *
 * 1. Time per message of normalize, fingerprint and index lookup (`CampaignIndex.match`), each alone
 *    and all three together, for texts of 50, 300 and 2,000 characters (synthetic spam-like texts:
 *    words of several scripts, obfuscated with homoglyphs, zero-width characters, emoji, links and
 *    numbers), against an index of 100,000 entries, beside a baseline: the irreducible floor of
 *    JSON.parse of the record + NFKC + case fold + a 64-bit hash of the same texts. Reported as the
 *    median and p99 over batches of 64 messages.
 * 2. An index with 1,000,000 live fingerprints: time per lookup (median, p99) and the process RSS.
 * First of all, while nothing else is on the heap, the bytes per entry of an index of 100,000 (heap
 * and array buffers after a full GC, before and after filling it).
 * Prints a table and one JSON line. Goals (issue "Speed: four times the throughput per process"):
 * <= 10 µs of normalize + fingerprint per 300-char message (median), <= 5 µs per lookup at 1 M
 * entries, <= 1 GB RSS at 1 M entries. No assertion: this only measures.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { CampaignIndex } from '../src/campaigns/index.js'
import { fingerprintText, hash64Hex, type TextFingerprint } from '../src/fingerprint/index.js'
import { normalizeText } from '../src/normalize/index.js'
import { buildOf, ranCompiled } from './compile.js'

if (ranCompiled(import.meta.url)) process.exit()

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const entriesArg = args.indexOf('--entries')
const BIG = entriesArg >= 0 ? Number(args[entriesArg + 1]) : quick ? 100_000 : 1_000_000

// ---- deterministic text generator -------------------------------------------------------------

let seed = 0x2545f491
function rnd(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 4294967296
}
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!

// A lexicon of 20,000 pseudo-words per script built from syllables, drawn with a Zipf-like skew:
// unrelated messages share common words but not whole phrases, as in real traffic.
const SYL_LATIN =
  'ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we ya yo za zo an en in on er ar or st tr pr'.split(
    ' ',
  )
const SYL_CYR =
  'ба бе би бо бу ва ве ви во да де ди до за зе зи ка ке ки ко ла ле ли ло ма ме ми мо на не ни но па пе пи по ра ре ри ро са се си со та те ти то ха чи ша ще ю я ст пр ов ен'.split(
    ' ',
  )
const SYL_CJK =
  '的 一 是 不 了 人 我 在 有 他 这 中 大 来 上 国 个 到 说 们 为 子 和 你 地 出 道 也 时 年 得 就 那 要 下 以 生 会 自 着 去 之 过 家 学 对 可 她 里 后 小 么 心 多 天 而 能 好 都 然 没 日 于 起 还 发 成 事 只 作 当 想 看 文 无 开 手 十 用 主 行 方 又 如 前 所 本 见 经 头 面 公 同 三 已 老 从 动 两 长'.split(
    ' ',
  )
function lexicon(syl: readonly string[], size: number): string[] {
  const out: string[] = []
  for (let i = 0; i < size; i++) {
    const parts = 1 + Math.floor(rnd() * 3)
    let w = ''
    for (let p = 0; p < parts; p++) w += pick(syl)
    out.push(w)
  }
  return out
}
const LEX = [lexicon(SYL_LATIN, 20000), lexicon(SYL_CYR, 20000), lexicon(SYL_CJK, 20000)]
const zipf = (n: number): number => Math.floor(n * Math.pow(rnd(), 3))
const EMOJI = ['🚀', '💰', '🔥', '✅', '👉', '🎁', '💎', '⭐️']
const HOMO: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у', i: 'і' }

function word(script: number): string {
  const lex = LEX[script]!
  let w = lex[zipf(lex.length)]!
  if (script === 0 && rnd() < 0.15) w = [...w].map((ch) => (HOMO[ch] !== undefined && rnd() < 0.5 ? HOMO[ch] : ch)).join('')
  if (rnd() < 0.05) w = w.slice(0, 2) + '\u200b' + w.slice(2)
  return w
}

function makeText(len: number): string {
  const r0 = rnd()
  const script = r0 < 0.6 ? 0 : r0 < 0.85 ? 1 : 2
  let s = ''
  while (s.length < len) {
    const r = rnd()
    if (r < 0.04) s += pick(EMOJI) + ' '
    else if (r < 0.06) s += `https://t.me/+${Math.floor(rnd() * 1e9).toString(36)} `
    else if (r < 0.09) s += `${Math.floor(rnd() * 100000)} `
    else s += word(script) + (script === 2 ? '' : ' ')
  }
  return s.slice(0, len)
}

// ---- measurement helpers ----------------------------------------------------------------------

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

/** Runs fn over items in batches of `batch`; returns per-item µs (median, p99 of batch means). */
function timeBatches<T>(items: readonly T[], batch: number, fn: (x: T, i: number) => void): { median: number; p99: number } {
  const per: number[] = []
  for (let i = 0; i + batch <= items.length; i += batch) {
    const t = process.hrtime.bigint()
    for (let j = i; j < i + batch; j++) fn(items[j]!, j)
    per.push(Number(process.hrtime.bigint() - t) / 1000 / batch)
  }
  per.sort((a, b) => a - b)
  return { median: quantile(per, 0.5), p99: quantile(per, 0.99) }
}

const MB = 1024 * 1024
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
/** Bytes the process holds in the JS heap and in array buffers (typed arrays), after a full GC. */
function heldBytes(): number {
  gc()
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

// ---- 0. bytes per index entry, first, while the heap holds nothing else to collect --------------

const MEMORY_ENTRIES = 100_000
/** Held bytes per entry of an index filled with MEMORY_ENTRIES generated messages (the index is garbage on return). */
function bytesPerIndexEntry(): number {
  const before = heldBytes()
  const index = new CampaignIndex({ windowMs: 24 * 3600 * 1000, maxEntries: MEMORY_ENTRIES })
  for (let i = 0; i < MEMORY_ENTRIES; i++) {
    const n = normalizeText(makeText(60 + Math.floor(rnd() * 400)))
    index.assign({ chatId: 'h', messageId: String(i) }, fingerprintText(n), n.text, 0)
  }
  return (heldBytes() - before) / index.size
}
const bytesPerEntry = bytesPerIndexEntry()

// ---- 1. per message, by text length ----------------------------------------------------------

const WINDOW = 24 * 3600 * 1000
const base = new CampaignIndex({ windowMs: WINDOW, maxEntries: 2_000_000 })
const BASE_N = quick ? 20_000 : 100_000
for (let i = 0; i < BASE_N; i++) {
  const n = normalizeText(makeText(60 + Math.floor(rnd() * 400)))
  base.assign({ chatId: 'b', messageId: String(i) }, fingerprintText(n), n.text, 0)
}

interface Row {
  chars: number
  baseline_us: number
  normalize_us: number
  fingerprint_us: number
  normalize_fingerprint_us: number
  lookup_us: number
  total_us: number
  total_p99_us: number
}
const rows: Row[] = []
for (const len of [50, 300, 2000]) {
  const count = len >= 2000 ? 4_000 : 20_000
  const texts = Array.from({ length: count }, () => makeText(len))
  // warm up
  for (let i = 0; i < Math.min(2000, count); i++) base.match(fingerprintText(normalizeText(texts[i]!)), '')
  const records = texts.map((text) => JSON.stringify({ text }))
  const baseline = timeBatches(records, 64, (r) => void hash64Hex((JSON.parse(r) as { text: string }).text.normalize('NFKC').toLowerCase()))
  const norm = timeBatches(texts, 64, (t) => void normalizeText(t))
  const ns = texts.map(normalizeText)
  const fpt = timeBatches(ns, 64, (n) => void fingerprintText(n))
  const normFp = timeBatches(texts, 64, (t) => void fingerprintText(normalizeText(t)))
  const fps = ns.map(fingerprintText)
  const look = timeBatches(fps, 64, (fp, i) => void base.match(fp, ns[i]!.text))
  const total = timeBatches(texts, 64, (t) => {
    const n = normalizeText(t)
    base.match(fingerprintText(n), n.text)
  })
  rows.push({
    chars: len,
    baseline_us: baseline.median,
    normalize_us: norm.median,
    fingerprint_us: fpt.median,
    normalize_fingerprint_us: normFp.median,
    lookup_us: look.median,
    total_us: total.median,
    total_p99_us: total.p99,
  })
}

// ---- 2. one million live fingerprints --------------------------------------------------------

const rssBefore = process.memoryUsage().rss
const big = new CampaignIndex({ windowMs: WINDOW, maxEntries: BIG })
const fillStart = performance.now()
const pool: TextFingerprint[] = []
const poolTexts: string[] = []
for (let i = 0; i < 2000; i++) {
  const n = normalizeText(makeText(80 + Math.floor(rnd() * 300)))
  pool.push(fingerprintText(n))
  poolTexts.push(n.text)
}
for (let i = 0; i < BIG; i++) {
  // most entries distinct, a share near-duplicates of a pool (campaigns)
  if (i % 10 === 0) {
    const k = i % pool.length
    big.assign({ chatId: 'm', messageId: String(i) }, pool[k]!, poolTexts[k]!, i)
  } else {
    const n = normalizeText(makeText(60 + Math.floor(rnd() * 240)))
    big.assign({ chatId: 'm', messageId: String(i) }, fingerprintText(n), n.text, i)
  }
}
const fillSeconds = (performance.now() - fillStart) / 1000
const mem = process.memoryUsage()
const queries: { fp: TextFingerprint; text: string }[] = []
for (let i = 0; i < 20_000; i++) {
  if (i % 2 === 0) {
    const k = i % pool.length
    queries.push({ fp: pool[k]!, text: poolTexts[k]! })
  } else {
    const n = normalizeText(makeText(60 + Math.floor(rnd() * 240)))
    queries.push({ fp: fingerprintText(n), text: n.text })
  }
}
const lookup = timeBatches(queries, 64, (q) => void big.match(q.fp, q.text))

// ---- report ----------------------------------------------------------------------------------

const f = (v: number): string => v.toFixed(2).padStart(8)
const lines = [
  `build measured: ${buildOf(import.meta.url)}`,
  `normalize + fingerprint + lookup (index of ${BASE_N.toLocaleString('en')} entries), µs per message, median of 64-message batches`,
  `(baseline: JSON.parse + NFKC + case fold + 64-bit hash of the same texts)`,
  '   chars  baseline  normalize  fingerprint  norm+fp    lookup      total  total p99',
  ...rows.map(
    (r) =>
      `${String(r.chars).padStart(8)} ${f(r.baseline_us)}  ${f(r.normalize_us)}     ${f(r.fingerprint_us)} ${f(r.normalize_fingerprint_us)}  ${f(r.lookup_us)}  ${f(r.total_us)}  ${f(r.total_p99_us)}`,
  ),
  '',
  `index of ${big.size.toLocaleString('en')} live fingerprints (filled in ${fillSeconds.toFixed(1)} s)`,
  `   lookup µs: median ${lookup.median.toFixed(2)}, p99 ${lookup.p99.toFixed(2)}`,
  `   memory: rss ${(mem.rss / MB).toFixed(0)} MB (${((mem.rss - rssBefore) / MB).toFixed(0)} MB for the index)`,
  `index of ${MEMORY_ENTRIES.toLocaleString('en')} entries: ${bytesPerEntry.toFixed(0)} bytes per entry (heap and array buffers, after a full GC)`,
  `   goals: 300-char normalize + fingerprint <= 10 µs: ${rows[1]!.normalize_fingerprint_us <= 10 ? 'met' : 'NOT met'}; lookup <= 5 µs: ${lookup.median <= 5 ? 'met' : 'NOT met'}; rss <= 1024 MB: ${mem.rss <= 1024 * MB ? 'met' : 'NOT met'}`,
]
console.log(lines.join('\n'))
console.log(
  JSON.stringify({
    bench: 'fingerprint',
    build: buildOf(import.meta.url),
    per_message: rows,
    index_entries: big.size,
    lookup_median_us: lookup.median,
    lookup_p99_us: lookup.p99,
    bytes_per_entry: Math.round(bytesPerEntry),
    rss_mb: Math.round(mem.rss / MB),
    heap_used_mb: Math.round(mem.heapUsed / MB),
    index_stats: big.stats(),
  }),
)
