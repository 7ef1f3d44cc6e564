/** `abuse-radar generate`'s engine: a deterministic synthetic Telegram-like stream with ground truth. */
export { generateRecords, generateWithTruth, type GeneratedRecord, type GeneratorOptions, type GroundTruth } from './generator.js'
export type { MalformedReason } from './malformed.js'
