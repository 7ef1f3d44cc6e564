import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { AbuseRadarError } from '../../domain/errors.js'
import { formatNeardupEval, readEvalJsonl, runNeardupEval } from '../../eval/neardup.js'
import { falsePairsByGroup, formatFalsePairs } from '../../eval/false-pairs.js'
import { formatChannelsEval, runChannelsEval, runGeneratedChannelsEval } from '../../eval/channels.js'
import { integer, oneOf, positiveInteger, requireReadableFile } from '../options.js'
import { writeAdversarialChannels, writeAdversarialSet } from '../../eval/adversarial-file.js'
import { DEFAULT_ADVERSARIAL_SEED, HALVES } from '../../eval/adversarial.js'

// The public labelled set ships with the repository (test/fixtures/eval/README.md), so both commands run
// without arguments in a checkout. Resolved from this file, not the working directory; the same depth
// holds for src/cli/commands and dist/cli/commands.
const FIXTURES = new URL('../../../test/fixtures/eval/', import.meta.url)
const DEFAULT_DATA = fileURLToPath(new URL('neardup-public.jsonl', FIXTURES))
const DEFAULT_CHANNELS = fileURLToPath(new URL('neardup-public-channels.json', FIXTURES))

/** Detection quality, measured on labelled data: `eval neardup` and `eval channels`. */
export function evalCommand(): Command {
  const command = new Command('eval').description('measure detection quality on labelled data')
  command
    .command('neardup')
    .description(
      'pairwise precision, recall and F1 of the predicted campaigns against the `group` labels of a JSONL file (id, text, group; ts optional), with baselines',
    )
    .option('-d, --data <file>', 'JSONL file in the format of test/fixtures/eval/README.md', DEFAULT_DATA)
    .option('--json', 'print one JSON object instead of a table')
    .option('--false-pairs', 'also list the pairs of labelled groups the detector joined, with how alike their closest messages are')
    .action((options: { data: string; json?: boolean; falsePairs?: boolean }) => {
      requireReadableFile(options.data, '--data')
      const records = readEvalJsonl(options.data)
      const campaignOf = new Map<string, string>()
      const result = runNeardupEval(records, { onAssign: (record, campaign) => campaignOf.set(record.id, campaign) })
      const falsePairs = options.falsePairs ? falsePairsByGroup(records, campaignOf) : null
      if (options.json) process.stdout.write(`${JSON.stringify(falsePairs ? { ...result, false_pairs: falsePairs } : result)}\n`)
      else process.stdout.write(formatNeardupEval(result) + (falsePairs ? `\n${formatFalsePairs(falsePairs)}` : ''))
    })
  command
    .command('adversarial')
    .description(
      'write the adversarial near-duplicate set: base texts (the public set, the generator templates, multilingual texts) attacked by every perturbation, with `ops` and `half` per record',
    )
    .requiredOption('-o, --out <file>', 'JSONL file to write')
    .option('-d, --data <file>', 'public set whose natural campaigns and ham are base texts', DEFAULT_DATA)
    .option('--seed <n>', 'seed of the perturbations and the stream order', String(DEFAULT_ADVERSARIAL_SEED))
    .option(
      '--max-group <n>',
      'keep 2 to n messages of each campaign, drawn at random (small groups, as in labelled sets of real campaigns); default: every copy',
    )
    .action((options: { out: string; data: string; seed: string; maxGroup?: string }) => {
      requireReadableFile(options.data, '--data')
      const maxGroup = options.maxGroup === undefined ? undefined : integer(options.maxGroup, '--max-group')
      if (maxGroup !== undefined && maxGroup < 2)
        throw new AbuseRadarError('AR_USAGE', '--max-group must be at least 2 (a group of one is no campaign)')
      const summary = writeAdversarialSet(options.data, options.out, integer(options.seed, '--seed'), maxGroup)
      process.stdout.write(
        `${summary.records} records (${summary.bases} base texts: ${summary.tune} tune, ${summary.heldout} held-out) written to ${options.out}\n`,
      )
    })
  command
    .command('adversarial-channels')
    .description(
      'write the adversarial clone-channel set: organic channels (the public set ham), clones reposting a few posts with reposter attacks up to 48 h later, spam spread over many chats; `half` per channel',
    )
    .requiredOption('-o, --out <file>', 'messages JSONL to write')
    .requiredOption('-c, --channels-out <file>', 'channels JSON to write')
    .option('-d, --data <file>', 'public set whose ham and campaigns are the texts', DEFAULT_DATA)
    .option('--seed <n>', 'seed of the channels, reposts and spam', String(DEFAULT_ADVERSARIAL_SEED))
    .action((options: { out: string; channelsOut: string; data: string; seed: string }) => {
      requireReadableFile(options.data, '--data')
      const summary = writeAdversarialChannels(options.data, options.out, options.channelsOut, integer(options.seed, '--seed'))
      process.stdout.write(
        `${summary.records} records (clones: ${summary.clones['tune'] ?? 0} tune, ${summary.clones['heldout'] ?? 0} held-out) written to ${options.out} and ${options.channelsOut}\n`,
      )
    })
  command
    .command('channels')
    .description(
      'pairwise precision and recall of predicted clone pairs against `clone_of` (messages JSONL with `channel`, channels JSON); or, with --generated, clones and look-alikes on a generated stream against its ground truth',
    )
    .option('-d, --data <file>', 'messages JSONL (test/fixtures/eval format, with `channel`)', DEFAULT_DATA)
    .option('-c, --channels <file>', 'channels JSON (`clone_of` per channel)', DEFAULT_CHANNELS)
    .option('--generated <messages>', 'instead: a generated stream of this many messages')
    .option('--seed <n>', 'seed of the generated stream', '20261128')
    .option('--clone-posts <n>', 'with --data: keep only the first n posts of each clone (how few shared posts find a clone)')
    .option('--half <half>', 'with --data: only the channels whose `half` is this (tune or heldout, the adversarial set)')
    .option('--json', 'print one JSON object instead of a table')
    .action(
      (options: {
        data?: string
        channels?: string
        generated?: string
        seed: string
        clonePosts?: string
        half?: string
        json?: boolean
      }) => {
        let result
        if (options.generated)
          result = runGeneratedChannelsEval({
            messages: positiveInteger(options.generated, '--generated'),
            seed: integer(options.seed, '--seed'),
          })
        else if (options.data && options.channels) {
          requireReadableFile(options.data, '--data')
          requireReadableFile(options.channels, '--channels')
          result = runChannelsEval(options.data, options.channels, {
            ...(options.clonePosts === undefined ? {} : { clonePosts: positiveInteger(options.clonePosts, '--clone-posts') }),
            ...(options.half === undefined ? {} : { half: oneOf(options.half, HALVES, '--half') }),
          })
        } else throw new AbuseRadarError('AR_USAGE', 'give --data and --channels, or --generated N')
        process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatChannelsEval(result))
      },
    )
  return command
}
