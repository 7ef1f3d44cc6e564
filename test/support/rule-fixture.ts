/**
 * A hand-made stream for rule outcomes and backtests: public messages that fire exactly one rule each
 * (a link to a listed bad domain: bad_domain, 0.8, spam; a link through a shortener: shortener, 0.3,
 * not spam), with texts of random words (no near-duplicates, no density rules), one sender each, and
 * the moderation decisions that followed. The expected figures are computed here from the fixture
 * alone, never from what the pipeline stored.
 */
import type { RuleFigures } from '../../src/reports/rules/outcomes.js'

type Link = 'bad' | 'short' | 'none'
type Action = 'message_removed' | 'action_reverted' | 'no_violation'

export interface FixtureMessage {
  chatId: string
  messageId: string
  private: boolean
  /** the links of its versions, oldest first (created, then edits) */
  links: Link[]
  versionTs: number[]
  deletedTs: number | null
  actions: { action: Action; ts: number; messageId: string }[]
  /** start of the fixture's first day (UTC) */
  dayMs: number
  latestTs: number
  /** start of the UTC day of latestTs */
  dayOfLatest: number
  windowMs: number
}

/** The rules the fixture makes fire; every other rule must stay silent. */
export const FIXTURE_RULES = ['bad_domain', 'edit_to_spam', 'shortener']
const MODE: Record<string, 'enforce' | 'shadow'> = { bad_domain: 'enforce', shortener: 'enforce', edit_to_spam: 'shadow' }

interface Spec {
  links: Link[]
  private?: boolean
  deleted?: boolean
  /** action and minutes after the latest version */
  actions?: [Action, number][]
  /** an action on another message of the same chat */
  neighbour?: boolean
}

const M = 60_000
const SPECS: Spec[] = [
  { links: ['bad'], actions: [['message_removed', 10]] },
  { links: ['bad'], actions: [['message_removed', 30]] },
  { links: ['bad'], actions: [['message_removed', 90]] },
  { links: ['bad'], deleted: true, actions: [['message_removed', 20]] },
  {
    links: ['bad'],
    actions: [
      ['message_removed', 5],
      ['action_reverted', 15],
      ['message_removed', 25],
    ],
  },
  {
    links: ['bad'],
    actions: [
      ['message_removed', 5],
      ['action_reverted', 60],
    ],
  },
  {
    links: ['bad'],
    actions: [
      ['message_removed', 1],
      ['action_reverted', 100],
    ],
  },
  {
    links: ['bad'],
    actions: [
      ['message_removed', 10],
      ['action_reverted', 20],
      ['no_violation', 30],
    ],
  },
  { links: ['bad'], actions: [['no_violation', 45]] },
  { links: ['none', 'bad'], actions: [['no_violation', 5]] },
  { links: ['bad'], actions: [['message_removed', 180]] },
  { links: ['bad'], actions: [['message_removed', -10]], neighbour: true },
  { links: ['short'], actions: [['message_removed', 3]] },
  { links: ['short'], actions: [['no_violation', 3]] },
  { links: ['short'], actions: [['no_violation', 119]] },
  { links: ['short'] },
  { links: ['short'], actions: [['action_reverted', 3]] },
  { links: ['bad', 'short'], actions: [['message_removed', 7]] },
  { links: ['short', 'none'], actions: [['message_removed', 7]] },
  { links: ['none'] },
  { links: ['bad'], private: true, actions: [['message_removed', 7]] },
]

const WORDS =
  'river stone market garden window morning violet copper island harbor lantern meadow orchard pepper quartz saddle thunder velvet whistle yellow anchor basket candle dolphin ember falcon glacier hammer ivory jasmine kettle lemon marble nectar oyster pillow quiver ribbon silver tulip umbrella walnut zephyr'.split(
    ' ',
  )

/** A deterministic text of random words with at most one link (more than 8 words a link: no link_density). */
function text(seed: number, link: Link): string {
  let x = seed * 2_654_435_761
  const words: string[] = []
  for (let i = 0; i < 16; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648
    words.push(WORDS[x % WORDS.length] as string)
  }
  if (link === 'bad') words.push(`https://grabify.link/${seed}x`)
  if (link === 'short') words.push(`https://bit.ly/${seed}y`)
  return words.join(' ')
}

/** The fixture's messages and its NDJSON lines (messages and moderation events in time order). */
export function ruleOutcomeFixture(nearMs: number, windowHours: number): { messages: FixtureMessage[]; lines: string[] } {
  const dayMs = Math.floor(nearMs / 86_400_000) * 86_400_000
  const records: { ts: number; line: object }[] = []
  const messages = SPECS.map((spec, i) => {
    const chatId = spec.private ? String(7_000_000 + i) : `-100${1_000 + i}`
    const messageId = String(500 + i)
    // alternate days, ten minutes apart within the day
    const first = dayMs + (i % 2) * 86_400_000 + 10 * 3_600_000 + i * 10 * M
    const versionTs = spec.links.map((_, v) => first + v * 5 * M)
    const latestTs = versionTs[versionTs.length - 1] as number
    const chat = spec.private
      ? { id: chatId, type: 'private' }
      : { id: chatId, type: 'channel', title: `Channel ${i}`, username: `channel_${i}` }
    spec.links.forEach((link, v) =>
      records.push({
        ts: versionTs[v] as number,
        line: {
          schema: 'message.v1',
          event_id: `m-${i}-${v}`,
          type: v === 0 ? 'created' : 'edited',
          ts: versionTs[v],
          chat,
          message_id: messageId,
          sender: { id: String(9_000 + i) },
          text: text(i * 10 + v, link),
        },
      }),
    )
    const deletedTs = spec.deleted ? latestTs + 2 * M : null
    if (deletedTs !== null)
      records.push({
        ts: deletedTs,
        line: {
          schema: 'message.v1',
          event_id: `d-${i}`,
          type: 'deleted',
          ts: deletedTs,
          chat,
          message_id: messageId,
          sender: { id: String(9_000 + i) },
        },
      })
    const actions = (spec.actions ?? []).map(([action, minutes]) => ({ action, ts: latestTs + minutes * M, messageId }))
    if (spec.neighbour) actions.push({ action: 'message_removed', ts: latestTs + 4 * M, messageId: `${messageId}0` })
    actions.forEach(({ action, ts, messageId: target }, a) =>
      records.push({
        ts,
        line: {
          schema: 'moderation.v1',
          event_id: `a-${i}-${a}`,
          ts,
          action,
          target: { chat_id: chatId, message_id: target },
          category: 'spam',
          source: 'user_report',
        },
      }),
    )
    return {
      chatId,
      messageId,
      private: spec.private === true,
      links: spec.links,
      versionTs,
      deletedTs,
      actions,
      dayMs,
      latestTs,
      dayOfLatest: Math.floor(latestTs / 86_400_000) * 86_400_000,
      windowMs: windowHours * 3_600_000,
    }
  })
  records.sort((a, b) => a.ts - b.ts)
  return { messages, lines: records.map((r) => JSON.stringify(r.line)) }
}

/** The rules that fire on the message's latest version, by the fixture's construction. */
export function rulesFired(m: FixtureMessage): string[] {
  if (m.private) return []
  const latest = m.links[m.links.length - 1]
  const fired = latest === 'bad' ? ['bad_domain'] : latest === 'short' ? ['shortener'] : []
  // an edit from nothing to a bad link raises the score from 0 to 0.8: edit_to_spam (shadow)
  const previous = m.links[m.links.length - 2]
  if (previous === 'none' && latest === 'bad') fired.push('edit_to_spam')
  return fired
}

/** The decision that followed, from the fixture's own actions on the message within the window. */
export function outcomeOf(m: FixtureMessage): 'removed' | 'reverted' | 'no_violation' | 'unreviewed' {
  const first = m.versionTs[0] as number
  const inWindow = m.actions.filter((a) => a.messageId === m.messageId && a.ts >= first && a.ts <= m.latestTs + m.windowMs)
  const last = (action: Action) => Math.max(-1, ...inWindow.filter((a) => a.action === action).map((a) => a.ts))
  const removed = last('message_removed')
  if (removed >= 0 && last('action_reverted') >= removed) return 'reverted'
  if (removed >= 0) return 'removed'
  return inWindow.some((a) => a.action === 'no_violation') ? 'no_violation' : 'unreviewed'
}

/** Per rule of FIXTURE_RULES, the figures of `report rules` over `messages`. */
export function expectedRuleFigures(messages: readonly FixtureMessage[]): Record<string, RuleFigures> {
  const figures: Record<string, RuleFigures> = {}
  for (const rule of FIXTURE_RULES) {
    const f = {
      mode: MODE[rule] as 'enforce' | 'shadow',
      flagged: 0,
      removed: 0,
      reverted: 0,
      no_violation: 0,
      unreviewed: 0,
      precision: null as number | null,
    }
    for (const m of messages.filter((x) => rulesFired(x).includes(rule))) {
      f.flagged++
      f[outcomeOf(m)]++
    }
    const reviewed = f.removed + f.reverted + f.no_violation
    f.precision = reviewed === 0 ? null : f.removed / reviewed
    figures[rule] = f
  }
  return figures
}
