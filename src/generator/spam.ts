/**
 * Spam campaign scenarios: waves of obfuscated copies across groups and DMs, scam chats posting
 * their campaign's text, and sleeper accounts that edit a harmless message into a copy.
 */
import { CampaignRegistry, renderCopy, type Campaign } from './campaign.js'
import type { Category } from './moderation-models.js'
import type { Moderation } from './moderation.js'
import type { OrganicTraffic } from './organic.js'
import type { Rng } from './prng.js'
import type { Item, MsgRef } from './queue.js'
import type { Scheduler } from './scheduler.js'
import { spammerSender, type Senders } from './senders.js'
import { constText, sentence } from './text.js'
import { HOUR, MIN } from './time.js'
import { botSender, newChat, userId, type Chat, type Sender, type World } from './world.js'

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

export class SpamScenarios {
  private readonly rng: Rng
  private readonly world: World
  private readonly registry = new CampaignRegistry()
  private readonly active: Campaign[] = []
  private readonly groupsByLang = new Map<string, Chat[]>()
  private victims = 0

  constructor(
    private readonly s: Scheduler,
    private readonly mod: Moderation,
    private readonly senders: Senders,
    private readonly organic: OrganicTraffic,
  ) {
    this.rng = s.rng
    this.world = s.world
    for (const g of this.world.groups) {
      const l = this.groupsByLang.get(g.lang.code) ?? []
      l.push(g)
      this.groupsByLang.set(g.lang.code, l)
    }
  }

  /** A new campaign's home scam chats, and the @handle its texts advertise (a callback of `CampaignRegistry.create`). */
  private readonly handleFor = (c: Campaign): string => {
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
      const { campaign } = this.registry.create(rng, t, this.senders.allocSpammer, this.handleFor)
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
    return spammerSender(this.rng.pick(c.accounts))
  }

  /** A campaign copy: obfuscated text, links, buttons, media; the language is the campaign's. */
  private spamCopy(ts: number, chat: Chat, sender: Sender, c: Campaign, ref: MsgRef | null): Item {
    const copy = renderCopy(this.rng, c)
    const it = ref
      ? this.s.followUp(ts, ref, 'edited', sender, copy.text, copy.entities, c.label)
      : this.s.created(ts, chat, sender, copy.text, copy.entities, c.label)
    it.buttons = copy.buttons
    it.media = copy.media
    if (it.lang !== undefined) it.lang = c.lang.code
    return it
  }

  /** Copies of one campaign posted across many chats by a burst of one account or a swarm. */
  campaignWave(t: number): void {
    const rng = this.rng
    const w = this.world
    let k = 2 + Math.floor(rng.exp(8))
    k = Math.min(k, 40, Math.floor(w.groups.length * 0.8), this.s.remaining)
    if (k < 2) {
      if (!this.s.done) this.organic.message(t)
      return
    }
    const c = this.pickCampaign(t)
    this.s.reserve(k)
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
        sender = spammerSender(account)
      } else if (r < 0.12 && homes.length) {
        chat = rng.pick(homes)
        sender = this.homeSender(chat, c)
      } else {
        chat = this.spamTarget(c)
        for (let a = 0; a < 8 && used.has(chat.id); a++) chat = this.spamTarget(c)
        sender = spammerSender(account)
        firstGroup ??= chat
      }
      if (used.has(chat.id)) {
        // pools are small in tiny worlds: fall back to a new private victim, always a new chat
        chat = this.victimChat(c)
        sender = spammerSender(account)
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
        this.mod.action(
          Math.floor(tt + Math.max(300, rng.logNormal(40_000, 1.2))),
          'message_removed',
          c.category,
          rng.chance(0.9) ? 'automated' : 'proactive_review',
          chat,
          ref,
          sender.id,
        )
      }
      if (rng.chance(0.05)) this.mod.report(tt, 'user', rng.chance(0.7) ? c.category : 'spam', chat, ref, sender.id, 'spam')
      else if (rng.chance(0.004)) this.mod.report(tt, 'trusted_flagger', c.category, chat, ref, sender.id, 'spam')
      if (rng.chance(0.04) && this.s.reserve(1))
        this.s.followUp(Math.floor(tt + 5000 + rng.exp(20 * MIN)), ref, 'deleted', sender, null, undefined)
    }
    c.waves++
    c.wavesLeft--
    if (c.wavesLeft <= 0) this.active.splice(this.active.indexOf(c), 1)
    if (rng.chance(0.3)) {
      const ts = Math.floor(t + 2 * MIN + rng.exp(15 * MIN))
      const where = firstGroup ?? this.spamTarget(c)
      const uid = burstAccount.id
      this.mod.action(
        ts,
        rng.chance(0.85) ? 'user_banned' : 'user_restricted',
        c.category,
        rng.chance(0.7) ? 'automated' : 'proactive_review',
        where,
        null,
        uid,
      )
      if (rng.chance(0.04))
        this.mod.action(Math.floor(ts + HOUR + rng.exp(8 * HOUR)), 'action_reverted', c.category, 'user_report', where, null, uid)
    }
  }

  /** A scam chat posting its campaign's text itself. */
  scamPost(t: number): void {
    const rng = this.rng
    const alive = this.world.scam.filter((s) => !s.banned)
    if (!alive.length) return this.organic.message(t)
    const chat = rng.pick(alive)
    const si = this.world.scam.indexOf(chat)
    const cands = this.active.filter((c) => c.waves > 0 && c.homeChatIdx.includes(si))
    if (!cands.length) return this.organic.message(t)
    const c = rng.pick(cands)
    this.s.reserve(1)
    const it = this.spamCopy(t, chat, this.homeSender(chat, c), c, null)
    const ref = it.ref as MsgRef
    const r = rng.float()
    const category: Category = chat.lookalikeOf && rng.chance(0.6) ? 'impersonation' : c.category
    if (r < 0.02) this.mod.report(t, 'trusted_flagger', category, chat, null, undefined, 'scam_chat')
    else if (r < 0.05) this.mod.report(t, 'user', category, chat, ref, undefined, 'scam_chat')
    else if (r < 0.055) this.mod.report(t, 'authority', category, chat, null, undefined, 'scam_chat')
    else if (r < 0.065) {
      this.mod.action(Math.floor(t + rng.exp(30 * MIN) + MIN), 'chat_banned', category, 'proactive_review', chat, null, undefined)
      this.mod.banScamChat(chat)
    }
  }

  /** A sleeper account posts something harmless and later edits it into a campaign copy. */
  sleeperEdit(t: number): void {
    const rng = this.rng
    const cands = this.active.filter((c) => c.waves > 0)
    if (!cands.length || !this.s.reserve(2)) return this.organic.message(t)
    const c = rng.pick(cands)
    const chat = this.spamTarget(c)
    const sender = spammerSender(rng.pick(c.accounts))
    const opener = rng.chance(0.5) ? rng.pick(SLEEPER_OPENERS) : sentence(rng, chat.lang)
    const it = this.s.created(t, chat, sender, constText(opener, this.s.tsink), undefined)
    const ts = Math.floor(t + 2 * MIN + rng.exp(20 * MIN))
    this.spamCopy(ts, chat, sender, c, it.ref)
    if (rng.chance(0.4))
      this.mod.action(
        Math.floor(ts + Math.max(500, rng.logNormal(60_000, 1))),
        'message_removed',
        c.category,
        'automated',
        chat,
        it.ref,
        sender.id,
      )
  }
}
