// The results table on stdout: the headline figures against their goals.
import type { Result } from './results.js'

export function printTable(r: Result): void {
  const ok = (met: boolean) => (met ? 'ok' : 'MISSED')
  const atRate = `at ${r.latency.achieved_rate.toLocaleString('en')}/s`
  const rows: [string, string, string, string][] = [
    ['C0: bare kafkajs consumer', `${r.c0_msgs_per_s.toLocaleString('en')} msg/s`, '', ''],
    ['pipeline (full processor)', `${r.pipeline_msgs_per_s.toLocaleString('en')} msg/s`, '', ''],
    ['pipeline / C0', `${r.ratio}`, '>= 0.7', ok(r.goals.ratio_ge_0_7)],
    [`produce → queryable p50 (${atRate})`, `${r.latency_p50_ms} ms`, '', ''],
    [`produce → queryable p99 (${atRate})`, `${r.latency_p99_ms} ms`, '<= 5000 ms', ok(r.goals.latency_p99_le_5s)],
    ['processor peak RSS', `${r.rss_mb} MB`, '<= 1536 MB', ok(r.goals.rss_le_1_5gb)],
    ['event-loop delay p99', `${r.eventloop_p99_ms} ms`, '<= 50 ms', ok(r.goals.eventloop_p99_le_50ms)],
    ['ClickHouse inserts (max-rate phase)', `${r.clickhouse_inserts_per_s} /s`, '', ''],
    ['ClickHouse insert duration p99', `${r.clickhouse_insert_p99_ms} ms`, '', ''],
    ['processor CPU (max-rate phase)', `${r.pipeline.cpu_cores_used} cores`, '', ''],
    ['counts in ClickHouse = produced', r.counts_correct ? 'yes' : 'NO', '', ok(r.counts_correct)],
  ]
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] as string).length)))
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`
  process.stdout.write(
    `\nabuse-radar pipeline benchmark: ${r.stream.records.toLocaleString('en')} records, mean ${r.stream.mean_record_bytes} B\n\n`,
  )
  process.stdout.write(`${line(['figure', 'measured', 'goal', ''])}\n`)
  process.stdout.write(`|${widths.map((n) => '-'.repeat(n + 2)).join('|')}|\n`)
  for (const row of rows) process.stdout.write(`${line(row)}\n`)
}
