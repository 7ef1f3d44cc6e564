/** Message senders: organic users (their JSON cached) and the spam accounts campaigns create. */
import type { Spammer } from './campaign.js'
import type { Rng } from './prng.js'
import { MIN } from './time.js'
import { spammerId, userAttrs, userId, type Sender } from './world.js'

export class Senders {
  private spammers = 0
  /** Direct-mapped cache of organic senders (group regulars post again and again). */
  private readonly senderCache: (Sender | undefined)[] = new Array<Sender | undefined>(1 << 16)
  private readonly senderCacheIdx = new Int32Array(1 << 16).fill(-1)

  constructor(
    private readonly rng: Rng,
    private readonly salt: number,
    private readonly startMs: number,
  ) {}

  userSender(idx: number): Sender {
    const slot = idx & 0xffff
    if (this.senderCacheIdx[slot] === idx) return this.senderCache[slot] as Sender
    const sender = this.makeUserSender(idx)
    this.senderCacheIdx[slot] = idx
    this.senderCache[slot] = sender
    return sender
  }

  private makeUserSender(idx: number): Sender {
    const a = userAttrs(this.salt, idx, this.startMs)
    const id = userId(this.salt, idx)
    let json = '{"id":"' + id + '"'
    if (a.premium) json += ',"premium":true'
    else if ((idx & 7) === 0) json += ',"premium":false'
    if (a.createdTs !== null) json += ',"created_ts":' + (a.isoCreated ? '"' + new Date(a.createdTs).toISOString() + '"' : a.createdTs)
    return { id, json: json + '}', bot: false }
  }

  /** A new spam account, young (days old); a callback of `CampaignRegistry.create`. */
  readonly allocSpammer = (now: number, premium: boolean, bot: boolean): Spammer => ({
    id: spammerId(this.salt, this.spammers++),
    createdTs: Math.floor(now - Math.max(10 * MIN, this.rng.logNormal(3 * 86_400_000, 1.3))),
    premium,
    bot,
  })
}

export function spammerSender(sp: Spammer): Sender {
  let json = '{"id":"' + sp.id + '"'
  if (sp.bot) json += ',"bot":true'
  if (sp.premium) json += ',"premium":true'
  json += ',"created_ts":' + ((sp.createdTs & 3) === 0 ? '"' + new Date(sp.createdTs).toISOString() + '"' : sp.createdTs)
  return { id: sp.id, json: json + '}', bot: sp.bot }
}
