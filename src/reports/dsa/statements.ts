/**
 * One statement of reasons per restricting action, from what the pipeline knows (ActionEvidence)
 * and the DSA mapping (config/dsa.yaml). Pure: the same evidence and mapping give the same bytes, so a
 * rerun of `report dsa` writes the same file and the same puids.
 *
 * Privacy: a statement names no chat, message or user: the puid is a digest of the moderation event's
 * id (the platform finds the event again from it), and decision_facts are built from rule names,
 * numbers and the campaign id, never from text.
 */
import { createHash } from 'node:crypto'
import { EUROPEAN_COUNTRY_CODES, STATEMENT_LIMITS, type DsaMapping, type DsaStatement } from '../../domain/dsa-statement.js'
import type { ActionEvidence } from './evidence.js'

/** The statement's platform unique id: prefix and 40 hex digits of SHA-256 over the event id; at most 81 characters of [A-Za-z0-9_-]. */
export function puidOf(prefix: string, eventId: string): string {
  return `${prefix}-${createHash('sha256').update(`dsa-statement\u0000${eventId}`).digest('hex').slice(0, 40)}`
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const EUROPEAN = new Set<string>(EUROPEAN_COUNTRY_CODES)

export function buildStatement(evidence: ActionEvidence, mapping: DsaMapping): DsaStatement {
  const category = mapping.categories[evidence.category] ?? mapping.categories['other']
  const action = mapping.actions[evidence.action]
  const source = mapping.sources[evidence.source]
  // the mapping file is checked for every category, action and source at start (src/config/dsa.ts)
  if (!category || !action || !source) throw new Error(`no DSA mapping for ${evidence.category} / ${evidence.action} / ${evidence.source}`)
  const applicationDay = isoDay(evidence.tsMs)
  const contentMs = evidence.message ? Math.min(evidence.message.firstSeenMs, evidence.tsMs) : evidence.tsMs
  const statement: DsaStatement = {
    ...(action.decision_visibility ? { decision_visibility: [...action.decision_visibility] } : {}),
    ...(action.decision_visibility_other ? { decision_visibility_other: action.decision_visibility_other } : {}),
    ...(action.decision_provision ? { decision_provision: action.decision_provision } : {}),
    ...(action.decision_account ? { decision_account: action.decision_account } : {}),
    ...(action.account_type ? { account_type: action.account_type } : {}),
    ...(category.ground === 'illegal'
      ? {
          decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT' as const,
          illegal_content_legal_ground: category.ground_reference,
          illegal_content_explanation: category.explanation,
        }
      : {
          decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT' as const,
          ...(mapping.platform.terms_url ? { decision_ground_reference_url: mapping.platform.terms_url } : {}),
          incompatible_content_ground: category.ground_reference,
          incompatible_content_explanation: category.explanation,
          incompatible_content_illegal: category.also_illegal ? ('Yes' as const) : ('No' as const),
        }),
    content_type: [...action.content_type],
    ...(action.content_type_other ? { content_type_other: action.content_type_other } : {}),
    category: category.category,
    ...(category.keywords && category.keywords.length > 0 ? { category_specification: [...category.keywords] } : {}),
    territorial_scope: EUROPEAN.has(evidence.country)
      ? [evidence.country as DsaStatement['territorial_scope'][number]]
      : [...mapping.platform.default_territorial_scope],
    content_date: isoDay(contentMs),
    application_date: applicationDay,
    decision_facts: decisionFacts(evidence),
    source_type: source.source_type,
    ...sourceIdentity(evidence, mapping),
    automated_detection: source.automated_detection ? 'Yes' : 'No',
    automated_decision: source.automated_decision,
    puid: puidOf(mapping.platform.puid_prefix, evidence.eventId),
  }
  return statement
}

/** source_identity: the mapping's text, with the trusted flagger's or authority's organisation when its report names one. */
function sourceIdentity(evidence: ActionEvidence, mapping: DsaMapping): { source_identity?: string } {
  const source = mapping.sources[evidence.source]
  if (!source || source.source_type === 'SOURCE_VOLUNTARY') return {}
  // Organisations only: a user's report carries no organisation, and a person is never named.
  const organisation = evidence.report && evidence.report.reporter !== 'user' ? evidence.report.organisation.trim() : ''
  const parts = [source.identity ?? '', organisation].filter((p) => p !== '')
  if (parts.length === 0) return {}
  return { source_identity: truncate(parts.join(': '), STATEMENT_LIMITS.shortText) }
}

const ACTION_WORDS: Record<string, string> = {
  message_removed: 'The message was removed',
  chat_banned: 'The chat was closed',
  chat_restricted: 'The chat was restricted',
  user_banned: 'The account was closed',
  user_restricted: 'The account was restricted',
}
const SOURCE_WORDS: Record<string, string> = {
  automated: 'after automated detection',
  proactive_review: "after a review on the platform's own initiative",
  user_report: 'after a notice from a user',
  trusted_flagger: 'after a notice from a trusted flagger',
  authority: 'after an order of an authority',
}

/** The facts and circumstances, from rule names, scores, the campaign and the chat's similarity; never text or ids of people. */
export function decisionFacts(e: ActionEvidence): string {
  const facts = [
    `${ACTION_WORDS[e.action] ?? e.action} ${SOURCE_WORDS[e.source] ?? `(source: ${e.source})`}, category ${e.category.replace(/_/g, ' ')}.`,
  ]
  if (e.message) {
    const rules =
      e.message.reasons.length > 0 ? `; spam rules that fired: ${[...e.message.reasons].sort().join(', ')}` : '; no spam rule fired'
    facts.push(`Spam score of the message: ${e.message.spamScore.toFixed(2)}${rules}.`)
  }
  if (e.campaign)
    facts.push(
      `The message belongs to the near-duplicate campaign ${e.campaign.id}: ${e.campaign.messages} messages in ${e.campaign.chats} chats.`,
    )
  const s = e.similarity
  if (s.clonePairs > 0)
    facts.push(
      `The chat shares its content with ${s.clonePairs} other chat${s.clonePairs === 1 ? '' : 's'} (highest overlap ${s.cloneScore.toFixed(2)})` +
        (s.copiedFromOthers > 0 ? `; ${s.copiedFromOthers} of them posted the shared content first.` : '.'),
    )
  // chat_similarity keeps which names are confusable, not which chat copies which: said neutrally
  if (s.lookAlikePairs > 0)
    facts.push(
      `The chat's name or handle is confusable with that of ${s.lookAlikePairs} other chat${s.lookAlikePairs === 1 ? '' : 's'} or protected name${s.lookAlikePairs === 1 ? '' : 's'} (similarity ${s.lookAlikeScore.toFixed(2)}).`,
    )
  return truncate(facts.join(' '), STATEMENT_LIMITS.decisionFacts)
}

const truncate = (text: string, max: number) => ([...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`)
