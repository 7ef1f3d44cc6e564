import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../../src/config/load.js'
import { loadAnalysisInputs } from '../../../src/cli/runtime.js'
import { NOOP_ANALYSIS_OBSERVER } from '../../../src/domain/observers.js'
import type { DecodedEvent, MessageV1 } from '../../../src/domain/events.js'
import { createAnalyzer } from '../../../src/pipeline/analysis.js'
import { PublicChatsSeen } from '../../../src/pipeline/sample-chats.js'

test('PublicChatsSeen: distinct chats per campaign; the first seen campaign is forgotten first', () => {
  const seen = new PublicChatsSeen(2)
  assert.equal(seen.add('c1', 'chatA'), 1)
  assert.equal(seen.add('c1', 'chatA'), 1, 'the same chat again')
  assert.equal(seen.add('c1', 'chatB'), 2)
  assert.equal(seen.add('c1', 'chatA'), 2)
  assert.equal(seen.add('c2', 'chatA'), 1)
  assert.equal(seen.add('c1', 'chatC'), 3, 'seen again, c1 is still the first seen')
  assert.equal(seen.add('c3', 'chatA'), 1)
  assert.equal(seen.size, 2)
  assert.equal(seen.add('c1', 'chatA'), 1, 'c1 was forgotten, with its chats')
  assert.equal(seen.add('c3', 'chatB'), 2, 'c2 left for c1; c3 kept its chat')
  seen.forget('c3')
  assert.equal(seen.add('c3', 'chatB'), 1)
})

type Message = Extract<DecodedEvent, { kind: 'message' }>

test('a campaign gets one masked sample, at the message that brings it to sample_min_chats public chats', () => {
  const config = loadConfig({ env: {} })
  const { min_messages: minMessages } = config.settings.campaigns
  const { sample_min_chats: minChats } = config.settings.privacy
  const analysis = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER)
  const text = 'Claim your free USDT airdrop today, write to support@airdrop.example or +1 555 0100 now'
  let n = 0
  const post = (chatId: string, chatType: MessageV1['chat']['type'] = 'channel') => {
    n++
    const tsMs = 1764331200000 + n * 1000
    const event = {
      schema: 'message.v1',
      event_id: `e${n}`,
      type: 'created',
      ts: tsMs,
      chat: { id: chatId, type: chatType },
      message_id: String(n),
      sender: { id: `u${n}` },
      text,
    } as MessageV1
    const message: Message = { kind: 'message', event, tsMs, senderCreatedMs: null }
    return analysis.analyze(message, `p-u${n}`)
  }
  // the campaign forms in one chat: each member from min_messages on records that chat once
  for (let i = 0; i < minMessages + 2; i++) assert.equal(post('-1001').campaign_sample, null)
  assert.equal(post('-2001', 'private').campaign_sample, null, 'a private chat is not counted')
  for (let chat = 2; chat < minChats; chat++) {
    assert.equal(post(`-100${chat}`).campaign_sample, null, `${chat} public chats`)
    assert.equal(post(`-100${chat}`).campaign_sample, null, `${chat} public chats, the last one again`)
  }
  const sample = post(`-100${minChats}`).campaign_sample
  assert.ok(sample !== null, `sampled in its ${minChats}th public chat`)
  assert.ok(sample.includes('free USDT airdrop') && !sample.includes('support@airdrop.example') && !sample.includes('555 0100'), sample)
  assert.equal(post('-1009').campaign_sample, null, 'once only')
})
