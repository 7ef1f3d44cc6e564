import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import {
  CampaignSpread,
  compileRules,
  SenderBurst,
  SpamScorer,
  mixedScriptWords,
  type Rules,
  type ScoringInput,
} from '../../../src/scoring/index.js'
import { loadRulesFile } from '../../../src/config/analysis-files.js'
import { RulesError } from '../../../src/domain/errors.js'
import { normalizeText } from '../../../src/normalize/index.js'
import type { MessageV1 } from '../../../src/domain/events.js'

const T0 = Date.parse('2026-11-28T12:00:00Z')
const DAY = 86_400_000

function msg(text: string, extra: Partial<MessageV1> = {}): MessageV1 {
  return {
    schema: 'message.v1',
    event_id: 'e1',
    type: 'created',
    ts: T0,
    chat: { id: '-1001', type: 'supergroup' },
    message_id: '1',
    sender: { id: '42' },
    text,
    ...extra,
  }
}

function input(text: string, extra: Partial<ScoringInput> = {}, event: Partial<MessageV1> = {}): ScoringInput {
  return {
    event: msg(text, event),
    tsMs: T0,
    sender: 'p42',
    senderCreatedMs: T0 - 400 * DAY,
    normalized: normalizeText(text),
    campaignId: '',
    campaignSize: 1,
    campaignChatsLastHour: 1,
    senderMessagesLastMinute: 1,
    forwardFromClone: false,
    previousScore: null,
    ...extra,
  }
}

const RULES_TEXT = readFileSync(new URL('../../../config/rules.yaml', import.meta.url), 'utf8')
const rules = loadRulesFile()
const scorer = new SpamScorer(rules)

function withRules(patch: (doc: string) => string): Rules {
  return compileRules(parseYaml(patch(RULES_TEXT)), 'test.yaml')
}

test('the shipped rules file is valid and has every rule the issue asks for', () => {
  const ids = rules.rules.map((r) => r.id)
  for (const id of [
    'campaign',
    'campaign_spread',
    'link_density',
    'button_links',
    'bad_domain',
    'shortener',
    'mention_density',
    'hashtag_density',
    'invisible_chars',
    'homoglyphs',
    'mixed_script_words',
    'sender_burst',
    'young_account',
    'forward_from_clone',
    'edit_to_spam',
  ]) {
    assert.ok(ids.includes(id as never), id)
  }
  assert.ok(rules.threshold > 0 && rules.threshold <= 1)
})

test('an ordinary message scores low, with no reasons', () => {
  const r = scorer.score(input('Привет всем, кто идёт сегодня на митап по Rust? Встречаемся у входа в 19:00, я купил новый iPhone'))
  assert.equal(r.spam, false)
  assert.deepEqual(r.reasons, [])
  assert.equal(r.score, 0)
})

test('a campaign spreading across chats with a shortened link and a burst is spam, with its reasons', () => {
  const text = 'FREE 500 USDT airdrop, claim now 👉 https://bit.ly/xyz'
  const r = scorer.score(
    input(
      text,
      { campaignId: 'c1', campaignSize: 40, campaignChatsLastHour: 25, senderMessagesLastMinute: 30 },
      { entities: [{ type: 'url', value: 'https://bit.ly/xyz' }] },
    ),
  )
  assert.ok(r.spam, JSON.stringify(r))
  for (const reason of ['campaign', 'campaign_spread', 'shortener', 'sender_burst']) assert.ok(r.reasons.includes(reason), reason)
  assert.ok(r.score > 0.8 && r.score <= 1)
})

test('each rule fires on its own signal', () => {
  const fired = (x: ScoringInput) => [...scorer.score(x).reasons, ...scorer.score(x).shadowReasons]
  assert.ok(fired(input('see https://grabify.link/abc now')).includes('bad_domain'))
  assert.ok(fired(input('sub.iplogger.org/x')).includes('bad_domain'), 'subdomains of a listed domain')
  assert.ok(fired(input('hello', {}, { buttons: [{ text: 'Claim', url: 'https://x.example/a' }] })).includes('button_links'))
  assert.ok(fired(input('a.com b.com c.com d.com')).includes('link_density'))
  assert.ok(fired(input('hi @alice_x @bobby_y @carol_z @dave_w join')).includes('mention_density'))
  assert.ok(fired(input('#a1 #b2 #c3 #d4 #e5 #f6 win')).includes('hashtag_density'))
  assert.ok(fired(input('fr\u200bee mo\u200bney no\u200bw')).includes('invisible_chars'))
  assert.ok(fired(input('Frее mоnеy fоr yоu')).includes('homoglyphs'))
  assert.ok(fired(input('ok', { senderCreatedMs: T0 - 2 * DAY })).includes('young_account'))
  assert.ok(!fired(input('ok', { senderCreatedMs: null })).includes('young_account'), 'unknown age is not young')
  assert.ok(fired(input('ok', { forwardFromClone: true })).includes('forward_from_clone'))
  assert.ok(fired(input('ok', { campaignId: 'c', campaignSize: 3 })).includes('campaign'))
})

test('mixed scripts are judged per word: a Russian text with an English word is normal', () => {
  assert.deepEqual(mixedScriptWords('Привет, я купил новый iPhone вчера'), { words: 6, mixed: 0 })
  assert.equal(mixedScriptWords('Здpaвcтвyйтe, вы выиграли').mixed, 1) // Latin p a c y e inside a Cyrillic word
  assert.ok(!scorer.score(input('Привет, я купил новый iPhone вчера')).reasons.includes('mixed_script_words'))
  assert.ok(scorer.score(input('Здpaвcтвyйтe, вы выиграли пpиз')).reasons.includes('mixed_script_words'))
})

test('shadow rules are recorded but not counted', () => {
  const shadowed = new SpamScorer(
    withRules((t) => t.replace('  shortener:\n    weight: 0.3', '  shortener:\n    weight: 0.3\n    shadow: true')),
  )
  const x = input(
    'have a look at the notes from the meeting about the new office https://bit.ly/abc',
    {},
    { entities: [{ type: 'url', value: 'https://bit.ly/abc' }] },
  )
  const live = scorer.score(x)
  const shadow = shadowed.score(x)
  assert.ok(live.reasons.includes('shortener'))
  assert.ok(!shadow.reasons.includes('shortener'))
  assert.ok(shadow.shadowReasons.includes('shortener'))
  assert.equal(shadow.score, 0, 'not counted in the score')
  assert.equal(shadow.spam, false)
  assert.ok(shadow.shadowScore > 0, 'but scored: what the score would be with the rule live')
  // a disabled rule is not evaluated at all
  const off = new SpamScorer(
    withRules((t) => t.replace('  shortener:\n    weight: 0.3', '  shortener:\n    weight: 0.3\n    enabled: false')),
  )
  assert.deepEqual(off.score(x).shadowReasons, [])
  assert.deepEqual(off.score(x).reasons, [])
})

test('an edit that turns a message into spam', () => {
  const live = new SpamScorer(withRules((t) => t.replace('    min_increase: 0.3\n    shadow: true', '    min_increase: 0.3')))
  const spammy = { campaignId: 'c', campaignSize: 50, campaignChatsLastHour: 30 }
  const edit = live.score(input('claim https://bit.ly/x', { ...spammy, previousScore: 0.05 }, { type: 'edited' }))
  assert.ok(edit.reasons.includes('edit_to_spam'))
  const created = live.score(input('claim https://bit.ly/x', { ...spammy, previousScore: null }))
  assert.ok(!created.reasons.includes('edit_to_spam'))
  const wasSpam = live.score(input('claim https://bit.ly/x', { ...spammy, previousScore: 0.9 }, { type: 'edited' }))
  assert.ok(!wasSpam.reasons.includes('edit_to_spam'), 'already spam before')
  // shipped in shadow mode
  const shipped = scorer.score(input('claim https://bit.ly/x', { ...spammy, previousScore: 0.05 }, { type: 'edited' }))
  assert.ok(shipped.shadowReasons.includes('edit_to_spam'))
})

test('rule config validation lists every problem clearly', () => {
  const bad = [
    'version: 2',
    'threshold: 1.5',
    'rules:',
    '  campaign: { weight: 0.3, min_size: 1 }',
    '  campaign_spread: { weight: 2, min_chats: 30, full_chats: 20 }',
    '  link_density: { weight: 0.3, min_links: 3 }',
    '  shortener: { weight: 0.3, shadow: "yes" }',
    '  no_such_rule: { weight: 0.1 }',
    '  homoglyphs: { weight: 0.3, min_count: 2, typo_key: 1 }',
    'lists:',
    '  bad_domains: [ "https://evil.example/path", ok.com, ok.com ]',
    '  shorteners: []',
    'extra: 1',
  ].join('\n')
  assert.throws(
    () => compileRules(parseYaml(bad), 'bad.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof RulesError)
      const expected = [
        /^extra: unknown key/,
        /^version: Expected 1 \(got 2\)/,
        /^threshold: .*1\.5/,
        /^rules\.no_such_rule: unknown rule \(known: campaign, /,
        /^rules\.campaign\.min_size: .*\(got 1\)/,
        /^rules\.campaign_spread\.weight: .*\(got 2\)/,
        /^rules\.link_density\.max_words_per_link: missing/,
        /^rules\.shortener\.shadow: Expected boolean/,
        /^rules\.homoglyphs\.typo_key: unknown key/,
        /^rules\.campaign_spread: min_chats \(30\) must not exceed full_chats \(20\)/,
        /^lists\.bad_domains\.0: .* is not a domain name/,
        /^lists\.bad_domains\.2: "ok\.com" is listed twice/,
        /^rules\.shortener: enabled but lists\.shorteners is empty/,
      ]
      assert.equal(e.problems.length, expected.length, e.message)
      for (const re of expected)
        assert.ok(
          e.problems.some((p) => re.test(p)),
          `${re} in\n${e.message}`,
        )
      assert.match(e.message, /^invalid spam rules bad\.yaml \(13 problems\):/)
      return true
    },
  )
})

test('SenderBurst: messages per minute per sender, bounded', () => {
  const b = new SenderBurst({ maxSenders: 100 })
  let n = 0
  for (let i = 0; i < 30; i++) n = b.observe('s1', T0 + i * 1000)
  assert.equal(n, 30)
  assert.equal(b.observe('s2', T0 + 30_000), 1)
  // a minute and a half later the burst is mostly gone
  assert.ok(b.rate('s1', T0 + 95_000) <= 15)
  assert.equal(b.rate('s1', T0 + 10 * 60_000), 0)
  for (let i = 0; i < 1000; i++) b.observe(`x${i}`, T0 + 100_000 + i)
  assert.ok(b.size <= 100)
})

test('CampaignSpread: distinct chats per campaign in the last hour, bounded', () => {
  const s = new CampaignSpread({ maxCampaigns: 10, maxChatsPerCampaign: 50 })
  for (let i = 0; i < 20; i++) s.observe('c1', `chat${i}`, T0 + i * 60_000)
  assert.equal(s.observe('c1', 'chat0', T0 + 20 * 60_000), 20)
  assert.equal(s.chats('c1', T0 + 70 * 60_000), 11, 'chats not seen for an hour drop out (chat0 was seen again)')
  for (let i = 0; i < 200; i++) s.observe('c2', `k${i}`, T0 + 2 * 3_600_000)
  assert.equal(s.chats('c2', T0 + 2 * 3_600_000), 50, 'saturates at the per-campaign bound')
  for (let i = 0; i < 100; i++) s.observe(`camp${i}`, 'x', T0)
  assert.ok(s.size <= 10)
})

test('CampaignSpread: a campaign in one chat, then a second, then past the hour', () => {
  const s = new CampaignSpread({ maxCampaigns: 10 })
  assert.equal(s.observe('c1', 'chatA', T0), 1)
  assert.equal(s.observe('c1', 'chatA', T0 + 50 * 60_000), 1, 'the same chat again is one chat')
  assert.equal(s.chats('c1', T0 + 100 * 60_000), 1, 'seen again at 50 min: still within the hour at 100 min')
  assert.equal(s.chats('c1', T0 + 111 * 60_000), 0, 'an hour after its last message it has no chat')
  assert.equal(s.size, 0, 'and is forgotten')
  assert.equal(s.observe('c2', 'chatA', T0), 1)
  assert.equal(s.observe('c2', 'chatB', T0 + 30 * 60_000), 2, 'a second chat')
  assert.equal(s.chats('c2', T0 + 61 * 60_000), 1, 'chatA dropped out, chatB stays')
  assert.equal(s.observe('c2', 'chatC', T0 + 61 * 60_000), 2)
  assert.equal(s.observe('c3', 'chatA', T0), 1)
  assert.equal(s.observe('c3', 'chatB', T0 + 2 * 3_600_000), 1, 'the first chat had expired when the second came')
  const one = new CampaignSpread({ maxChatsPerCampaign: 1 })
  one.observe('c', 'chatA', T0)
  assert.equal(one.observe('c', 'chatB', T0 + 1), 1, 'saturates at a bound of one chat')
})

test('SenderBurst: the least recently active sender is forgotten first, not the first seen', () => {
  const b = new SenderBurst({ maxSenders: 3 })
  b.observe('a', T0)
  b.observe('b', T0 + 1)
  b.observe('c', T0 + 2)
  b.observe('a', T0 + 3) // a is now the most recently active
  b.observe('d', T0 + 4) // full: b leaves
  assert.equal(b.size, 3)
  assert.equal(b.rate('b', T0 + 5), 0)
  assert.equal(b.rate('a', T0 + 5), 2)
  assert.equal(b.rate('c', T0 + 5), 1)
  assert.equal(b.rate('a', T0 + 5), 2, 'a rate reads without touching: c is still the least recent')
  b.observe('e', T0 + 6)
  assert.deepEqual(
    ['a', 'c', 'd', 'e'].map((s) => b.rate(s, T0 + 7)),
    [2, 0, 1, 1],
  )
})

test('CampaignSpread: the least recently seen campaign is forgotten first, with its chats', () => {
  const s = new CampaignSpread({ maxCampaigns: 2 })
  assert.equal(s.observe('c1', 'chatA', T0), 1)
  assert.equal(s.observe('c1', 'chatB', T0 + 1), 2)
  assert.equal(s.observe('c2', 'chatA', T0 + 2), 1)
  assert.equal(s.observe('c1', 'chatC', T0 + 3), 3, 'c1 seen again: now the most recent')
  assert.equal(s.observe('c3', 'chatA', T0 + 4), 1)
  assert.deepEqual([s.chats('c1', T0 + 5), s.chats('c2', T0 + 5), s.chats('c3', T0 + 5)], [3, 0, 1])
  assert.equal(s.observe('c4', 'chatA', T0 + 6), 1, 'c1 leaves now')
  assert.equal(s.observe('c1', 'chatD', T0 + 7), 1, 'and comes back with none of its chats')
})

test('scores are in [0, 1] whatever fires', () => {
  const x = input(
    'Frее https://grabify.link/a https://bit.ly/b @aaaaa @bbbbb @ccccc #a #b #c #d #e Здpaвcтвyйтe fr\u200bee',
    {
      campaignId: 'c',
      campaignSize: 100,
      campaignChatsLastHour: 100,
      senderMessagesLastMinute: 100,
      senderCreatedMs: T0 - DAY,
      forwardFromClone: true,
    },
    { buttons: [{ text: 'go', url: 'https://x.example' }] },
  )
  const r = scorer.score(x)
  assert.ok(r.score <= 1 && r.score > 0.99)
  assert.ok(r.spam)
})
