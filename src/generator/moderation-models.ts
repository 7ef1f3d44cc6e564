/**
 * Who reports what, and what review decides: the reporting organisations and the weighted tables of
 * report categories and moderation outcomes.
 */
import type { ModerationV1, ReportV1 } from '../domain/events.js'
import { weighted } from './prng.js'

/** Trusted flaggers (`reporter_org`) and their countries. */
export const TF_ORGS: [string, string][] = [
  ['INHOPE-DE', 'DE'],
  ['INHOPE-NL', 'NL'],
  ['IWF-GB', 'GB'],
  ['PointDeContact-FR', 'FR'],
  ['jugendschutz.net-DE', 'DE'],
  ['SaferNet-BR', 'BR'],
  ['ECPAT-SE', 'SE'],
  ['TeProtejo-CO', 'CO'],
  ['Meldpunt-NL', 'NL'],
]
/** Authorities and their countries (none for an international one). */
export const AUTHORITIES: [string, string | undefined][] = [
  ['BKA-DE', 'DE'],
  ['Europol-IRU', undefined],
  ['Arcom-FR', 'FR'],
  ['Ofcom-GB', 'GB'],
  ['Policia-ES', 'ES'],
  ['CyberPolice-UA', 'UA'],
  ['Komdigi-ID', 'ID'],
  ['AGCOM-IT', 'IT'],
  ['eSafety-AU', 'AU'],
  ['BTK-TR', 'TR'],
]

export type Category = ModerationV1['category']
export type Action = ModerationV1['action']
export type Source = ModerationV1['source']
export type Reporter = ReportV1['reporter']

export const USER_REPORT_CATEGORY = weighted<Category>([
  ['spam', 30],
  ['other', 25],
  ['copyright', 10],
  ['scam', 8],
  ['violence', 8],
  ['doxxing', 8],
  ['illegal_goods', 6],
  ['impersonation', 3],
  ['terrorism', 2],
])
export const TF_CATEGORY = weighted<Category>([
  ['csam', 30],
  ['terrorism', 20],
  ['violence', 15],
  ['illegal_goods', 15],
  ['doxxing', 10],
  ['other', 10],
])
export const AUTHORITY_CATEGORY = weighted<Category>([
  ['terrorism', 30],
  ['illegal_goods', 25],
  ['copyright', 15],
  ['doxxing', 10],
  ['violence', 10],
  ['other', 10],
])
export const ORGANIC_OUTCOME_USER = weighted<Action>([
  ['no_violation', 55],
  ['message_removed', 30],
  ['user_restricted', 5],
  ['user_banned', 4],
  ['chat_restricted', 3],
  ['chat_banned', 3],
])
export const ORGANIC_OUTCOME_PARTNER = weighted<Action>([
  ['message_removed', 60],
  ['no_violation', 20],
  ['chat_banned', 8],
  ['user_banned', 7],
  ['chat_restricted', 5],
])
export const SPAM_OUTCOME = weighted<Action>([
  ['message_removed', 70],
  ['user_banned', 20],
  ['no_violation', 10],
])
export const SCAM_CHAT_OUTCOME = weighted<Action>([
  ['chat_banned', 75],
  ['chat_restricted', 10],
  ['no_violation', 15],
])

/** The `source` of an action that answers a report. */
export function reporterSource(r: Reporter): Source {
  return r === 'user' ? 'user_report' : r
}
