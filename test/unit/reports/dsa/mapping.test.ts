/** The DSA mapping file: the shipped defaults load, and a broken file is refused with every problem listed at once. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse, stringify } from 'yaml'
import { DEFAULT_DSA_MAPPING_PATH, compileDsaMapping, loadDsaMapping } from '../../../../src/config/dsa.js'
import { CATEGORIES, ACTION_SOURCES } from '../../../../src/domain/events.js'
import { RESTRICTING_ACTIONS } from '../../../../src/domain/dsa-statement.js'
import { InvalidInputError } from '../../../../src/domain/errors.js'

const defaults = () => parse(readFileSync(DEFAULT_DSA_MAPPING_PATH, 'utf8')) as Record<string, Record<string, unknown>>

const problemsOf = (doc: unknown): string[] => {
  try {
    compileDsaMapping(doc, 'test.yaml')
  } catch (error) {
    assert.ok(error instanceof InvalidInputError)
    assert.equal(error.code, 'AR_CONFIG_INVALID')
    return [...error.problems]
  }
  return []
}

test('config/dsa.yaml maps every category, restricting action and source', () => {
  const m = loadDsaMapping()
  assert.deepEqual(Object.keys(m.categories).sort(), [...CATEGORIES].sort())
  assert.deepEqual(Object.keys(m.actions).sort(), [...RESTRICTING_ACTIONS].sort())
  assert.deepEqual(Object.keys(m.sources).sort(), [...ACTION_SOURCES].sort())
  assert.equal(m.sources['trusted_flagger']?.source_type, 'SOURCE_TRUSTED_FLAGGER')
  assert.equal(m.sources['authority']?.source_type, 'SOURCE_TYPE_OTHER_NOTIFICATION')
  assert.equal(m.submission.batch_size, 100)
})

test('every problem of a broken mapping at once: schema errors and checks across fields', () => {
  const doc = defaults()
  const categories = doc['categories'] as Record<string, Record<string, unknown>>
  const actions = doc['actions'] as Record<string, Record<string, unknown>>
  delete categories['doxxing']
  categories['spam'] = { ...categories['spam'], category: 'STATEMENT_CATEGORY_SPAM' }
  categories['csam'] = { ...categories['csam'], also_illegal: true }
  categories['phishing'] = categories['scam'] as Record<string, unknown>
  actions['chat_banned'] = { content_type: ['CONTENT_TYPE_OTHER'] }
  ;(doc['platform'] as Record<string, unknown>)['puid_prefix'] = 'bad prefix'
  ;(doc['submission'] as Record<string, unknown>)['batch_size'] = 500
  const problems = problemsOf(doc)
  const has = (pattern: RegExp) =>
    assert.ok(
      problems.some((p) => pattern.test(p)),
      `${pattern} in:\n${problems.join('\n')}`,
    )
  has(/^categories\.spam\.category: /)
  has(/^categories\.doxxing: missing/)
  has(/^categories\.phishing: unknown/)
  has(/^categories\.csam\.also_illegal: only for ground terms/)
  has(/^actions\.chat_banned: needs a restriction/)
  has(/^actions\.chat_banned\.content_type_other: required/)
  has(/^platform\.puid_prefix: /)
  has(/^submission\.batch_size: /)
})

test('the file is read and parsed: unreadable and invalid YAML are input errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dsa-mapping-'))
  assert.throws(
    () => loadDsaMapping(path.join(dir, 'missing.yaml')),
    (e: unknown) => e instanceof InvalidInputError && /cannot read/.test(e.message),
  )
  const bad = path.join(dir, 'bad.yaml')
  writeFileSync(bad, 'version: 1\nplatform: [\n')
  assert.throws(
    () => loadDsaMapping(bad),
    (e: unknown) => e instanceof InvalidInputError && /not valid YAML/.test(e.message),
  )
  const good = path.join(dir, 'good.yaml')
  writeFileSync(good, stringify(defaults()))
  assert.equal(loadDsaMapping(good).platform.puid_prefix, 'abuse-radar')
})
