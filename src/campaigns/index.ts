/** The campaign index (./campaign-index.ts): near-duplicate campaigns over a sliding window. */
export { CampaignIndex } from './campaign-index.js'
export type { Assignment, CampaignIndexOptions, CampaignMerge, MessageKey, RestoredEntry, SharedEntry } from './types.js'
