/**
 * The analysis stage: what the processor's state says about a message. Its text is normalized and
 * fingerprinted, the campaign index assigns it to a near-duplicate campaign, and the result becomes
 * the TextVerdict its fact row carries (fingerprint, campaign columns, obfuscation evidence, links).
 *
 * Campaign accounting: a group becomes a campaign when it reaches `campaigns.min_messages` members.
 * The message that tips it over carries the earlier members too (their count, chats, senders and
 * first time), so `campaigns` and `campaign_stats_1m` count every member exactly once; members are
 * counted `in_campaign` in message_stats_1m from the tipping message on (a minute already written
 * is never rewritten). Private chats are counted but never fingerprinted (privacy rules).
 */
import type { Config } from '../config/schema.js'
import type { DecodedEvent, MessageV1 } from '../domain/events.js'
import { NO_TEXT_VERDICT, wellFormed, type TextVerdict } from '../facts/build.js'
import { normalizeText, type NormalizedText } from '../normalize/index.js'
import { registrableDomain } from '../normalize/domains.js'
import { fingerprintText, signatureFromHex, signatureToHex } from '../fingerprint/index.js'
import { CampaignIndex, type RestoredEntry } from '../cluster/index.js'
import { maskPrivateData } from '../privacy/mask.js'
import { CampaignSpread, SenderBurst, SpamScorer, type Rules, type ScoreResult } from '../scoring/index.js'
import { ChatSimilarity, type ProtectedName, type SimilarityRow } from '../channels/index.js'
import type { FingerprintHistory } from '../domain/ports.js'
import type { MessageAnalyzer } from './processor.js'

export interface AnalysisObserver {
  verdict(verdict: 'ham' | 'spam' | 'campaign'): void
  obfuscation(kind: string, count: number): void
  campaignCreated(): void
  indexState(entries: number, campaigns: number, evictedSinceLast: number): void
  spamReason(reason: string, mode: 'counted' | 'shadow'): void
  similarityPairs(content: number, names: number): void
}

/** What the analysis needs besides the configuration: the validated rules and protected names. */
export interface AnalysisInputs {
  rules: Rules
  protectedNames: ProtectedName[]
  affixes: string[] | undefined
}

/** An early member of a group that is not yet a campaign. */
interface Member {
  chat: string
  sender: string
  country: string
  tsMs: number
  signature: string
}

/** Per campaign, until its sample is taken: the public chats it was seen in. */
interface SampleState {
  publicChats: Set<string>
}

const MAX_LINK_DOMAINS = 20
/** Campaigns waiting for their sample are tracked up to this many (oldest forgotten first). */
const MAX_SAMPLE_STATES = 200_000
/** Scores of recent message versions, for the edit-to-spam rule (oldest forgotten first). */
const MAX_REMEMBERED_SCORES = 500_000

export class MessageAnalysis implements MessageAnalyzer {
  private readonly index: CampaignIndex
  /** Groups below the campaign size, by campaign id, in arrival order (evicted with the index window). */
  private readonly pending = new Map<string, Member[]>()
  private readonly samples = new Map<string, SampleState>()
  private readonly sampled = new Set<string>()
  private readonly minMessages: number
  private readonly sampleMinChats: number
  private readonly windowMs: number
  private readonly maxEntries: number
  private lastEvictionMs = 0
  private latestTsMs = 0
  private readonly scorer: SpamScorer
  private readonly senderBurst = new SenderBurst()
  private readonly campaignSpread = new CampaignSpread()
  private readonly similarity: ChatSimilarity
  private readonly lastScores = new Map<string, number>()

  constructor(
    config: Config,
    inputs: AnalysisInputs,
    private readonly observer: AnalysisObserver,
  ) {
    const { campaigns, privacy, channels } = config.settings
    this.scorer = new SpamScorer(inputs.rules)
    this.similarity = new ChatSimilarity({
      windowMs: channels.window_hours * 3_600_000,
      maxChats: channels.max_chats,
      protectedNames: inputs.protectedNames,
      ...(inputs.affixes ? { affixes: inputs.affixes } : {}),
    })
    this.windowMs = campaigns.window_hours * 3_600_000
    this.maxEntries = campaigns.max_entries
    this.index = new CampaignIndex({ windowMs: this.windowMs, maxEntries: this.maxEntries })
    this.minMessages = campaigns.min_messages
    this.sampleMinChats = privacy.sample_min_chats
  }

  /** Rebuilds the index from stored fingerprints, so a restart does not split campaigns. */
  async restore(history: FingerprintHistory): Promise<number> {
    const rows = await history.loadRecentFingerprints(this.windowMs, this.maxEntries)
    rows.reverse()
    const entries: RestoredEntry[] = rows.map((r) => ({
      key: { chatId: r.chatId, messageId: r.messageId },
      campaignId: r.campaignId,
      exactHash: r.exactHash,
      signature: signatureFromHex(r.signature),
      tsMs: r.tsMs,
    }))
    this.index.restore(entries)
    for (const r of rows) {
      if (this.index.campaignSize(r.campaignId) >= this.minMessages) continue
      const members = this.pending.get(r.campaignId) ?? []
      members.push({ chat: r.chatId, sender: r.sender, country: '', tsMs: r.tsMs, signature: r.signature })
      this.pending.set(r.campaignId, members)
    }
    return rows.length
  }

  analyze(message: Extract<DecodedEvent, { kind: 'message' }>, sender: string): TextVerdict {
    const { event, tsMs } = message
    if (tsMs > this.latestTsMs) this.latestTsMs = tsMs
    this.evictPeriodically(tsMs)
    const key = { chatId: event.chat.id, messageId: event.message_id }
    if (event.type === 'deleted') {
      this.index.remove(key)
      this.observer.verdict('ham')
      return NO_TEXT_VERDICT
    }
    const linkDomains = linkDomainsOf(event)
    if (event.chat.type === 'private' || !event.text) {
      this.observer.verdict('ham')
      return linkDomains.length === 0 ? NO_TEXT_VERDICT : { ...NO_TEXT_VERDICT, link_domains: linkDomains }
    }
    const normalized = normalizeText(event.text)
    for (const [kind, count] of Object.entries(normalized.evidence)) if (count) this.observer.obfuscation(kind, count)
    const fp = fingerprintText(normalized)
    const signature = signatureToHex(fp.signature)
    const domains = mergeDomains(linkDomains, normalized)
    const base: TextVerdict = { ...NO_TEXT_VERDICT, fingerprinted: 1, exact_hash: fp.exactHash, signature, obfuscation: normalized.evidence as Record<string, number>, link_domains: domains }
    if (fp.empty) {
      this.observer.verdict('ham')
      return base
    }
    const previous = this.index.campaignOf(key)
    const { campaignId } = this.index.assign(key, fp, normalized.text, tsMs)
    const size = this.index.campaignSize(campaignId)
    const member: Member = { chat: wellFormed(event.chat.id), sender, country: countryOf(event), tsMs, signature }
    const verdict: TextVerdict = { ...base, campaign_id: campaignId }
    if (previous === campaignId) {
      // An edit that stays in its campaign adds no member.
    } else if (size < this.minMessages) {
      const members = this.pending.get(campaignId) ?? []
      members.push(member)
      this.pending.delete(campaignId)
      this.pending.set(campaignId, members)
    } else if (size === this.minMessages || this.pending.has(campaignId)) {
      const members = [...(this.pending.get(campaignId) ?? []), member]
      this.pending.delete(campaignId)
      verdict.campaign_messages = members.length
      verdict.campaign_chats = unique(members.map((m) => m.chat))
      verdict.campaign_senders = unique(members.map((m) => m.sender))
      verdict.campaign_countries = unique(members.map((m) => m.country).filter(Boolean))
      verdict.campaign_first_seen = Math.min(...members.map((m) => m.tsMs))
      verdict.campaign_signature = (members[0] as Member).signature
      this.observer.campaignCreated()
    } else {
      verdict.campaign_messages = 1
      verdict.campaign_chats = [member.chat]
      verdict.campaign_senders = [sender]
      verdict.campaign_countries = member.country ? [member.country] : []
      verdict.campaign_first_seen = tsMs
    }
    if (size >= this.minMessages) {
      verdict.in_campaign = 1
      verdict.campaign_sample = this.sampleIfAllowed(campaignId, event)
    }
    const campaignChats = this.campaignSpread.observe(campaignId, event.chat.id, tsMs)
    this.observeChat(event, tsMs, fp.exactHash, size >= this.minMessages ? campaignId : '', campaignChats)
    this.applyScore(verdict, this.score(message, sender, normalized, campaignId, size, campaignChats))
    this.observer.verdict(verdict.spam ? 'spam' : verdict.in_campaign ? 'campaign' : 'ham')
    return verdict
  }

  private observeChat(event: MessageV1, tsMs: number, exactHash: string, campaignId: string, campaignChats: number): void {
    this.similarity.observe({
      chatId: event.chat.id,
      chatType: event.chat.type,
      ...(event.chat.title !== undefined ? { title: event.chat.title } : {}),
      ...(event.chat.username !== undefined ? { username: event.chat.username } : {}),
      tsMs,
      exactHash,
      campaignId,
      campaignChats,
      ...(event.forward?.chat_id ? { forwardFromChat: event.forward.chat_id } : {}),
    })
  }

  private score(
    message: Extract<DecodedEvent, { kind: 'message' }>,
    sender: string,
    normalized: NormalizedText,
    campaignId: string,
    campaignSize: number,
    campaignChatsLastHour: number,
  ): ScoreResult {
    const { event, tsMs } = message
    const messageKey = `${event.chat.id}\u0000${event.message_id}`
    const forwardFrom = event.forward?.chat_id
    const result = this.scorer.score({
      event,
      tsMs,
      sender,
      senderCreatedMs: message.senderCreatedMs,
      normalized,
      campaignId,
      campaignSize,
      campaignChatsLastHour,
      senderMessagesLastMinute: this.senderBurst.observe(sender, tsMs),
      forwardFromClone: forwardFrom !== undefined && this.similarity.isClone(forwardFrom),
      previousScore: event.type === 'edited' ? (this.lastScores.get(messageKey) ?? null) : null,
    })
    this.lastScores.delete(messageKey)
    this.lastScores.set(messageKey, result.score)
    if (this.lastScores.size > MAX_REMEMBERED_SCORES) this.lastScores.delete(this.lastScores.keys().next().value as string)
    return result
  }

  private applyScore(verdict: TextVerdict, result: ScoreResult): void {
    verdict.spam_score = result.score
    verdict.spam = result.spam ? 1 : 0
    verdict.reasons = result.reasons
    verdict.shadow_reasons = result.shadowReasons
    for (const reason of result.reasons) this.observer.spamReason(reason, 'counted')
    for (const reason of result.shadowReasons) this.observer.spamReason(reason, 'shadow')
  }

  /**
   * Chat pairs (clones, look-alikes) whose state changed since the last call, latest state. The
   * window moves with event time (the newest message seen), so a replay of old data works too.
   */
  drainSimilarity(): SimilarityRow[] {
    const rows = this.similarity.drainChanged(this.latestTsMs)
    const stats = this.similarity.stats()
    this.observer.similarityPairs(stats.contentPairs, stats.namePairs)
    return rows
  }

  /** The privacy rule: a sample once the campaign was seen in `sample_min_chats` public chats, masked. */
  private sampleIfAllowed(campaignId: string, event: MessageV1): string | null {
    if (this.sampled.has(campaignId)) return null
    let state = this.samples.get(campaignId)
    if (!state) {
      state = { publicChats: new Set() }
      this.samples.set(campaignId, state)
      if (this.samples.size > MAX_SAMPLE_STATES) this.samples.delete(this.samples.keys().next().value as string)
    }
    state.publicChats.add(event.chat.id)
    if (state.publicChats.size < this.sampleMinChats) return null
    this.samples.delete(campaignId)
    this.sampled.add(campaignId)
    if (this.sampled.size > MAX_SAMPLE_STATES) this.sampled.delete(this.sampled.values().next().value as string)
    return wellFormed(maskPrivateData(event.text ?? '').slice(0, 4096))
  }

  /** Index eviction (by age and size) at most once per second of event time, pending groups with it. */
  private evictPeriodically(tsMs: number): void {
    if (tsMs - this.lastEvictionMs < 1000) return
    this.lastEvictionMs = tsMs
    const evicted = this.index.evict(tsMs)
    const horizon = tsMs - this.windowMs
    for (const [id, members] of this.pending) {
      if (this.pending.size <= this.maxEntries && (members.at(-1) as Member).tsMs >= horizon) break
      this.pending.delete(id)
    }
    const stats = this.index.stats()
    this.observer.indexState(stats.entries, stats.campaigns, evicted)
  }
}

const unique = (values: string[]) => [...new Set(values)]

function countryOf(event: MessageV1): string {
  return event.country !== undefined && /^[A-Za-z]{2}$/.test(event.country) ? event.country.toUpperCase() : ''
}

/** Registrable domains of the links in entities and buttons (spam often hides its link there). */
function linkDomainsOf(event: MessageV1): string[] {
  const domains: string[] = []
  const add = (url: string | undefined) => {
    if (!url) return
    const host = hostOf(url)
    if (host) domains.push(registrableDomain(host))
  }
  for (const e of event.entities ?? []) if (e.type === 'url' || e.type === 'text_link') add(e.value)
  for (const b of event.buttons ?? []) add(b.url)
  return unique(domains).slice(0, MAX_LINK_DOMAINS)
}

function hostOf(url: string): string | null {
  const match = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#:@\s]+)/i.exec(url.trim())
  return match ? (match[1] as string).toLowerCase() : null
}

function mergeDomains(fromEntities: string[], normalized: NormalizedText): string[] {
  return unique([...fromEntities, ...normalized.linkDomains]).slice(0, MAX_LINK_DOMAINS)
}

export function createAnalyzer(config: Config, inputs: AnalysisInputs, observer: AnalysisObserver): MessageAnalysis {
  return new MessageAnalysis(config, inputs, observer)
}
