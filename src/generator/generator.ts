/**
 * The synthetic stream engine behind `abuse-radar generate`.
 *
 * Pure and deterministic: one seeded PRNG drives everything, the start time is a parameter, and no
 * clock, file or network is touched. Events are scheduled into a min-heap keyed by their emission
 * time; the main loop advances event time by one "step" (an organic message, a campaign wave, ...)
 * and emits every scheduled event that is due, so memory holds only what is still pending (report
 * answers, clone reposts, redeliveries), never the stream.
 */
import { Emitter } from './emitter.js'
import { Moderation } from './moderation.js'
import { normalize, type Normalized } from './options.js'
import { OrganicTraffic } from './organic.js'
import { Scheduler } from './scheduler.js'
import { Senders } from './senders.js'
import { SpamScenarios } from './spam.js'
import type { GeneratedRecord, GeneratorOptions, GroundTruth } from './types.js'

export type { GeneratedRecord, GeneratorOptions, GroundTruth } from './types.js'

/** The scenarios wired to one scheduler, and the event-time clock that steps through them. */
class Engine {
  readonly scheduler: Scheduler
  readonly emitter: Emitter
  private readonly organic: OrganicTraffic
  private readonly spam: SpamScenarios
  now: number

  constructor(o: Normalized, truth: GroundTruth | null) {
    const s = (this.scheduler = new Scheduler(o))
    const moderation = new Moderation(s)
    const senders = new Senders(s.rng, s.world.salt, o.startMs)
    this.organic = new OrganicTraffic(s, moderation, senders)
    this.spam = new SpamScenarios(s, moderation, senders, this.organic)
    this.emitter = new Emitter(s, truth)
    this.now = o.startMs
  }

  step(): void {
    const s = this.scheduler
    const rng = s.rng
    const t = Math.floor(this.now)
    s.beginStep(t)
    const before = s.reserved
    const r = rng.float()
    if (r < 0.0085) this.spam.campaignWave(t)
    else if (r < 0.0145) this.spam.scamPost(t)
    else if (r < 0.016) this.spam.sleeperEdit(t)
    else this.organic.message(t)
    const k = Math.max(1, s.reserved - before)
    this.now += rng.exp(s.o.msPer * k)
  }
}

function* run(opts: GeneratorOptions, truth: GroundTruth | null): Generator<GeneratedRecord> {
  const e = new Engine(normalize(opts), truth)
  const { scheduler, emitter } = e
  const out = emitter.out
  while (!scheduler.done) {
    e.step()
    if (scheduler.immediate) {
      emitter.emit(scheduler.immediate)
      scheduler.immediate = null
    }
    emitter.drainUntil(e.now)
    if (out.length) {
      for (let i = 0; i < out.length; i++) yield out[i] as GeneratedRecord
      out.length = 0
    }
  }
  while (scheduler.heap.size > 0) {
    emitter.drainUntil(Number.POSITIVE_INFINITY)
    for (let i = 0; i < out.length; i++) yield out[i] as GeneratedRecord
    out.length = 0
  }
  emitter.finishTruth()
}

/** The stream, record by record; memory stays bounded whatever `messages` is (unless `truth` is given). */
export function* generateRecords(opts: GeneratorOptions): Generator<GeneratedRecord> {
  yield* run(opts, opts.truth ?? null)
}

/** The whole stream in memory with its ground truth (for tests: keep `messages` small). */
export function generateWithTruth(opts: GeneratorOptions): { records: GeneratedRecord[]; truth: Required<GroundTruth> } {
  const truth: Required<GroundTruth> = {
    campaignOf: new Map(),
    cloneOf: new Map(),
    lookalikeOf: new Map(),
    spamChats: new Set(),
    copyOf: new Map(),
  }
  const records: GeneratedRecord[] = []
  for (const r of run({ ...opts, truth: null }, truth)) records.push(r)
  return { records, truth }
}
