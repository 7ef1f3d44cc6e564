/**
 * The DSA Transparency Database's validation of one statement of reasons, rule for rule (its
 * GroupedSubmissionsService::multi_rules, API v2), as it answers a refused one: a map from field to
 * messages, empty when the statement would be accepted. Used by `report dsa` before it writes or
 * sends anything (a statement the database would refuse is a bug) and by the tests' local copy of
 * the database's endpoint.
 *
 * Laravel's semantics, which the database's rules are written in: a field is "present" unless it is
 * missing, null, an empty string or an empty array; `exclude_unless` fields are not checked at all
 * when their condition does not hold; fields the rules do not name are ignored. Where a rule accepts
 * a value of the wrong JSON type (`max` on a number), this validator refuses it: we only ever send strings.
 */
import {
  ACCOUNT_TYPES,
  AUTOMATED_DECISIONS,
  CONTENT_TYPES,
  DECISION_ACCOUNTS,
  DECISION_GROUNDS,
  DECISION_MONETARIES,
  DECISION_PROVISIONS,
  DECISION_VISIBILITIES,
  EUROPEAN_COUNTRY_CODES,
  KEYWORDS,
  PUID_PATTERN,
  SOURCE_TYPES,
  STATEMENT_CATEGORIES,
  STATEMENT_LIMITS,
  YES_NO,
} from '../../domain/dsa-statement.js'

export type StatementErrors = Record<string, string[]>

const RESTRICTIONS = ['decision_visibility', 'decision_monetary', 'decision_provision', 'decision_account'] as const
const ILLEGAL = 'DECISION_GROUND_ILLEGAL_CONTENT'
const INCOMPATIBLE = 'DECISION_GROUND_INCOMPATIBLE_CONTENT'
/** Upper bound of every date field (the database stores them as 32-bit timestamps). */
const LAST_DAY = '2038-01-01'

const label = (field: string) => field.replace(/_/g, ' ')

/** Laravel's `required`: not missing, null, blank or an empty array. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'string') return value.trim() !== ''
  if (Array.isArray(value)) return value.length > 0
  return true
}

/** The errors of one statement, keyed by field as the database reports them; {} when it would be accepted. */
export function validateStatement(input: unknown): StatementErrors {
  const errors: StatementErrors = {}
  const fail = (field: string, message: string) => (errors[field] ??= []).push(message)
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail('statement', 'The statement must be a JSON object.')
    return errors
  }
  const s = input as Record<string, unknown>
  const present = (field: string) => isPresent(s[field])

  const required = (field: string) => {
    if (!present(field)) fail(field, `The ${label(field)} field is required.`)
    return present(field)
  }
  const maxText = (field: string, max: number) => {
    if (!present(field)) return
    const value = s[field]
    if (typeof value !== 'string') fail(field, `The ${label(field)} field must be a string.`)
    else if ([...value].length > max) fail(field, `The ${label(field)} field must not be greater than ${max} characters.`)
  }
  const oneOf = (field: string, allowed: readonly string[]) => {
    if (present(field) && !allowed.includes(s[field] as string)) fail(field, `The selected ${label(field)} is invalid.`)
  }
  const arrayOf = (field: string, allowed: readonly string[]) => {
    if (!present(field)) return
    const value = s[field]
    if (!Array.isArray(value)) fail(field, `The ${label(field)} field must be an array.`)
    else if (value.some((v) => !allowed.includes(v as string))) fail(field, `The selected ${label(field)} is invalid.`)
  }
  const date = (field: string, after: string | null) => {
    if (!present(field)) return
    const value = s[field]
    if (typeof value !== 'string' || !isCalendarDay(value)) {
      fail(field, `The ${label(field)} does not match the format YYYY-MM-DD.`)
      return
    }
    if (after !== null && value < after) fail(field, `The ${label(field)} field must be a date after or equal to ${after}.`)
    if (value > LAST_DAY) fail(field, `The ${label(field)} field must be a date before or equal to ${LAST_DAY}.`)
  }

  // At least one restriction, of the kinds the database knows.
  for (const field of RESTRICTIONS) {
    if (!RESTRICTIONS.some((f) => present(f)))
      fail(
        field,
        `The ${label(field)} field is required when none of ${RESTRICTIONS.filter((f) => f !== field)
          .map(label)
          .join(' / ')} are present.`,
      )
  }
  arrayOf('decision_visibility', DECISION_VISIBILITIES)
  if (Array.isArray(s['decision_visibility']) && s['decision_visibility'].includes('DECISION_VISIBILITY_OTHER'))
    required('decision_visibility_other')
  maxText('decision_visibility_other', STATEMENT_LIMITS.shortText)
  oneOf('decision_monetary', DECISION_MONETARIES)
  if (s['decision_monetary'] === 'DECISION_MONETARY_OTHER') {
    required('decision_monetary_other')
    maxText('decision_monetary_other', STATEMENT_LIMITS.shortText)
  }
  oneOf('decision_provision', DECISION_PROVISIONS)
  oneOf('decision_account', DECISION_ACCOUNTS)
  oneOf('account_type', ACCOUNT_TYPES)
  arrayOf('category_specification', KEYWORDS)
  maxText('category_specification_other', STATEMENT_LIMITS.shortText)

  if (required('decision_ground')) oneOf('decision_ground', DECISION_GROUNDS)
  if (present('decision_ground_reference_url')) {
    maxText('decision_ground_reference_url', STATEMENT_LIMITS.shortText)
    if (!isUrl(s['decision_ground_reference_url']))
      fail('decision_ground_reference_url', 'The decision ground reference url field must be a valid URL.')
  }
  if (s['decision_ground'] === ILLEGAL) {
    required('illegal_content_legal_ground')
    maxText('illegal_content_legal_ground', STATEMENT_LIMITS.shortText)
    required('illegal_content_explanation')
    maxText('illegal_content_explanation', STATEMENT_LIMITS.explanation)
  }
  if (s['decision_ground'] === INCOMPATIBLE) {
    required('incompatible_content_ground')
    maxText('incompatible_content_ground', STATEMENT_LIMITS.shortText)
    required('incompatible_content_explanation')
    maxText('incompatible_content_explanation', STATEMENT_LIMITS.explanation)
    oneOf('incompatible_content_illegal', YES_NO)
  }

  if (required('content_type')) arrayOf('content_type', CONTENT_TYPES)
  if (Array.isArray(s['content_type']) && s['content_type'].includes('CONTENT_TYPE_OTHER')) required('content_type_other')
  maxText('content_type_other', STATEMENT_LIMITS.shortText)

  if (required('category')) oneOf('category', STATEMENT_CATEGORIES)
  arrayOf('category_addition', STATEMENT_CATEGORIES)
  // The API page calls territorial_scope required (the rule list alone says nullable): always sent.
  if (required('territorial_scope')) arrayOf('territorial_scope', EUROPEAN_COUNTRY_CODES)
  // ISO 639-1 in upper case; the database checks against its list of language names.
  if (present('content_language') && !(typeof s['content_language'] === 'string' && /^[A-Z]{2}$/.test(s['content_language'])))
    fail('content_language', 'The selected content language is invalid.')

  if (required('content_date')) date('content_date', '2000-01-01')
  if (required('application_date')) date('application_date', '2020-01-01')
  for (const field of [
    'end_date_account_restriction',
    'end_date_monetary_restriction',
    'end_date_service_restriction',
    'end_date_visibility_restriction',
  ])
    date(field, null)

  if (required('decision_facts')) maxText('decision_facts', STATEMENT_LIMITS.decisionFacts)
  if (required('source_type')) oneOf('source_type', SOURCE_TYPES)
  maxText('source_identity', STATEMENT_LIMITS.shortText)
  if (required('automated_detection')) oneOf('automated_detection', YES_NO)
  if (required('automated_decision')) oneOf('automated_decision', AUTOMATED_DECISIONS)
  if (required('puid')) {
    maxText('puid', STATEMENT_LIMITS.puid)
    if (typeof s['puid'] === 'string' && !PUID_PATTERN.test(s['puid'])) fail('puid', 'The puid field format is invalid.')
  }
  return errors
}

/** Y-m-d of a day that exists (PHP's date_format refuses 2025-02-30). */
function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  return new Date(ms).toISOString().slice(0, 10) === value
}

function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}
