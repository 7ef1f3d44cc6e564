/**
 * Masking for campaign samples (events.md privacy rules): phone numbers, e-mail addresses and
 * @handles are replaced before a sample text is stored. Links stay: they are the campaign's evidence
 * and point at chats or sites, not persons. Control and bidi characters are removed so a stored
 * sample can never reorder or hide text in a dashboard.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu
const HANDLE = /(^|[^\p{L}\p{N}_/])@[A-Za-z0-9_]{3,32}/gu
/** A run of 7 or more digits, optionally with a leading + and common separators. */
const PHONE = /(?<![\p{L}\p{N}])\+?\d(?:[\s().-]?\d){6,14}(?![\p{L}\p{N}])/gu
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

export function maskPrivateData(text: string): string {
  return text.replace(CONTROL, '').replace(EMAIL, '[email]').replace(HANDLE, '$1@[user]').replace(PHONE, '[phone]')
}
