// Wall time per stage for the stages phase: one performance.now() at each boundary between two stages,
// the time since the previous boundary going to the stage that just ended (a lap), so the clock costs
// about 40 ns per stage call instead of a pair of timer reads around each one.
export const STAGES = ['decode', 'dedup', 'normalize', 'fingerprint', 'index', 'similarity', 'scoring', 'rows', 'encode', 'store'] as const
export type Stage = (typeof STAGES)[number]

/** The stages the analysis (MessageAnalysis.analyze) is made of. */
export const ANALYSIS_STAGES: readonly Stage[] = ['normalize', 'fingerprint', 'index', 'similarity', 'scoring']

/** The analysis stages' sum per record, comparable with the real analyze() timed as a whole. */
export const analysisStagesUs = (usPerRecord: Record<Stage, number>) => ANALYSIS_STAGES.reduce((sum, stage) => sum + usPerRecord[stage], 0)

export class StageClock {
  private readonly ms = new Map<Stage, number>(STAGES.map((stage) => [stage, 0]))
  private last = performance.now()

  /** Starts a lap without attributing the time since the last one (work that is not a stage). */
  restart(): void {
    this.last = performance.now()
  }

  /** The time since the previous lap was spent in `stage`. */
  lap(stage: Stage): void {
    const now = performance.now()
    this.add(stage, now - this.last)
    this.last = now
  }

  add(stage: Stage, ms: number): void {
    this.ms.set(stage, (this.ms.get(stage) as number) + ms)
  }

  /** Milliseconds per stage so far. */
  totals(): Record<Stage, number> {
    return Object.fromEntries(this.ms) as Record<Stage, number>
  }
}
