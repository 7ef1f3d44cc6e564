/**
 * pino JSON logs. Privacy (events.md): logs never carry message text or raw sender ids. The code never
 * passes them to the logger, and redaction below is the safety net for fields that could hold them.
 */
import pino from 'pino'
import type { Logger } from '../domain/ports.js'

export const REDACTED_PATHS = [
  'text',
  '*.text',
  'event.text',
  'sender.id',
  '*.sender.id',
  'event.sender.id',
  'password',
  '*.password',
  'secrets',
  '*.secrets',
]

export function createLogger(level: string, destination: pino.DestinationStream | number = 2): Logger {
  return pino(
    {
      level,
      base: { service: 'abuse-radar' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: false }) : destination,
  )
}
