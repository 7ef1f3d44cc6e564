/**
 * `npm run bench`: the pipeline against a real Kafka broker and the embedded ClickHouse, next to the
 * ceiling of the Kafka client itself and the floor of the work any processor must do, then the time
 * of each stage alone. bench/README.md says what is measured and how; the phases are modules of
 * bench/pipeline/ (run.ts runs them in order).
 *
 *   tsx bench/pipeline.bench.ts [--messages N] [--latency-seconds S] [--stage-messages N] [--stages-only]
 *                               [--brokers HOST:PORT] [--profile[=latency]] [--heap] [--set ABUSE_RADAR__SECTION__KEY=VALUE ...]
 */
import { log } from './pipeline/log.js'
import { parseOptions } from './pipeline/options.js'
import { PipelineBenchmark } from './pipeline/run.js'

try {
  await new PipelineBenchmark(parseOptions(process.argv.slice(2))).run()
} catch (error) {
  log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exit(1)
}
