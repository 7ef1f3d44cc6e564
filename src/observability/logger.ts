/**
 * pino JSON logs. Privacy (events.md): logs never carry message text or raw sender ids. The code never
 * passes them to the logger, and redaction below is the safety net for fields that could hold them.
 *
 * Secrets never reach a log either: the value of every credential-looking key, at any depth, is
 * replaced, and credentials in URLs (`http://user:password@host`) are masked in every string,
 * the message included.
 */
import pino from 'pino'
import { redactUrlCredentials } from '../domain/errors.js'
import type { Logger } from '../domain/ports.js'

export const REDACTED_PATHS = ['text', '*.text', 'event.text', 'sender.id', '*.sender.id', 'event.sender.id']

const CENSOR = '[redacted]'
/** The keys config print and configuration problems treat as secret (src/config/load.ts), plus the HTTP ones. */
const SECRET_KEY = /(password|passwd|secrets?|token|key|credentials?|authorization|cookie)$/i
/** Deeper than any object the code logs; past it, a value is dropped rather than walked. */
const MAX_DEPTH = 8

/** A copy of a logged value with secrets removed: credential-looking keys censored, URL credentials masked. */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value)
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return CENSOR
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1))
  const source: Record<string, unknown> =
    value instanceof Error ? { ...value, type: value.name, message: value.message, stack: value.stack } : (value as Record<string, unknown>)
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(source)) copy[key] = SECRET_KEY.test(key) ? CENSOR : withoutSecrets(item, depth + 1)
  return copy
}

export function createLogger(level: string, destination: pino.DestinationStream | number = 2): Logger {
  return pino(
    {
      level,
      base: { service: 'abuse-radar' },
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (object) => withoutSecrets(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactUrlCredentials(arg) : arg)) as Parameters<typeof method>)
        },
      },
    },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: false }) : destination,
  )
}
