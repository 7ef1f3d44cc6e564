/**
 * The Transparency Database's rules, one by one: a statement that follows them passes, and each
 * way to break a rule is refused under the field the database names, with nothing else refused.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validateStatement } from '../../../../src/reports/dsa/validate.js'

/** The API page's example (v2), restricted to one ground: accepted as it is. */
const VALID = {
  decision_visibility: ['DECISION_VISIBILITY_CONTENT_DISABLED'],
  decision_monetary: 'DECISION_MONETARY_TERMINATION',
  end_date_monetary_restriction: '2023-08-08',
  decision_provision: 'DECISION_PROVISION_TOTAL_SUSPENSION',
  decision_account: 'DECISION_ACCOUNT_SUSPENDED',
  account_type: 'ACCOUNT_TYPE_BUSINESS',
  decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
  decision_ground_reference_url: 'https://www.anurl.com',
  content_type: ['CONTENT_TYPE_VIDEO', 'CONTENT_TYPE_AUDIO', 'CONTENT_TYPE_SYNTHETIC_MEDIA'],
  category: 'STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN',
  incompatible_content_ground: 'incompatible content grounds',
  incompatible_content_explanation: 'incompatible content explanation',
  incompatible_content_illegal: 'Yes',
  territorial_scope: ['PT', 'ES', 'DE'],
  content_language: 'EN',
  content_date: '2023-08-08',
  application_date: '2023-08-08',
  decision_facts: 'facts about the decision',
  source_type: 'SOURCE_TRUSTED_FLAGGER',
  automated_detection: 'No',
  automated_decision: 'AUTOMATED_DECISION_PARTIALLY',
  puid: 'TK421',
}

const errorsOf = (changes: Record<string, unknown>, remove: string[] = []) => {
  const statement: Record<string, unknown> = { ...VALID, ...changes }
  for (const key of remove) delete statement[key]
  return validateStatement(statement)
}

test('the API documentation example is accepted', () => {
  assert.deepEqual(validateStatement(VALID), {})
})

test('a statement that is not an object is refused', () => {
  assert.deepEqual(Object.keys(validateStatement([])), ['statement'])
  assert.deepEqual(Object.keys(validateStatement(null)), ['statement'])
})

test('at least one restriction: without any, each of the four is reported', () => {
  const errors = errorsOf({ decision_visibility: [] }, ['decision_monetary', 'decision_provision', 'decision_account'])
  assert.deepEqual(Object.keys(errors).sort(), ['decision_account', 'decision_monetary', 'decision_provision', 'decision_visibility'])
  // any one of them is enough
  assert.deepEqual(errorsOf({}, ['decision_visibility', 'decision_monetary', 'decision_provision']), {})
})

test('enumerations: an unknown key in each enumerated field is refused under that field only', () => {
  const cases: [string, unknown][] = [
    ['decision_visibility', ['DECISION_VISIBILITY_CONTENT_HIDDEN']],
    ['decision_monetary', 'DECISION_MONETARY_FINE'],
    ['decision_provision', 'DECISION_PROVISION_SUSPENSION'],
    ['decision_account', 'DECISION_ACCOUNT_BANNED'],
    ['account_type', 'ACCOUNT_TYPE_PERSONAL'],
    ['decision_ground', 'DECISION_GROUND_OTHER'],
    ['content_type', ['CONTENT_TYPE_TEXT', 'CONTENT_TYPE_POST']],
    // v1 names that v2 renamed or removed
    ['category', 'STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT'],
    ['category', 'STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE'],
    ['category_addition', ['STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS']],
    ['category_specification', ['KEYWORD_DISINFORMATION']],
    ['territorial_scope', ['DE', 'CH']],
    ['territorial_scope', ['EL']],
    ['content_language', 'english'],
    ['source_type', 'SOURCE_AUTHORITY'],
    ['automated_detection', 'yes'],
    ['automated_decision', 'Yes'],
    ['incompatible_content_illegal', 'Maybe'],
  ]
  for (const [field, value] of cases)
    assert.deepEqual(Object.keys(errorsOf({ [field]: value })), [field], `${field} = ${JSON.stringify(value)}`)
})

test('array fields must be arrays', () => {
  for (const field of ['decision_visibility', 'content_type', 'territorial_scope', 'category_specification', 'category_addition'])
    assert.deepEqual(Object.keys(errorsOf({ [field]: 'CONTENT_TYPE_TEXT' })), [field], field)
})

test('required fields: each one missing is refused under its name', () => {
  const required = [
    'decision_ground',
    'content_type',
    'category',
    'territorial_scope',
    'content_date',
    'application_date',
    'decision_facts',
    'source_type',
    'automated_detection',
    'automated_decision',
    'puid',
  ]
  for (const field of required) {
    assert.deepEqual(Object.keys(errorsOf({}, [field])), [field], field)
    assert.deepEqual(Object.keys(errorsOf({ [field]: '  ' })), [field], `${field} blank`)
  }
})

test('the grounds a decision ground requires, and only those', () => {
  const illegal = { decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT' }
  assert.deepEqual(Object.keys(errorsOf(illegal)).sort(), ['illegal_content_explanation', 'illegal_content_legal_ground'])
  // the incompatible-content fields are excluded (not checked) under the illegal ground
  assert.deepEqual(
    errorsOf({
      ...illegal,
      illegal_content_legal_ground: 'Art. 1',
      illegal_content_explanation: 'why',
      incompatible_content_illegal: 'Maybe',
    }),
    {},
  )
  assert.deepEqual(Object.keys(errorsOf({}, ['incompatible_content_ground'])), ['incompatible_content_ground'])
  assert.deepEqual(Object.keys(errorsOf({}, ['incompatible_content_explanation'])), ['incompatible_content_explanation'])
})

test('the _other texts: required with the OTHER value', () => {
  assert.deepEqual(Object.keys(errorsOf({ decision_visibility: ['DECISION_VISIBILITY_OTHER'] })), ['decision_visibility_other'])
  assert.deepEqual(errorsOf({ decision_visibility: ['DECISION_VISIBILITY_OTHER'], decision_visibility_other: 'shadow limited' }), {})
  assert.deepEqual(Object.keys(errorsOf({ decision_monetary: 'DECISION_MONETARY_OTHER' })), ['decision_monetary_other'])
  assert.deepEqual(Object.keys(errorsOf({ content_type: ['CONTENT_TYPE_OTHER'] })), ['content_type_other'])
  assert.deepEqual(errorsOf({ content_type: ['CONTENT_TYPE_OTHER'], content_type_other: 'a chat' }), {})
})

test('text limits in characters: 500, 2000 and 5000', () => {
  const limits: [string, number][] = [
    ['incompatible_content_ground', 500],
    ['incompatible_content_explanation', 2000],
    ['decision_facts', 5000],
    ['source_identity', 500],
    ['category_specification_other', 500],
    ['decision_ground_reference_url', 500],
    ['puid', 500],
  ]
  for (const [field, max] of limits) {
    const at = field === 'decision_ground_reference_url' ? `https://x.eu/${'a'.repeat(max - 13)}` : 'é'.repeat(max)
    assert.deepEqual(errorsOf({ [field]: field === 'puid' ? 'a'.repeat(max) : at }), {}, `${field} at ${max}`)
    const over = field === 'decision_ground_reference_url' ? `${at}a` : field === 'puid' ? 'a'.repeat(max + 1) : `${at}é`
    assert.deepEqual(Object.keys(errorsOf({ [field]: over })), [field], `${field} over ${max}`)
  }
  assert.deepEqual(
    Object.keys(
      errorsOf({
        decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
        illegal_content_legal_ground: 'x'.repeat(501),
        illegal_content_explanation: 'y'.repeat(2001),
      }),
    ).sort(),
    ['illegal_content_explanation', 'illegal_content_legal_ground'],
  )
})

test('dates: YYYY-MM-DD of a real day, within the bounds of each field', () => {
  const cases: [string, string, boolean][] = [
    ['content_date', '2000-01-01', true],
    ['content_date', '1999-12-31', false],
    ['content_date', '2038-01-01', true],
    ['content_date', '2038-01-02', false],
    ['content_date', '2025-02-30', false],
    ['content_date', '2025-7-01', false],
    ['content_date', '2025-07-01 10', false],
    ['application_date', '2020-01-01', true],
    ['application_date', '2019-12-31', false],
    ['end_date_account_restriction', '2026-01-01', true],
    ['end_date_visibility_restriction', '01/01/2026', false],
    ['end_date_service_restriction', '2039-01-01', false],
  ]
  for (const [field, value, ok] of cases)
    assert.deepEqual(Object.keys(errorsOf({ [field]: value })), ok ? [] : [field], `${field} = ${value}`)
})

test('puid: letters, digits, - and _ only', () => {
  for (const good of ['abc-DEF_123', 'a', '-_-']) assert.deepEqual(errorsOf({ puid: good }), {}, good)
  for (const bad of ['a b', 'a/b', 'a.b', 'é', 'a\nb', 'a+b'])
    assert.deepEqual(Object.keys(errorsOf({ puid: bad })), ['puid'], JSON.stringify(bad))
})

test('decision_ground_reference_url must be an http(s) URL', () => {
  assert.deepEqual(Object.keys(errorsOf({ decision_ground_reference_url: 'not a url' })), ['decision_ground_reference_url'])
  assert.deepEqual(Object.keys(errorsOf({ decision_ground_reference_url: 'ftp://x.eu/terms' })), ['decision_ground_reference_url'])
})

test('fields the rules do not name are ignored, as the database ignores them', () => {
  assert.deepEqual(errorsOf({ platform_name: 'x', uuid: 'y' }), {})
})
