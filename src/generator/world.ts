/**
 * The synthetic world: chats (organic, famous, clones, scam), their names and sizes, and the account
 * id spaces. Built once per stream from the seed; the number of chats grows with the square root of
 * the stream length so small test streams still have busy chats.
 */
import type { ChatType } from '../domain/events.js'
import { utf8 } from './bytes.js'
import { pickKind } from './campaign.js'
import { hash2, pickCumulative, type Rng } from './prng.js'
import type { SpamKind } from './spam-templates.js'
import { COMPILED, lang, type Lang } from './text.js'

export interface ChatObj {
  id: string
  type: ChatType
  title?: string
  username?: string
  members?: number
}

/** An account as the `sender` of a message, with its JSON precomputed. */
export interface Sender {
  id: string
  json: string
  bot: boolean
}

export function botSender(id: string): Sender {
  return { id, json: `{"id":"${id}","bot":true}`, bot: true }
}

export interface Chat {
  idx: number
  id: string
  type: ChatType
  title: string | undefined
  username: string | undefined
  lang: Lang
  country: string
  role: 'organic' | 'clone' | 'scam'
  famous: boolean
  /** The `chat` object of every message in this chat, and its JSON. */
  obj: ChatObj
  /** UTF-8 bytes of `,"chat":` + `JSON.stringify(obj)` + `,"message_id":"`, the middle of its messages. */
  json: Uint8Array
  /** UTF-8 bytes of `@username`, the footer of its posts. */
  footer: Uint8Array | null
  /** The `sender` of a channel post. */
  self: Sender
  nextMsgId: number
  clones: Chat[]
  cloneOf: Chat | null
  /** The impersonated chat, or a protected name that is no chat of the stream. */
  lookalikeOf: Chat | string | null
  /** Operated by spammers (scam channels and bots, scam clones). */
  spam: boolean
  banned: boolean
  /** Bot chats: the bot account id. */
  botId: string | null
  /** Scam chats: the kind of spam they promote. */
  kind: SpamKind | null
  /** Private chats: the two participants (user indices). */
  peers: [number, number] | null
}

/** A chat of `obj` (title, username, id and type from it) with its JSON precomputed and no relations yet. */
export function newChat(idx: number, obj: ChatObj, lang: Lang, country: string, role: Chat['role'], nextMsgId: number): Chat {
  const { id, type, title, username } = obj
  return {
    idx,
    id,
    type,
    title,
    username,
    lang,
    country,
    role,
    famous: false,
    obj,
    json: utf8(',"chat":' + JSON.stringify(obj) + ',"message_id":"'),
    footer: username !== undefined ? utf8('@' + username) : null,
    self: { id, json: `{"id":"${id}"}`, bot: false },
    nextMsgId,
    clones: [],
    cloneOf: null,
    lookalikeOf: null,
    spam: false,
    banned: false,
    botId: type === 'bot' ? id : null,
    kind: null,
    peers: null,
  }
}

export interface ProtectedName {
  username: string
  title: string
}

export interface World {
  salt: number
  all: Chat[]
  /** Chats that post organic content, and their cumulative activity weights. */
  organic: Chat[]
  organicCum: Float64Array
  /** Public organic groups and supergroups: where spam is posted. */
  groups: Chat[]
  channels: Chat[]
  clones: Chat[]
  /** Scam chats and scam clones: campaigns' home chats. */
  scam: Chat[]
  nUsers: number
}

const DAY = 86_400_000

/** Organic user ids: a bijection of the index into [1e9, 1e9 + 2^32). */
export function userId(salt: number, idx: number): string {
  return String(1_000_000_000 + (Math.imul((idx ^ salt) >>> 0, 0x9e3779b1) >>> 0))
}

/** Spammer account ids: a bijection into [5.3e9, 5.3e9 + 2^31), disjoint from organic users. */
export function spammerId(salt: number, idx: number): string {
  return String(5_300_000_000 + (Math.imul((idx ^ salt) & 0x7fffffff, 0x2c1b3c6d) & 0x7fffffff))
}

export interface UserAttrs {
  premium: boolean
  /** Account creation time; null when the platform does not send it. */
  createdTs: number | null
  isoCreated: boolean
}

export function userAttrs(salt: number, idx: number, startMs: number): UserAttrs {
  const h = hash2(salt, idx)
  const h2 = hash2(h, 7)
  return {
    premium: h % 100 < 5,
    createdTs: (h >>> 8) % 100 < 70 ? startMs - 30 * DAY - (h2 % (9 * 365)) * DAY - (h2 % 86_400_000) : null,
    isoCreated: (h >>> 16) % 100 < 30,
  }
}

const FAMOUS: { username: string; title: string; members: number; country: string }[] = [
  { username: 'durov', title: "Durov's Channel", members: 9_912_345, country: 'AE' },
  { username: 'telegram', title: 'Telegram News', members: 10_544_120, country: 'AE' },
  { username: 'cryptosignals_vip', title: 'Crypto Signals VIP', members: 18_234, country: 'ID' },
]

export const PROTECTED: ProtectedName[] = [
  { username: 'telegram_support', title: 'Telegram Support' },
  { username: 'wallet', title: 'Wallet' },
  { username: 'notcoin', title: 'Notcoin' },
  { username: 'premium', title: 'Telegram Premium' },
]

/** Hand-made confusable handles for famous and protected names. */
const KNOWN_LOOKALIKES: Record<string, string[]> = {
  durov: ['dur\u043ev', 'dur0v', 'durov_official', 'pavel_durov_official', 'durovv', 'd\u0443rov'],
  telegram: ['telegrarn', 't\u0435legram', 'telegram_official_news', 'telegramm', 'te1egram'],
  cryptosignals_vip: ['crypto_signals_vip', 'cryptosignals_vlp', 'cryptosignalsvip', 'cryptoslgnals_vip', 'cryptosignals_vip1'],
  telegram_support: [
    'telegrarn_support',
    'telegram_suppport',
    'telegram_supp0rt',
    'telegramsupport',
    't\u0435legram_support',
    'telegram_support_team',
  ],
  wallet: ['walIet', 'wa11et', 'wallet_official', 'w\u0430llet'],
  notcoin: ['n0tcoin', 'notcoin_airdrop', 'notcoln', 'notcoin_official'],
  premium: ['prernium', 'premium_telegram_gift', 'telegram_premium_free'],
}

const TITLE_HOMOGLYPHS: Record<string, string> = {
  o: '\u043e',
  a: '\u0430',
  e: '\u0435',
  c: '\u0441',
  p: '\u0440',
  O: '\u039f',
  T: '\u0422',
  S: '\u0405',
  l: 'I',
}

/** A confusable variant of a title: one homoglyph, or an "official" suffix. */
export function lookalikeTitle(rng: Rng, title: string): string {
  if (rng.chance(0.6)) {
    const idx: number[] = []
    for (let i = 0; i < title.length; i++) if (TITLE_HOMOGLYPHS[title[i] as string]) idx.push(i)
    if (idx.length) {
      const i = rng.pick(idx)
      return title.slice(0, i) + TITLE_HOMOGLYPHS[title[i] as string] + title.slice(i + 1)
    }
  }
  return title + rng.pick([' Official', ' ✅', ' | Official', ' 2.0', ' (official)'])
}

/** A confusable variant of an @handle: homoglyph, rn/m, digits, underscores, doubled or dropped letters, suffixes. */
export function lookalikeHandle(rng: Rng, name: string): string {
  const known = KNOWN_LOOKALIKES[name]
  if (known && rng.chance(0.8)) return rng.pick(known)
  // one letter (drawn among those `m` maps) replaced by its substitute; null when there is none
  const substituteOne = (m: Record<string, string>) => (): string | null => {
    const idx = [...name].map((ch, i) => (m[ch] ? i : -1)).filter((i) => i >= 0)
    if (!idx.length) return null
    const i = rng.pick(idx)
    return name.slice(0, i) + m[name[i] as string] + name.slice(i + 1)
  }
  const techniques: (() => string | null)[] = [
    substituteOne({ a: '\u0430', e: '\u0435', o: '\u043e', c: '\u0441', p: '\u0440', x: '\u0445', y: '\u0443' }),
    () => (name.includes('m') ? name.replace('m', 'rn') : name.includes('rn') ? name.replace('rn', 'm') : null),
    substituteOne({ o: '0', i: '1', l: '1', e: '3', s: '5' }),
    () =>
      name.length > 5
        ? name.includes('_')
          ? name.replace('_', '')
          : name.slice(0, 3 + rng.int(name.length - 4)) + '_' + name.slice(3 + rng.int(1))
        : null,
    () => {
      const i = 1 + rng.int(name.length - 1)
      return /[a-z]/.test(name[i] as string) ? name.slice(0, i) + name[i] + name.slice(i) : null
    },
    () => (name.length > 6 ? name.slice(0, 2) + name.slice(2).replace(/([a-z])\1/, '$1') : null),
    () => name + rng.pick(['_official', '_support', '_news', 'official', '_vip', '_real', '_tg']),
  ]
  for (let k = 0; k < 6; k++) {
    const v = rng.pick(techniques)()
    if (v && v !== name) return v
  }
  return name + '_official'
}

const BOT_NAMES = 'Weather|Crypto Price|Translate|Music|Movie|Quiz|News|Sticker|Download|Poll|Currency|Reminder|Vote|Files'.split('|')

const SCAM_NAMES: Record<SpamKind, [string, string][]> = {
  crypto_airdrop: [
    ['USDT Airdrop Official', 'usdt_airdrop_official'],
    ['TON Drop', 'ton_drop_claim'],
    ['Crypto Gifts 🎁', 'crypto_gifts_free'],
    ['Airdrop Hunter', 'airdrop_hunter_x'],
  ],
  fake_giveaway: [
    ['Premium Giveaway', 'premium_gift_2026'],
    ['Giveaway Official', 'giveaway_official_tg'],
    ['Free Gifts', 'free_gifts_daily'],
  ],
  betting: [
    ['VIP Bets ⚽', 'vip_bets_fixed'],
    ['Fixed Matches', 'fixed_matches_100'],
    ['Slot Gacor', 'slot_gacor_maxwin'],
    ['Bahis VIP', 'bahis_vip_kupon'],
  ],
  adult: [
    ['Hot Chat 18+', 'hot_chat_18'],
    ['Private Club 🔞', 'private_club_vip'],
    ['Dating Near You', 'dating_near_you'],
  ],
  phishing_support: [
    ['Account Security', 'account_security_center'],
    ['Support Center', 'support_center_help'],
    ['Verification Service', 'verify_account_service'],
  ],
  job_scam: [
    ['Remote Jobs Daily', 'remote_jobs_daily'],
    ['Работа Онлайн', 'rabota_online_24'],
    ['Loker Online', 'loker_online_id'],
    ['HR Team', 'hr_team_hiring'],
  ],
}

const IMPERSONATION_TARGETS: Record<SpamKind, string[]> = {
  crypto_airdrop: ['notcoin', 'wallet', 'cryptosignals_vip', 'durov'],
  fake_giveaway: ['durov', 'premium', 'telegram'],
  betting: ['cryptosignals_vip'],
  adult: [],
  phishing_support: ['telegram_support', 'telegram', 'wallet', 'premium'],
  job_scam: [],
}

export function buildWorld(rng: Rng, messages: number): World {
  const salt = rng.u32() & 0x7fffffff
  const nOrganic = Math.max(80, Math.min(8000, Math.round(4 * Math.sqrt(messages))))
  const nUsers = Math.max(2000, Math.min(2_000_000, Math.round(messages / 4)))
  const ids = new Set<string>()
  const handles = new Set<string>()
  const all: Chat[] = []
  const langCum = new Float64Array(COMPILED.length)
  {
    let acc = 0
    COMPILED.forEach((l, i) => (langCum[i] = acc += l.weight))
  }

  const newId = (type: ChatType): string => {
    for (;;) {
      let id: string
      if (type === 'channel' || type === 'supergroup') id = '-100' + rng.range(1_000_000_000, 2_999_999_999)
      else if (type === 'group') id = '-' + rng.range(100_000_000, 999_999_999)
      else id = String(7_500_000_000 + rng.range(0, 99_999_999))
      if (!ids.has(id)) {
        ids.add(id)
        return id
      }
    }
  }
  const claimHandle = (h: string): string => {
    let v = h
    while (handles.has(v.toLowerCase())) v = h + rng.range(1, 999)
    handles.add(v.toLowerCase())
    return v
  }
  for (const p of PROTECTED) handles.add(p.username)

  const makeChat = (
    type: ChatType,
    L: Lang,
    title: string | undefined,
    username: string | undefined,
    members: number | undefined,
    role: Chat['role'],
    id?: string,
  ): Chat => {
    const cid = id ?? newId(type)
    const obj: ChatObj = { id: cid, type }
    if (title !== undefined) obj.title = title
    if (username !== undefined) obj.username = username
    if (members !== undefined) obj.members = members
    const country = rng.pick(L.countries)
    const nextMsgId = type === 'channel' ? rng.range(10, 50_000) : type === 'private' ? rng.range(1, 5_000) : rng.range(100, 500_000)
    const c = newChat(all.length, obj, L, country, role, nextMsgId)
    all.push(c)
    return c
  }

  const organic: Chat[] = []
  const weights: number[] = []
  // famous channels: busy, protected names that scammers impersonate
  for (const f of FAMOUS) {
    handles.add(f.username)
    const c = makeChat('channel', lang('en'), f.title, f.username, f.members, 'organic')
    c.famous = true
    c.country = f.country
    organic.push(c)
    weights.push(1.5)
  }
  let privIdx = 0
  for (let i = 0; i < nOrganic; i++) {
    const L = COMPILED[pickCumulative(langCum, rng.float())] as Lang
    const r = rng.float()
    const type: ChatType = r < 0.32 ? 'channel' : r < 0.62 ? 'supergroup' : r < 0.8 ? 'group' : r < 0.93 ? 'private' : 'bot'
    let c: Chat
    if (type === 'private') {
      const a = 20_000_000 + privIdx++
      const b = rng.int(nUsers)
      c = makeChat('private', L, undefined, undefined, undefined, 'organic', userId(salt, a))
      c.peers = [a, b]
    } else if (type === 'bot') {
      const name = rng.pick(BOT_NAMES)
      c = makeChat(
        'bot',
        L,
        `${name} Bot`,
        claimHandle(`${name.toLowerCase().replace(/ /g, '_')}_${rng.pick(['helper', 'pro', 'fast', 'my', 'daily'])}_bot`),
        undefined,
        'organic',
      )
    } else {
      const [topic, topicSlug] = rng.pick(L.topics)
      const [city, citySlug] = rng.pick(L.cities)
      const v = rng.float()
      const title = v < 0.45 ? `${topic} ${city}` : v < 0.75 ? topic : `${topic} | ${city}`
      const slug =
        v < 0.45
          ? `${topicSlug}_${citySlug}`
          : v < 0.75
            ? topicSlug + rng.pick(['', '_official', '_daily', '24', '_live', '_hub', '_chat'])
            : `${citySlug}_${topicSlug}`
      const hasHandle = type === 'channel' ? rng.chance(0.9) : type === 'supergroup' ? rng.chance(0.6) : false
      const members =
        type === 'channel'
          ? Math.round(Math.min(3_000_000, Math.max(50, rng.logNormal(3000, 1.6))))
          : type === 'supergroup'
            ? Math.round(Math.min(200_000, Math.max(201, rng.logNormal(1500, 1.3))))
            : rng.range(3, 200)
      c = makeChat(
        type,
        L,
        type === 'group' && rng.chance(0.3) ? `${title} chat` : title,
        hasHandle ? claimHandle(slug) : undefined,
        members,
        'organic',
      )
    }
    organic.push(c)
    const base = type === 'channel' ? 0.6 : type === 'supergroup' ? 1.6 : type === 'group' ? 0.9 : type === 'private' ? 0.35 : 0.25
    weights.push((base / Math.pow(1 + rng.int(nOrganic), 0.8)) * 8)
  }
  const organicCum = new Float64Array(weights.length)
  {
    let acc = 0
    weights.forEach((w, i) => (organicCum[i] = acc += w))
  }

  const channels = organic.filter((c) => c.type === 'channel')
  const groups = organic.filter((c) => c.type === 'group' || c.type === 'supergroup')

  // clones of organic channels, some with look-alike names, some operated by spammers
  const clones: Chat[] = []
  const originals = channels.filter((c) => (c.famous ? c.username === 'cryptosignals_vip' : rng.chance(0.08)))
  if (originals.length < 2) for (const c of channels) if (!originals.includes(c) && !c.famous && originals.length < 2) originals.push(c)
  for (const o of originals) {
    const n = rng.range(1, 3)
    for (let k = 0; k < n; k++) {
      const look = rng.chance(0.45) && o.username !== undefined
      const title = look
        ? rng.chance(0.5)
          ? o.title
          : lookalikeTitle(rng, o.title ?? '')
        : `${o.title ?? ''} ${rng.pick(['🔥', '24/7', '| Mirror', 'Daily', 'TOP', '(backup)'])}`
      const handle = look
        ? claimHandle(lookalikeHandle(rng, o.username as string))
        : claimHandle(`${(o.username ?? 'channel').slice(0, 20)}_${rng.pick(['news', 'daily', 'best', 'top', 'online', 'copy'])}`)
      const c = makeChat(
        'channel',
        o.lang,
        title,
        handle,
        Math.max(20, Math.round((o.obj.members ?? 1000) * (0.01 + rng.float() * 0.3))),
        'clone',
      )
      c.country = o.country
      c.cloneOf = o
      if (look) c.lookalikeOf = o
      c.spam = rng.chance(0.3)
      if (c.spam) c.kind = pickKind(rng).kind
      o.clones.push(c)
      clones.push(c)
    }
  }

  // scam chats: channels, bots and supergroups promoting one kind of spam, half impersonating
  const scam: Chat[] = clones.filter((c) => c.spam)
  const nScam = Math.max(6, Math.round(nOrganic * 0.04))
  const famousByName = new Map(organic.filter((c) => c.famous).map((c) => [c.username as string, c]))
  for (let i = 0; i < nScam; i++) {
    const kd = pickKind(rng)
    const codes = Object.keys(kd.langs)
    const L = lang(rng.chance(0.5) ? (codes[0] as Lang['code']) : (rng.pick(codes) as Lang['code']))
    const r = rng.float()
    const type: ChatType = r < 0.65 ? 'channel' : r < 0.85 ? 'bot' : 'supergroup'
    const targets = IMPERSONATION_TARGETS[kd.kind]
    let title: string
    let handle: string
    let target: Chat | string | null = null
    if (targets.length && rng.chance(0.6)) {
      const name = rng.pick(targets)
      const fam = famousByName.get(name)
      const prot = PROTECTED.find((p) => p.username === name)
      target = fam ?? name
      title = lookalikeTitle(rng, fam?.title ?? prot?.title ?? name)
      handle = lookalikeHandle(rng, name)
    } else {
      ;[title, handle] = rng.pick(SCAM_NAMES[kd.kind])
    }
    if (type === 'bot' && !handle.endsWith('bot')) handle += '_bot'
    const members = type === 'bot' ? undefined : Math.round(Math.min(200_000, Math.max(30, rng.logNormal(1200, 1.4))))
    const c = makeChat(type, L, title, claimHandle(handle), members, 'scam')
    c.spam = true
    c.kind = kd.kind
    c.lookalikeOf = target
    scam.push(c)
  }
  return { salt, all, organic, organicCum, groups, channels, clones, scam, nUsers }
}

/** A member of a group posting: skewed to the group's regulars. */
export function memberIndex(w: World, chat: Chat, rng: Rng): number {
  const pool = Math.max(3, Math.min(chat.obj.members ?? 50, 3000))
  const u = rng.float()
  const rank = Math.floor(pool * u * u * u)
  return hash2(chat.idx * 7919 + w.salt, rank) % w.nUsers
}
