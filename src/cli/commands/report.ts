import { Command } from 'commander'
import { loadDsaMapping } from '../../config/dsa.js'
import { defaultReportDate, parseReportDate, writeTransparencyReport } from '../../reports/index.js'
import { addCommonOptions, configFromOptions, positiveInteger, type CommonOptions } from '../options.js'
import { openStore } from '../runtime.js'
import { dsaCommand, dsaFiguresCommand } from './dsa.js'
import { rulesReportCommand } from './rules-report.js'

interface TransparencyOptions extends CommonOptions {
  date?: string
  out: string
  urgentTargetMinutes: string
  top: string
  dsaMapping?: string
}

export function reportCommand(): Command {
  return new Command('report')
    .description('reports built from ClickHouse')
    .addCommand(transparencyCommand())
    .addCommand(dsaCommand())
    .addCommand(dsaFiguresCommand())
    .addCommand(rulesReportCommand())
}

function transparencyCommand(): Command {
  return addCommonOptions(
    new Command('transparency')
      .description(
        'write the daily transparency report (actions per category and source, reports and time to answer, largest campaigns) as JSON and as a self-contained HTML page',
      )
      .option('-d, --date <YYYY-MM-DD>', 'the UTC day to report on (default: yesterday, UTC)')
      .option('-o, --out <dir>', 'directory for transparency-DATE.json and transparency-DATE.html', '.')
      .option('--urgent-target-minutes <n>', 'answer target for urgent trusted-flagger reports', '60')
      .option('--top <n>', 'campaigns listed', '10')
      .option('--dsa-mapping <file>', 'the DSA mapping of the section with the DSA figures (default: config/dsa.yaml)')
      .addHelpText('after', '\nExample:\n  abuse-radar report transparency --date 2026-11-27 --out reports/'),
  ).action(async (options: TransparencyOptions) => {
    const date = options.date ?? defaultReportDate()
    parseReportDate(date)
    const target = positiveInteger(options.urgentTargetMinutes, '--urgent-target-minutes')
    const top = positiveInteger(options.top, '--top')
    const dsaMapping = loadDsaMapping(options.dsaMapping)
    const config = configFromOptions(options)
    const { store, close } = await openStore(config, undefined, { useDatabase: true, createIfMissing: false })
    try {
      const written = await writeTransparencyReport(
        store,
        { date, urgentTargetSeconds: target * 60, topCampaigns: top },
        options.out,
        dsaMapping,
      )
      const t = written.report.totals
      process.stdout.write(
        `${JSON.stringify({ date, json: written.json, html: written.html, enforcement_actions: t.enforcement_actions, reports_received: t.reports_received, reports_answered: t.reports_answered })}\n`,
      )
    } finally {
      await close()
    }
  })
}
