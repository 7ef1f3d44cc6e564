/**
 * The normalizer's working memory: typed arrays reused by every call (normalizeText is synchronous
 * and single-threaded, so one set serves the process) and grown, never shrunk, when a text needs more.
 * A call allocates only the strings it returns.
 *
 * The character pass (./chars.ts) fills `cps` and `cats` and cuts them into raw tokens (runs of
 * non-spaces); tokenization (./words.ts, ./links.ts) cuts raw tokens into pieces; the emitters
 * (./emit.ts) write the normalized UTF-16 text into `out`.
 */

/** A piece of a raw token: a word. */
export const P_WORD = 0
/** A link; `pieceText` holds its registrable domain. */
export const P_LINK = 1
/** A masked @handle or e-mail address. */
export const P_MASK_AT = 2
/** A word of ASCII letters only (the common case, emitted without folding). */
export const P_WORD_ASCII = 3

export const scratch = {
  /** Code points after the character pass, one 0x20 between raw tokens and one after the last (a sentinel). */
  cps: new Int32Array(1024),
  /** The category (./letters.ts C_*) of each code point of `cps`. */
  cats: new Uint8Array(1024),
  /** The normalized text being written, as UTF-16 units. */
  out: new Uint16Array(2048),
  /** Raw tokens: [start, end) in `cps`, and whether it holds a . : or @ (may be a link or an e-mail). */
  tokenStart: new Int32Array(256),
  tokenEnd: new Int32Array(256),
  tokenLinkish: new Uint8Array(256),
  /** Pieces: [start, end) in `cps`, kind (P_*), and a link's domain. */
  pieceStart: new Int32Array(256),
  pieceEnd: new Int32Array(256),
  pieceKind: new Uint8Array(256),
  pieceText: [] as (string | null)[],
  /** UTF-16 units of a link probe (./links.ts) or of a number's digits. */
  units: new Uint16Array(256),
}

/** Room for a text of `n` UTF-16 units in `cps`, `cats` and `out`. */
export function reserveText(n: number): void {
  if (scratch.cps.length < n) {
    scratch.cps = new Int32Array(n * 2)
    scratch.cats = new Uint8Array(n * 2)
  }
  if (scratch.out.length < n * 2 + 16) scratch.out = new Uint16Array(n * 4 + 16)
}

/** Room for `n` units in `units` (what it holds is kept). */
export function reserveUnits(n: number): Uint16Array {
  if (scratch.units.length < n) {
    const units = new Uint16Array(n * 2)
    units.set(scratch.units)
    scratch.units = units
  }
  return scratch.units
}

function grown<A extends Int32Array | Uint8Array>(a: A, size: number): A {
  const b = new (a.constructor as new (n: number) => A)(size)
  b.set(a)
  return b
}

/** Doubles the raw-token arrays. */
export function growTokens(): void {
  const size = scratch.tokenStart.length * 2
  scratch.tokenStart = grown(scratch.tokenStart, size)
  scratch.tokenEnd = grown(scratch.tokenEnd, size)
  scratch.tokenLinkish = grown(scratch.tokenLinkish, size)
}

/** Appends the piece cps[start, end) of `kind` (`text`: a link's domain, else null); returns the new piece count. */
export function pushPiece(count: number, start: number, end: number, kind: number, text: string | null): number {
  if (count >= scratch.pieceStart.length) {
    const size = scratch.pieceStart.length * 2
    scratch.pieceStart = grown(scratch.pieceStart, size)
    scratch.pieceEnd = grown(scratch.pieceEnd, size)
    scratch.pieceKind = grown(scratch.pieceKind, size)
  }
  scratch.pieceStart[count] = start
  scratch.pieceEnd[count] = end
  scratch.pieceKind[count] = kind
  scratch.pieceText[count] = text
  return count + 1
}
