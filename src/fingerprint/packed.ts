/**
 * Normalizations and fingerprints of a batch of texts in a form one thread hands another cheaply: the
 * numbers in typed arrays (transferred, not copied), the strings in plain arrays (structured clone).
 * `packTexts` runs where the work is done (../pipeline/fingerprint-worker.ts), `unpackText` where it
 * is used; unpacked, a text's results are what normalizeText and fingerprintText return for it.
 */
import { normalizeText, normalizedFrom, type NormalizedText, type ObfuscationKind } from '../normalize/index.js'
import { SIG_LENGTH, fingerprintFrom, fingerprintText, type TextFingerprint } from './index.js'

export interface PreparedText {
  normalized: NormalizedText
  fingerprint: TextFingerprint
}

export interface PackedTexts {
  /** per text: its length in UTF-16 units, or -1 when there was no text to prepare */
  sourceLength: Int32Array
  /** exact hash per text: hi, lo */
  exact: Uint32Array
  /** SIG_LENGTH words per text */
  signatures: Uint32Array
  /** per text: estimated distinct shingles, negative when the fingerprint is empty (-1 - shingles) */
  shingles: Int32Array
  text: string[]
  skeleton: string[]
  numbers: string[][]
  linkDomains: string[][]
  evidence: Partial<Record<ObfuscationKind, number>>[]
}

/** Normalizes and fingerprints each text (null: nothing to prepare, a gap in the batch). */
export function packTexts(texts: readonly (string | null)[]): PackedTexts {
  const n = texts.length
  const packed: PackedTexts = {
    sourceLength: new Int32Array(n).fill(-1),
    exact: new Uint32Array(2 * n),
    signatures: new Uint32Array(SIG_LENGTH * n),
    shingles: new Int32Array(n),
    text: new Array<string>(n).fill(''),
    skeleton: new Array<string>(n).fill(''),
    numbers: new Array<string[]>(n),
    linkDomains: new Array<string[]>(n),
    evidence: new Array<Partial<Record<ObfuscationKind, number>>>(n),
  }
  for (let i = 0; i < n; i++) {
    const source = texts[i]
    if (source === null || source === undefined) continue
    const normalized = normalizeText(source)
    const fp = fingerprintText(normalized)
    packed.sourceLength[i] = source.length
    packed.exact[2 * i] = fp.exactHi
    packed.exact[2 * i + 1] = fp.exactLo
    packed.signatures.set(fp.signature, SIG_LENGTH * i)
    packed.shingles[i] = fp.empty ? -1 - fp.shingles : fp.shingles
    packed.text[i] = normalized.text
    packed.skeleton[i] = fp.skeleton ?? ''
    packed.numbers[i] = normalized.numbers
    packed.linkDomains[i] = normalized.linkDomains
    packed.evidence[i] = normalized.evidence
  }
  return packed
}

/** The buffers of a pack, to transfer instead of copying. */
export function transferablesOf(packed: PackedTexts): ArrayBuffer[] {
  return [packed.sourceLength.buffer, packed.exact.buffer, packed.signatures.buffer, packed.shingles.buffer] as ArrayBuffer[]
}

/** Text i's results, or undefined when it was not prepared or was prepared from another text than `source`. */
export function unpackText(packed: PackedTexts, i: number, source: string): PreparedText | undefined {
  if (packed.sourceLength[i] !== source.length) return undefined
  const shingles = packed.shingles[i]!
  const empty = shingles < 0
  const normalized = normalizedFrom(packed.text[i]!, packed.linkDomains[i]!, packed.numbers[i]!, packed.evidence[i]!)
  const signature = packed.signatures.subarray(SIG_LENGTH * i, SIG_LENGTH * (i + 1))
  const fingerprint = fingerprintFrom(
    packed.exact[2 * i]!,
    packed.exact[2 * i + 1]!,
    signature,
    empty ? -1 - shingles : shingles,
    packed.skeleton[i]!,
    empty,
  )
  return { normalized, fingerprint }
}
