/**
 * Append-only byte slabs. Texts and records are written as UTF-8 bytes straight into large shared
 * buffers and handed out as views: no intermediate strings, no per-record encode, little garbage.
 * A slab is never overwritten; it is freed by the GC once no view of it is referenced.
 */

const ENCODER = new TextEncoder()

/** UTF-8 bytes of a constant, precomputed once. */
export function utf8(s: string): Uint8Array {
  return ENCODER.encode(s)
}

/** A range of bytes in a slab: an organic text, already JSON-escaped. */
export interface TextRef {
  buf: Buffer
  start: number
  end: number
  /** Length in UTF-16 code units (what `text.length` would be). */
  chars: number
}

export class ByteSink {
  buf: Buffer
  pos = 0
  private start = 0

  constructor(private readonly slabSize: number) {
    this.buf = Buffer.allocUnsafe(slabSize)
  }

  /** Start a contiguous run of at most `reserve` bytes. */
  begin(reserve: number): void {
    if (this.pos + reserve > this.buf.length) {
      this.buf = Buffer.allocUnsafe(Math.max(this.slabSize, reserve))
      this.pos = 0
    }
    this.start = this.pos
  }

  /** Precomputed bytes. */
  b(src: Uint8Array): void {
    const n = src.length
    const buf = this.buf
    let p = this.pos
    if (n > 48) {
      buf.set(src, p)
      this.pos = p + n
      return
    }
    for (let i = 0; i < n; i++) buf[p++] = src[i] as number
    this.pos = p
  }

  /** A range of another slab (a text written earlier). */
  ref(t: TextRef): void {
    this.pos += t.buf.copy(this.buf, this.pos, t.start, t.end)
  }

  /** An ASCII string (ids, numbers, URLs, JSON punctuation). */
  a(s: string): void {
    const buf = this.buf
    let p = this.pos
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i)
    this.pos = p
  }

  /** Any string, UTF-8 encoded (the reserve must allow 3 bytes per UTF-16 unit). */
  u(s: string): void {
    this.pos += this.buf.write(s, this.pos)
  }

  /** A non-negative integer (up to 2^53) in decimal. */
  n(x: number): void {
    const buf = this.buf
    let digits = 1
    for (let t = x; t >= 10; t = Math.floor(t / 10)) digits++
    let p = this.pos + digits
    this.pos = p
    while (x >= 10) {
      const q = Math.floor(x / 10)
      buf[--p] = 48 + (x - q * 10)
      x = q
    }
    buf[p - 1] = 48 + x
  }

  /** The bytes written since `begin`, as a record value. */
  end(): Buffer {
    const out = this.buf.subarray(this.start, this.pos)
    this.pos = (this.pos + 7) & ~7
    return out
  }

  /** The bytes written since `begin`, as a text range. */
  endText(chars: number): TextRef {
    const t: TextRef = { buf: this.buf, start: this.start, end: this.pos, chars }
    return t
  }

  /** Bytes written since `begin`. */
  get written(): number {
    return this.pos - this.start
  }
}

/**
 * A copy of a text in a buffer of its own, for texts kept beyond the current step (clone reposts,
 * edits, forwards): a kept view would pin a whole slab for as long as the event is pending.
 */
export function keep(t: TextRef): TextRef {
  const buf = Buffer.allocUnsafe(t.end - t.start)
  t.buf.copy(buf, 0, t.start, t.end)
  return { buf, start: 0, end: buf.length, chars: t.chars }
}

/** Index of the last occurrence of `needle` in `t` at or after `from`, or -1. */
export function lastIndexIn(t: TextRef, needle: Uint8Array, from = t.start): number {
  const buf = t.buf
  outer: for (let i = t.end - needle.length; i >= from; i--) {
    for (let j = 0; j < needle.length; j++) if (buf[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}
