import { Command } from 'commander'
import { formatNeardupEval, readEvalJsonl, runNeardupEval } from '../../eval/neardup.js'

/** Detection quality, measured on labelled data: `eval neardup` (and `eval channels` once present). */
export function evalCommand(): Command {
  const command = new Command('eval').description('measure detection quality on labelled data')
  command
    .command('neardup')
    .description('pairwise precision, recall and F1 of the predicted campaigns against the `group` labels of a JSONL file (id, text, group; ts optional), with baselines')
    .requiredOption('-d, --data <file>', 'JSONL file in the format of shared/eval/README.md')
    .option('--json', 'print one JSON object instead of a table')
    .action((options: { data: string; json?: boolean }) => {
      const result = runNeardupEval(readEvalJsonl(options.data))
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatNeardupEval(result))
    })
  return command
}
