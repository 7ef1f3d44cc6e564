/**
 * Micro-benchmark of the normalizer alone: `npm run bench:normalize`
 * (or `npx tsx bench/normalize.bench.ts [--rounds N] [--messages N] [--from-sources]`). It measures
 * the compiled build (./compile.ts), as the image runs it; `--from-sources` the sources through tsx.
 *
 * Times `normalizeText` per call over two sets of texts: the labelled set
 * (test/fixtures/eval/neardup-public.jsonl, real spam and chat texts) and the message texts of the
 * generator's stream (seed 1, what `npm start` and `npm run bench` process). Beside it runs the floor
 * any normalizer pays, `text.normalize('NFKC').toLowerCase()` over the same texts, and the ratio.
 * Each figure is the median over rounds of one pass over the whole set (after two warm-up passes), in
 * CPU time of the process (user + system): on a shared machine wall-clock time also counts the time
 * other processes held the core, CPU time much less so (caches and frequency still depend on the
 * load: quote it, printed with the figures). `gc %` is the time of the garbage collector's pauses
 * (PerformanceObserver 'gc' entries) over that CPU time, a measure of what the call allocates.
 * Prints a table and one JSON line. No assertion: this only measures.
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { PerformanceObserver } from 'node:perf_hooks'
import { generateRecords } from '../src/generator/index.js'
import { normalizeText } from '../src/normalize/index.js'
import { buildOf, ranCompiled } from './compile.js'

if (ranCompiled(import.meta.url)) process.exit()

const args = process.argv.slice(2)
function option(name: string, fallback: number): number {
  const at = args.indexOf(name)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const ROUNDS = option('--rounds', 7)
const MESSAGES = option('--messages', 20_000)

const labelled = readFileSync(new URL('../test/fixtures/eval/neardup-public.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { text: string }).text)

const generated: string[] = []
for (const record of generateRecords({ seed: 1, messages: MESSAGES, startMs: Date.UTC(2024, 0, 1) })) {
  if (record.kind !== 'message') continue
  const text = (JSON.parse(record.value.toString('utf8')) as { text?: unknown }).text
  if (typeof text === 'string') generated.push(text)
}

let gcMs = 0
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration
})
gcObserver.observe({ entryTypes: ['gc'] })

/** Keeps results alive so that no call is optimized away. */
let sink = 0

/** CPU µs per call (median over rounds) and the share of the timed rounds spent in GC. */
async function measure(texts: readonly string[], call: (text: string) => number): Promise<{ us: number; gcShare: number }> {
  for (let w = 0; w < 2; w++) for (const t of texts) sink += call(t)
  await flushGcEntries()
  const perRound: number[] = []
  const gcBefore = gcMs
  let totalMs = 0
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.cpuUsage()
    for (const t of texts) sink += call(t)
    const used = process.cpuUsage(start)
    const us = used.user + used.system
    totalMs += us / 1000
    perRound.push(us / texts.length)
  }
  await flushGcEntries()
  perRound.sort((a, b) => a - b)
  return { us: perRound[Math.floor(perRound.length / 2)]!, gcShare: (gcMs - gcBefore) / totalMs }
}

/** GC entries are delivered asynchronously: let the observer catch up before reading the total. */
function flushGcEntries(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20))
}

const normalize = (t: string): number => normalizeText(t).text.length
const floor = (t: string): number => t.normalize('NFKC').toLowerCase().length

interface Row {
  set: string
  texts: number
  mean_chars: number
  normalize_us: number
  normalize_gc_share: number
  floor_us: number
  ratio: number
}
const rows: Row[] = []
for (const [name, texts] of [
  ['labelled', labelled],
  ['generated', generated],
] as const) {
  const n = await measure(texts, normalize)
  const f = await measure(texts, floor)
  rows.push({
    set: name,
    texts: texts.length,
    mean_chars: Math.round(texts.reduce((sum, t) => sum + t.length, 0) / texts.length),
    normalize_us: n.us,
    normalize_gc_share: n.gcShare,
    floor_us: f.us,
    ratio: n.us / f.us,
  })
}
gcObserver.disconnect()

const load = loadavg().map((l) => l.toFixed(2))
const num = (v: number, width: number): string => v.toFixed(2).padStart(width)
console.log(
  [
    `normalizeText (${buildOf(import.meta.url)} build), CPU µs per call (median of ${ROUNDS} passes), beside the floor NFKC + toLowerCase; load average ${load.join(' ')}`,
    '       set   texts  mean chars  normalize   gc %    floor   ratio',
    ...rows.map(
      (r) =>
        `${r.set.padStart(10)} ${String(r.texts).padStart(7)} ${String(r.mean_chars).padStart(11)} ${num(r.normalize_us, 10)} ${num(r.normalize_gc_share * 100, 6)} ${num(r.floor_us, 8)} ${num(r.ratio, 7)}`,
    ),
  ].join('\n'),
)
console.log(
  JSON.stringify({
    bench: 'normalize',
    build: buildOf(import.meta.url),
    rounds: ROUNDS,
    load_average: load.map(Number),
    rows,
    sink: sink > 0,
  }),
)
