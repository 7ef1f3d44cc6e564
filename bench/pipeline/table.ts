// The results tables on stdout: the headline figures against their goals, and the time per stage.
import type { Result } from './results.js'
import { ANALYSIS_STAGES, analysisStagesUs, STAGES } from './stage-clock.js'
import type { StagesResult } from './stages.js'

const num = (n: number) => n.toLocaleString('en')

export function printTable(r: Result): void {
  const ok = (met: boolean) => (met ? 'ok' : 'MISSED')
  const atRate = `at ${num(r.latency.achieved_rate)}/s`
  process.stdout.write(`\nabuse-radar pipeline benchmark: ${num(r.stream.records)} records, mean ${r.stream.mean_record_bytes} B\n\n`)
  printRows(
    ['figure', 'measured', 'goal', ''],
    [
      ['C0: bare kafkajs consumer', `${num(r.c0_msgs_per_s)} msg/s`, '', ''],
      ['floor: parse, NFKC + case fold, hash (1 thread)', `${num(r.floor_msgs_per_s)} msg/s`, '', ''],
      ['pipeline (full processor)', `${num(r.pipeline_msgs_per_s)} msg/s`, '', ''],
      ['pipeline / C0', `${r.ratio}`, '>= 0.7', ok(r.goals.ratio_ge_0_7)],
      ['pipeline / floor', `${r.floor_ratio}`, '', ''],
      [`produce → queryable p50 (${atRate})`, `${r.latency_p50_ms} ms`, '', ''],
      [`produce → queryable p99 (${atRate})`, `${r.latency_p99_ms} ms`, '<= 5000 ms', ok(r.goals.latency_p99_le_5s)],
      ['processor peak RSS', `${r.rss_mb} MB`, '<= 1536 MB', ok(r.goals.rss_le_1_5gb)],
      ['event-loop delay p99', `${r.eventloop_p99_ms} ms`, '<= 50 ms', ok(r.goals.eventloop_p99_le_50ms)],
      ...(['pipeline', 'latency'] as const).map((phase) => {
        const loop = r[phase].eventloop_ms
        return [
          `  delays over 50 ms (${phase === 'pipeline' ? 'max-rate' : 'latency'} phase), in a GC pause >= 20 ms`,
          `${num(loop.delays_over_50)}, ${num(loop.delays_over_50_in_gc_pause)}`,
          '',
          '',
        ]
      }),
      ['ClickHouse inserts (max-rate phase)', `${r.clickhouse_inserts_per_s} /s`, '', ''],
      ['ClickHouse insert duration p99', `${r.clickhouse_insert_p99_ms} ms`, '', ''],
      ['processor CPU (max-rate phase)', `${r.pipeline.cpu_cores_used} cores`, '', ''],
      ['processor CPU per message, engine included', `${r.cpu_us_per_msg} µs`, '', ''],
      ['counts in ClickHouse = produced', r.counts_correct ? 'yes' : 'NO', '', ok(r.counts_correct)],
    ],
  )
}

/** Wall time per message of each stage, its share of their sum, and the real analyze() against its stages. */
export function printStagesTable(s: StagesResult): void {
  const total = STAGES.reduce((sum, stage) => sum + s.usPerRecord[stage], 0)
  const us = (n: number) => `${n.toFixed(1)} µs`
  const share = (n: number) => `${((100 * n) / total).toFixed(1)} %`
  process.stdout.write(
    `\nstages, each timed alone: ${num(s.records)} records (${num(s.messages)} messages), wall time per record, ${s.build === 'compiled' ? 'compiled build' : 'sources through tsx'}\n\n`,
  )
  printRows(
    ['stage', 'per message', 'share'],
    [
      ...STAGES.map((stage): string[] => [stage, us(s.usPerRecord[stage]), share(s.usPerRecord[stage])]),
      ['all stages', us(total), '100 %'],
      [`analysis: ${ANALYSIS_STAGES.join(' + ')}`, us(analysisStagesUs(s.usPerRecord)), share(analysisStagesUs(s.usPerRecord))],
      ['analyze() timed whole (second pass, no inserts)', us(s.analyzeUsPerRecord), ''],
      ['store: CPU time of every thread (the engine too)', us(s.storeCpuUsPerRecord), ''],
    ],
  )
}

export function printRows(header: string[], rows: string[][]): void {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] as string).length)))
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`
  process.stdout.write(`${line(header)}\n`)
  process.stdout.write(`|${widths.map((n) => '-'.repeat(n + 2)).join('|')}|\n`)
  for (const row of rows) process.stdout.write(`${line(row)}\n`)
}
