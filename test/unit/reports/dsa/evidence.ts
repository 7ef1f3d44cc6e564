/** What the pipeline knows of one moderation action, for the tests: a removed spam message after automated detection, in Germany, unless changed. */
import type { ActionEvidence } from '../../../../src/reports/dsa/index.js'

export const DAY_MS = Date.parse('2026-11-20T00:00:00Z')

export const actionEvidence = (changes: Partial<ActionEvidence> = {}): ActionEvidence => ({
  eventId: 'mod-1',
  tsMs: DAY_MS + 3_600_000,
  action: 'message_removed',
  category: 'spam',
  source: 'automated',
  country: 'DE',
  report: null,
  message: null,
  campaign: null,
  similarity: { clonePairs: 0, cloneScore: 0, copiedFromOthers: 0, lookAlikePairs: 0, lookAlikeScore: 0 },
  ...changes,
})
