// Phase 1, the two baselines the pipeline is compared with, each consumed by a process of its own
// (./baseline-consumer.ts) from the same topics with the processor's consumer settings:
// C0, the Kafka client alone, and the floor, the least work any processor must do per message.
import { runChildJob } from './child-job.js'
import type { BaselineJob, BaselineResult, BaselineWork } from './baseline-consumer.js'
import type { Topics } from './stream.js'

const CONSUMER = new URL('baseline-consumer.ts', import.meta.url)
const TIMEOUT_MS = 300_000

export function runBaseline(work: BaselineWork, brokers: string[], topics: Topics, expected: number): Promise<BaselineResult> {
  const job: BaselineJob = { work, brokers, topics: Object.values(topics), group: `bench-${work}-${Date.now()}`, expected }
  return runChildJob<BaselineJob, BaselineResult>(CONSUMER, job, TIMEOUT_MS)
}
