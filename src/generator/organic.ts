/**
 * Organic traffic: channel posts with their clones' reposts, group and private messages, bot chats,
 * the authors' own edits and deletes, and the reports and moderation that organic content draws.
 */
import { keep, type TextRef } from './bytes.js'
import { AUTHORITY_CATEGORY, TF_CATEGORY, USER_REPORT_CATEGORY, type Category } from './moderation-models.js'
import type { Moderation } from './moderation.js'
import { hash2, pickCumulative, weighted, type Rng } from './prng.js'
import type { Item, Media, MsgRef } from './queue.js'
import type { Scheduler } from './scheduler.js'
import type { Senders } from './senders.js'
import { cloneText, composeChat, composePost, constText, lightEdit, randomUrl, type Entity } from './text.js'
import { HOUR, MIN } from './time.js'
import { botSender, memberIndex, type Chat, type Sender, type World } from './world.js'

const MEDIA_KIND = weighted<NonNullable<Media>['kind']>([
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

export class OrganicTraffic {
  private readonly rng: Rng
  private readonly world: World

  constructor(
    private readonly s: Scheduler,
    private readonly mod: Moderation,
    private readonly senders: Senders,
  ) {
    this.rng = s.rng
    this.world = s.world
  }

  /** One organic message, in a chat drawn by activity. */
  message(t: number): void {
    const w = this.world
    const chat = w.organic[pickCumulative(w.organicCum, this.rng.float())] as Chat
    this.s.reserve(1)
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
    const post = composePost(rng, L, chat.username, chat.footer, this.s.tsink)
    const it = this.s.created(t, chat, chat.self, post.text, post.entities)
    let media: Media
    if (rng.chance(0.35)) it.media = media = { kind: rng.chance(0.7) ? 'photo' : 'video', hash: rng.hex(16) }
    if (rng.chance(0.05)) it.buttons = [{ text: READ_MORE[L.code] ?? 'Read more', url: post.linkUrl ?? randomUrl(rng, L) }]
    const ref = it.ref as MsgRef
    it.ring = { chat, ref, text: post.text, entities: post.entities, media }
    let body: TextRef | null = null
    for (const clone of chat.clones) {
      if (!rng.chance(clone.spam ? 0.5 : 0.7) || !this.s.reserve(1)) continue
      const ts = Math.floor(t + 30_000 + rng.exp(20 * MIN))
      body ??= keep(post.body)
      const copy = cloneText(rng, body, post.bodyEntities, clone, this.s.tsink)
      const c = this.s.created(ts, clone, clone.self, copy.text === body ? body : keep(copy.text), copy.entities)
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
      sender = this.senders.userSender(rng.chance(0.5) ? peers[0] : peers[1])
    } else if (rng.chance(0.03)) {
      sender = botSender(String(7_600_000_000 + (hash2(chat.idx, w.salt) % 100_000_000)))
    } else sender = this.senders.userSender(memberIndex(w, chat, rng))
    const fwd =
      chat.type !== 'private' && this.s.ring.length >= 16 && rng.chance(0.04) ? this.s.ring[rng.int(this.s.ring.length)] : undefined
    let it: Item
    if (fwd) {
      it = this.s.created(t, chat, sender, fwd.text, fwd.entities)
      it.media = fwd.media
      if (it.lang !== undefined) it.lang = fwd.chat.lang.code
      it.fwd = fwd.ref
      it.copyOf = fwd.ref.eventId
    } else if (sender.bot) {
      it = this.s.created(t, chat, sender, constText(rng.pick(L.botReply), this.s.tsink), undefined)
    } else {
      const c = composeChat(rng, L, w.nUsers, this.s.tsink)
      it = this.s.created(t, chat, sender, c.text, c.entities)
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
      this.s.created(t, chat, this.senders.userSender(rng.int(this.world.nUsers)), constText(text, this.s.tsink), entities)
    } else {
      const it = this.s.created(t, chat, botSender(chat.botId as string), constText(rng.pick(L.botReply), this.s.tsink), undefined)
      if (rng.chance(0.6))
        it.buttons = rng.chance(0.5)
          ? [{ text: '✅ OK' }, { text: '⚙️ Settings' }]
          : [{ text: READ_MORE[L.code] ?? 'Read more', url: randomUrl(rng, L) }]
    }
  }

  /** Benign edits and deletes by the author. */
  private authorFollowUps(t: number, ref: MsgRef, sender: Sender, text: TextRef | null, L: Chat['lang']): void {
    const rng = this.rng
    if (text !== null && rng.chance(0.03) && this.s.reserve(1)) {
      this.s.followUp(
        Math.floor(t + 5000 + rng.exp(3 * MIN)),
        ref,
        'edited',
        sender,
        keep(lightEdit(rng, L, text, this.s.tsink)),
        undefined,
      )
    }
    if (rng.chance(0.012) && this.s.reserve(1)) {
      this.s.followUp(
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
      if (r < 0.0005) this.mod.report(t, 'user', rng.pick<Category>(['spam', 'other', 'doxxing', 'scam']), chat, ref, userIdStr, 'organic')
      return
    }
    if (r < 0.0025) this.mod.report(t, 'user', USER_REPORT_CATEGORY(rng), chat, ref, userIdStr, 'organic')
    else if (r < 0.0033) this.mod.report(t, 'trusted_flagger', TF_CATEGORY(rng), chat, ref, userIdStr, 'organic')
    else if (r < 0.0036) this.mod.report(t, 'authority', AUTHORITY_CATEGORY(rng), chat, ref, userIdStr, 'organic')
    else if (r < 0.0042) {
      // an automated false positive, often undone on appeal
      const ts = Math.floor(t + rng.logNormal(30_000, 1))
      this.mod.action(ts, 'message_removed', 'spam', 'automated', chat, ref, userIdStr)
      if (rng.chance(0.45))
        this.mod.action(
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
        this.mod.action(ts, 'user_restricted', rng.pick<Category>(['spam', 'other', 'violence']), 'proactive_review', chat, null, userIdStr)
      else
        this.mod.action(
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
}
