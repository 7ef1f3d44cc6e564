/**
 * Emission: a due event becomes its record, with the redelivered duplicate, broken or oversized
 * record it may draw, and its facts go into the ground truth.
 */
import { keep } from './bytes.js'
import { makeMalformed, makeTooLarge, MALFORMED_REASONS, type TopicKind } from './malformed.js'
import { Item, K_DUP, K_MOD, K_MSG, K_REP, type MsgRef, type Obj } from './queue.js'
import type { Scheduler } from './scheduler.js'
import { RecordSerializer } from './serializer.js'
import { sentence } from './text.js'
import type { GeneratedRecord, GroundTruth } from './types.js'
import type { Chat } from './world.js'

export class Emitter {
  /** Records emitted and not yet yielded. */
  readonly out: GeneratedRecord[] = []
  private readonly serializer: RecordSerializer
  private validCount = 0
  private lastMessage: Buffer | null = null
  private readonly seenChats: Set<string> | null

  constructor(
    private readonly s: Scheduler,
    private readonly truth: GroundTruth | null,
  ) {
    this.serializer = new RecordSerializer(s.rng)
    this.seenChats = truth ? new Set() : null
  }

  private write(topicIdx: number, topicKind: TopicKind, key: string, value: Buffer, kind: GeneratedRecord['kind'], at: number): void {
    const rng = this.s.rng
    const o = this.s.o
    const rec: GeneratedRecord = { topic: o.topics[topicIdx] as string, key: rng.chance(o.nullKeyShare) ? null : key, value, kind }
    this.out.push(rec)
    this.validCount++
    if (topicKind === 'message') this.lastMessage = value
    if (o.duplicateShare > 0 && rng.chance(o.duplicateShare)) {
      const d = new Item(at + (rng.chance(0.7) ? rng.range(1, 2000) : rng.range(5000, 600_000)), this.s.seq++, K_DUP, 0, null, null)
      // a copy of its own: the redelivery must not pin the record slab while it waits
      d.dup = { ...rec, value: Buffer.from(value) }
      this.s.heap.push(d)
    }
    if (o.malformedShare > 0 && rng.chance(o.malformedShare)) {
      const reason = rng.pick(MALFORMED_REASONS)
      const broken = makeMalformed(rng, value.toString('utf8'), topicKind, this.s.nextEventId()[1], reason)
      this.out.push({ topic: rec.topic, key: rng.chance(0.5) ? key : null, value: broken, kind: 'malformed', malformedReason: reason })
    }
    if (o.oversized && this.validCount % o.oversized.every === 0 && this.lastMessage) {
      const filler = sentence(rng, (this.s.world.organic[rng.int(this.s.world.organic.length)] as Chat).lang)
      const big = makeTooLarge(rng, this.lastMessage.toString('utf8'), this.s.nextEventId()[1], o.oversized.bytes, filler)
      this.out.push({ topic: o.topics[0], key, value: big, kind: 'malformed', malformedReason: 'too_large' })
    }
  }

  emit(it: Item): void {
    switch (it.kind) {
      case K_MSG: {
        const ref = it.ref as MsgRef
        const chat = ref.chat
        if (it.type === 'created') ref.id = String(chat.nextMsgId++)
        this.write(0, 'message', chat.id, this.serializer.message(it, ref), 'message', it.at)
        const post = it.ring
        const ring = this.s.ring
        if (post && (ring.length < 256 || this.s.rng.chance(0.2))) {
          if (post.text && post.text.buf.length !== post.text.end - post.text.start) post.text = keep(post.text)
          if (ring.length < 256) ring.push(post)
          else ring[this.s.rng.int(256)] = post
        }
        const truth = this.truth
        if (truth) {
          const eventId = it.eventId
          ;(this.seenChats as Set<string>).add(chat.id)
          if (it.label) truth.campaignOf.set(eventId, it.label)
          if (chat.spam) truth.spamChats.add(chat.id)
          if (it.cloneSrc) truth.cloneOf.set(chat.id, it.cloneSrc.id)
          if (it.copyOf && truth.copyOf) truth.copyOf.set(eventId, it.copyOf)
          const la = chat.lookalikeOf
          if (la) truth.lookalikeOf.set(chat.id, typeof la === 'string' ? la : la.id)
        }
        return
      }
      case K_MOD:
      case K_REP: {
        const obj = it.obj as Obj
        const target = obj.target as Obj
        if (it.ref?.id) target.message_id = it.ref.id
        const value = this.serializer.event(obj, it.ts, it.kind === K_MOD ? 0.5 : 0.3)
        if (it.kind === K_MOD) this.write(1, 'moderation', target.chat_id as string, value, 'moderation', it.at)
        else this.write(2, 'report', target.chat_id as string, value, 'report', it.at)
        it.obj = null
        return
      }
      case K_DUP: {
        const d = it.dup as GeneratedRecord
        this.out.push({ topic: d.topic, key: d.key, value: d.value, kind: 'duplicate' })
        return
      }
    }
  }

  /** Emit everything due up to `until` (inclusive) into `out`. */
  drainUntil(until: number): void {
    const heap = this.s.heap
    for (let top = heap.peek(); top !== undefined && top.at <= until; top = heap.peek()) this.emit(heap.pop() as Item)
  }

  /** Look-alikes of chats that never posted point at their @username: the stream has no such chat id. */
  finishTruth(): void {
    const truth = this.truth
    if (!truth) return
    const byId = new Map(this.s.world.all.map((c) => [c.id, c]))
    for (const [chat, target] of truth.lookalikeOf) {
      if (/^-?\d+$/.test(target) && !(this.seenChats as Set<string>).has(target))
        truth.lookalikeOf.set(chat, byId.get(target)?.username ?? target)
    }
  }
}
