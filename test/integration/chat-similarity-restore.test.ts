/**
 * Chat similarity survives a restart (issue "Hardening", item 8): a channel and its clone, the clone
 * reposting the original's six posts hours later. Replayed as one file, the pair is a clone pair on
 * six shared posts (18 items: each repost shares its exact hash and both text keys); replayed as two
 * files (the original's posts and the first two reposts, then a restart on the last four reposts),
 * the second run rebuilds the content evidence from ClickHouse and ends with the same pair, as if it
 * had been one run. Without the rebuild it ends on two posts.
 *
 * And a clone that reposts a day and a half later, every copy changed (cut short, a tail of tags, a
 * greeting): no exact hash is shared, and the campaign index has forgotten the originals, so only
 * the text keys, which the restart reads back from message_fingerprints, tell the copies.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { query, replayWithCli, tempDir } from '../support/harness.js'

const HOUR_MS = 3_600_000
const start = Date.now() - 48 * HOUR_MS
const TEXTS = [
  'Morning market report: wheat futures climbed two percent on export news',
  'Recipe of the week: slow roasted pumpkin soup with ginger and coconut',
  'Football tonight: the derby kicks off at eight, lineups announced at seven',
  'Weather alert for the coast: strong winds expected after midnight',
  'New bridge opens to traffic on Monday after three years of works',
  'Photo contest winners announced: autumn forests and foggy lakes',
]

function post(chatId: string, username: string, index: number, atMs: number, id: string): string {
  return JSON.stringify({
    schema: 'message.v1',
    event_id: id,
    type: 'created',
    ts: new Date(atMs).toISOString(),
    chat: { id: chatId, type: 'channel', title: username, username },
    message_id: id,
    sender: { id: `admin-${chatId}` },
    text: TEXTS[index],
  })
}

const originals = TEXTS.map((_, i) => post('-1001', 'citynews', i, start + i * HOUR_MS, `orig-${i}`))
const reposts = TEXTS.map((_, i) => post('-1002', 'citynews_daily', i, start + (10 + i) * HOUR_MS, `copy-${i}`))

const dir = tempDir('similarity-restore')
function file(name: string, lines: string[]): string {
  const file = path.join(dir, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** The pair's latest content row: kind, shared items, who posted first, the original. */
async function clonePair(dataDir: string): Promise<unknown[]> {
  return (
    await query<{ kind: string; shared: string; a_first: string; b_first: string; original: string }>(
      dataDir,
      `SELECT kind, argMax(shared_items, updated_at) AS shared, argMax(a_first, updated_at) AS a_first,
              argMax(b_first, updated_at) AS b_first, argMax(original_chat, updated_at) AS original
       FROM chat_similarity WHERE chat_a = '-1001' AND chat_b = '-1002' GROUP BY kind ORDER BY kind`,
    )
  ).map((r) => [r.kind, Number(r.shared), Number(r.a_first), Number(r.b_first), r.original])
}

test('a clone pair whose reposts straddle a restart is found as in one run', async () => {
  const oneRun = path.join(dir, 'one-run')
  const all = await replayWithCli(file('all.ndjson', [...originals, ...reposts]), oneRun)
  assert.equal(all.code, 0, all.stderr)
  const expected = await clonePair(oneRun)
  const content = expected.find((row) => Array.isArray(row) && row[0] === 'content')
  assert.deepEqual(content, ['content', 18, 18, 0, '-1001'], 'one run: a clone pair on six shared posts, -1001 the original')

  const twoRuns = path.join(dir, 'two-runs')
  const first = await replayWithCli(file('first.ndjson', [...originals, ...reposts.slice(0, 2)]), twoRuns)
  assert.equal(first.code, 0, first.stderr)
  assert.deepEqual(
    (await clonePair(twoRuns)).find((row) => Array.isArray(row) && row[0] === 'content'),
    ['content', 6, 6, 0, '-1001'],
    'the first run ends on the two reposts it saw',
  )
  const second = await replayWithCli(file('second.ndjson', reposts.slice(2)), twoRuns)
  assert.equal(second.code, 0, second.stderr)
  assert.deepEqual(await clonePair(twoRuns), expected)
})

const changed = [
  (text: string) => text.slice(0, Math.floor(text.length * 0.8)), // cut short
  (text: string) => `${text} #news #daily @citynews_daily`, // a tail of tags
  (text: string) => `Good morning, friends! ${text}`, // a greeting
]
const lateCopies = TEXTS.map((text, i) =>
  JSON.stringify({
    ...(JSON.parse(post('-1003', 'citynews_mirror', i, start + (36 + i) * HOUR_MS, `late-${i}`)) as object),
    text: changed[i % changed.length]!(text),
  }),
)

test('a clone whose changed reposts come a day and a half later is found by text keys, across a restart as in one run', async () => {
  const pairOf = async (dataDir: string) =>
    (
      await query<{ shared: string; original: string }>(
        dataDir,
        `SELECT argMax(shared_items, updated_at) AS shared, argMax(original_chat, updated_at) AS original
         FROM chat_similarity WHERE chat_a = '-1001' AND chat_b = '-1003' AND kind = 'content'`,
      )
    ).map((r) => [Number(r.shared), r.original])
  const oneRun = path.join(dir, 'late-one-run')
  const all = await replayWithCli(file('late-all.ndjson', [...originals, ...lateCopies]), oneRun)
  assert.equal(all.code, 0, all.stderr)
  // five of the six copies share the beginning (cut, tags) or the end (greeting) of their original;
  // the fourth is cut to 43 skeleton characters, too few for a key (TEXT_KEY_CHARS, 48)
  assert.deepEqual(await pairOf(oneRun), [[5, '-1001']])
  const twoRuns = path.join(dir, 'late-two-runs')
  assert.equal((await replayWithCli(file('late-first.ndjson', [...originals, ...lateCopies.slice(0, 2)]), twoRuns)).code, 0)
  const second = await replayWithCli(file('late-second.ndjson', lateCopies.slice(2)), twoRuns)
  assert.equal(second.code, 0, second.stderr)
  assert.deepEqual(await pairOf(twoRuns), [[5, '-1001']])
})
