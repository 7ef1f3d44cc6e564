// The benchmark's command line (and its BENCH_* environment equivalents).
const USAGE =
  'usage: tsx bench/pipeline.bench.ts [--messages N] [--latency-seconds S] [--stage-messages N] [--stages-only] [--brokers HOST:PORT]\n' +
  '                                   [--profile[=latency]] [--heap] [--from-sources] [--set KEY=VALUE ...]\n'
/** The stages phase runs every stage in one process at a few thousand messages a second: bounded to stay within the run's budget. */
const MAX_DEFAULT_STAGE_MESSAGES = 200_000

export interface Options {
  messages: number
  latencySeconds: number
  /** Messages of the stages phase (the same generator and seed as the stream). */
  stageMessages: number
  /** Only the stages phase: no broker, no processor. */
  stagesOnly: boolean
  /** A running broker to use instead of starting one. */
  brokers: string[] | null
  /** CPU-profile the max-rate phase ('pipeline', which then ends the run) or the latency phase. */
  profile: 'pipeline' | 'latency' | null
  /** Sample the heap by allocation site and report it at the end of the max-rate phase. */
  heap: boolean
  /** Extra environment for the processor (`--set ABUSE_RADAR__PIPELINE__FLUSH_MAX_RECORDS=5000`), for experiments. */
  processorEnv: Record<string, string>
  /** Run the processor from the TypeScript sources through tsx instead of the compiled build (./compiled.ts). */
  fromSources: boolean
}

export function parseOptions(argv: string[]): Options {
  if (argv.includes('--help')) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  const brokers = valueOf(argv, '--brokers') ?? process.env.BENCH_BROKERS
  const messages = positiveInteger(argv, '--messages', process.env.BENCH_MESSAGES, 1_000_000)
  return {
    messages,
    latencySeconds: positiveInteger(argv, '--latency-seconds', process.env.BENCH_LATENCY_SECONDS, 60),
    stageMessages: positiveInteger(
      argv,
      '--stage-messages',
      process.env.BENCH_STAGE_MESSAGES,
      Math.min(messages, MAX_DEFAULT_STAGE_MESSAGES),
    ),
    stagesOnly: argv.includes('--stages-only'),
    brokers: brokers ? brokers.split(',') : null,
    profile: profilePhase(argv),
    heap: argv.includes('--heap'),
    processorEnv: settings(argv),
    fromSources: argv.includes('--from-sources'),
  }
}

/** `--name value` or `--name=value`. */
function valueOf(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  if (i >= 0) return argv[i + 1]
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1)
}

function positiveInteger(argv: string[], name: string, env: string | undefined, fallback: number): number {
  const raw = valueOf(argv, name) ?? env
  if (raw === undefined) return fallback
  const n = Number(raw.replace(/_/g, ''))
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got ${raw}`)
  return n
}

function profilePhase(argv: string[]): Options['profile'] {
  if (argv.includes('--profile') || argv.includes('--profile=pipeline')) return 'pipeline'
  return argv.includes('--profile=latency') ? 'latency' : null
}

/** Every `--set KEY=VALUE`. */
function settings(argv: string[]): Record<string, string> {
  const env: Record<string, string> = {}
  argv.forEach((arg, i) => {
    if (arg !== '--set') return
    const setting = argv[i + 1] ?? ''
    const eq = setting.indexOf('=')
    if (eq <= 0) throw new Error(`--set: expected KEY=VALUE, got ${setting}`)
    env[setting.slice(0, eq)] = setting.slice(eq + 1)
  })
  return env
}
