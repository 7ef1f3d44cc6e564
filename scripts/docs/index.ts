/** The generated contract pages, by path from the repository root: what `npm run docs` writes and the test compares. */
import { renderEvents } from './events.js'
import { renderMetrics } from './metrics.js'
import { renderTables } from './tables.js'

export async function contractDocs(): Promise<Record<string, string>> {
  return {
    'docs/contract/events.md': renderEvents(),
    'docs/contract/tables.md': renderTables(),
    'docs/contract/metrics.md': await renderMetrics(),
  }
}
