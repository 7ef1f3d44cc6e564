import path from 'node:path'
import { Command } from 'commander'
import { loadRulesFile } from '../../config/analysis-files.js'
import { PACKAGE_ROOT } from '../../config/load.js'
import type { Config } from '../../config/schema.js'
import type { ReportReader } from '../../reports/index.js'
import { collectRulesReport, measuredPrecision, parseReportTime, rulesReportRows } from '../../reports/rules/outcomes.js'
import { ruleOutcomesSelect } from '../../sinks/clickhouse/schema/rule-outcomes.js'
import { formatRows } from '../format.js'
import { addCommonOptions, configFromOptions, type CommonOptions } from '../options.js'
import { openStore, schemaOptions } from '../runtime.js'

interface RulesReportOptions extends CommonOptions {
  from?: string
  to?: string
  json?: boolean
}

/** Before any message and after every one: the default period is all that is stored. */
const ALL_TIME = { fromMs: 0, toMs: Date.UTC(9999, 0, 1) }

export function rulesReportCommand(): Command {
  return addCommonOptions(
    new Command('rules')
      .description(
        "each rule's outcomes and precision from the moderation decisions that followed the messages it fired on (scoring.outcome_window_hours)",
      )
      .option('--from <time>', 'messages whose latest analysed version is at or after this day (YYYY-MM-DD) or RFC 3339 time, UTC')
      .option('--to <time>', 'and before this one')
      .option(
        '--json',
        'print one JSON object: {"rules": {"<rule>": {mode, flagged, removed, reverted, no_violation, unreviewed, precision}}}',
      )
      .addHelpText('after', '\nExample:\n  abuse-radar report rules --from 2026-11-01 --to 2026-12-01 --json'),
  ).action(async (options: RulesReportOptions) => {
    const fromMs = options.from === undefined ? ALL_TIME.fromMs : parseReportTime(options.from, '--from')
    const toMs = options.to === undefined ? ALL_TIME.toMs : parseReportTime(options.to, '--to')
    const config = configFromOptions(options)
    const configured = configuredRules(config)
    const { store, close } = await openStore(config, undefined, { useDatabase: true, createIfMissing: false })
    try {
      const report = await collectRulesReport(store, {
        fromMs,
        toMs,
        source: outcomesSource(config, options.from === undefined ? null : fromMs),
        configured,
      })
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatRows(rulesReportRows(report), 'table'))
    } finally {
      await close()
    }
  })
}

/** Messages flagged this far back count for the live precision metric. */
const PRECISION_LOOKBACK_MS = 7 * 86_400_000
/** Rules with fewer reviewed messages in that period export no precision. */
const PRECISION_MIN_REVIEWED = 20

/** Each enforcing rule's precision over the messages it flagged in the last 7 days (abuse_rule_precision). */
export async function recentRulePrecision(store: ReportReader, config: Config, nowMs: number): Promise<Map<string, number>> {
  const report = await collectRulesReport(store, {
    fromMs: nowMs - PRECISION_LOOKBACK_MS,
    toMs: nowMs,
    source: outcomesSource(config, nowMs - PRECISION_LOOKBACK_MS),
    configured: configuredRules(config),
  })
  return measuredPrecision(report, PRECISION_MIN_REVIEWED)
}

/** The outcomes with the configured window, whatever the one the views were last replaced with at a processor's start. */
const outcomesSource = (config: Config, sinceMs: number | null) =>
  `(${ruleOutcomesSelect(schemaOptions(config), config.settings.scoring.outcome_window_hours * 3600, sinceMs)})`

/** The rules enabled in the configured rules file, with their mode: listed even when they flagged nothing. */
function configuredRules(config: Config): { id: string; mode: 'enforce' | 'shadow' }[] {
  const rules = loadRulesFile(path.resolve(PACKAGE_ROOT, config.settings.scoring.rules_file))
  return rules.rules.map((r) => ({ id: r.id, mode: r.shadow ? 'shadow' : 'enforce' }))
}
