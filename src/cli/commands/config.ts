import { Command } from 'commander'
import { stringify } from 'yaml'
import { describeConfig } from '../../config/load.js'
import { addCommonOptions, configFromOptions, type CommonOptions } from '../options.js'

export function configCommand(): Command {
  const config = new Command('config').description('inspect the configuration')
  addCommonOptions(
    config
      .command('print')
      .description('print the effective configuration (defaults, files, environment), secrets redacted')
      .option('--json', 'print JSON instead of YAML'),
  ).action((options: CommonOptions & { json?: boolean }) => {
    const described = describeConfig(configFromOptions(options))
    process.stdout.write(options.json ? `${JSON.stringify(described, null, 2)}\n` : stringify(described))
  })
  return config
}
