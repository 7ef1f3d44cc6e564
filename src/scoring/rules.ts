/**
 * The spam rules file (config/rules.yaml): one TypeBox schema is both the TypeScript type and the
 * validator (as src/config/schema.ts). `compileRules(document, source)` takes the parsed file (no I/O
 * here; src/config/analysis-files.ts reads it) and throws RulesError listing every problem at once: schema
 * errors with their path, unknown rules and keys, and cross-field checks (ramps whose start is past
 * their end, malformed domains, duplicates).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { RulesError } from '../domain/errors.js'

const Strict = { additionalProperties: false } as const
const Weight = Type.Number({ minimum: 0, maximum: 1, description: 'contribution of the rule when it fires fully, in [0, 1]' })
const PosInt = Type.Integer({ minimum: 1 })
const Ratio = Type.Number({ minimum: 0, maximum: 1 })

/** Fields every rule has. */
const common = {
  /** off: the rule is not evaluated at all */
  enabled: Type.Optional(Type.Boolean()),
  /** scored and recorded (shadow_reasons, metric), never counted in the score or the spam flag */
  shadow: Type.Optional(Type.Boolean()),
  weight: Weight,
  /** the lowest measured precision tolerated of an enforcing rule before it alerts (docs/rules.md); scoring ignores it */
  precision_floor: Type.Optional(Ratio),
}

const rule = <P extends Record<string, TSchema>>(params: P) => Type.Optional(Type.Object({ ...common, ...params }, Strict))

export const RULE_IDS = [
  'campaign',
  'campaign_spread',
  'link_density',
  'button_links',
  'bad_domain',
  'shortener',
  'mention_density',
  'hashtag_density',
  'invisible_chars',
  'homoglyphs',
  'mixed_script_words',
  'sender_burst',
  'young_account',
  'forward_from_clone',
  'edit_to_spam',
] as const
export type RuleId = (typeof RULE_IDS)[number]

export const RulesFileSchema = Type.Object(
  {
    version: Type.Literal(1),
    /** a message is spam when its score (rules not in shadow mode) is at least this */
    threshold: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    rules: Type.Object(
      {
        /** member of a near-duplicate campaign of at least min_size messages */
        campaign: rule({ min_size: Type.Integer({ minimum: 2 }) }),
        /** the campaign reached many distinct chats in the last hour: strength ramps 0.5 → 1 from min_chats to full_chats */
        campaign_spread: rule({ min_chats: PosInt, full_chats: PosInt }),
        /** links (entities and in the text): at least min_links, or one link per at most max_words_per_link words */
        link_density: rule({ min_links: PosInt, max_words_per_link: PosInt }),
        /** inline buttons carrying a URL */
        button_links: rule({ min_buttons: PosInt }),
        /** a link to a domain of lists.bad_domains (the domain or a subdomain) */
        bad_domain: rule({}),
        /** a link through a shortener of lists.shorteners */
        shortener: rule({}),
        /** @mentions: at least min_count and at least min_ratio of the words */
        mention_density: rule({ min_count: PosInt, min_ratio: Ratio }),
        /** hashtags: at least min_count and at least min_ratio of the words */
        hashtag_density: rule({ min_count: PosInt, min_ratio: Ratio }),
        /** zero-width, bidi-control and soft-hyphen characters removed by normalization */
        invisible_chars: rule({ min_count: PosInt }),
        /** homoglyphs and fancy-font letters folded by normalization */
        homoglyphs: rule({ min_count: PosInt }),
        /** words mixing Latin, Cyrillic and Greek letters (per word: a Russian text with an English word is normal) */
        mixed_script_words: rule({ min_words: PosInt, min_ratio: Ratio }),
        /** the (pseudonymous) sender's messages per minute across chats: ramps 0.5 → 1 from min to full */
        sender_burst: rule({ min_per_minute: PosInt, full_per_minute: PosInt }),
        /** the sender's account is younger than max_age_days */
        young_account: rule({ max_age_days: Type.Number({ exclusiveMinimum: 0 }) }),
        /** forwarded from a chat detected as a clone */
        forward_from_clone: rule({}),
        /** an edit that turned a message into spam: previous version below the threshold, this one min_increase higher */
        edit_to_spam: rule({ min_increase: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) }),
      },
      Strict,
    ),
    lists: Type.Object(
      {
        bad_domains: Type.Array(Type.String({ minLength: 3, maxLength: 253 }), { maxItems: 1_000_000 }),
        shorteners: Type.Array(Type.String({ minLength: 3, maxLength: 253 }), { maxItems: 100_000 }),
      },
      Strict,
    ),
  },
  Strict,
)

export type RulesFile = Static<typeof RulesFileSchema>

export interface ResolvedRule {
  id: RuleId
  weight: number
  shadow: boolean
  /** the rule's parameters (the fields other than enabled / shadow / weight / precision_floor) */
  params: Readonly<Record<string, number>>
}

/** Validated rules, ready for SpamScorer. */
export interface Rules {
  source: string
  threshold: number
  /** enabled rules, in file-independent order (RULE_IDS) */
  rules: readonly ResolvedRule[]
  badDomains: ReadonlySet<string>
  shorteners: ReadonlySet<string>
}

const checker = TypeCompiler.Compile(RulesFileSchema)
const DOMAIN_RE = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/

/** Ramps that must not be inverted: [rule, start, end]. */
const RAMPS: [RuleId, string, string][] = [
  ['campaign_spread', 'min_chats', 'full_chats'],
  ['sender_burst', 'min_per_minute', 'full_per_minute'],
]

function pathOf(p: string): string {
  return p.replace(/^\//, '').split('/').join('.') || '(root)'
}

/** Validates a parsed rules file; throws RulesError with every problem. */
export function compileRules(doc: unknown, sourceName: string): Rules {
  const problems: string[] = []
  const seenPaths = new Set<string>()
  for (const e of checker.Errors(doc)) {
    const path = pathOf(e.path)
    if (seenPaths.has(path)) continue // one problem per place
    seenPaths.add(path)
    problems.push(explain(path, e.message, e.value))
  }
  // cross-field checks, on whatever is well-formed enough (every problem at once)
  const rules = isObj(doc) && isObj(doc['rules']) ? doc['rules'] : {}
  for (const [id, a, b] of RAMPS) {
    const r = rules[id]
    if (isObj(r) && typeof r[a] === 'number' && typeof r[b] === 'number' && r[a] > r[b]) {
      problems.push(`rules.${id}: ${a} (${r[a]}) must not exceed ${b} (${r[b]})`)
    }
  }
  const lists = isObj(doc) && isObj(doc['lists']) ? doc['lists'] : {}
  for (const list of ['bad_domains', 'shorteners'] as const) {
    const values = lists[list]
    if (!Array.isArray(values)) continue
    const dup = new Set<string>()
    values.forEach((d: unknown, i) => {
      if (typeof d !== 'string') return
      const v = d.trim().toLowerCase()
      if (!DOMAIN_RE.test(v)) problems.push(`lists.${list}.${i}: "${d}" is not a domain name (write example.com: no scheme, path or port)`)
      else if (dup.has(v)) problems.push(`lists.${list}.${i}: "${d}" is listed twice`)
      dup.add(v)
    })
    const rule = list === 'bad_domains' ? rules['bad_domain'] : rules['shortener']
    if (isObj(rule) && rule['enabled'] !== false && values.length === 0) {
      problems.push(`rules.${list === 'bad_domains' ? 'bad_domain' : 'shortener'}: enabled but lists.${list} is empty`)
    }
  }
  if (problems.length > 0) throw new RulesError(sourceName, problems)
  const file = doc as RulesFile
  const resolved: ResolvedRule[] = []
  for (const id of RULE_IDS) {
    const spec = file.rules[id]
    if (!spec || spec.enabled === false) continue
    const params: Record<string, number> = {}
    for (const [k, v] of Object.entries(spec))
      if (k !== 'enabled' && k !== 'shadow' && k !== 'weight' && k !== 'precision_floor' && typeof v === 'number') params[k] = v
    resolved.push({ id, weight: spec.weight, shadow: spec.shadow === true, params })
  }
  return {
    source: sourceName,
    threshold: file.threshold,
    rules: resolved,
    badDomains: new Set(file.lists.bad_domains.map((d) => d.trim().toLowerCase())),
    shorteners: new Set(file.lists.shorteners.map((d) => d.trim().toLowerCase())),
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function explain(path: string, message: string, value: unknown): string {
  const parts = path.split('.')
  if (/unexpected property|additional propert/i.test(message)) {
    const key = parts[parts.length - 1] as string
    if (parts.length === 2 && parts[0] === 'rules') return `rules.${key}: unknown rule (known: ${RULE_IDS.join(', ')})`
    const known = knownKeys(parts.slice(0, -1))
    return `${path}: unknown key${known.length > 0 ? ` (known here: ${known.join(', ')})` : ''}`
  }
  if (/required property/i.test(message)) return `${path}: missing (required)`
  const shown = value === undefined || typeof value === 'object' ? '' : ` (got ${JSON.stringify(value)})`
  return `${path}: ${message}${shown}`
}

function knownKeys(parts: string[]): string[] {
  let schema: TSchema = RulesFileSchema
  for (const p of parts) {
    if (p === '(root)') break
    const props = (schema as { properties?: Record<string, TSchema> }).properties
    const next = props?.[p]
    if (!next) return []
    schema = next
  }
  return Object.keys((schema as { properties?: Record<string, TSchema> }).properties ?? {})
}
