/**
 * What every scenario shares: the seeded PRNG, the world, the event queue, the event id sequence and
 * the message budget, with the primitives that schedule a message.
 */
import type { MessageV1 } from '../domain/events.js'
import { ByteSink, type TextRef } from './bytes.js'
import type { Normalized } from './options.js'
import { Rng } from './prng.js'
import { Heap, Item, K_MSG, type MsgRef, type RingPost } from './queue.js'
import type { Entity } from './text.js'
import { buildWorld, type Chat, type Sender, type World } from './world.js'

export class Scheduler {
  readonly rng: Rng
  readonly world: World
  readonly heap = new Heap()
  /** Recent channel posts (and clone reposts), kept at emission for groups to forward. */
  readonly ring: RingPost[] = []
  /** Organic texts. */
  readonly tsink = new ByteSink(64 * 1024)
  readonly seedTag: string
  seq = 0
  /** Messages scheduled so far, of the `messages` the stream must hold exactly. */
  reserved = 0
  /** Event time of the current step, and the step's own message: due now, it bypasses the heap. */
  private stepT = Number.NaN
  immediate: Item | null = null

  constructor(readonly o: Normalized) {
    this.rng = new Rng(o.seed)
    this.seedTag = String(o.seed)
    this.world = buildWorld(this.rng, o.messages)
  }

  beginStep(t: number): void {
    this.stepT = t
  }

  get done(): boolean {
    return this.reserved >= this.o.messages
  }

  /** Messages still to schedule. */
  get remaining(): number {
    return this.o.messages - this.reserved
  }

  /** The next sequence number (it also orders events due at the same time) and the event id made of it. */
  nextEventId(): [number, string] {
    const s = this.seq++
    return [s, `${this.seedTag}-${s}`]
  }

  /** Take `n` messages from the budget, or nothing (false) when fewer are left. */
  reserve(n: number): boolean {
    if (this.reserved + n > this.o.messages) return false
    this.reserved += n
    return true
  }

  /** How late a moderation or report event reaches its topic (up to 2 s). */
  jitter(): number {
    return this.rng.int(2000)
  }

  /** Schedule a message event; `body` is an organic text (bytes), a spam text (string) or none. */
  private message(
    ts: number,
    type: MessageV1['type'],
    ref: MsgRef | null,
    chat: Chat,
    sender: Sender,
    body: TextRef | string | null,
    entities: Entity[] | undefined,
    label: string | null,
  ): Item {
    const rng = this.rng
    const [seq, eventId] = this.nextEventId()
    const r = ref ?? { chat, id: null, eventId }
    const it = new Item(ts, seq, K_MSG, ts, null, r, label)
    it.eventId = eventId
    it.type = type
    it.sender = sender
    let chars = 0
    if (typeof body === 'string') {
      it.text = body
      chars = body.length
    } else if (body !== null) {
      it.tref = body
      chars = body.chars
    }
    it.entities = entities
    if (body !== null && rng.chance(chars < 15 ? 0.3 : 0.85)) it.lang = chat.lang.code
    if (rng.chance(0.8)) it.country = chat.country
    // the first message of a step at the step's time is due before anything pending
    if (ts === this.stepT && this.immediate === null && ref === null) this.immediate = it
    else this.heap.push(it)
    return it
  }

  created(
    ts: number,
    chat: Chat,
    sender: Sender,
    body: TextRef | string | null,
    entities: Entity[] | undefined,
    label: string | null = null,
  ): Item {
    return this.message(ts, 'created', null, chat, sender, body, entities, label)
  }

  /** Schedule an edit or delete of `ref` (budget must be reserved by the caller). */
  followUp(
    ts: number,
    ref: MsgRef,
    type: 'edited' | 'deleted',
    sender: Sender,
    body: TextRef | string | null,
    entities: Entity[] | undefined,
    label: string | null = null,
  ): Item {
    return this.message(ts, type, ref, ref.chat, sender, body, entities, label)
  }
}
