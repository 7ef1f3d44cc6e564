// The linter states the layering of src/ (docs/architecture.md) and keeps one style of TypeScript.
// ESLint with typescript-eslint, because the rules that matter most here need the type checker
// (floating promises, misused promises); import-x adds import cycles and path zones. Formatting is
// Prettier's (.prettierrc.json), checked by `npm run lint` too.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import globals from 'globals'

/** Pure stages, in flow order: each may import the domain and the stages before it, nothing else of ours. */
const STAGES = ['decode', 'normalize', 'fingerprint', 'campaigns', 'channels', 'scoring', 'facts', 'privacy']
/** The stages a stage may use: the domain-level helpers before it in the flow. */
const STAGE_MAY_USE = {
  decode: [],
  normalize: [],
  fingerprint: ['normalize'],
  campaigns: ['normalize', 'fingerprint'],
  channels: ['normalize', 'fingerprint'],
  scoring: ['normalize', 'fingerprint', 'channels'],
  facts: [],
  privacy: [],
}
const ADAPTERS = ['sources/kafka', 'sources/file', 'sinks/clickhouse', 'sinks/dsa-api', 'observability']
/** The adapters that take part in the exactly-once protocol: the checkpointer (Kafka) and the idempotent sink (ClickHouse). */
const PROTOCOL_ADAPTERS = ['sources/kafka', 'sinks/clickhouse']
const ALL = [
  'domain',
  ...STAGES,
  'exactly-once',
  'config',
  'pipeline',
  'backtest',
  ...ADAPTERS,
  'generator',
  'eval',
  'reports',
  'cli',
  'main.ts',
]

/** A zone forbidding `target` to import any folder of src/ except those in `allowed` (and itself). */
function onlyImports(target, allowed) {
  const from = ALL.filter((f) => f !== target && !allowed.includes(f)).map((f) => `./src/${f}`)
  return {
    target: `./src/${target}`,
    from,
    message: `${target} may import only ${['domain', ...allowed].filter((a, i, l) => l.indexOf(a) === i).join(', ')} (docs/architecture.md)`,
  }
}

const zones = [
  onlyImports('domain', []),
  ...STAGES.map((s) => onlyImports(s, ['domain', ...STAGE_MAY_USE[s]])),
  onlyImports('config', ['domain', ...STAGES]),
  // The exactly-once protocol (docs/exactly-once.md) is its own layer, shared by the pipeline and the adapters it names.
  onlyImports('exactly-once', ['domain']),
  onlyImports('pipeline', ['domain', ...STAGES, 'exactly-once', 'config']),
  // Backtests and rule outcomes drive the pipeline and read reports; cli/ hands them the store.
  onlyImports('backtest', ['domain', ...STAGES, 'exactly-once', 'config', 'pipeline', 'reports']),
  ...ADAPTERS.map((a) => onlyImports(a, PROTOCOL_ADAPTERS.includes(a) ? ['domain', 'exactly-once'] : ['domain'])),
  onlyImports('generator', ['domain']),
  onlyImports('reports', ['domain']),
  onlyImports('eval', ['domain', ...STAGES, 'generator']),
]

/** Libraries that belong to one adapter each. */
const OWNED_LIBRARIES = {
  kafkajs: 'src/sources/kafka',
  '@clickhouse/client': 'src/sinks/clickhouse',
  chdb: 'src/sinks/clickhouse',
  pino: 'src/observability',
  'prom-client': 'src/observability',
}
function restrictedLibraries(except) {
  return Object.entries(OWNED_LIBRARIES)
    .filter(([, owner]) => owner !== except)
    .flatMap(([name, owner]) => [{ name, message: `only ${owner} imports ${name}` }])
}
const restrictedLibraryPatterns = (except) =>
  Object.entries(OWNED_LIBRARIES)
    .filter(([, owner]) => owner !== except)
    .map(([name, owner]) => ({ group: [`${name}/*`], message: `only ${owner} imports ${name}` }))

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.bench-build/', '.kafka/', '.cache/', '.tmp/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'dashboards/*.mjs', 'scripts/*.mjs', 'scripts/*.cjs', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      // node:test's test() and describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Stripping and showing control characters is what several regular expressions here are for.
      'no-control-regex': 'off',
      // Rows read back from ClickHouse are unknown scalars; String() of them is deliberate.
      '@typescript-eslint/no-base-to-string': 'off',
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'no-restricted-imports': ['error', { paths: restrictedLibraries(null), patterns: restrictedLibraryPatterns(null) }],
    },
  },
  ...['src/sources/kafka', 'src/sinks/clickhouse', 'src/observability'].map((owner) => ({
    files: [`${owner}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { paths: restrictedLibraries(owner), patterns: restrictedLibraryPatterns(owner) }] },
  })),
  {
    // Pure stages and the domain touch no file system, network or process: the pipeline gives them data.
    files: ['src/domain/**/*.ts', ...STAGES.map((s) => `src/${s}/**/*.ts`)],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: restrictedLibraries(null),
          patterns: [
            ...restrictedLibraryPatterns(null),
            {
              regex: '^node:(?!crypto$)',
              message: 'pure stages use no Node I/O; the pipeline or an adapter does (node:crypto is allowed for hashing)',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks read rows back as JSON: asserting on them is their point, typing each one is not.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement the async ports synchronously.
      '@typescript-eslint/require-await': 'off',
      // Assertion messages show whatever value they got.
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly' } },
  },
)
