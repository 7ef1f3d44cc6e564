/**
 * Sender ids, and the ids of private chats, become keyed pseudonyms before they reach any store,
 * metric or log (events.md, privacy rules): HMAC-SHA256 with a secret key, truncated to 80 bits (20
 * hex chars). The same key always gives the same pseudonym, so analysts can count and join; without
 * the key the id cannot be recovered or confirmed by hashing guesses.
 */
import { createHmac } from 'node:crypto'
import { makeRoomFor } from '../domain/bounded.js'
import { ConfigError } from '../domain/errors.js'

export type Pseudonymizer = (id: string) => string

export const MIN_PSEUDONYM_KEY_LENGTH = 16

/** Pseudonyms are cached: senders repeat, and an HMAC costs about a microsecond. */
export function createPseudonymizer(key: string, cacheSize = 100_000): Pseudonymizer {
  if (key.length < MIN_PSEUDONYM_KEY_LENGTH)
    throw new ConfigError([`ABUSE_RADAR_PSEUDONYM_KEY: must be at least ${MIN_PSEUDONYM_KEY_LENGTH} characters`])
  const cache = new Map<string, string>()
  return (id: string) => {
    const hit = cache.get(id)
    if (hit !== undefined) return hit
    const pseudonym = createHmac('sha256', key).update(id).digest('hex').slice(0, 20)
    makeRoomFor(cache, cacheSize)
    cache.set(id, pseudonym)
    return pseudonym
  }
}
