/**
 * abuse-radar's command line: the entry point of every process. Each command builds what it needs
 * through the composition root (cli/runtime.ts).
 */
import { Command } from 'commander'
import { ConfigError } from './config/load.js'
import { configCommand } from './cli/commands/config.js'
import { runCommand } from './cli/commands/run.js'
import { sqlCommand } from './cli/commands/sql.js'
import { reportCommand } from './cli/commands/report.js'
import { generateCommand } from './cli/commands/generate.js'
import { demoCommand } from './cli/commands/demo.js'
import { evalCommand } from './cli/commands/eval.js'

const program = new Command('abuse-radar')
  .description('Real-time abuse analytics: Kafka in; campaigns, clone channels and exact aggregates out to ClickHouse.')
  .showHelpAfterError()
  .addCommand(runCommand())
  .addCommand(demoCommand())
  .addCommand(generateCommand())
  .addCommand(sqlCommand())
  .addCommand(reportCommand())
  .addCommand(configCommand())
  .addCommand(evalCommand())

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`abuse-radar: ${error.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`abuse-radar: ${(error as Error).message}\n`)
  process.exit(1)
}
