/**
 * Entries that arrive without their text's fingerprint: rows restored after a restart and entries
 * another instance assigned carry only the exact hash and the signature (and, from another
 * instance, maybe the skeleton); the index rebuilds the fingerprint fields it uses from those.
 */
import { NUM_BANDS, SHORT_SKELETON_CHARS, SIG_LENGTH, bandKeysOf, signatureShingles, type TextFingerprint } from '../fingerprint/index.js'

const EXACT_HASH = /^[0-9a-f]{16}$/

export function isWellFormed(exactHash: string, signature: Uint32Array): boolean {
  return EXACT_HASH.test(exactHash) && signature.length >= SIG_LENGTH
}

/** The fingerprint fields the index uses, rebuilt into one object that is reused (valid until the next `rebuild`). */
export class RebuiltFingerprint {
  private readonly fp: TextFingerprint = {
    exactHash: '',
    exactHi: 0,
    exactLo: 0,
    signature: new Uint32Array(SIG_LENGTH),
    bandKeys: new Uint32Array(NUM_BANDS),
    shingles: 0,
    skeletonLength: 0,
    short: false,
    empty: false,
  }

  rebuild(exactHash: string, signature: Uint32Array, skeleton: string): TextFingerprint {
    const fp = this.fp
    fp.exactHi = parseInt(exactHash.slice(0, 8), 16) >>> 0
    fp.exactLo = parseInt(exactHash.slice(8, 16), 16) >>> 0
    fp.signature.set(signature.subarray(0, SIG_LENGTH))
    bandKeysOf(fp.signature, fp.bandKeys)
    const shingles = signatureShingles(signature)
    fp.shingles = shingles
    if (skeleton.length > 0) {
      fp.short = skeleton.length < SHORT_SKELETON_CHARS
      fp.skeletonLength = skeleton.length
    } else {
      // the skeleton length is not stored: a signature with few distinct shingles is a short text
      fp.short = shingles < SHORT_SKELETON_CHARS - 3
      fp.skeletonLength = fp.short ? shingles + 3 : shingles
    }
    return fp
  }
}
