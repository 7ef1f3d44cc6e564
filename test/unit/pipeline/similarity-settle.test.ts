import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../../src/config/load.js'
import { loadAnalysisInputs } from '../../../src/cli/runtime.js'
import { decodeRecord } from '../../../src/decode/decode.js'
import type { DecodedEvent } from '../../../src/domain/events.js'
import { NOOP_ANALYSIS_OBSERVER } from '../../../src/domain/observers.js'
import { generateRecords } from '../../../src/generator/index.js'
import { createAnalyzer } from '../../../src/pipeline/analysis.js'

type Message = Extract<DecodedEvent, { kind: 'message' }>

test('clone verdicts depend on the records alone, not on when the writer drains chat pairs', () => {
  const config = loadConfig({ env: {} })
  const messages: Message[] = []
  for (const record of generateRecords({ seed: 5, messages: 30_000, startMs: Date.UTC(2026, 10, 20) })) {
    if (record.kind !== 'message') continue
    const decoded = decodeRecord(record.value, 1 << 20)
    if (decoded.ok && decoded.value.kind === 'message') messages.push(decoded.value)
  }
  // One analysis drained after every message (a writer far faster than the stream), one never.
  const eager = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER)
  const never = createAnalyzer(config, loadAnalysisInputs(config), NOOP_ANALYSIS_OBSERVER)
  let forwardFromClone = 0
  let differences = 0
  for (const message of messages) {
    const a = eager.analyze(message, `p${message.event.sender.id}`)
    eager.drainSimilarity()
    const b = never.analyze(message, `p${message.event.sender.id}`)
    if (a.reasons.includes('forward_from_clone')) forwardFromClone++
    if (JSON.stringify(a) !== JSON.stringify(b)) differences++
  }
  assert.ok(forwardFromClone > 0, 'the stream has forwards from clone channels')
  assert.equal(differences, 0)
})
