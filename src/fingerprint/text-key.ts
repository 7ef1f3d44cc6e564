/**
 * The text keys of a message: 64-bit hashes of the first and of the last TEXT_KEY_CHARS characters
 * of its skeleton (./index.ts skeletonOf: normalized, without spaces, punctuation or emoji, a link
 * one mark, long numbers masked), as 16 hex characters each.
 *
 * Why: clone channels repost another channel's posts, often a day or two later, cut short, with a
 * tail of their own tags and handles, or with a greeting before them. The exact hash misses every
 * such copy, and the campaign id misses a copy posted after the campaign index forgot the original
 * (its window is shorter than chat similarity's). The beginning survives a cut, a tail and a
 * repeat; the end survives a greeting; both survive every character-level attack the normalizer
 * undoes; neither needs an index. Texts whose skeleton is shorter than TEXT_KEY_CHARS have none (a
 * short greeting or "thanks" would join unrelated chats).
 */
import { hex64, murmur3Utf16Pair, PAIR } from './hash.js'

/** Skeleton characters a key covers (about eight to ten words of Latin or Cyrillic text). */
export const TEXT_KEY_CHARS = 48

/** The key of the skeleton's beginning, or '' when it is shorter than TEXT_KEY_CHARS. */
export function headKeyOf(skeleton: string): string {
  return skeleton.length < TEXT_KEY_CHARS ? '' : keyOf(skeleton.slice(0, TEXT_KEY_CHARS), 0x3c6ef372)
}

/** The key of the skeleton's end, or '' when it is shorter than TEXT_KEY_CHARS. */
export function tailKeyOf(skeleton: string): string {
  return skeleton.length < TEXT_KEY_CHARS ? '' : keyOf(skeleton.slice(skeleton.length - TEXT_KEY_CHARS), 0x510e527f)
}

function keyOf(chars: string, seed: number): string {
  murmur3Utf16Pair(chars, seed, 0xa54ff53a)
  return hex64(PAIR[0]!, PAIR[1]!)
}
