import { test } from 'node:test'
import assert from 'node:assert/strict'
import { maskPrivateData } from '../../../src/privacy/mask.js'
import { createPseudonymizer } from '../../../src/privacy/pseudonymize.js'

test('samples mask e-mails, phones and @handles but keep links and prices', () => {
  assert.equal(
    maskPrivateData('Write to john.doe@mail.ru or @john_doe, call +7 912 345-67-89. Join t.me/+AbC 500 USDT'),
    'Write to [email] or @[user], call [phone]. Join t.me/+AbC 500 USDT',
  )
  assert.equal(maskPrivateData('напиши @ivan_petrov в лс'), 'напиши @[user] в лс')
  assert.equal(maskPrivateData('a\u202eb\u200bc'), 'abc', 'bidi and zero-width controls removed')
  assert.equal(maskPrivateData('Only 2026 left, 12 spots'), 'Only 2026 left, 12 spots')
})

test('pseudonyms are keyed, stable and not the id', () => {
  const a = createPseudonymizer('key-one-0123456789')
  const b = createPseudonymizer('key-two-0123456789')
  assert.equal(a('12345'), a('12345'))
  assert.notEqual(a('12345'), b('12345'))
  assert.notEqual(a('12345'), a('12346'))
  assert.match(a('12345'), /^[0-9a-f]{20}$/)
  assert.throws(() => createPseudonymizer('short'))
})
