/**
 * Text keys (src/fingerprint/text-key.ts): a post cut short or with a tail keeps its head key, one
 * with a greeting its tail key, character-level attacks keep both; short texts have none.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { skeletonOf } from '../../../src/fingerprint/index.js'
import { TEXT_KEY_CHARS, headKeyOf, tailKeyOf } from '../../../src/fingerprint/text-key.js'
import { normalizeText } from '../../../src/normalize/index.js'

const keys = (text: string) => {
  const n = normalizeText(text)
  const skeleton = skeletonOf(n.text, n.numbers)
  return { head: headKeyOf(skeleton), tail: tailKeyOf(skeleton) }
}

const POST =
  'Я бы это решал через умный выключатель обычный, он включает контактор, контактор в свою очередь включает нагрузку. Так надёжнее и дешевле.'

test('a cut or a tail of tags keeps the head key; a greeting keeps the tail key; both change with the text', () => {
  const post = keys(POST)
  assert.match(post.head, /^[0-9a-f]{16}$/)
  assert.match(post.tail, /^[0-9a-f]{16}$/)
  assert.notEqual(post.head, post.tail)
  const cut = keys(POST.slice(0, 90))
  assert.equal(cut.head, post.head)
  assert.notEqual(cut.tail, post.tail)
  const tagged = keys(POST + ' #работа #раздача @xrnwabd')
  assert.equal(tagged.head, post.head)
  const greeted = keys('Всем привет! ' + POST)
  assert.notEqual(greeted.head, post.head)
  assert.equal(greeted.tail, post.tail)
  const other = keys('Надо просто клаву дарить не на GMK а на чем-то более серьезном. Питание 2.5Вт будет - антенку расширить.')
  assert.notEqual(other.head, post.head)
  assert.notEqual(other.tail, post.tail)
})

test('homoglyphs, zero-width characters, spacing and case change neither key', () => {
  const post = keys(POST)
  const attacked = keys(POST.replace(/о/g, 'o').replace(/а/g, 'a').replace(/ч/g, 'ч\u200b').replace(/,/g, ' ,').toUpperCase())
  assert.deepEqual(attacked, post)
})

test(`a skeleton under ${TEXT_KEY_CHARS} characters has no keys`, () => {
  assert.deepEqual(keys('Спасибо, всё работает!'), { head: '', tail: '' })
  assert.equal(headKeyOf('a'.repeat(TEXT_KEY_CHARS - 1)), '')
  assert.notEqual(headKeyOf('a'.repeat(TEXT_KEY_CHARS)), '')
})
