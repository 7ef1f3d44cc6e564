/**
 * The synthetic stream engine behind `abuse-radar generate`.
 *
 * Pure and deterministic: one seeded PRNG drives everything, the start time is a parameter, and no
 * clock, file or network is touched. Events are scheduled into a min-heap keyed by their emission
 * time; the main loop advances event time by one "step" (an organic message, a campaign wave, ...)
 * and emits every scheduled event that is due, so memory holds only what is still pending (report
 * answers, clone reposts, redeliveries), never the stream.
 */
import type { MessageV1, ModerationV1, ReportV1 } from '../domain/events.js'
import { CampaignRegistry, renderCopy, type Campaign, type Spammer } from './campaign.js'
import { makeMalformed, makeTooLarge, MALFORMED_REASONS, type MalformedReason, type TopicKind } from './malformed.js'
import { hash2, pickCumulative, Rng } from './prng.js'
import { ByteSink, keep, utf8, type TextRef } from './bytes.js'
import { cloneText, composeChat, composePost, constText, lightEdit, randomUrl, sentence, type Entity } from './text.js'
import { botSender, buildWorld, memberIndex, newChat, spammerId, userAttrs, userId, type Chat, type Sender, type World } from './world.js'

export interface GeneratorOptions {
  seed: number
  /** Number of message.v1 records (valid, before duplicates). */
  messages: number
  /** Event time of the first record, epoch ms. */
  startMs: number
  /** Messages per second of event time; default 50. */
  ratePerSecond?: number
  /** Share of valid records published a second time with the same bytes; default 0.01. */
  duplicateShare?: number
  /** Share (relative to valid records) of malformed records; default 0.002. */
  malformedShare?: number
  /** Every `every` valid records, one otherwise valid message larger than `bytes`; default off. */
  oversized?: { every: number; bytes: number } | null
  topics?: { messages: string; moderation: string; reports: string }
  /** Share of records published without a key; default 0.01. */
  nullKeyShare?: number
  /**
   * If given, filled in while records are yielded (it grows with the stream, the records do not
   * accumulate); look-alike targets are finalized when the generator is exhausted.
   */
  truth?: GroundTruth | null
}

export interface GeneratedRecord {
  topic: string
  /** The chat id, or null. */
  key: string | null
  value: Buffer
  kind: 'message' | 'moderation' | 'report' | 'malformed' | 'duplicate'
  malformedReason?: MalformedReason
}

export interface GroundTruth {
  /** Message event id (created or edited-into-spam) → campaign label, for spam campaign copies only. */
  campaignOf: Map<string, string>
  /** Clone chat id → original chat id (set once the clone has reposted a post of the original). */
  cloneOf: Map<string, string>
  /** Chat id → impersonated chat id (if that chat posted in the stream) or protected @username. */
  lookalikeOf: Map<string, string>
  /** Chats operated by spammers (scam channels, bots and groups, scam clones) that posted. */
  spamChats: Set<string>
  /** Event id of a clone repost or a forward → event id of the post it copies (filled when present). */
  copyOf?: Map<string, string>
}

const DEFAULT_TOPICS = { messages: 'abuse.messages', moderation: 'abuse.moderation', reports: 'abuse.reports' }
const MIN = 60_000
const HOUR = 3_600_000

const K_MSG = 0
const K_MOD = 1
const K_REP = 2
const K_DUP = 3

interface MsgRef {
  chat: Chat
  /** Assigned when the created event is emitted. */
  id: string | null
  eventId: string
}

interface RingPost {
  chat: Chat
  ref: MsgRef
  text: TextRef | null
  entities: Entity[] | undefined
  media: MessageV1['media']
}

type Obj = Record<string, unknown>

type Media = MessageV1['media']
type Buttons = MessageV1['buttons']

/** A scheduled event. Messages keep their fields here and are serialized by hand at emission. */
class Item {
  constructor(
    public at: number,
    public seq: number,
    public kind: number,
    public ts: number,
    public obj: Obj | null,
    public ref: MsgRef | null,
    public label: string | null = null,
  ) {}
  // message fields
  eventId = ''
  type: MessageV1['type'] = 'created'
  sender: Sender | null = null
  /** Organic text: bytes already JSON-escaped. */
  tref: TextRef | null = null
  /** Spam text: a raw string (obfuscation works on strings), escaped at serialization. */
  text: string | undefined = undefined
  entities: Entity[] | undefined = undefined
  buttons: Buttons = undefined
  media: Media = undefined
  lang: string | undefined = undefined
  country: string | undefined = undefined
  // relations
  cloneSrc: Chat | null = null
  copyOf: string | null = null
  replyBack = 0
  fwd: MsgRef | null = null
  fwdStatic: { chat_id: string; message_id: string } | null = null
  ring: RingPost | null = null
  dup: GeneratedRecord | null = null
}

class Heap {
  private a: Item[] = []
  get size(): number {
    return this.a.length
  }
  peek(): Item | undefined {
    return this.a[0]
  }
  private less(x: Item, y: Item): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq)
  }
  push(it: Item): void {
    const a = this.a
    let i = a.length
    a.push(it)
    while (i > 0) {
      const p = (i - 1) >> 1
      const pi = a[p] as Item
      if (!this.less(it, pi)) break
      a[i] = pi
      i = p
    }
    a[i] = it
  }
  pop(): Item | undefined {
    const a = this.a
    const top = a[0]
    const last = a.pop()
    if (a.length === 0 || last === undefined) return top
    let i = 0
    const n = a.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let c = l
      if (r < n && this.less(a[r] as Item, a[l] as Item)) c = r
      if (!this.less(a[c] as Item, last)) break
      a[i] = a[c] as Item
      i = c
    }
    a[i] = last
    return top
  }
}

const TF_ORGS: [string, string][] = [
  ['INHOPE-DE', 'DE'],
  ['INHOPE-NL', 'NL'],
  ['IWF-GB', 'GB'],
  ['PointDeContact-FR', 'FR'],
  ['jugendschutz.net-DE', 'DE'],
  ['SaferNet-BR', 'BR'],
  ['ECPAT-SE', 'SE'],
  ['TeProtejo-CO', 'CO'],
  ['Meldpunt-NL', 'NL'],
]
const AUTHORITIES: [string, string | undefined][] = [
  ['BKA-DE', 'DE'],
  ['Europol-IRU', undefined],
  ['Arcom-FR', 'FR'],
  ['Ofcom-GB', 'GB'],
  ['Policia-ES', 'ES'],
  ['CyberPolice-UA', 'UA'],
  ['Komdigi-ID', 'ID'],
  ['AGCOM-IT', 'IT'],
  ['eSafety-AU', 'AU'],
  ['BTK-TR', 'TR'],
]

type Category = ModerationV1['category']
type Action = ModerationV1['action']
type Source = ModerationV1['source']
type Reporter = ReportV1['reporter']

function weighted<T>(spec: [T, number][]): (rng: Rng) => T {
  const cum: number[] = []
  let acc = 0
  for (const [, w] of spec) cum.push((acc += w))
  return (rng) => {
    const x = rng.float() * acc
    for (let i = 0; i < cum.length; i++) if (x < (cum[i] as number)) return (spec[i] as [T, number])[0]
    return (spec[spec.length - 1] as [T, number])[0]
  }
}

const USER_REPORT_CATEGORY = weighted<Category>([
  ['spam', 30],
  ['other', 25],
  ['copyright', 10],
  ['scam', 8],
  ['violence', 8],
  ['doxxing', 8],
  ['illegal_goods', 6],
  ['impersonation', 3],
  ['terrorism', 2],
])
const TF_CATEGORY = weighted<Category>([
  ['csam', 30],
  ['terrorism', 20],
  ['violence', 15],
  ['illegal_goods', 15],
  ['doxxing', 10],
  ['other', 10],
])
const AUTHORITY_CATEGORY = weighted<Category>([
  ['terrorism', 30],
  ['illegal_goods', 25],
  ['copyright', 15],
  ['doxxing', 10],
  ['violence', 10],
  ['other', 10],
])
const ORGANIC_OUTCOME_USER = weighted<Action>([
  ['no_violation', 55],
  ['message_removed', 30],
  ['user_restricted', 5],
  ['user_banned', 4],
  ['chat_restricted', 3],
  ['chat_banned', 3],
])
const ORGANIC_OUTCOME_PARTNER = weighted<Action>([
  ['message_removed', 60],
  ['no_violation', 20],
  ['chat_banned', 8],
  ['user_banned', 7],
  ['chat_restricted', 5],
])
const SPAM_OUTCOME = weighted<Action>([
  ['message_removed', 70],
  ['user_banned', 20],
  ['no_violation', 10],
])
const SCAM_CHAT_OUTCOME = weighted<Action>([
  ['chat_banned', 75],
  ['chat_restricted', 10],
  ['no_violation', 15],
])
const MEDIA_KIND = weighted<NonNullable<MessageV1['media']>['kind']>([
  ['photo', 45],
  ['video', 20],
  ['sticker', 10],
  ['voice', 8],
  ['document', 8],
  ['audio', 3],
  ['poll', 2],
  ['location', 2],
  ['contact', 2],
])
const READ_MORE: Record<string, string> = {
  en: 'Read more',
  ru: 'Подробнее',
  uk: 'Детальніше',
  es: 'Leer más',
  pt: 'Saiba mais',
  id: 'Baca selengkapnya',
  fa: 'بیشتر بخوانید',
  ar: 'اقرأ المزيد',
  de: 'Mehr lesen',
  tr: 'Devamını oku',
}
const SLEEPER_OPENERS = [
  'Hi all 👋',
  'Hello everyone, nice group!',
  'Привет всем 👋',
  'Hola a todos 👋',
  'Halo semua 🙏',
  'Merhaba 👋',
  'سلام به همه',
  'Oi pessoal 👋',
]
const TS_OFFSETS = [180, -300, 330, 60, 120, 210, -180, 480, 0]

function reporterSource(r: Reporter): Source {
  return r === 'user' ? 'user_report' : r
}

function isoWithOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * MIN).toISOString().slice(0, 23)
  if (offsetMin === 0) return local + '+00:00'
  const a = Math.abs(offsetMin)
  return `${local}${offsetMin < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`
}

interface Normalized {
  seed: number
  messages: number
  startMs: number
  msPer: number
  duplicateShare: number
  malformedShare: number
  nullKeyShare: number
  oversized: { every: number; bytes: number } | null
  topics: [string, string, string]
}

function normalize(o: GeneratorOptions): Normalized {
  if (!Number.isFinite(o.seed)) throw new RangeError('seed must be a finite number')
  if (!Number.isInteger(o.messages) || o.messages < 0) throw new RangeError('messages must be a non-negative integer')
  if (!Number.isFinite(o.startMs)) throw new RangeError('startMs must be epoch milliseconds')
  const rate = o.ratePerSecond ?? 50
  if (!(rate > 0)) throw new RangeError('ratePerSecond must be positive')
  const share = (v: number | undefined, d: number, name: string) => {
    const x = v ?? d
    if (!(x >= 0 && x <= 1)) throw new RangeError(`${name} must be in [0, 1]`)
    return x
  }
  const ov = o.oversized ?? null
  if (ov && !(ov.every >= 1 && ov.bytes >= 1)) throw new RangeError('oversized needs every >= 1 and bytes >= 1')
  const t = o.topics ?? DEFAULT_TOPICS
  return {
    seed: o.seed,
    messages: o.messages,
    startMs: Math.floor(o.startMs),
    msPer: 1000 / rate,
    duplicateShare: share(o.duplicateShare, 0.01, 'duplicateShare'),
    malformedShare: share(o.malformedShare, 0.002, 'malformedShare'),
    nullKeyShare: share(o.nullKeyShare, 0.01, 'nullKeyShare'),
    oversized: ov ? { every: Math.floor(ov.every), bytes: Math.floor(ov.bytes) } : null,
    topics: [t.messages, t.moderation, t.reports],
  }
}

const ESCAPE_RE = /["\\\u0000-\u001f]/

/** A JSON string literal: plain concatenation unless something needs escaping. */
function quote(s: string): string {
  return ESCAPE_RE.test(s) ? JSON.stringify(s) : '"' + s + '"'
}

function entitiesJson(es: Entity[]): string {
  let s = '['
  for (let i = 0; i < es.length; i++) {
    const e = es[i] as Entity
    s += (i ? ',{"type":"' : '{"type":"') + e.type + (e.value === undefined ? '"}' : '","value":' + quote(e.value) + '}')
  }
  return s + ']'
}

const B = utf8
const P_HEAD = B('{"schema":"message.v1","event_id":"')
const P_CREATED = B('","type":"created","ts":')
const P_EDITED = B('","type":"edited","ts":')
const P_DELETED = B('","type":"deleted","ts":')
const P_SENDER = B('","sender":')
const P_TEXT = B(',"text":"')
const P_ENT = B(',"entities":')
const P_BUT = B(',"buttons":')
const P_MEDIA = B(',"media":')
const P_FWD = B(',"forward":{"chat_id":"')
const P_FWD_MID = B('","message_id":"')
const P_FWD_END = B('"}')
const P_REPLY = B(',"reply_to":"')
const P_LANG = B(',"lang":"')
const P_COUNTRY = B(',"country":"')
const QUOTE = 34
const CLOSE = 125

class Engine {
  readonly rng: Rng
  readonly world: World
  readonly heap = new Heap()
  readonly registry = new CampaignRegistry()
  readonly active: Campaign[] = []
  readonly out: GeneratedRecord[] = []
  readonly ring: RingPost[] = []
  readonly groupsByLang = new Map<string, Chat[]>()
  /** Organic texts, and record values. */
  readonly tsink = new ByteSink(64 * 1024)
  readonly rsink = new ByteSink(256 * 1024)
  readonly seedTag: string
  seq = 0
  reserved = 0
  now: number
  validCount = 0
  spammers = 0
  victims = 0
  lastMessage: Buffer | null = null
  readonly seenChats: Set<string> | null
  /** Event time of the current step, and the step's own message: due now, it bypasses the heap. */
  private stepT = Number.NaN
  immediate: Item | null = null
  /** Direct-mapped cache of organic senders (group regulars post again and again). */
  private readonly senderCache: (Sender | undefined)[] = new Array<Sender | undefined>(1 << 16)
  private readonly senderCacheIdx = new Int32Array(1 << 16).fill(-1)

  constructor(
    readonly o: Normalized,
    readonly truth: GroundTruth | null,
  ) {
    this.rng = new Rng(o.seed)
    this.seedTag = String(o.seed)
    this.world = buildWorld(this.rng, o.messages)
    this.now = o.startMs
    for (const g of this.world.groups) {
      const l = this.groupsByLang.get(g.lang.code) ?? []
      l.push(g)
      this.groupsByLang.set(g.lang.code, l)
    }
    this.seenChats = truth ? new Set() : null
  }

  // ---------------------------------------------------------------- scheduling primitives

  private nextEventId(): [number, string] {
    const s = this.seq++
    return [s, `${this.seedTag}-${s}`]
  }

  private reserve(n: number): boolean {
    if (this.reserved + n > this.o.messages) return false
    this.reserved += n
    return true
  }

  private jitter(): number {
    return this.rng.int(2000)
  }

  /** Schedule a message event; `body` is an organic text (bytes), a spam text (string) or none. */
  private message(
    ts: number,
    type: MessageV1['type'],
    ref: MsgRef | null,
    chat: Chat,
    sender: Sender,
    body: TextRef | string | null,
    entities: Entity[] | undefined,
    label: string | null,
  ): Item {
    const rng = this.rng
    const [seq, eventId] = this.nextEventId()
    const r = ref ?? { chat, id: null, eventId }
    const it = new Item(ts, seq, K_MSG, ts, null, r, label)
    it.eventId = eventId
    it.type = type
    it.sender = sender
    let chars = 0
    if (typeof body === 'string') {
      it.text = body
      chars = body.length
    } else if (body !== null) {
      it.tref = body
      chars = body.chars
    }
    it.entities = entities
    if (body !== null && rng.chance(chars < 15 ? 0.3 : 0.85)) it.lang = chat.lang.code
    if (rng.chance(0.8)) it.country = chat.country
    // the first message of a step at the step's time is due before anything pending
    if (ts === this.stepT && this.immediate === null && ref === null) this.immediate = it
    else this.heap.push(it)
    return it
  }

  private created(
    ts: number,
    chat: Chat,
    sender: Sender,
    body: TextRef | string | null,
    entities: Entity[] | undefined,
    label: string | null = null,
  ): Item {
    return this.message(ts, 'created', null, chat, sender, body, entities, label)
  }

  /** Schedule an edit or delete of `ref` (budget must be reserved by the caller). */
  private followUp(
    ts: number,
    ref: MsgRef,
    type: 'edited' | 'deleted',
    sender: Sender,
    body: TextRef | string | null,
    entities: Entity[] | undefined,
    label: string | null = null,
  ): Item {
    return this.message(ts, type, ref, ref.chat, sender, body, entities, label)
  }

  private moderation(
    ts: number,
    action: Action,
    category: Category,
    source: Source,
    chat: Chat,
    ref: MsgRef | null,
    userId: string | undefined,
    reportId?: string,
  ): void {
    const [seq, eventId] = this.nextEventId()
    const obj: Obj = {
      schema: 'moderation.v1',
      event_id: eventId,
      ts: 0,
      action,
      target: { chat_id: chat.id, message_id: undefined, user_id: userId },
      category,
      source,
      report_id: reportId,
      country: this.rng.chance(0.85) ? chat.country : undefined,
    }
    this.heap.push(new Item(ts + this.jitter(), seq, K_MOD, ts, obj, ref))
  }

  /**
   * A report and (usually) its answer. `violating` says what review will find: spam copies and
   * scam chats mostly get acted on, organic content mostly not.
   */
  private report(
    t0: number,
    reporter: Reporter,
    category: Category,
    chat: Chat,
    ref: MsgRef | null,
    userId: string | undefined,
    violating: 'spam' | 'scam_chat' | 'organic',
  ): void {
    const rng = this.rng
    const [seq, eventId] = this.nextEventId()
    const reportId = `rep-${this.seedTag}-${seq}`
    const grave = category === 'csam' || category === 'terrorism' || category === 'violence'
    const urgent =
      reporter === 'user'
        ? rng.chance(grave ? 0.3 : 0.04)
        : reporter === 'trusted_flagger'
          ? rng.chance(grave ? 0.85 : 0.35)
          : rng.chance(grave ? 0.8 : 0.5)
    let org: string | undefined
    let country: string | undefined = rng.chance(0.7) ? chat.country : undefined
    if (reporter === 'trusted_flagger') {
      const [n, c] = rng.pick(TF_ORGS)
      org = n
      country = c
    } else if (reporter === 'authority') {
      const [n, c] = rng.pick(AUTHORITIES)
      org = n
      country = c
    }
    const delay =
      reporter === 'user'
        ? rng.logNormal(20 * MIN, 1.2)
        : reporter === 'trusted_flagger'
          ? rng.logNormal(2 * HOUR, 1.0)
          : rng.logNormal(6 * HOUR, 1.0)
    const reportTs = Math.floor(t0 + Math.min(48 * HOUR, Math.max(5000, delay)))
    const answered = rng.chance(reporter === 'user' ? 0.85 : reporter === 'trusted_flagger' ? 0.95 : 0.97)
    // some answers reach the stream before their report (topics interleave)
    const late = answered && rng.chance(0.06)
    let answerDelay: number
    if (late) answerDelay = rng.range(20_000, 4 * MIN)
    else {
      const median =
        reporter === 'trusted_flagger'
          ? urgent
            ? 20 * MIN
            : 4 * HOUR
          : reporter === 'authority'
            ? urgent
              ? 40 * MIN
              : 10 * HOUR
            : urgent
              ? 90 * MIN
              : 12 * HOUR
      answerDelay = Math.min(96 * HOUR, Math.max(20_000, rng.logNormal(median, 0.9)))
    }
    const answerTs = Math.floor(reportTs + answerDelay)
    const obj: Obj = {
      schema: 'report.v1',
      event_id: eventId,
      ts: 0,
      report_id: reportId,
      reporter,
      reporter_org: org,
      priority: urgent ? 'urgent' : 'normal',
      target: { chat_id: chat.id, message_id: undefined, user_id: reporter === 'user' && rng.chance(0.5) ? userId : undefined },
      category,
      country,
    }
    const at = late ? answerTs + rng.range(2000, 90_000) : reportTs + this.jitter()
    this.heap.push(new Item(at, seq, K_REP, reportTs, obj, ref))
    if (!answered) return
    const action =
      violating === 'spam'
        ? SPAM_OUTCOME(rng)
        : violating === 'scam_chat'
          ? SCAM_CHAT_OUTCOME(rng)
          : reporter === 'user'
            ? ORGANIC_OUTCOME_USER(rng)
            : ORGANIC_OUTCOME_PARTNER(rng)
    const source = reporterSource(reporter)
    const answerCategory = action !== 'no_violation' && category === 'other' && rng.chance(0.3) ? 'spam' : category
    const msgLevel = action === 'message_removed'
    this.moderation(
      answerTs,
      action,
      answerCategory,
      source,
      chat,
      msgLevel || action === 'no_violation' ? ref : null,
      action.startsWith('user_') ? userId : undefined,
      reportId,
    )
    if (action === 'chat_banned' && chat.spam) this.banScamChat(chat)
    if (action !== 'no_violation' && rng.chance(0.12)) {
      // a second action on the same report: the report was answered by the first
      const second: Action = action === 'message_removed' && userId ? 'user_banned' : 'chat_restricted'
      this.moderation(
        answerTs + Math.floor(rng.exp(HOUR)) + 1000,
        second,
        answerCategory,
        source,
        chat,
        null,
        second === 'user_banned' ? userId : undefined,
        reportId,
      )
    }
    if (action !== 'no_violation' && rng.chance(0.03)) {
      this.moderation(
        answerTs + Math.floor(rng.exp(8 * HOUR)) + MIN,
        'action_reverted',
        answerCategory,
        'user_report',
        chat,
        msgLevel ? ref : null,
        action.startsWith('user_') ? userId : undefined,
        reportId,
      )
    }
  }

  private banScamChat(chat: Chat): void {
    const alive = this.world.scam.filter((c) => !c.banned).length
    if (alive > 3) chat.banned = true
  }

  // ---------------------------------------------------------------- senders

  private userSender(idx: number): Sender {
    const slot = idx & 0xffff
    if (this.senderCacheIdx[slot] === idx) return this.senderCache[slot] as Sender
    const sender = this.makeUserSender(idx)
    this.senderCacheIdx[slot] = idx
    this.senderCache[slot] = sender
    return sender
  }

  private makeUserSender(idx: number): Sender {
    const a = userAttrs(this.world.salt, idx, this.o.startMs)
    const id = userId(this.world.salt, idx)
    let json = '{"id":"' + id + '"'
    if (a.premium) json += ',"premium":true'
    else if ((idx & 7) === 0) json += ',"premium":false'
    if (a.createdTs !== null) json += ',"created_ts":' + (a.isoCreated ? '"' + new Date(a.createdTs).toISOString() + '"' : a.createdTs)
    return { id, json: json + '}', bot: false }
  }

  private spammerSender(sp: Spammer): Sender {
    let json = '{"id":"' + sp.id + '"'
    if (sp.bot) json += ',"bot":true'
    if (sp.premium) json += ',"premium":true'
    json += ',"created_ts":' + ((sp.createdTs & 3) === 0 ? '"' + new Date(sp.createdTs).toISOString() + '"' : sp.createdTs)
    return { id: sp.id, json: json + '}', bot: sp.bot }
  }

  private allocSpammer = (now: number, premium: boolean, bot: boolean): Spammer => ({
    id: spammerId(this.world.salt, this.spammers++),
    createdTs: Math.floor(now - Math.max(10 * MIN, this.rng.logNormal(3 * 86_400_000, 1.3))),
    premium,
    bot,
  })

  // ---------------------------------------------------------------- steps

  step(): void {
    const rng = this.rng
    const t = Math.floor(this.now)
    this.stepT = t
    const before = this.reserved
    const r = rng.float()
    if (r < 0.0085) this.campaignWave(t)
    else if (r < 0.0145) this.scamPost(t)
    else if (r < 0.016) this.sleeperEdit(t)
    else this.organic(t)
    const k = Math.max(1, this.reserved - before)
    this.now += rng.exp(this.o.msPer * k)
  }

  private organic(t: number): void {
    const w = this.world
    const chat = w.organic[pickCumulative(w.organicCum, this.rng.float())] as Chat
    this.reserve(1)
    if (chat.type === 'channel') this.channelPost(t, chat)
    else if (chat.type === 'bot') this.botChat(t, chat)
    else this.groupMessage(t, chat)
  }

  private randomMedia(): Media {
    const kind = MEDIA_KIND(this.rng)
    return kind === 'poll' || kind === 'location' || kind === 'contact' ? { kind } : { kind, hash: this.rng.hex(16) }
  }

  private channelPost(t: number, chat: Chat): void {
    const rng = this.rng
    const L = chat.lang
    const post = composePost(rng, L, chat.username, chat.footer, this.tsink)
    const it = this.created(t, chat, chat.self, post.text, post.entities)
    let media: Media
    if (rng.chance(0.35)) it.media = media = { kind: rng.chance(0.7) ? 'photo' : 'video', hash: rng.hex(16) }
    if (rng.chance(0.05)) it.buttons = [{ text: READ_MORE[L.code] ?? 'Read more', url: post.linkUrl ?? randomUrl(rng, L) }]
    const ref = it.ref as MsgRef
    it.ring = { chat, ref, text: post.text, entities: post.entities, media }
    let body: TextRef | null = null
    for (const clone of chat.clones) {
      if (!rng.chance(clone.spam ? 0.5 : 0.7) || !this.reserve(1)) continue
      const ts = Math.floor(t + 30_000 + rng.exp(20 * MIN))
      body ??= keep(post.body)
      const copy = cloneText(rng, body, post.bodyEntities, clone, this.tsink)
      const c = this.created(ts, clone, clone.self, copy.text === body ? body : keep(copy.text), copy.entities)
      if (media && rng.chance(0.9)) c.media = media
      c.cloneSrc = chat
      c.copyOf = ref.eventId
      c.ring = { chat: clone, ref: c.ref as MsgRef, text: c.tref, entities: copy.entities, media: c.media }
    }
    this.authorFollowUps(t, ref, chat.self, post.text, L)
    this.organicModeration(t, chat, ref, undefined)
  }

  private groupMessage(t: number, chat: Chat): void {
    const rng = this.rng
    const w = this.world
    const L = chat.lang
    let sender: Sender
    if (chat.type === 'private') {
      const peers = chat.peers as [number, number]
      sender = this.userSender(rng.chance(0.5) ? peers[0] : peers[1])
    } else if (rng.chance(0.03)) {
      sender = botSender(String(7_600_000_000 + (hash2(chat.idx, w.salt) % 100_000_000)))
    } else sender = this.userSender(memberIndex(w, chat, rng))
    const fwd = chat.type !== 'private' && this.ring.length >= 16 && rng.chance(0.04) ? this.ring[rng.int(this.ring.length)] : undefined
    let it: Item
    if (fwd) {
      it = this.created(t, chat, sender, fwd.text, fwd.entities)
      it.media = fwd.media
      if (it.lang !== undefined) it.lang = fwd.chat.lang.code
      it.fwd = fwd.ref
      it.copyOf = fwd.ref.eventId
    } else if (sender.bot) {
      it = this.created(t, chat, sender, constText(rng.pick(L.botReply), this.tsink), undefined)
    } else {
      const c = composeChat(rng, L, w.nUsers, this.tsink)
      it = this.created(t, chat, sender, c.text, c.entities)
      if (rng.chance(0.08)) {
        const media = this.randomMedia()
        it.media = media
        const k = media?.kind
        if (k === 'sticker' || k === 'voice' || k === 'location' || k === 'contact' || (rng.chance(0.5) && k !== 'poll')) {
          it.tref = null
          it.entities = undefined
          it.lang = undefined
        }
      }
      if (chat.type !== 'private' && rng.chance(0.25)) it.replyBack = 1 + rng.int(30)
    }
    const ref = it.ref as MsgRef
    this.authorFollowUps(t, ref, sender, it.tref, L)
    this.organicModeration(t, chat, ref, sender.id)
  }

  private botChat(t: number, chat: Chat): void {
    const rng = this.rng
    const L = chat.lang
    if (rng.chance(0.55)) {
      const text = rng.pick(L.botUser)
      const entities: Entity[] | undefined = text.startsWith('/') ? [{ type: 'bot_command', value: text.split(' ')[0] }] : undefined
      this.created(t, chat, this.userSender(rng.int(this.world.nUsers)), constText(text, this.tsink), entities)
    } else {
      const it = this.created(t, chat, botSender(chat.botId as string), constText(rng.pick(L.botReply), this.tsink), undefined)
      if (rng.chance(0.6))
        it.buttons = rng.chance(0.5)
          ? [{ text: '✅ OK' }, { text: '⚙️ Settings' }]
          : [{ text: READ_MORE[L.code] ?? 'Read more', url: randomUrl(rng, L) }]
    }
  }

  /** Benign edits and deletes by the author. */
  private authorFollowUps(t: number, ref: MsgRef, sender: Sender, text: TextRef | null, L: Chat['lang']): void {
    const rng = this.rng
    if (text !== null && rng.chance(0.03) && this.reserve(1)) {
      this.followUp(Math.floor(t + 5000 + rng.exp(3 * MIN)), ref, 'edited', sender, keep(lightEdit(rng, L, text, this.tsink)), undefined)
    }
    if (rng.chance(0.012) && this.reserve(1)) {
      this.followUp(
        Math.floor(t + 10_000 + rng.exp(30 * MIN)),
        ref,
        'deleted',
        sender,
        text !== null && rng.chance(0.15) ? keep(text) : null,
        undefined,
      )
    }
  }

  private organicModeration(t: number, chat: Chat, ref: MsgRef, userIdStr: string | undefined): void {
    const rng = this.rng
    const r = rng.float()
    if (chat.type === 'private') {
      if (r < 0.0005) this.report(t, 'user', rng.pick<Category>(['spam', 'other', 'doxxing', 'scam']), chat, ref, userIdStr, 'organic')
      return
    }
    if (r < 0.0025) this.report(t, 'user', USER_REPORT_CATEGORY(rng), chat, ref, userIdStr, 'organic')
    else if (r < 0.0033) this.report(t, 'trusted_flagger', TF_CATEGORY(rng), chat, ref, userIdStr, 'organic')
    else if (r < 0.0036) this.report(t, 'authority', AUTHORITY_CATEGORY(rng), chat, ref, userIdStr, 'organic')
    else if (r < 0.0042) {
      // an automated false positive, often undone on appeal
      const ts = Math.floor(t + rng.logNormal(30_000, 1))
      this.moderation(ts, 'message_removed', 'spam', 'automated', chat, ref, userIdStr)
      if (rng.chance(0.45))
        this.moderation(
          Math.floor(ts + MIN + rng.exp(6 * HOUR)),
          'action_reverted',
          'spam',
          rng.chance(0.5) ? 'user_report' : 'proactive_review',
          chat,
          ref,
          userIdStr,
        )
    } else if (r < 0.0045) {
      const ts = Math.floor(t + rng.exp(2 * HOUR) + MIN)
      if (userIdStr && rng.chance(0.6))
        this.moderation(ts, 'user_restricted', rng.pick<Category>(['spam', 'other', 'violence']), 'proactive_review', chat, null, userIdStr)
      else
        this.moderation(
          ts,
          'chat_restricted',
          rng.pick<Category>(['other', 'copyright', 'illegal_goods']),
          'proactive_review',
          chat,
          null,
          undefined,
        )
    }
  }

  // ---------------------------------------------------------------- spam

  private handleFor = (c: Campaign): string => {
    const rng = this.rng
    const homes: number[] = []
    this.world.scam.forEach((s, i) => {
      if (s.kind === c.kind && !s.banned && (s.lang === c.lang || rng.chance(0.3))) homes.push(i)
    })
    while (homes.length > 2) homes.splice(rng.int(homes.length), 1)
    c.homeChatIdx = homes
    const home = homes.length ? this.world.scam[homes[0] as number] : undefined
    if (home?.username && /^[\x20-\x7e]+$/.test(home.username) && rng.chance(0.7)) return '@' + home.username
    return `@${rng.pick(['support', 'manager', 'admin', 'hr', 'vip', 'official', 'help', 'info'])}_${rng.pick(['desk', 'team', 'center', 'bonus', 'crypto', 'work', 'club', '777'])}${rng.range(1, 999)}`
  }

  private pickCampaign(t: number): Campaign {
    const rng = this.rng
    if (this.active.length === 0 || (this.active.length < 12 && rng.chance(0.18))) {
      const { campaign } = this.registry.create(rng, t, this.allocSpammer, this.handleFor)
      if (!this.active.includes(campaign)) this.active.push(campaign)
      return campaign
    }
    return rng.pick(this.active)
  }

  private spamTarget(c: Campaign): Chat {
    const rng = this.rng
    const same = this.groupsByLang.get(c.lang.code)
    return same && same.length && rng.chance(0.6) ? rng.pick(same) : rng.pick(this.world.groups)
  }

  private victimChat(c: Campaign): Chat {
    const idx = 30_000_000 + this.victims++
    const id = userId(this.world.salt, idx)
    const country = this.rng.pick(c.lang.countries)
    return newChat(-1, { id, type: 'private' }, c.lang, country, 'organic', this.rng.range(1, 3000))
  }

  private homeSender(home: Chat, c: Campaign): Sender {
    if (home.type === 'channel') return home.self
    if (home.type === 'bot') return botSender(home.botId as string)
    return this.spammerSender(this.rng.pick(c.accounts))
  }

  /** A campaign copy: obfuscated text, links, buttons, media; the language is the campaign's. */
  private spamCopy(ts: number, chat: Chat, sender: Sender, c: Campaign, ref: MsgRef | null): Item {
    const copy = renderCopy(this.rng, c)
    const it = ref
      ? this.followUp(ts, ref, 'edited', sender, copy.text, copy.entities, c.label)
      : this.created(ts, chat, sender, copy.text, copy.entities, c.label)
    it.buttons = copy.buttons
    it.media = copy.media
    if (it.lang !== undefined) it.lang = c.lang.code
    return it
  }

  /** Copies of one campaign posted across many chats by a burst of one account or a swarm. */
  private campaignWave(t: number): void {
    const rng = this.rng
    const w = this.world
    let k = 2 + Math.floor(rng.exp(8))
    k = Math.min(k, 40, Math.floor(w.groups.length * 0.8), this.o.messages - this.reserved)
    if (k < 2) {
      if (this.reserved < this.o.messages) this.organic(t)
      return
    }
    const c = this.pickCampaign(t)
    this.reserve(k)
    const burst = rng.chance(0.55)
    const burstAccount = rng.pick(c.accounts)
    const used = new Set<string>()
    const homes = c.homeChatIdx.map((h) => w.scam[h] as Chat).filter((h) => !h.banned)
    let firstGroup: Chat | null = null
    let tt = t
    for (let i = 0; i < k; i++) {
      let chat: Chat
      let sender: Sender
      const r = rng.float()
      const account = burst ? burstAccount : rng.pick(c.accounts)
      if (r < 0.08) {
        chat = this.victimChat(c)
        sender = this.spammerSender(account)
      } else if (r < 0.12 && homes.length) {
        chat = rng.pick(homes)
        sender = this.homeSender(chat, c)
      } else {
        chat = this.spamTarget(c)
        for (let a = 0; a < 8 && used.has(chat.id); a++) chat = this.spamTarget(c)
        sender = this.spammerSender(account)
        firstGroup ??= chat
      }
      if (used.has(chat.id)) {
        // pools are small in tiny worlds: fall back to a new private victim, always a new chat
        chat = this.victimChat(c)
        sender = this.spammerSender(account)
      }
      used.add(chat.id)
      tt = burst ? tt + rng.range(300, 4000) : t + 1 + Math.floor(rng.exp(4 * MIN))
      const it = this.spamCopy(tt, chat, sender, c, null)
      if (homes.length && chat.role !== 'scam' && rng.chance(0.12)) {
        const home = rng.pick(homes)
        it.fwdStatic = { chat_id: home.id, message_id: String(Math.max(1, home.nextMsgId - 1 - rng.int(5))) }
      }
      const ref = it.ref as MsgRef
      if (chat.role !== 'scam' && rng.chance(0.35)) {
        this.moderation(
          Math.floor(tt + Math.max(300, rng.logNormal(40_000, 1.2))),
          'message_removed',
          c.category,
          rng.chance(0.9) ? 'automated' : 'proactive_review',
          chat,
          ref,
          sender.id,
        )
      }
      if (rng.chance(0.05)) this.report(tt, 'user', rng.chance(0.7) ? c.category : 'spam', chat, ref, sender.id, 'spam')
      else if (rng.chance(0.004)) this.report(tt, 'trusted_flagger', c.category, chat, ref, sender.id, 'spam')
      if (rng.chance(0.04) && this.reserve(1))
        this.followUp(Math.floor(tt + 5000 + rng.exp(20 * MIN)), ref, 'deleted', sender, null, undefined)
    }
    c.waves++
    c.wavesLeft--
    if (c.wavesLeft <= 0) this.active.splice(this.active.indexOf(c), 1)
    if (rng.chance(0.3)) {
      const ts = Math.floor(t + 2 * MIN + rng.exp(15 * MIN))
      const where = firstGroup ?? this.spamTarget(c)
      const uid = burstAccount.id
      this.moderation(
        ts,
        rng.chance(0.85) ? 'user_banned' : 'user_restricted',
        c.category,
        rng.chance(0.7) ? 'automated' : 'proactive_review',
        where,
        null,
        uid,
      )
      if (rng.chance(0.04))
        this.moderation(Math.floor(ts + HOUR + rng.exp(8 * HOUR)), 'action_reverted', c.category, 'user_report', where, null, uid)
    }
  }

  /** A scam chat posting its campaign's text itself. */
  private scamPost(t: number): void {
    const rng = this.rng
    const alive = this.world.scam.filter((s) => !s.banned)
    if (!alive.length) return this.organic(t)
    const chat = rng.pick(alive)
    const si = this.world.scam.indexOf(chat)
    const cands = this.active.filter((c) => c.waves > 0 && c.homeChatIdx.includes(si))
    if (!cands.length) return this.organic(t)
    const c = rng.pick(cands)
    this.reserve(1)
    const it = this.spamCopy(t, chat, this.homeSender(chat, c), c, null)
    const ref = it.ref as MsgRef
    const r = rng.float()
    const category: Category = chat.lookalikeOf && rng.chance(0.6) ? 'impersonation' : c.category
    if (r < 0.02) this.report(t, 'trusted_flagger', category, chat, null, undefined, 'scam_chat')
    else if (r < 0.05) this.report(t, 'user', category, chat, ref, undefined, 'scam_chat')
    else if (r < 0.055) this.report(t, 'authority', category, chat, null, undefined, 'scam_chat')
    else if (r < 0.065) {
      this.moderation(Math.floor(t + rng.exp(30 * MIN) + MIN), 'chat_banned', category, 'proactive_review', chat, null, undefined)
      this.banScamChat(chat)
    }
  }

  /** A sleeper account posts something harmless and later edits it into a campaign copy. */
  private sleeperEdit(t: number): void {
    const rng = this.rng
    const cands = this.active.filter((c) => c.waves > 0)
    if (!cands.length || !this.reserve(2)) return this.organic(t)
    const c = rng.pick(cands)
    const chat = this.spamTarget(c)
    const sender = this.spammerSender(rng.pick(c.accounts))
    const opener = rng.chance(0.5) ? rng.pick(SLEEPER_OPENERS) : sentence(rng, chat.lang)
    const it = this.created(t, chat, sender, constText(opener, this.tsink), undefined)
    const ts = Math.floor(t + 2 * MIN + rng.exp(20 * MIN))
    this.spamCopy(ts, chat, sender, c, it.ref)
    if (rng.chance(0.4))
      this.moderation(
        Math.floor(ts + Math.max(500, rng.logNormal(60_000, 1))),
        'message_removed',
        c.category,
        'automated',
        chat,
        it.ref,
        sender.id,
      )
  }

  // ---------------------------------------------------------------- emission

  private isoSecond = Number.NaN
  private isoPrefix = ''

  /** `new Date(ms).toISOString()`, with the second's prefix cached (events are nearly in order). */
  private iso(ms: number): string {
    const sec = Math.floor(ms / 1000)
    if (sec !== this.isoSecond) {
      this.isoSecond = sec
      this.isoPrefix = new Date(sec * 1000).toISOString().slice(0, 20)
    }
    const r = ms - sec * 1000
    return this.isoPrefix + (r < 10 ? '00' : r < 100 ? '0' : '') + r + 'Z'
  }

  private fmtTs(ms: number, pNumber: number): number | string {
    const r = this.rng.float()
    if (r < pNumber) return ms
    if (r < pNumber + (1 - pNumber) * 0.85) return this.iso(ms)
    return isoWithOffset(ms, TS_OFFSETS[this.rng.int(TS_OFFSETS.length)] as number)
  }

  /** The message's JSON, written as bytes into the record slab. */
  private serializeMessage(it: Item, ref: MsgRef): Buffer {
    const ts = this.fmtTs(it.ts, 0.8)
    const chat = ref.chat
    const sink = this.rsink
    const textLit = it.text !== undefined ? quote(it.text) : null
    const ents = it.entities ? entitiesJson(it.entities) : null
    const buttons = it.buttons ? JSON.stringify(it.buttons) : null
    const media = it.media ? JSON.stringify(it.media) : null
    const sender = it.sender as Sender
    sink.begin(
      1024 +
        chat.json.length +
        sender.json.length +
        (it.tref ? it.tref.end - it.tref.start : 0) +
        3 * ((textLit?.length ?? 0) + (ents?.length ?? 0) + (buttons?.length ?? 0) + (media?.length ?? 0)),
    )
    sink.b(P_HEAD)
    sink.a(it.eventId)
    sink.b(it.type === 'created' ? P_CREATED : it.type === 'edited' ? P_EDITED : P_DELETED)
    if (typeof ts === 'number') sink.n(ts)
    else {
      sink.buf[sink.pos++] = QUOTE
      sink.a(ts)
      sink.buf[sink.pos++] = QUOTE
    }
    sink.b(chat.json)
    sink.a(ref.id as string)
    sink.b(P_SENDER)
    sink.a(sender.json)
    if (it.tref) {
      sink.b(P_TEXT)
      sink.ref(it.tref)
      sink.buf[sink.pos++] = QUOTE
    } else if (textLit !== null) {
      sink.b(P_TEXT)
      sink.pos--
      sink.u(textLit)
    }
    if (ents !== null) {
      sink.b(P_ENT)
      sink.u(ents)
    }
    if (buttons !== null) {
      sink.b(P_BUT)
      sink.u(buttons)
    }
    if (media !== null) {
      sink.b(P_MEDIA)
      sink.a(media)
    }
    if (it.fwd || it.fwdStatic) {
      sink.b(P_FWD)
      sink.a(it.fwd ? it.fwd.chat.id : (it.fwdStatic as { chat_id: string }).chat_id)
      sink.b(P_FWD_MID)
      sink.a(it.fwd ? (it.fwd.id as string) : (it.fwdStatic as { message_id: string }).message_id)
      sink.b(P_FWD_END)
    }
    if (it.replyBack) {
      sink.b(P_REPLY)
      sink.n(Math.max(1, Number(ref.id) - it.replyBack))
      sink.buf[sink.pos++] = QUOTE
    }
    if (it.lang !== undefined) {
      sink.b(P_LANG)
      sink.a(it.lang)
      sink.buf[sink.pos++] = QUOTE
    }
    if (it.country !== undefined) {
      sink.b(P_COUNTRY)
      sink.a(it.country)
      sink.buf[sink.pos++] = QUOTE
    }
    sink.buf[sink.pos++] = CLOSE
    return sink.end()
  }

  private encode(json: string): Buffer {
    this.rsink.begin(json.length * 3)
    this.rsink.u(json)
    return this.rsink.end()
  }

  private write(topicIdx: number, topicKind: TopicKind, key: string, value: Buffer, kind: GeneratedRecord['kind'], at: number): void {
    const rng = this.rng
    const o = this.o
    const rec: GeneratedRecord = { topic: o.topics[topicIdx] as string, key: rng.chance(o.nullKeyShare) ? null : key, value, kind }
    this.out.push(rec)
    this.validCount++
    if (topicKind === 'message') this.lastMessage = value
    if (o.duplicateShare > 0 && rng.chance(o.duplicateShare)) {
      const d = new Item(at + (rng.chance(0.7) ? rng.range(1, 2000) : rng.range(5000, 600_000)), this.seq++, K_DUP, 0, null, null)
      // a copy of its own: the redelivery must not pin the record slab while it waits
      d.dup = { ...rec, value: Buffer.from(value) }
      this.heap.push(d)
    }
    if (o.malformedShare > 0 && rng.chance(o.malformedShare)) {
      const reason = rng.pick(MALFORMED_REASONS)
      const broken = makeMalformed(rng, value.toString('utf8'), topicKind, `${this.seedTag}-${this.seq++}`, reason)
      this.out.push({ topic: rec.topic, key: rng.chance(0.5) ? key : null, value: broken, kind: 'malformed', malformedReason: reason })
    }
    if (o.oversized && this.validCount % o.oversized.every === 0 && this.lastMessage) {
      const filler = sentence(rng, (this.world.organic[rng.int(this.world.organic.length)] as Chat).lang)
      const big = makeTooLarge(rng, this.lastMessage.toString('utf8'), `${this.seedTag}-${this.seq++}`, o.oversized.bytes, filler)
      this.out.push({ topic: o.topics[0], key, value: big, kind: 'malformed', malformedReason: 'too_large' })
    }
  }

  emit(it: Item): void {
    switch (it.kind) {
      case K_MSG: {
        const ref = it.ref as MsgRef
        const chat = ref.chat
        if (it.type === 'created') ref.id = String(chat.nextMsgId++)
        this.write(0, 'message', chat.id, this.serializeMessage(it, ref), 'message', it.at)
        const post = it.ring
        if (post && (this.ring.length < 256 || this.rng.chance(0.2))) {
          if (post.text && post.text.buf.length !== post.text.end - post.text.start) post.text = keep(post.text)
          if (this.ring.length < 256) this.ring.push(post)
          else this.ring[this.rng.int(256)] = post
        }
        const truth = this.truth
        if (truth) {
          const eventId = it.eventId
          ;(this.seenChats as Set<string>).add(chat.id)
          if (it.label) truth.campaignOf.set(eventId, it.label)
          if (chat.spam) truth.spamChats.add(chat.id)
          if (it.cloneSrc) truth.cloneOf.set(chat.id, it.cloneSrc.id)
          if (it.copyOf && truth.copyOf) truth.copyOf.set(eventId, it.copyOf)
          const la = chat.lookalikeOf
          if (la) truth.lookalikeOf.set(chat.id, typeof la === 'string' ? la : la.id)
        }
        return
      }
      case K_MOD:
      case K_REP: {
        const obj = it.obj as Obj
        const target = obj.target as Obj
        if (it.ref?.id) target.message_id = it.ref.id
        obj.ts = this.fmtTs(it.ts, it.kind === K_MOD ? 0.5 : 0.3)
        const value = this.encode(JSON.stringify(obj))
        if (it.kind === K_MOD) this.write(1, 'moderation', target.chat_id as string, value, 'moderation', it.at)
        else this.write(2, 'report', target.chat_id as string, value, 'report', it.at)
        it.obj = null
        return
      }
      case K_DUP: {
        const d = it.dup as GeneratedRecord
        this.out.push({ topic: d.topic, key: d.key, value: d.value, kind: 'duplicate' })
        return
      }
    }
  }

  /** Emit everything due up to `until` (inclusive) into `out`. */
  drainUntil(until: number): void {
    for (let top = this.heap.peek(); top !== undefined && top.at <= until; top = this.heap.peek()) this.emit(this.heap.pop() as Item)
  }

  get done(): boolean {
    return this.reserved >= this.o.messages
  }

  get pending(): number {
    return this.heap.size
  }

  finishTruth(): void {
    const truth = this.truth
    if (!truth) return
    const byId = new Map(this.world.all.map((c) => [c.id, c]))
    for (const [chat, target] of truth.lookalikeOf) {
      if (/^-?\d+$/.test(target) && !(this.seenChats as Set<string>).has(target))
        truth.lookalikeOf.set(chat, byId.get(target)?.username ?? target)
    }
  }
}

function* run(opts: GeneratorOptions, truth: GroundTruth | null): Generator<GeneratedRecord> {
  const e = new Engine(normalize(opts), truth)
  const out = e.out
  while (!e.done) {
    e.step()
    if (e.immediate) {
      e.emit(e.immediate)
      e.immediate = null
    }
    e.drainUntil(e.now)
    if (out.length) {
      for (let i = 0; i < out.length; i++) yield out[i] as GeneratedRecord
      out.length = 0
    }
  }
  while (e.pending > 0) {
    e.drainUntil(Number.POSITIVE_INFINITY)
    for (let i = 0; i < out.length; i++) yield out[i] as GeneratedRecord
    out.length = 0
  }
  e.finishTruth()
}

/** The stream, record by record; memory stays bounded whatever `messages` is (unless `truth` is given). */
export function* generateRecords(opts: GeneratorOptions): Generator<GeneratedRecord> {
  yield* run(opts, opts.truth ?? null)
}

/** The whole stream in memory with its ground truth (for tests: keep `messages` small). */
export function generateWithTruth(opts: GeneratorOptions): { records: GeneratedRecord[]; truth: Required<GroundTruth> } {
  const truth: Required<GroundTruth> = {
    campaignOf: new Map(),
    cloneOf: new Map(),
    lookalikeOf: new Map(),
    spamChats: new Set(),
    copyOf: new Map(),
  }
  const records: GeneratedRecord[] = []
  for (const r of run({ ...opts, truth: null }, truth)) records.push(r)
  return { records, truth }
}
