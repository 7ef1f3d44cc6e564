/**
 * A worker thread of ./fingerprint-workers.ts: for each request, the records' message texts are
 * normalized and fingerprinted (../fingerprint/packed.ts). It only reads the `text` of what parses
 * as a JSON object; whether the record is a valid event is decided on the main thread, which uses a
 * result only for the text it was computed from.
 */
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { packTexts, transferablesOf } from '../fingerprint/packed.js'
import { valuesOf, type FingerprintRequest, type FingerprintResponse } from './fingerprint-workers.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The text the analysis would fingerprint, or null (not a public message with a text, or not parseable). */
function textOf(value: Uint8Array | null): string | null {
  if (value === null) return null
  try {
    const event = JSON.parse(utf8.decode(value)) as { text?: unknown; type?: unknown; chat?: { type?: unknown } } | null
    if (event === null || typeof event !== 'object' || typeof event.text !== 'string' || event.text === '') return null
    if (event.type === 'deleted' || event.chat?.type === 'private') return null
    return event.text
  } catch {
    return null
  }
}

// Below the main thread, whose event loop is what health checks and heartbeats feel; above the
// embedded engine's threads (nice 10), which wait for nothing.
try {
  setPriority(0, 5)
} catch {
  // refused: the default priority
}

const port = parentPort
if (port === null) throw new Error('fingerprint-worker.ts runs as a worker thread')
port.on('message', (request: FingerprintRequest) => {
  const packed = packTexts(valuesOf(request).map(textOf))
  const response: FingerprintResponse = { id: request.id, packed }
  port.postMessage(response, transferablesOf(packed))
})
