/**
 * The output contract of `report dsa`: a statement of reasons as the Commission's DSA Transparency
 * Database takes it, in the schema in force since 1 July 2025 (API v2, aligned with Implementing
 * Regulation (EU) 2024/2835). Source: the database's "API and Schema" page (api-documentation-two)
 * and its validation rules (GroupedSubmissionsService / StatementsStoreRequest) in the repository
 * digital-services-act/transparency-database. Keys are the database's, spelled as it spells them.
 *
 * Here, in the domain, because two layers need the same vocabulary: the DSA mapping file is checked
 * against it (src/config/dsa.ts) and the statements are built and validated with it (src/reports/dsa/).
 */
import { Type, type Static } from '@sinclair/typebox'

export const DECISION_VISIBILITIES = [
  'DECISION_VISIBILITY_CONTENT_REMOVED',
  'DECISION_VISIBILITY_CONTENT_DISABLED',
  'DECISION_VISIBILITY_CONTENT_DEMOTED',
  'DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED',
  'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED',
  'DECISION_VISIBILITY_CONTENT_LABELLED',
  'DECISION_VISIBILITY_OTHER',
] as const
export const DECISION_MONETARIES = ['DECISION_MONETARY_SUSPENSION', 'DECISION_MONETARY_TERMINATION', 'DECISION_MONETARY_OTHER'] as const
export const DECISION_PROVISIONS = [
  'DECISION_PROVISION_PARTIAL_SUSPENSION',
  'DECISION_PROVISION_TOTAL_SUSPENSION',
  'DECISION_PROVISION_PARTIAL_TERMINATION',
  'DECISION_PROVISION_TOTAL_TERMINATION',
] as const
export const DECISION_ACCOUNTS = ['DECISION_ACCOUNT_SUSPENDED', 'DECISION_ACCOUNT_TERMINATED'] as const
export const ACCOUNT_TYPES = ['ACCOUNT_TYPE_BUSINESS', 'ACCOUNT_TYPE_PRIVATE'] as const
export const DECISION_GROUNDS = ['DECISION_GROUND_ILLEGAL_CONTENT', 'DECISION_GROUND_INCOMPATIBLE_CONTENT'] as const
export const CONTENT_TYPES = [
  'CONTENT_TYPE_APP',
  'CONTENT_TYPE_AUDIO',
  'CONTENT_TYPE_IMAGE',
  'CONTENT_TYPE_PRODUCT',
  'CONTENT_TYPE_SYNTHETIC_MEDIA',
  'CONTENT_TYPE_TEXT',
  'CONTENT_TYPE_VIDEO',
  'CONTENT_TYPE_OTHER',
] as const
/** v2: CONSUMER_INFORMATION, CYBER_VIOLENCE(_AGAINST_WOMEN) and NOT_SPECIFIED_NOTICE added; OTHER_VIOLATION_TC and UNSAFE_AND_PROHIBITED_PRODUCTS renamed; NON_CONSENSUAL_BEHAVIOUR and PORNOGRAPHY_OR_SEXUALIZED_CONTENT gone. */
export const STATEMENT_CATEGORIES = [
  'STATEMENT_CATEGORY_ANIMAL_WELFARE',
  'STATEMENT_CATEGORY_CONSUMER_INFORMATION',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN',
  'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS',
  'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
  'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS',
  'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS',
  'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE',
  'STATEMENT_CATEGORY_OTHER_VIOLATION_TC',
  'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
  'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
  'STATEMENT_CATEGORY_SCAMS_AND_FRAUD',
  'STATEMENT_CATEGORY_SELF_HARM',
  'STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS',
  'STATEMENT_CATEGORY_VIOLENCE',
] as const
/** category_specification values of the v2 schema (the "API and Schema" page's list). */
export const KEYWORDS = [
  'KEYWORD_ANIMAL_HARM',
  'KEYWORD_ADULT_SEXUAL_MATERIAL',
  'KEYWORD_AGE_SPECIFIC_RESTRICTIONS',
  'KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS',
  'KEYWORD_BIOMETRIC_DATA_BREACH',
  'KEYWORD_BULLYING_AGAINST_GIRLS',
  'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL',
  'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE',
  'KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS',
  'KEYWORD_COORDINATED_HARM',
  'KEYWORD_COPYRIGHT_INFRINGEMENT',
  'KEYWORD_CYBER_BULLYING_INTIMIDATION',
  'KEYWORD_CYBER_HARASSMENT',
  'KEYWORD_CYBER_HARASSMENT_AGAINST_WOMEN',
  'KEYWORD_CYBER_INCITEMENT',
  'KEYWORD_CYBER_STALKING',
  'KEYWORD_CYBER_STALKING_AGAINST_WOMEN',
  'KEYWORD_DATA_FALSIFICATION',
  'KEYWORD_DEFAMATION',
  'KEYWORD_DESIGN_INFRINGEMENT',
  'KEYWORD_DISCRIMINATION',
  'KEYWORD_MISINFORMATION_DISINFORMATION',
  'KEYWORD_FEMALE_GENDERED_DISINFORMATION',
  'KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT',
  'KEYWORD_GEOGRAPHICAL_REQUIREMENTS',
  'KEYWORD_GOODS_SERVICES_NOT_PERMITTED',
  'KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS',
  'KEYWORD_HATE_SPEECH',
  'KEYWORD_HIDDEN_ADVERTISEMENT',
  'KEYWORD_HUMAN_EXPLOITATION',
  'KEYWORD_HUMAN_TRAFFICKING',
  'KEYWORD_ILLEGAL_ORGANIZATIONS',
  'KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING',
  'KEYWORD_INAUTHENTIC_ACCOUNTS',
  'KEYWORD_INAUTHENTIC_LISTINGS',
  'KEYWORD_INAUTHENTIC_USER_REVIEWS',
  'KEYWORD_INCITEMENT_AGAINST_WOMEN',
  'KEYWORD_INCITEMENT_VIOLENCE_HATRED',
  'KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS',
  'KEYWORD_LANGUAGE_REQUIREMENTS',
  'KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS',
  'KEYWORD_MISLEADING_INFO_GOODS_SERVICES',
  'KEYWORD_MISSING_PROCESSING_GROUND',
  'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING',
  'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN',
  'KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE',
  'KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN',
  'KEYWORD_NONCOMPLIANCE_PRICING',
  'KEYWORD_NUDITY',
  'KEYWORD_PATENT_INFRINGEMENT',
  'KEYWORD_PHISHING',
  'KEYWORD_PROHIBITED_PRODUCTS',
  'KEYWORD_PYRAMID_SCHEMES',
  'KEYWORD_RIGHT_TO_BE_FORGOTTEN',
  'KEYWORD_RISK_ENVIRONMENTAL_DAMAGE',
  'KEYWORD_RISK_PUBLIC_HEALTH',
  'KEYWORD_SELF_MUTILATION',
  'KEYWORD_STALKING',
  'KEYWORD_SUICIDE',
  'KEYWORD_TERRORIST_CONTENT',
  'KEYWORD_TRADE_SECRET_INFRINGEMENT',
  'KEYWORD_TRADEMARK_INFRINGEMENT',
  'KEYWORD_TRAFFICKING_WOMEN_GIRLS',
  'KEYWORD_UNLAWFUL_SALE_ANIMALS',
  'KEYWORD_UNSAFE_CHALLENGES',
  'KEYWORD_UNSAFE_PRODUCTS',
  'KEYWORD_VIOLATION_EU_LAW',
  'KEYWORD_VIOLATION_NATIONAL_LAW',
  'KEYWORD_OTHER',
] as const
export const SOURCE_TYPES = ['SOURCE_ARTICLE_16', 'SOURCE_TRUSTED_FLAGGER', 'SOURCE_TYPE_OTHER_NOTIFICATION', 'SOURCE_VOLUNTARY'] as const
export const AUTOMATED_DECISIONS = ['AUTOMATED_DECISION_FULLY', 'AUTOMATED_DECISION_PARTIALLY', 'AUTOMATED_DECISION_NOT_AUTOMATED'] as const
export const YES_NO = ['Yes', 'No'] as const
/** territorial_scope: the EU and EEA countries (EuropeanCountriesService::EUROPEAN_COUNTRY_CODES). */
export const EUROPEAN_UNION_COUNTRY_CODES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
] as const // prettier-ignore
export const EUROPEAN_COUNTRY_CODES = [...EUROPEAN_UNION_COUNTRY_CODES, 'IS', 'LI', 'NO'] as const

/** The database's text limits, in characters. */
export const STATEMENT_LIMITS = { shortText: 500, explanation: 2000, decisionFacts: 5000, puid: 500 } as const
/** puid: letters, digits, '-' and '_' only (the database's regex /^[a-zA-Z0-9-_]+$/D). */
export const PUID_PATTERN = /^[A-Za-z0-9_-]+$/

const Strict = { additionalProperties: false } as const
const oneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)))
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength })
const day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })

/**
 * A statement as abuse-radar writes it: the subset of the database's fields it fills. The database's
 * conditional rules (a restriction of at least one kind, the grounds a decision ground requires, the
 * `_other` texts, date bounds) are in src/reports/dsa/validate.ts, which checks any object.
 */
export const DsaStatementSchema = Type.Object(
  {
    decision_visibility: Type.Optional(Type.Array(oneOf(DECISION_VISIBILITIES), { minItems: 1 })),
    decision_visibility_other: Type.Optional(text(STATEMENT_LIMITS.shortText)),
    decision_monetary: Type.Optional(oneOf(DECISION_MONETARIES)),
    decision_monetary_other: Type.Optional(text(STATEMENT_LIMITS.shortText)),
    decision_provision: Type.Optional(oneOf(DECISION_PROVISIONS)),
    decision_account: Type.Optional(oneOf(DECISION_ACCOUNTS)),
    account_type: Type.Optional(oneOf(ACCOUNT_TYPES)),
    decision_ground: oneOf(DECISION_GROUNDS),
    decision_ground_reference_url: Type.Optional(text(STATEMENT_LIMITS.shortText)),
    illegal_content_legal_ground: Type.Optional(text(STATEMENT_LIMITS.shortText)),
    illegal_content_explanation: Type.Optional(text(STATEMENT_LIMITS.explanation)),
    incompatible_content_ground: Type.Optional(text(STATEMENT_LIMITS.shortText)),
    incompatible_content_explanation: Type.Optional(text(STATEMENT_LIMITS.explanation)),
    incompatible_content_illegal: Type.Optional(oneOf(YES_NO)),
    content_type: Type.Array(oneOf(CONTENT_TYPES), { minItems: 1 }),
    content_type_other: Type.Optional(text(STATEMENT_LIMITS.shortText)),
    category: oneOf(STATEMENT_CATEGORIES),
    category_specification: Type.Optional(Type.Array(oneOf(KEYWORDS))),
    territorial_scope: Type.Array(oneOf(EUROPEAN_COUNTRY_CODES), { minItems: 1 }),
    content_date: day,
    application_date: day,
    decision_facts: text(STATEMENT_LIMITS.decisionFacts),
    source_type: oneOf(SOURCE_TYPES),
    source_identity: Type.Optional(text(STATEMENT_LIMITS.shortText)),
    automated_detection: oneOf(YES_NO),
    automated_decision: oneOf(AUTOMATED_DECISIONS),
    puid: Type.String({ minLength: 1, maxLength: STATEMENT_LIMITS.puid, pattern: PUID_PATTERN.source }),
  },
  { additionalProperties: false },
)
export type DsaStatement = Static<typeof DsaStatementSchema>

/** The moderation actions that restrict, each of which needs a statement of reasons (Article 17 DSA). */
export const RESTRICTING_ACTIONS = ['message_removed', 'chat_banned', 'chat_restricted', 'user_banned', 'user_restricted'] as const
export type RestrictingAction = (typeof RESTRICTING_ACTIONS)[number]

// ------------------------------------------------------------------ the mapping file (config/dsa.yaml)
// Its schema is here, next to the vocabulary it maps to; src/config/dsa.ts loads and checks the file.

const ShortText = Type.String({ minLength: 1, maxLength: STATEMENT_LIMITS.shortText })
const Explanation = Type.String({ minLength: 1, maxLength: STATEMENT_LIMITS.explanation })

const CategoryMapping = Type.Object(
  {
    category: oneOf(STATEMENT_CATEGORIES),
    keywords: Type.Optional(Type.Array(oneOf(KEYWORDS))),
    /** illegal: unlawful under the law named in legal_ground; terms: incompatible with the terms and conditions */
    ground: Type.Union([Type.Literal('illegal'), Type.Literal('terms')]),
    /** illegal_content_legal_ground or incompatible_content_ground */
    ground_reference: ShortText,
    /** illegal_content_explanation or incompatible_content_explanation */
    explanation: Explanation,
    /** ground terms only: the content is also considered illegal (incompatible_content_illegal) */
    also_illegal: Type.Optional(Type.Boolean()),
  },
  Strict,
)

const ActionMapping = Type.Object(
  {
    decision_visibility: Type.Optional(Type.Array(oneOf(DECISION_VISIBILITIES), { minItems: 1 })),
    decision_visibility_other: Type.Optional(ShortText),
    decision_provision: Type.Optional(oneOf(DECISION_PROVISIONS)),
    decision_account: Type.Optional(oneOf(DECISION_ACCOUNTS)),
    account_type: Type.Optional(oneOf(ACCOUNT_TYPES)),
    content_type: Type.Array(oneOf(CONTENT_TYPES), { minItems: 1 }),
    content_type_other: Type.Optional(ShortText),
  },
  Strict,
)

const SourceMapping = Type.Object(
  {
    source_type: oneOf(SOURCE_TYPES),
    automated_detection: Type.Boolean(),
    automated_decision: oneOf(AUTOMATED_DECISIONS),
    /** source_identity: who notified (a trusted flagger's organisation is appended when the report names it) */
    identity: Type.Optional(ShortText),
  },
  Strict,
)

export const DsaMappingSchema = Type.Object(
  {
    version: Type.Literal(1),
    platform: Type.Object(
      {
        /** first part of every puid: statements of two systems sent under one account never collide */
        puid_prefix: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
        /** decision_ground_reference_url of terms-based decisions: the published terms and conditions */
        terms_url: Type.Optional(Type.String({ minLength: 1, maxLength: STATEMENT_LIMITS.shortText, pattern: '^https?://' })),
        /** territorial_scope when the action's country is unknown or outside the EU/EEA */
        default_territorial_scope: Type.Array(oneOf(EUROPEAN_COUNTRY_CODES), { minItems: 1 }),
      },
      Strict,
    ),
    categories: Type.Record(Type.String(), CategoryMapping),
    actions: Type.Record(Type.String(), ActionMapping),
    sources: Type.Record(Type.String(), SourceMapping),
    submission: Type.Object(
      {
        /** the database's "multiple statements" endpoint (sandbox or production, as onboarding gives it) */
        endpoint: Type.String({ pattern: '^https?://' }),
        /** statements per request; the database takes at most 100 */
        batch_size: Type.Integer({ minimum: 1, maximum: 100 }),
        /** tries of one request (network errors, 429, 5xx) before the command fails */
        max_attempts: Type.Integer({ minimum: 1, maximum: 20 }),
        initial_backoff_ms: Type.Integer({ minimum: 1 }),
        max_backoff_ms: Type.Integer({ minimum: 1 }),
        timeout_ms: Type.Integer({ minimum: 100 }),
      },
      Strict,
    ),
  },
  Strict,
)
export type DsaMapping = Static<typeof DsaMappingSchema>
export type DsaCategoryMapping = Static<typeof CategoryMapping>
export type DsaActionMapping = Static<typeof ActionMapping>
export type DsaSourceMapping = Static<typeof SourceMapping>

// ------------------------------------------------------------------ the port to the database (src/sinks/dsa-api)

/** The answer to one POST of statements: all created, or none (the database's errors per statement index of the request). */
export type DsaPostOutcome = { created: true } | { created: false; errors: Map<number, Record<string, string[]>> }

/** Sends statements to the Transparency Database; throws an AbuseRadarError (its `retryable` says whether to try again, `retryAfterMs` how long to wait). */
export interface DsaStatementSender {
  postStatements(statements: readonly DsaStatement[]): Promise<DsaPostOutcome>
}
