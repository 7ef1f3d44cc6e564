// One start of the processor's store against the embedded engine at DIR (argv[2]), as
// test/integration/orphan-dedup-records.test.ts needs it: it opens and migrates the store (the start
// that repairs what a kill left), writes one fixed batch under its token, and prints what the start
// dropped, the batch's count in message_stats_1m, and that table's directory.
import { loadConfig } from '../../src/config/load.js'
import { openMigratedStore } from '../../src/cli/runtime.js'
import { NO_TEXT_VERDICT, messageFact } from '../../src/facts/build.js'
import { Metrics } from '../../src/observability/metrics.js'
import { silentLogger } from './fakes.js'

const dataDir = process.argv[2] as string
// Recent, inside every table's TTL.
const TS = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000
const RANGE = { topic: 'abuse.messages', partition: 0, firstOffset: 0, lastOffset: 2 }
const fact = (offset: number) =>
  messageFact(
    {
      schema: 'message.v1',
      event_id: `e${offset}`,
      type: 'created',
      ts: TS,
      chat: { id: '-100', type: 'channel', title: 'news' },
      message_id: `m${offset}`,
      sender: { id: 'u' },
    },
    TS,
    { topic: RANGE.topic, partition: 0, offset },
    offset,
    'p-sender',
    NO_TEXT_VERDICT,
    (id) => `p${id}`,
  )

const config = loadConfig({ env: { ABUSE_RADAR_DATA_DIR: dataDir } })
const { store, orphanTokens, close } = await openMigratedStore(config, silentLogger, new Metrics())
try {
  await store.writeBatch(RANGE, { messages: [0, 1, 2].map(fact), moderation: [], reports: [], deadLetters: [] })
  const [stats] = await store.select<{ created: string }>('SELECT sum(created) AS created FROM message_stats_1m')
  const [table] = await store.select<{ dir: string }>(
    "SELECT data_paths[1] AS dir FROM system.tables WHERE database = currentDatabase() AND name = 'message_stats_1m'",
  )
  console.log(JSON.stringify({ orphanTokens: orphanTokens.length, created: Number(stats?.created), tableDir: table?.dir }))
} finally {
  await close()
}
