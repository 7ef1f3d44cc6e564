/**
 * Campaigns end to end on a generated stream with ground truth (file replays into the embedded
 * engine; no Kafka needed): quality against the truth, and a restart in the middle of the stream
 * (index rebuilt from ClickHouse) that must not split campaigns or change their counts.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { generateWithTruth } from '../../src/generator/index.js'
import { REPO_ROOT, query, tempDir } from '../support/harness.js'
import { pairwiseMetrics } from '../../src/eval/metrics.js'
import { ASSIGNMENTS, clusterOf as predicted, messageKey as key, truthLabels, type Assignment } from '../support/campaigns.js'

const run = promisify(execFile)
const CLI = path.join(REPO_ROOT, 'bin', 'abuse-radar.js')

async function replay(dataDir: string, file: string): Promise<void> {
  await run(process.execPath, [CLI, 'run', '--input', file, '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ABUSE_RADAR__OBSERVABILITY__HTTP_PORT: '0',
      ABUSE_RADAR__OBSERVABILITY__LOG_LEVEL: 'warn',
      ABUSE_RADAR_PSEUDONYM_KEY: 'test-pseudonym-key-0123456789abcdef',
    },
    maxBuffer: 64 * 1024 * 1024,
  })
}

const CAMPAIGNS = `SELECT campaign_id, messages, chats FROM campaigns_latest`

test('campaigns: quality against ground truth, and a restart mid-stream changes neither ids nor counts', async () => {
  const { records, truth } = generateWithTruth({
    seed: 21,
    messages: 12_000,
    startMs: Date.UTC(2026, 10, 27, 8),
    duplicateShare: 0,
    malformedShare: 0,
  })
  const lines = records.map((r) => r.value.toString('utf8'))
  const dir = tempDir('campaigns')
  const whole = path.join(dir, 'whole.ndjson')
  writeFileSync(whole, `${lines.join('\n')}\n`)
  const half = Math.floor(lines.length / 2)
  const first = path.join(dir, 'first.ndjson')
  const second = path.join(dir, 'second.ndjson')
  writeFileSync(first, `${lines.slice(0, half).join('\n')}\n`)
  writeFileSync(second, `${lines.slice(half).join('\n')}\n`)

  const clean = path.join(dir, 'clean')
  await replay(clean, whole)
  const restarted = path.join(dir, 'restarted')
  await replay(restarted, first)
  await replay(restarted, second)

  // Quality against the truth, on the spam copies the truth labels: pairwise precision and recall
  // among them, and how many of them share a campaign with unlabelled messages (organic text).
  // Organic near-duplicates (\"lmao\", bot replies, reposts) are near-duplicates too but the truth
  // does not label them, so pairs among them are not scored.
  const truthLabel = truthLabels(records, truth)
  const cleanRows = await query<Assignment>(clean, ASSIGNMENTS)
  const spam = cleanRows.filter((a) => truthLabel.has(key(a)))
  const quality = pairwiseMetrics(
    spam.map((a) => truthLabel.get(key(a)) as string),
    spam.map(predicted),
  )
  const withOrganic = new Set(cleanRows.filter((a) => a.campaign_id && !truthLabel.has(key(a))).map((a) => a.campaign_id))
  const contaminated = spam.filter((a) => withOrganic.has(a.campaign_id)).length / spam.length
  process.stdout.write(
    `# campaign quality on ${spam.length} spam copies: ${JSON.stringify(quality)}; share in a campaign with organic messages: ${contaminated.toFixed(4)}\n`,
  )
  assert.ok(spam.length > 500, `${spam.length} labelled spam copies`)
  assert.ok(quality.precision >= 0.95, `precision ${quality.precision}`)
  assert.ok(quality.recall >= 0.9, `recall ${quality.recall}`)
  assert.ok(contaminated <= 0.05, `spam copies grouped with organic messages: ${contaminated}`)

  // The restart: the same partition of messages into campaigns, under the same ids, same counts.
  const restartedRows = new Map((await query<Assignment>(restarted, ASSIGNMENTS)).map((a) => [key(a), predicted(a)]))
  assert.equal(restartedRows.size, cleanRows.length)
  // After a restart the index holds signatures only (texts are never stored), so near-duplicates
  // that only the text-based check of short texts joined can part: a few organic pairs. Spam
  // campaigns must not split.
  const agreement = pairwiseMetrics(
    cleanRows.map(predicted),
    cleanRows.map((a) => restartedRows.get(key(a)) as string),
  )
  const spamAgreement = pairwiseMetrics(
    spam.map(predicted),
    spam.map((a) => restartedRows.get(key(a)) as string),
  )
  process.stdout.write(
    `# clean vs restarted, all messages: ${JSON.stringify(agreement)}\n# spam copies: ${JSON.stringify(spamAgreement)}\n`,
  )
  assert.ok(agreement.f1 >= 0.97, `F1 between the clean and the restarted run: ${agreement.f1}`)
  assert.ok(spamAgreement.f1 >= 0.99, `F1 between the clean and the restarted run on spam copies: ${spamAgreement.f1}`)
  const cleanCampaigns = new Map(
    (await query<{ campaign_id: string; messages: string }>(clean, CAMPAIGNS)).map((c) => [c.campaign_id, Number(c.messages)]),
  )
  const restartedCampaigns = new Map(
    (await query<{ campaign_id: string; messages: string }>(restarted, CAMPAIGNS)).map((c) => [c.campaign_id, Number(c.messages)]),
  )
  const largest = [...cleanCampaigns].sort((a, b) => b[1] - a[1]).slice(0, 20)
  // The largest campaigns keep their ids; together they lose at most 2 % of their messages to
  // the copies that part (see above).
  let before = 0
  let after = 0
  for (const [id, messages] of largest) {
    assert.ok(restartedCampaigns.has(id), `campaign ${id} kept its id across the restart`)
    before += messages
    after += restartedCampaigns.get(id) ?? 0
  }
  assert.ok(after >= 0.98 * before && after <= before, `the largest campaigns hold ${after} messages after the restart, ${before} without`)
  // Exact counting: a campaign counts every message that was ever in it (an edit that moves a
  // message adds it to the new campaign; the old one keeps it), as the fingerprints show, with the
  // members of the small campaigns it adopted (their ids resolve to it through campaign_aliases).
  const members = new Map<string, number>()
  const everIn = await query<{ campaign_id: string; n: string }>(
    clean,
    `SELECT if(ifNull(a.canonical_id, '') = '', m.campaign_id, assumeNotNull(a.canonical_id)) AS campaign_id, sum(m.n) AS n
     FROM (SELECT campaign_id, uniqExact(chat_id, message_id) AS n FROM message_fingerprints WHERE type != 'deleted' GROUP BY campaign_id) AS m
     LEFT JOIN (SELECT alias_id, argMax(canonical_id, merged_at) AS canonical_id FROM campaign_aliases GROUP BY alias_id) AS a
       ON m.campaign_id = a.alias_id
     GROUP BY campaign_id`,
  )
  for (const row of everIn) members.set(row.campaign_id, Number(row.n))
  for (const [id, messages] of largest) assert.equal(messages, members.get(id), `campaign ${id} counts its members`)
})
