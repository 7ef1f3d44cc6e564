/**
 * Records as bytes: messages written field by field into 256 KiB record slabs, moderation and report
 * events as JSON; timestamps as epoch ms or RFC 3339 (`Z` or another offset), as producers send them.
 */
import { ByteSink, utf8 } from './bytes.js'
import type { Rng } from './prng.js'
import type { Item, MsgRef, Obj } from './queue.js'
import type { Entity } from './text.js'
import { MIN } from './time.js'
import type { Sender } from './world.js'

const TS_OFFSETS = [180, -300, 330, 60, 120, 210, -180, 480, 0]

function isoWithOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * MIN).toISOString().slice(0, 23)
  if (offsetMin === 0) return local + '+00:00'
  const a = Math.abs(offsetMin)
  return `${local}${offsetMin < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`
}

const ESCAPE_RE = /["\\\u0000-\u001f]/

/** A JSON string literal: plain concatenation unless something needs escaping. */
function quote(s: string): string {
  return ESCAPE_RE.test(s) ? JSON.stringify(s) : '"' + s + '"'
}

function entitiesJson(es: Entity[]): string {
  let s = '['
  for (let i = 0; i < es.length; i++) {
    const e = es[i] as Entity
    s += (i ? ',{"type":"' : '{"type":"') + e.type + (e.value === undefined ? '"}' : '","value":' + quote(e.value) + '}')
  }
  return s + ']'
}

const B = utf8
const P_HEAD = B('{"schema":"message.v1","event_id":"')
const P_CREATED = B('","type":"created","ts":')
const P_EDITED = B('","type":"edited","ts":')
const P_DELETED = B('","type":"deleted","ts":')
const P_SENDER = B('","sender":')
const P_TEXT = B(',"text":"')
const P_ENT = B(',"entities":')
const P_BUT = B(',"buttons":')
const P_MEDIA = B(',"media":')
const P_FWD = B(',"forward":{"chat_id":"')
const P_FWD_MID = B('","message_id":"')
const P_FWD_END = B('"}')
const P_REPLY = B(',"reply_to":"')
const P_LANG = B(',"lang":"')
const P_COUNTRY = B(',"country":"')
const QUOTE = 34
const CLOSE = 125

export class RecordSerializer {
  /** Record values. */
  private readonly sink = new ByteSink(256 * 1024)
  private isoSecond = Number.NaN
  private isoPrefix = ''

  constructor(private readonly rng: Rng) {}

  /** `new Date(ms).toISOString()`, with the second's prefix cached (events are nearly in order). */
  private iso(ms: number): string {
    const sec = Math.floor(ms / 1000)
    if (sec !== this.isoSecond) {
      this.isoSecond = sec
      this.isoPrefix = new Date(sec * 1000).toISOString().slice(0, 20)
    }
    const r = ms - sec * 1000
    return this.isoPrefix + (r < 10 ? '00' : r < 100 ? '0' : '') + r + 'Z'
  }

  /** `ts` as epoch ms with probability `pNumber`, else RFC 3339, mostly in UTC, sometimes with an offset. */
  private fmtTs(ms: number, pNumber: number): number | string {
    const r = this.rng.float()
    if (r < pNumber) return ms
    if (r < pNumber + (1 - pNumber) * 0.85) return this.iso(ms)
    return isoWithOffset(ms, TS_OFFSETS[this.rng.int(TS_OFFSETS.length)] as number)
  }

  /** The message's JSON, written as bytes into the record slab. */
  message(it: Item, ref: MsgRef): Buffer {
    const ts = this.fmtTs(it.ts, 0.8)
    const chat = ref.chat
    const sink = this.sink
    const textLit = it.text !== undefined ? quote(it.text) : null
    const ents = it.entities ? entitiesJson(it.entities) : null
    const buttons = it.buttons ? JSON.stringify(it.buttons) : null
    const media = it.media ? JSON.stringify(it.media) : null
    const sender = it.sender as Sender
    sink.begin(
      1024 +
        chat.json.length +
        sender.json.length +
        (it.tref ? it.tref.end - it.tref.start : 0) +
        3 * ((textLit?.length ?? 0) + (ents?.length ?? 0) + (buttons?.length ?? 0) + (media?.length ?? 0)),
    )
    sink.b(P_HEAD)
    sink.a(it.eventId)
    sink.b(it.type === 'created' ? P_CREATED : it.type === 'edited' ? P_EDITED : P_DELETED)
    if (typeof ts === 'number') sink.n(ts)
    else {
      sink.buf[sink.pos++] = QUOTE
      sink.a(ts)
      sink.buf[sink.pos++] = QUOTE
    }
    sink.b(chat.json)
    sink.a(ref.id as string)
    sink.b(P_SENDER)
    sink.a(sender.json)
    if (it.tref) {
      sink.b(P_TEXT)
      sink.ref(it.tref)
      sink.buf[sink.pos++] = QUOTE
    } else if (textLit !== null) {
      sink.b(P_TEXT)
      sink.pos--
      sink.u(textLit)
    }
    if (ents !== null) {
      sink.b(P_ENT)
      sink.u(ents)
    }
    if (buttons !== null) {
      sink.b(P_BUT)
      sink.u(buttons)
    }
    if (media !== null) {
      sink.b(P_MEDIA)
      sink.a(media)
    }
    if (it.fwd || it.fwdStatic) {
      sink.b(P_FWD)
      sink.a(it.fwd ? it.fwd.chat.id : (it.fwdStatic as { chat_id: string }).chat_id)
      sink.b(P_FWD_MID)
      sink.a(it.fwd ? (it.fwd.id as string) : (it.fwdStatic as { message_id: string }).message_id)
      sink.b(P_FWD_END)
    }
    if (it.replyBack) {
      sink.b(P_REPLY)
      sink.n(Math.max(1, Number(ref.id) - it.replyBack))
      sink.buf[sink.pos++] = QUOTE
    }
    if (it.lang !== undefined) {
      sink.b(P_LANG)
      sink.a(it.lang)
      sink.buf[sink.pos++] = QUOTE
    }
    if (it.country !== undefined) {
      sink.b(P_COUNTRY)
      sink.a(it.country)
      sink.buf[sink.pos++] = QUOTE
    }
    sink.buf[sink.pos++] = CLOSE
    return sink.end()
  }

  /** A moderation or report event, its `ts` (event time `ms`) formatted on the way. */
  event(obj: Obj, ms: number, pNumber: number): Buffer {
    obj.ts = this.fmtTs(ms, pNumber)
    const json = JSON.stringify(obj)
    this.sink.begin(json.length * 3)
    this.sink.u(json)
    return this.sink.end()
  }
}
