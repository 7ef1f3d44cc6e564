/**
 * Messages deleted within the window, with the campaign each left: an edit that arrives after the
 * delete of its message (Kafka orders a chat's events, but an edit can be produced after a delete
 * the client had not seen yet) must not bring the message back into a campaign, nor count it as a
 * member again. Bounded like the index: by age (the window) and by count (the oldest go first).
 * Not restored after a restart (deletes are not among the stored rows the index is rebuilt from).
 */
export class DeletedKeys {
  /** key hash → campaign left and the message's time; insertion order is the order of the deletes */
  private readonly byKey = new Map<string, { campaignId: string; tsMs: number }>()

  constructor(private readonly max: number) {}

  get size(): number {
    return this.byKey.size
  }

  add(hi: number, lo: number, campaignId: string, tsMs: number): void {
    const k = keyOf(hi, lo)
    this.byKey.delete(k)
    this.byKey.set(k, { campaignId, tsMs })
    while (this.byKey.size > this.max) this.byKey.delete(this.byKey.keys().next().value!)
  }

  /** The campaign a deleted message left, or undefined. */
  campaignOf(hi: number, lo: number): string | undefined {
    // most messages are new: no key string to build while nothing is deleted
    return this.byKey.size === 0 ? undefined : this.byKey.get(keyOf(hi, lo))?.campaignId
  }

  /** Forgets the deletes of messages older than `cutoff`, oldest deletes first, up to the first younger one. */
  expire(cutoff: number): void {
    for (const [k, v] of this.byKey) {
      if (v.tsMs >= cutoff) break
      this.byKey.delete(k)
    }
  }
}

const keyOf = (hi: number, lo: number): string => `${hi}:${lo}`
