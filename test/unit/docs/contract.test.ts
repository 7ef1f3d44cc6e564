/**
 * The contract pages in docs/contract/ are generated from the code (scripts/docs.ts): regenerate them
 * in memory and require the committed files to be byte-identical, so a change to an event schema, a
 * migration, a metric or an alert rule cannot leave its documentation behind.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { contractDocs } from '../../../scripts/docs/index.js'

const root = new URL('../../../', import.meta.url)

test('docs/contract/ is what `npm run docs` generates from the code', async () => {
  const pages = await contractDocs()
  assert.deepEqual(Object.keys(pages).sort(), ['docs/contract/events.md', 'docs/contract/metrics.md', 'docs/contract/tables.md'])
  for (const [file, text] of Object.entries(pages)) {
    let committed: string
    try {
      committed = readFileSync(new URL(file, root), 'utf8')
    } catch {
      assert.fail(`${file} is missing: run npm run docs`)
    }
    assert.ok(committed === text, `${file} is stale: run npm run docs (and commit the result)`)
  }
})

test('the generated pages document every event schema, table and alert', async () => {
  const pages = await contractDocs()
  const events = pages['docs/contract/events.md']!
  for (const schema of ['message.v1', 'moderation.v1', 'report.v1']) assert.match(events, new RegExp(`## \`${schema}\``))
  assert.match(events, /\| `chat\.type` \| `"channel"` \\\| /)
  const tables = pages['docs/contract/tables.md']!
  for (const name of [
    'message_stats_1m',
    'moderation_stats_1m',
    'campaigns',
    'campaigns_latest',
    'campaign_stats_1m',
    'chat_similarity',
    'report_answers',
    'message_fingerprints',
    'dead_letters',
  ]) {
    assert.match(tables, new RegExp(`### \`${name}\``), name)
  }
  assert.doesNotMatch(tables, /90000\d/, 'a settings sentinel leaked into the page')
  const metrics = pages['docs/contract/metrics.md']!
  assert.match(metrics, /\| `abuse_records_consumed_total` \| counter \| `topic` \|/)
  assert.match(metrics, /### AbuseRadarStalled/)
})
