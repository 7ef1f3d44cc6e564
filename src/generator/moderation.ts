/** Moderation actions and user, trusted-flagger and authority reports with their answers, scheduled on the queue. */
import type { Rng } from './prng.js'
import { Item, K_MOD, K_REP, type MsgRef, type Obj } from './queue.js'
import type { Scheduler } from './scheduler.js'
import { HOUR, MIN } from './time.js'
import type { Chat } from './world.js'
import {
  AUTHORITIES,
  ORGANIC_OUTCOME_PARTNER,
  ORGANIC_OUTCOME_USER,
  reporterSource,
  SCAM_CHAT_OUTCOME,
  SPAM_OUTCOME,
  TF_ORGS,
  type Action,
  type Category,
  type Reporter,
  type Source,
} from './moderation-models.js'

export class Moderation {
  private readonly rng: Rng

  constructor(private readonly s: Scheduler) {
    this.rng = s.rng
  }

  /** A moderation action at `ts`; its message id is filled at emission, once the message has one. */
  action(
    ts: number,
    action: Action,
    category: Category,
    source: Source,
    chat: Chat,
    ref: MsgRef | null,
    userId: string | undefined,
    reportId?: string,
  ): void {
    const [seq, eventId] = this.s.nextEventId()
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
    this.s.heap.push(new Item(ts + this.s.jitter(), seq, K_MOD, ts, obj, ref))
  }

  /**
   * A report and (usually) its answer. `violating` says what review will find: spam copies and
   * scam chats mostly get acted on, organic content mostly not.
   */
  report(
    t0: number,
    reporter: Reporter,
    category: Category,
    chat: Chat,
    ref: MsgRef | null,
    userId: string | undefined,
    violating: 'spam' | 'scam_chat' | 'organic',
  ): void {
    const rng = this.rng
    const [seq, eventId] = this.s.nextEventId()
    const reportId = `rep-${this.s.seedTag}-${seq}`
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
    const at = late ? answerTs + rng.range(2000, 90_000) : reportTs + this.s.jitter()
    this.s.heap.push(new Item(at, seq, K_REP, reportTs, obj, ref))
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
    this.action(
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
      this.action(
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
      this.action(
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

  /** Bans a scam chat unless it is one of the last few: campaigns keep some home chats. */
  banScamChat(chat: Chat): void {
    const alive = this.s.world.scam.filter((c) => !c.banned).length
    if (alive > 3) chat.banned = true
  }
}
