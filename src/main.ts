/**
 * abuse-radar's command line: the entry point of every process. Each command builds what it needs
 * through the composition root (cli/runtime.ts). An error that ends the process is printed as
 * `abuse-radar: CODE: message`, without a stack trace, and sets the exit code of its code
 * (docs/errors.md): 2 for invalid input, 1 for anything else.
 */
import { Command, CommanderError } from 'commander'
import { AbuseRadarError, ERROR_CODES, exitCodeOf, redactUrlCredentials } from './domain/errors.js'
import { configCommand } from './cli/commands/config.js'
import { runCommand } from './cli/commands/run.js'
import { sqlCommand } from './cli/commands/sql.js'
import { reportCommand } from './cli/commands/report.js'
import { generateCommand } from './cli/commands/generate.js'
import { demoCommand } from './cli/commands/demo.js'
import { evalCommand } from './cli/commands/eval.js'
import { backtestCommand } from './cli/commands/backtest.js'

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
  .addCommand(backtestCommand())

/** Commander exits by itself on a usage error, with 1; thrown instead, its errors get AR_USAGE's exit code. */
function throwOnUsageErrors(command: Command): void {
  command.exitOverride()
  command.commands.forEach(throwOnUsageErrors)
}
throwOnUsageErrors(program)

/** One line per error (an AggregateError holds several invalid inputs), never with a stack. */
function describe(error: unknown): string {
  const code = error instanceof AbuseRadarError ? error.code : 'AR_INTERNAL'
  const message = error instanceof Error ? error.message : String(error)
  return `abuse-radar: ${code}: ${redactUrlCredentials(message)}\n`
}

try {
  await program.parseAsync(process.argv)
} catch (error) {
  // commander has printed its message (and the help) already; --help and --version end here with 0
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : ERROR_CODES.AR_USAGE.exitCode)
  const errors: unknown[] = error instanceof AggregateError ? error.errors : [error]
  for (const each of errors) process.stderr.write(describe(each))
  process.exit(Math.max(...errors.map(exitCodeOf)))
}
