import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DEFAULT_RULES_PATH, loadPrecisionFloors, loadRulesFile } from '../../../src/config/analysis-files.js'
import { tempDir } from '../../support/harness.js'

const RULES = readFileSync(DEFAULT_RULES_PATH, 'utf8')

function rulesFile(text: string): string {
  const file = path.join(tempDir('floors'), 'rules.yaml')
  writeFileSync(file, text)
  return file
}

test('the shipped rules file sets floors on three enforcing rules; scoring takes none of them as a parameter', () => {
  assert.deepEqual(Object.fromEntries(loadPrecisionFloors()), { campaign_spread: 0.8, bad_domain: 0.9, sender_burst: 0.7 })
  for (const rule of loadRulesFile().rules) assert.equal(rule.params['precision_floor'], undefined, rule.id)
})

test('a shadow or disabled rule has no floor to alert on', () => {
  const file = rulesFile(
    RULES.replace('  bad_domain:\n    weight: 0.8\n', '  bad_domain:\n    weight: 0.8\n    shadow: true\n').replace(
      '  sender_burst:\n    weight: 0.5\n',
      '  sender_burst:\n    weight: 0.5\n    enabled: false\n',
    ),
  )
  assert.deepEqual(Object.fromEntries(loadPrecisionFloors(file)), { campaign_spread: 0.8 })
})

test('a floor outside [0, 1] is a problem of the rules file, listed with its place', () => {
  const file = rulesFile(RULES.replace('    precision_floor: 0.9\n', '    precision_floor: 1.5\n'))
  assert.throws(
    () => loadPrecisionFloors(file),
    (error: Error & { problems?: string[] }) => {
      assert.ok(
        error.problems?.some((p) => p.startsWith('rules.bad_domain.precision_floor:')),
        JSON.stringify(error.problems),
      )
      return true
    },
  )
})
