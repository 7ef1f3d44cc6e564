import { test } from 'node:test'
import assert from 'node:assert/strict'
import { silentLogger as silent } from '../../support/fakes.js'
import { diffRulesDocuments, recordRulesVersion, rulesVersionOf, type SqlStore } from '../../../src/backtest/rule-versions.js'

test('the difference names each changed key, lists as added and removed items', () => {
  const before = {
    threshold: 0.6,
    rules: { shortener: { weight: 0.3 }, campaign: { weight: 0.3, min_size: 3 } },
    lists: { shorteners: ['bit.ly', 'rb.gy'] },
  }
  const after = {
    threshold: 0.6,
    rules: { shortener: { weight: 0.5, shadow: true }, campaign: { weight: 0.3, min_size: 3 } },
    lists: { shorteners: ['bit.ly', 't.ly'] },
  }
  assert.deepEqual(diffRulesDocuments(before, after), [
    'lists.shorteners: +t.ly -rb.gy',
    'rules.shortener.shadow: (none) -> true',
    'rules.shortener.weight: 0.3 -> 0.5',
  ])
  assert.deepEqual(diffRulesDocuments(after, after), [])
  assert.deepEqual(diffRulesDocuments({ rules: { young_account: { weight: 0.2 } } }, { rules: {} }), [
    'rules.young_account.weight: 0.2 -> (none)',
  ])
})

/** A store holding rule_versions rows in memory; inserts arrive as JSONEachRow text. */
function memoryStore(): SqlStore & { rows: Record<string, unknown>[] } {
  const rows: Record<string, unknown>[] = []
  return {
    rows,
    database: 'abuse',
    select<T>(): Promise<T[]> {
      return Promise.resolve(rows.slice(-1) as T[])
    },
    insertStatement(query: string): Promise<void> {
      const match = /^INSERT INTO abuse\.rule_versions FORMAT JSONEachRow (.*)$/s.exec(query)
      assert.ok(match, query)
      rows.push(JSON.parse(match[1] as string) as Record<string, unknown>)
      return Promise.resolve()
    },
  }
}

test('a start records a version only when the content differs from the latest, with its predecessor and changes', async () => {
  const store = memoryStore()
  const v1 = 'version: 1\nthreshold: 0.6\n'
  const v2 = 'version: 1\nthreshold: 0.7\n'
  assert.deepEqual(await recordRulesVersion(store, 'config/rules.yaml', v1, silent, 1000), {
    version: rulesVersionOf(v1),
    recorded: true,
    changes: [],
  })
  assert.deepEqual(await recordRulesVersion(store, 'config/rules.yaml', v1, silent, 2000), {
    version: rulesVersionOf(v1),
    recorded: false,
    changes: [],
  })
  assert.deepEqual(await recordRulesVersion(store, 'other.yaml', v2, silent, 3000), {
    version: rulesVersionOf(v2),
    recorded: true,
    changes: ['threshold: 0.6 -> 0.7'],
  })
  assert.deepEqual(store.rows, [
    { version: rulesVersionOf(v1), previous: '', recorded_at: 1000, rules_file: 'config/rules.yaml', changes: [], content: v1 },
    {
      version: rulesVersionOf(v2),
      previous: rulesVersionOf(v1),
      recorded_at: 3000,
      rules_file: 'other.yaml',
      changes: ['threshold: 0.6 -> 0.7'],
      content: v2,
    },
  ])
  assert.match(rulesVersionOf(v1), /^[0-9a-f]{16}$/)
  assert.notEqual(rulesVersionOf(v1), rulesVersionOf(v2))
})
