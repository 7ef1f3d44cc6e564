/** The event queue: scheduled events keyed by emission time, in a min-heap. */
import type { MessageV1 } from '../domain/events.js'
import type { TextRef } from './bytes.js'
import type { Entity } from './text.js'
import type { GeneratedRecord } from './types.js'
import type { Chat, Sender } from './world.js'

/** What a scheduled event becomes at emission (`Item.kind`). */
export const K_MSG = 0
export const K_MOD = 1
export const K_REP = 2
export const K_DUP = 3

/** A message as its edits, deletes, replies, forwards and moderation refer to it. */
export interface MsgRef {
  chat: Chat
  /** Assigned when the created event is emitted. */
  id: string | null
  eventId: string
}

/** A recent channel post as a group member forwards it. */
export interface RingPost {
  chat: Chat
  ref: MsgRef
  text: TextRef | null
  entities: Entity[] | undefined
  media: MessageV1['media']
}

export type Obj = Record<string, unknown>

export type Media = MessageV1['media']
export type Buttons = MessageV1['buttons']

/** A scheduled event. Messages keep their fields here and are serialized by hand at emission. */
export class Item {
  constructor(
    public at: number,
    public seq: number,
    public kind: number,
    public ts: number,
    public obj: Obj | null,
    public ref: MsgRef | null,
    public label: string | null = null,
  ) {}
  // message fields
  eventId = ''
  type: MessageV1['type'] = 'created'
  sender: Sender | null = null
  /** Organic text: bytes already JSON-escaped. */
  tref: TextRef | null = null
  /** Spam text: a raw string (obfuscation works on strings), escaped at serialization. */
  text: string | undefined = undefined
  entities: Entity[] | undefined = undefined
  buttons: Buttons = undefined
  media: Media = undefined
  lang: string | undefined = undefined
  country: string | undefined = undefined
  // relations
  cloneSrc: Chat | null = null
  copyOf: string | null = null
  replyBack = 0
  fwd: MsgRef | null = null
  fwdStatic: { chat_id: string; message_id: string } | null = null
  ring: RingPost | null = null
  dup: GeneratedRecord | null = null
}

export class Heap {
  private a: Item[] = []
  get size(): number {
    return this.a.length
  }
  peek(): Item | undefined {
    return this.a[0]
  }
  private less(x: Item, y: Item): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq)
  }
  push(it: Item): void {
    const a = this.a
    let i = a.length
    a.push(it)
    while (i > 0) {
      const p = (i - 1) >> 1
      const pi = a[p] as Item
      if (!this.less(it, pi)) break
      a[i] = pi
      i = p
    }
    a[i] = it
  }
  pop(): Item | undefined {
    const a = this.a
    const top = a[0]
    const last = a.pop()
    if (a.length === 0 || last === undefined) return top
    let i = 0
    const n = a.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let c = l
      if (r < n && this.less(a[r] as Item, a[l] as Item)) c = r
      if (!this.less(a[c] as Item, last)) break
      a[i] = a[c] as Item
      i = c
    }
    a[i] = last
    return top
  }
}
