import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../../src/config/load.js'
import { loadAnalysisInputs } from '../../../src/cli/runtime.js'
import { NOOP_ANALYSIS_OBSERVER } from '../../../src/domain/observers.js'
import type { DecodedEvent, MessageV1 } from '../../../src/domain/events.js'
import { createAnalyzer, type AnalysisStage } from '../../../src/pipeline/analysis.js'

type Message = Extract<DecodedEvent, { kind: 'message' }>

const message = (type: MessageV1['type'], chatType: MessageV1['chat']['type'], text?: string): Message => {
  const event = {
    schema: 'message.v1',
    event_id: `e-${type}-${chatType}`,
    type,
    ts: 1764331200000,
    chat: { id: '-100', type: chatType },
    message_id: '7',
    sender: { id: 'u' },
    ...(text !== undefined ? { text } : {}),
  } as MessageV1
  return { kind: 'message', event, tsMs: 1764331200000, senderCreatedMs: null }
}

test('analyze() reports the end of each of its stages, in order, to the benchmark clock', () => {
  const config = loadConfig({ env: {} })
  const stages: AnalysisStage[] = []
  const analysis = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER, {
    shareEntries: false,
    stageEnded: (stage) => stages.push(stage),
  })
  const laps = (m: Message) => {
    stages.length = 0
    analysis.analyze(m, 'p-u')
    return [...stages]
  }
  assert.deepEqual(laps(message('created', 'channel', 'Win a free iPhone today at https://example.com/prize now')), [
    'index',
    'normalize',
    'fingerprint',
    'index',
    'scoring',
    'similarity',
    'scoring',
  ])
  // no text to analyse: only the index's bookkeeping
  assert.deepEqual(laps(message('created', 'private', 'hello there')), ['index'])
  assert.deepEqual(laps(message('deleted', 'channel')), ['index'])
})

test('an edit is scored against the score its message had before (edit_to_spam, a shadow rule by default)', () => {
  const config = loadConfig({ env: {} })
  const analysis = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER)
  const benign = analysis.analyze(message('created', 'channel', 'Good morning everyone, the meeting moved to Thursday'), 'p-u')
  assert.equal(benign.spam, 0)
  const bait = message(
    'edited',
    'channel',
    'Frее crypto airdrop https://grabify.link/a https://tonkeeper-airdrop.com/claim claim now @aaaaa @bbbbb',
  )
  const edited = analysis.analyze(bait, 'p-u')
  assert.ok(edited.shadow_reasons.includes('edit_to_spam'), `shadow reasons: ${edited.shadow_reasons.join(', ')}`)
  // the same text edited into a message this instance never scored: nothing to compare with
  const unseen = analysis.analyze({ ...bait, event: { ...bait.event, message_id: '8' } }, 'p-u')
  assert.ok(!unseen.shadow_reasons.includes('edit_to_spam'))
})

test("a campaign's signature is written once, by the member that makes it a campaign (campaigns.min_messages)", () => {
  const config = loadConfig({ env: {} })
  assert.equal(config.settings.campaigns.min_messages, 2)
  const analysis = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER)
  const text = 'Earn 500 USD a day from home, no experience needed, write to our manager for the details today'
  const copy = (id: string) => {
    const m = message('created', 'channel', text)
    return { ...m, event: { ...m.event, event_id: id, message_id: id } }
  }
  const [founder, second, third] = ['1', '2', '3'].map((id) => analysis.analyze(copy(id), 'p-u'))
  assert.equal(second!.campaign_id, founder!.campaign_id)
  assert.equal(third!.campaign_id, founder!.campaign_id)
  assert.deepEqual([founder!.campaign_messages, second!.campaign_messages, third!.campaign_messages], [1, 1, 1])
  // a single message is no campaign: its row carries no signature
  assert.equal(founder!.campaign_signature, null)
  assert.equal(second!.campaign_signature, second!.signature)
  assert.equal(second!.campaign_signature?.length, 520)
  assert.equal(third!.campaign_signature, null)
})
