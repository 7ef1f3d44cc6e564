/** Statements from evidence: the mapping applied field by field, deterministic puids, facts without text or ids. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadDsaMapping } from '../../../../src/config/dsa.js'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { DsaStatementSchema, RESTRICTING_ACTIONS } from '../../../../src/domain/dsa-statement.js'
import { ACTION_SOURCES, CATEGORIES } from '../../../../src/domain/events.js'
import { buildStatement, decisionFacts, puidOf, validateStatement } from '../../../../src/reports/dsa/index.js'
import { DAY_MS, actionEvidence } from './evidence.js'

const mapping = loadDsaMapping()
const evidence = actionEvidence

test('every category x action x source gives a statement the database accepts, of the contract shape', () => {
  const contract = TypeCompiler.Compile(DsaStatementSchema)
  let n = 0
  for (const category of CATEGORIES)
    for (const action of RESTRICTING_ACTIONS)
      for (const source of ACTION_SOURCES) {
        const s = buildStatement(evidence({ category, action, source, eventId: `e${n++}` }), mapping)
        assert.deepEqual(validateStatement(s), {}, `${category} ${action} ${source}`)
        assert.ok(contract.Check(s), `${category} ${action} ${source}: ${JSON.stringify([...contract.Errors(s)].map((e) => e.path))}`)
      }
  assert.equal(n, 10 * 5 * 5)
})

test('puid: deterministic, unique per event, prefix then 40 hex digits', () => {
  assert.equal(puidOf('abuse-radar', 'mod-1'), puidOf('abuse-radar', 'mod-1'))
  assert.notEqual(puidOf('abuse-radar', 'mod-1'), puidOf('abuse-radar', 'mod-2'))
  assert.match(puidOf('abuse-radar', 'weird id/with spaces é'), /^abuse-radar-[0-9a-f]{40}$/)
  // a rerun builds byte-identical statements
  assert.equal(JSON.stringify(buildStatement(evidence(), mapping)), JSON.stringify(buildStatement(evidence(), mapping)))
})

test('the mapping, field by field: a removed scam message after automated detection', () => {
  const s = buildStatement(
    evidence({
      category: 'scam',
      message: { firstSeenMs: DAY_MS - 86_400_000 * 2, reasons: ['link_density', 'campaign'], spamScore: 0.875, campaignId: 'c42' },
      campaign: { id: 'c42', messages: 57, chats: 31 },
    }),
    mapping,
  )
  assert.deepEqual(s.decision_visibility, ['DECISION_VISIBILITY_CONTENT_REMOVED'])
  assert.equal(s.decision_ground, 'DECISION_GROUND_INCOMPATIBLE_CONTENT')
  assert.equal(s.incompatible_content_illegal, 'Yes')
  assert.equal(s.category, 'STATEMENT_CATEGORY_SCAMS_AND_FRAUD')
  assert.deepEqual(s.category_specification, ['KEYWORD_PHISHING'])
  assert.deepEqual(s.content_type, ['CONTENT_TYPE_TEXT'])
  assert.deepEqual(s.territorial_scope, ['DE'])
  assert.equal(s.content_date, '2026-11-18')
  assert.equal(s.application_date, '2026-11-20')
  assert.equal(s.source_type, 'SOURCE_VOLUNTARY')
  assert.equal(s.source_identity, undefined)
  assert.equal(s.automated_detection, 'Yes')
  assert.equal(s.automated_decision, 'AUTOMATED_DECISION_FULLY')
  assert.equal(
    s.decision_facts,
    'The message was removed after automated detection, category scam. Spam score of the message: 0.88; spam rules that fired: campaign, link_density. ' +
      'The message belongs to the near-duplicate campaign c42: 57 messages in 31 chats.',
  )
})

test('illegal ground: legal ground and explanation, no terms fields', () => {
  const s = buildStatement(evidence({ category: 'csam', action: 'chat_banned', source: 'proactive_review' }), mapping)
  assert.equal(s.decision_ground, 'DECISION_GROUND_ILLEGAL_CONTENT')
  assert.match(s.illegal_content_legal_ground ?? '', /2011\/93\/EU/)
  assert.ok(s.illegal_content_explanation)
  assert.equal(s.incompatible_content_ground, undefined)
  assert.equal(s.incompatible_content_illegal, undefined)
  assert.equal(s.decision_provision, 'DECISION_PROVISION_TOTAL_TERMINATION')
  assert.deepEqual(s.content_type, ['CONTENT_TYPE_OTHER'])
  assert.equal(s.automated_detection, 'No')
})

test('trusted flaggers and authorities say so, with the organisation of their report; users are never named', () => {
  const flagged = buildStatement(
    evidence({ source: 'trusted_flagger', report: { reporter: 'trusted_flagger', organisation: 'SafeNet' } }),
    mapping,
  )
  assert.equal(flagged.source_type, 'SOURCE_TRUSTED_FLAGGER')
  assert.equal(flagged.source_identity, 'Notice of a trusted flagger (Article 22 DSA): SafeNet')
  const ordered = buildStatement(evidence({ source: 'authority', report: { reporter: 'authority', organisation: 'Police' } }), mapping)
  assert.equal(ordered.source_type, 'SOURCE_TYPE_OTHER_NOTIFICATION')
  assert.equal(ordered.source_identity, 'Order of a judicial or administrative authority (Article 9 DSA): Police')
  const noticed = buildStatement(evidence({ source: 'user_report', report: { reporter: 'user', organisation: 'Jane Doe' } }), mapping)
  assert.equal(noticed.source_type, 'SOURCE_ARTICLE_16')
  assert.equal(noticed.source_identity, undefined)
})

test('territorial scope: the EU/EEA country of the action, else the configured default', () => {
  assert.deepEqual(buildStatement(evidence({ country: 'NO' }), mapping).territorial_scope, ['NO'])
  for (const country of ['', 'US', 'RU'])
    assert.deepEqual(buildStatement(evidence({ country }), mapping).territorial_scope, mapping.platform.default_territorial_scope, country)
})

test('clone and look-alike evidence in the facts', () => {
  const facts = decisionFacts(
    evidence({
      action: 'chat_banned',
      category: 'impersonation',
      similarity: { clonePairs: 2, cloneScore: 0.931, copiedFromOthers: 1, lookAlikePairs: 1, lookAlikeScore: 0.9 },
    }),
  )
  assert.equal(
    facts,
    'The chat was closed after automated detection, category impersonation. The chat shares its content with 2 other chats (highest overlap 0.93); ' +
      "1 of them posted the shared content first. The chat's name or handle is confusable with that of 1 other chat or protected name (similarity 0.90).",
  )
})
