// Private chats' ids are a person's (in Telegram, the other user's id): no fact row carries one raw.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { messageFact, moderationFact, NO_TEXT_VERDICT, reportFact, storedChatId } from '../../../src/facts/build.js'
import type { MessageV1 } from '../../../src/domain/events.js'
import { createPseudonymizer } from '../../../src/privacy/pseudonymize.js'

const pseudonymize = createPseudonymizer('a test key of 32 characters.....')
const position = { topic: 't', partition: 0, offset: 0 }
const message = (chat: { id: string; type: string }) =>
  ({
    schema: 'message.v1',
    event_id: 'e',
    type: 'created',
    ts: 1,
    chat,
    message_id: '1',
    sender: { id: '7512345678' },
  }) as unknown as MessageV1
const target = (chatId: string) => ({ chat_id: chatId, user_id: '7512345678' })

test('a private chat is stored under the pseudonym its user gets as a sender; a public chat keeps its id', () => {
  const inPrivate = messageFact(message({ id: '7512345678', type: 'private' }), 1, position, 1, 's', NO_TEXT_VERDICT, pseudonymize)
  assert.equal(inPrivate.chat_id, pseudonymize('7512345678'))
  assert.match(inPrivate.chat_id, /^[0-9a-f]{20}$/)
  for (const type of ['channel', 'group', 'supergroup', 'bot']) {
    const fact = messageFact(message({ id: '-1001234', type }), 1, position, 1, 's', NO_TEXT_VERDICT, pseudonymize)
    assert.equal(fact.chat_id, '-1001234', type)
  }
})

test('moderation and report targets, which carry no chat type, pseudonymize ids of the form Telegram gives users', () => {
  const moderation = (chatId: string) =>
    moderationFact(
      {
        schema: 'moderation.v1',
        event_id: 'm',
        ts: 1,
        action: 'user_banned',
        target: target(chatId),
        category: 'spam',
        source: 'automated',
      },
      1,
      position,
      1,
      pseudonymize,
    )
  const report = (chatId: string) =>
    reportFact(
      {
        schema: 'report.v1',
        event_id: 'r',
        ts: 1,
        report_id: 'R',
        reporter: 'user',
        priority: 'normal',
        target: target(chatId),
        category: 'spam',
      },
      1,
      position,
      1,
      pseudonymize,
    )
  assert.deepEqual(
    [moderation('7512345678').chat_id, report('7512345678').chat_id],
    [pseudonymize('7512345678'), pseudonymize('7512345678')],
  )
  assert.deepEqual([moderation('-1001234').chat_id, report('-42').chat_id], ['-1001234', '-42'])
  assert.deepEqual([moderation('chat-abc').chat_id, report('chat-abc').chat_id], ['chat-abc', 'chat-abc'])
})

test('storedChatId: the chat type decides when it is known, the id form only when it is not', () => {
  assert.equal(storedChatId('-5', 'private', pseudonymize), pseudonymize('-5'))
  assert.equal(storedChatId('7512345678', 'bot', pseudonymize), '7512345678')
  assert.equal(storedChatId('7512345678', null, pseudonymize), pseudonymize('7512345678'))
  assert.equal(storedChatId('-7512345678', null, pseudonymize), '-7512345678')
})
