/**
 * Chat-similarity benchmark: update time per minute of stream with 100,000 active chats.
 *
 *   npx tsx bench/channels.bench.ts [--chats 100000] [--rate 2000] [--minutes 3] [--json]
 *
 * Setup (not timed): `chats` channels, each with a title and @handle (1% of them look-alikes of
 * another, a few dozen of protected names), warmed up with a 72 h window's worth of posts (each
 * chat posts every ~2 h on average; 1% of the chats are clones reposting another chat's posts
 * 5-60 minutes later). Then `minutes` of stream at `rate` posts per second, generated beforehand
 * so that only chat similarity is timed: every post is a ChatSimilarity.observe (unique posts,
 * clone reposts, and a spam wave: one campaign posted by 3,000 chats), with drainChanged once per
 * second of event time, as the pipeline does.
 *
 * Floor: the same posts, each doing only what any per-chat index must do with a post: find its
 * chat in a Map by id and hash its two item keys (the exact hash and the campaign id) into a table.
 * `ratio` = chat similarity / floor. Both are timed in wall-clock and CPU time (the machine may be
 * shared: CPU time is the steadier figure), the better of `--repeat` (default 3) floor runs.
 *
 * Reported: milliseconds of chat-similarity work per minute of stream, microseconds per post and
 * per post of the floor, rows drained, pairs, items, heap.
 */
import { ChatSimilarity, type ChatPost } from '../src/channels/index.js'
import { loadProtectedNamesFile } from '../src/config/analysis-files.js'
import { murmur3Utf16Pair, PAIR } from '../src/fingerprint/hash.js'

const args = process.argv.slice(2)
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : def
}
const CHATS = opt('chats', 100_000)
const RATE = opt('rate', 2_000)
const MINUTES = opt('minutes', 3)
const REPEAT = opt('repeat', 3)
const JSON_OUT = args.includes('--json')

const HOUR = 3_600_000
const WINDOW = 72 * HOUR
const START = Date.UTC(2026, 10, 28, 12)

// deterministic PRNG (xorshift32)
let seed = 0x2545f491
const rnd = () => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 4294967296
}
const int = (n: number) => Math.floor(rnd() * n)
const hex16 = (n: number) => (n >>> 0).toString(16).padStart(8, '0') + ((n * 2654435761) >>> 0).toString(16).padStart(8, '0')

const WORDS =
  'news crypto daily tech football memes jobs travel python movies deals music gaming fitness novosti kripta rabota kino avto berita loker haber futbol noticias cine promo kuliner akhbar safar'.split(
    ' ',
  )
const CITIES = 'london paris moscow kyiv jakarta lagos manila tehran istanbul madrid bogota lima sochi berlin delhi cairo dubai'.split(' ')

interface BenchChat {
  id: string
  title: string
  username: string
  cloneOf: number
}
const chats: BenchChat[] = []
for (let i = 0; i < CHATS; i++) {
  const w = WORDS[int(WORDS.length)]!
  const c = CITIES[int(CITIES.length)]!
  let username = `${w}_${c}${i}`
  let title = `${w[0]!.toUpperCase()}${w.slice(1)} ${c[0]!.toUpperCase()}${c.slice(1)}`
  if (i > 0 && rnd() < 0.01) {
    // a look-alike of an earlier chat: a homoglyph in its handle
    const t = chats[int(i)]!
    username = t.username.replace('o', '\u043e').replace('a', '\u0430')
    title = t.title
  }
  chats.push({ id: String(-1001000000000 - i), title, username, cloneOf: i > 10 && rnd() < 0.01 ? int(i) : -1 })
}

const { names } = loadProtectedNamesFile()
const sim = new ChatSimilarity({ windowMs: WINDOW, maxChats: CHATS * 2, protectedNames: names })

let itemSeq = 1
/** recent posts per chat (for clones to copy) */
const recent: number[][] = chats.map(() => [])
const pending: { at: number; chat: number; item: number }[] = []

function postOf(ci: number, ts: number, item: number, campaignChats = 1): ChatPost {
  const c = chats[ci]!
  return {
    chatId: c.id,
    chatType: 'channel',
    title: c.title,
    username: c.username,
    tsMs: ts,
    exactHash: hex16(item),
    campaignId: 'c' + hex16(item),
    // a repost keeps its text's beginning and end: keys of the item, as its exact hash is
    headKey: hex16(item + 0x10000000),
    tailKey: hex16(item + 0x20000000),
    campaignChats,
  }
}

/** where generated posts go: observed at once during the warm-up, recorded for the timed phase */
let sink = (post: ChatPost): void => sim.observe(post)

function emit(ci: number, ts: number): void {
  const item = itemSeq++
  sink(postOf(ci, ts, item))
  const r = recent[ci]!
  r.push(item)
  if (r.length > 8) r.shift()
  // clones of this chat repost it later
  for (const clone of clonesOf[ci] ?? []) pending.push({ at: ts + (5 + int(55)) * 60_000, chat: clone, item })
}
const clonesOf: number[][] = []
chats.forEach((c, i) => {
  if (c.cloneOf >= 0) (clonesOf[c.cloneOf] ??= []).push(i)
})

function flushPending(now: number): void {
  pending.sort((a, b) => a.at - b.at)
  let k = 0
  while (k < pending.length && pending[k]!.at <= now) {
    const p = pending[k++]!
    sink(postOf(p.chat, p.at, p.item))
  }
  pending.splice(0, k)
}

// ---- warm-up: a window's worth of posts (timed apart: it includes every chat's first post, names matched) ----
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const warmPosts = Math.round((CHATS * WINDOW) / (2 * HOUR))
const warmStart = START - WINDOW
for (let n = 0; n < warmPosts; n++) {
  const ts = warmStart + Math.floor((n / warmPosts) * WINDOW)
  emit(int(CHATS), ts)
  if (n % 5000 === 0) flushPending(ts)
}
flushPending(START)
sim.drainChanged(START)
const warmMs = performance.now() - t0
const warmCpu = process.cpuUsage(cpu0)
const warmCpuMs = (warmCpu.user + warmCpu.system) / 1000

// ---- the timed stream, generated beforehand: posts, and a drain time after each second ----
const spamWave = itemSeq++
const minutes: (ChatPost | number)[][] = []
for (let m = 0; m < MINUTES; m++) {
  const events: (ChatPost | number)[] = []
  sink = (post) => events.push(post)
  for (let s = 0; s < 60; s++) {
    const secStart = START + (m * 60 + s) * 1000
    for (let k = 0; k < RATE; k++) {
      const ts = secStart + Math.floor((k / RATE) * 1000)
      const r = rnd()
      // the spam wave: one campaign pushed into many chats
      if (r < 0.05) sink(postOf(int(3000), ts, spamWave, 3000))
      else emit(int(CHATS), ts)
    }
    flushPending(secStart + 999)
    events.push(secStart + 1000)
  }
  minutes.push(events)
}
const posts = minutes.reduce((n, events) => n + events.filter((e) => typeof e !== 'number').length, 0)

/** wall-clock and CPU milliseconds of `work` */
function timed(work: () => void): { wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage()
  const t = performance.now()
  work()
  const wallMs = performance.now() - t
  const c = process.cpuUsage(c0)
  return { wallMs, cpuMs: (c.user + c.system) / 1000 }
}

// ---- floor: a Map lookup of the chat and a hash of both item keys per post ----
const chatIndex = new Map(chats.map((c, i) => [c.id, i]))
const touched = new Uint32Array(1 << 20)
let floor = { wallMs: Infinity, cpuMs: Infinity }
for (let r = 0; r < REPEAT; r++) {
  const t = timed(() => {
    for (const events of minutes)
      for (const e of events) {
        if (typeof e === 'number') continue
        const ci = chatIndex.get(e.chatId)!
        murmur3Utf16Pair(e.exactHash, ci, 0x2f1a5d3b)
        touched[PAIR[0]! & 0xfffff]! += 1
        murmur3Utf16Pair(e.campaignId, ci, 0x2f1a5d3b)
        touched[PAIR[1]! & 0xfffff]! += 1
      }
  })
  if (t.cpuMs < floor.cpuMs) floor = t
}

// ---- timed: chat similarity over the same posts ----
let drained = 0
const perMinute: { wallMs: number; cpuMs: number }[] = []
for (const events of minutes)
  perMinute.push(
    timed(() => {
      for (const e of events) {
        if (typeof e === 'number') drained += sim.drainChanged(e).length
        else sim.observe(e)
      }
    }),
  )

const st = sim.stats()
const memory = process.memoryUsage()
const heapMb = Math.round(memory.heapUsed / 1048576)
/** the typed arrays of the item index live outside the heap */
const arrayBuffersMb = Math.round(memory.arrayBuffers / 1048576)
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const msPerMinute = mean(perMinute.map((x) => x.wallMs))
const cpuMsPerMinute = mean(perMinute.map((x) => x.cpuMs))
const usPer = (ms: number, n: number) => Math.round(((ms * 1000) / n) * 100) / 100
const result = {
  active_chats: CHATS,
  rate_per_second: RATE,
  minutes: MINUTES,
  warmup_posts: warmPosts,
  warmup_ms: Math.round(warmMs),
  warmup_cpu_ms: Math.round(warmCpuMs),
  ms_per_minute_of_stream: Math.round(msPerMinute),
  cpu_ms_per_minute_of_stream: Math.round(cpuMsPerMinute),
  ms_per_minute_each: perMinute.map((x) => Math.round(x.wallMs)),
  us_per_post: usPer(msPerMinute * MINUTES, posts),
  cpu_us_per_post: usPer(cpuMsPerMinute * MINUTES, posts),
  floor_us_per_post: usPer(floor.wallMs, posts),
  floor_cpu_us_per_post: usPer(floor.cpuMs, posts),
  ratio: Math.round(((cpuMsPerMinute * MINUTES) / floor.cpuMs) * 10) / 10,
  share_of_a_core: Math.round((cpuMsPerMinute / 60_000) * 10000) / 100 + '%',
  rows_drained: drained,
  posts,
  ...st,
  heap_mb: heapMb,
  array_buffers_mb: arrayBuffersMb,
  tracked_chats: st.chats,
}
if (JSON_OUT) console.log(JSON.stringify(result))
else {
  console.log(
    `chat similarity, ${CHATS} active chats, ${RATE} posts/s (${RATE * 60} per minute), window 72 h (${warmPosts} posts of warm-up in ${Math.round(warmMs)} ms, CPU ${Math.round(warmCpuMs)} ms)`,
  )
  console.log(
    `  update time per minute of stream: ${result.ms_per_minute_of_stream} ms (CPU ${result.cpu_ms_per_minute_of_stream} ms, ${result.share_of_a_core} of one core), ${result.us_per_post} µs per post (CPU ${result.cpu_us_per_post} µs)`,
  )
  console.log(
    `  floor (chat lookup + hash of both item keys): ${result.floor_us_per_post} µs per post (CPU ${result.floor_cpu_us_per_post} µs); chat similarity / floor = ${result.ratio} (CPU)`,
  )
  console.log(`  per minute: ${result.ms_per_minute_each.join(', ')} ms; rows drained ${drained}`)
  console.log(
    `  chats ${st.chats}, pairs ${st.pairs} (content reported ${st.contentPairs}, name ${st.namePairs}), items ${st.items}, broad items ${st.broadItems}, name keys ${st.nameKeys}, heap ${heapMb} MB, array buffers ${arrayBuffersMb} MB`,
  )
}
