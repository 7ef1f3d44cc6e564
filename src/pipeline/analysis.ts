/**
 * The analysis stage: what the processor's state says about a message. Its text is normalized and
 * fingerprinted, the campaign index assigns it to a near-duplicate campaign, and the result becomes
 * the TextVerdict its fact row carries (fingerprint, campaign columns, obfuscation evidence, links).
 *
 * Campaign accounting: every message that joins a group (a new message, or an edit that moves it to
 * another group) counts once in `campaigns` and `campaign_stats_1m` under the group's id, from the
 * first member on; a group is a campaign once it has `campaigns.min_messages` members, which the
 * reading view applies (campaigns_latest). Counting every member where it is processed is what
 * makes the counts independent of which instance saw which copy (docs/scale-out.md): a rule like
 * "the message that completes the campaign carries the earlier ones" needs one place that sees them
 * all. Members are counted `in_campaign` in message_stats_1m from the moment their group is a
 * campaign (a minute already written is never rewritten). Private chats are counted but never
 * fingerprinted (privacy rules).
 *
 * Several instances: with `shareEntries`, every assignment and deletion is also queued for the
 * other instances (`drainShared`), and theirs come in through `applyShared`, so the campaign index,
 * the campaign spread, sender rates and chat similarity see the whole stream on every instance.
 */
import type { Config } from '../config/schema.js'
import type { DecodedEvent, MessageV1 } from '../domain/events.js'
import type { SharedEntry } from '../domain/exchange.js'
import { makeRoomFor } from '../domain/bounded.js'
import { NO_TEXT_VERDICT, wellFormed, type TextVerdict } from '../facts/build.js'
import { normalizeText, type NormalizedText } from '../normalize/index.js'
import type { PreparedText } from '../fingerprint/packed.js'
import { registrableDomain } from '../normalize/domains.js'
import { fingerprintText, signatureFromHex, signatureToHex, skeletonOf } from '../fingerprint/index.js'
import { headKeyOf, tailKeyOf } from '../fingerprint/text-key.js'
import { CampaignIndex, type CampaignMerge, type RestoredEntry } from '../campaigns/index.js'
import { maskPrivateData } from '../privacy/mask.js'
import { LastScores } from './last-scores.js'
import { PublicChatsSeen } from './sample-chats.js'
import { CampaignSpread, SenderBurst, SpamScorer, type Rules, type ScoreResult } from '../scoring/index.js'
import { ChatSimilarity, type ProtectedName, type SimilarityRow } from '../channels/index.js'
import { restoreChatSimilarity, type ChatPostHistory } from '../channels/restore.js'
import type { FingerprintHistory, ReplayStart } from '../domain/ports.js'
import type { MessageAnalyzer } from './record-facts.js'
import type { AnalysisObserver } from '../domain/observers.js'

const NO_TEXT_KEYS = Object.freeze({ head: '', tail: '' })

/** What the analysis needs besides the configuration: the validated rules and protected names. */
export interface AnalysisInputs {
  rules: Rules
  protectedNames: ProtectedName[]
  affixes: string[] | undefined
}

const MAX_LINK_DOMAINS = 20
/** Campaigns waiting for their sample are tracked up to this many (oldest forgotten first). */
const MAX_SAMPLE_STATES = 200_000
/** Scores of recent message versions, for the edit-to-spam rule (oldest forgotten first). */
const MAX_REMEMBERED_SCORES = 500_000
/**
 * A campaign's members on this instance that the campaign merge compares with other instances'
 * campaigns (`merge_representative`), counting its founder: their variety is how the campaign
 * reached this instance. Founders alone agreed with one instance at pairwise F1 0.927, the founder
 * and three more members at 0.967, ten at 0.971, every member at 0.972 (a simulation of the merge
 * over 53,160 messages of the bench:scale stream split by chat in three; docs/scale-out.md).
 */
const MERGE_REPRESENTATIVES = 4

/** The stages analyze() is made of, in the order the benchmark reports them. */
export type AnalysisStage = 'normalize' | 'fingerprint' | 'index' | 'similarity' | 'scoring'

export interface AnalysisOptions {
  /** Publish assigned and deleted entries for the other instances (drainShared). */
  shareEntries: boolean
  /**
   * Called as each stage of analyze() ends (the time since the previous call belongs to it): the
   * benchmark's per-stage table times the real analysis instead of a copy of it. Production passes none.
   */
  stageEnded?: (stage: AnalysisStage) => void
}

const NO_STAGE_CLOCK = () => {}

/**
 * Chat pairs are judged (clone or not, rows to write) every this many messages observed, or once
 * channels.write_interval_ms of event time passed, whichever comes first: on the stream's own
 * clock, so that forward_from_clone reads the same clone state whenever the same records are
 * replayed (a backtest reproduces production); a wall-clock drain made it depend on timing.
 */
const SIMILARITY_SETTLE_MESSAGES = 1000

export class MessageAnalysis implements MessageAnalyzer {
  private readonly index: CampaignIndex
  private readonly samples = new PublicChatsSeen(MAX_SAMPLE_STATES)
  private readonly sampled = new Set<string>()
  private readonly minMessages: number
  private readonly sampleMinChats: number
  private readonly windowMs: number
  private readonly maxEntries: number
  private readonly shareEntries: boolean
  private shared: SharedEntry[] = []
  private lastEvictionMs = 0
  private latestTsMs = 0
  private readonly scorer: SpamScorer
  private readonly senderBurst = new SenderBurst()
  private readonly campaignSpread = new CampaignSpread()
  private readonly similarity: ChatSimilarity
  private readonly similarityWindowMs: number
  private readonly similaritySettleMs: number
  /** Rows of pairs judged since the last drainSimilarity(). */
  private similarityRows: SimilarityRow[] = []
  private observedSinceSettle = 0
  private settledAtTsMs = Number.NEGATIVE_INFINITY
  private readonly lastScores = new LastScores(MAX_REMEMBERED_SCORES)
  /** Per message key, the latest version another instance shared and whether it counted as a member there. */
  private readonly sharedMembership = new Map<string, { eventId: string; member: boolean }>()
  private readonly stageEnded: (stage: AnalysisStage) => void

  constructor(
    config: Config,
    inputs: AnalysisInputs,
    private readonly observer: AnalysisObserver,
    options: AnalysisOptions = { shareEntries: false },
  ) {
    this.shareEntries = options.shareEntries
    this.stageEnded = options.stageEnded ?? NO_STAGE_CLOCK
    const { campaigns, privacy, channels } = config.settings
    this.scorer = new SpamScorer(inputs.rules)
    this.similarityWindowMs = channels.window_hours * 3_600_000
    this.similaritySettleMs = channels.write_interval_ms
    this.similarity = new ChatSimilarity({
      windowMs: this.similarityWindowMs,
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

  /**
   * Rebuilds the index, then chat similarity's content evidence, from the stored posts of their
   * windows, so a restart neither splits campaigns nor loses clone pairs whose reposts straddle it
   * (channels/restore.ts). The rows of the batches a replay writes again (`replayed`) are left out:
   * the replay meets those messages in the state they first met, so the rows it writes again are the
   * ones the first attempt wrote, whichever views of its insert the first attempt reached.
   */
  async restore(
    history: FingerprintHistory & ChatPostHistory,
    replayed: readonly ReplayStart[],
  ): Promise<{ fingerprints: number; posts: number }> {
    const rows = await history.loadRecentFingerprints(this.windowMs, this.maxEntries, replayed)
    rows.reverse()
    const entries: RestoredEntry[] = rows.map((r) => ({
      key: { chatId: r.chatId, messageId: r.messageId },
      campaignId: r.campaignId,
      exactHash: r.exactHash,
      signature: signatureFromHex(r.signature),
      tsMs: r.tsMs,
    }))
    this.index.restore(entries)
    const posts = await history.loadRecentChatPosts(this.similarityWindowMs, this.maxEntries, replayed)
    for (const post of posts) if (post.tsMs > this.latestTsMs) this.latestTsMs = post.tsMs
    const restoredPosts = restoreChatSimilarity(this.similarity, posts, {
      minMessages: this.minMessages,
      campaignChats: (campaignId, chatId, tsMs) => this.campaignSpread.observe(campaignId, chatId, tsMs),
    })
    this.settleSimilarity()
    return { fingerprints: rows.length, posts: restoredPosts }
  }

  analyze(message: Extract<DecodedEvent, { kind: 'message' }>, sender: string, prepared?: PreparedText): TextVerdict {
    const { event, tsMs } = message
    if (tsMs > this.latestTsMs) this.latestTsMs = tsMs
    this.evictPeriodically(tsMs)
    const key = { chatId: event.chat.id, messageId: event.message_id }
    if (event.type === 'deleted') {
      this.index.remove(key)
      // Private chats never enter the index, and their ids must not leave the process raw.
      if (this.shareEntries && event.chat.type !== 'private')
        this.shared.push({ kind: 'delete', chat_id: key.chatId, message_id: key.messageId, ts: tsMs })
      this.observer.verdict('ham')
      this.stageEnded('index')
      return NO_TEXT_VERDICT
    }
    this.stageEnded('index')
    const linkDomains = linkDomainsOf(event)
    if (event.chat.type === 'private' || !event.text) {
      this.observer.verdict('ham')
      return linkDomains.length === 0 ? NO_TEXT_VERDICT : { ...NO_TEXT_VERDICT, link_domains: linkDomains }
    }
    const normalized = prepared?.normalized ?? normalizeText(event.text)
    for (const [kind, count] of Object.entries(normalized.evidence)) if (count) this.observer.obfuscation(kind, count)
    this.stageEnded('normalize')
    const fp = prepared?.fingerprint ?? fingerprintText(normalized)
    const signature = signatureToHex(fp.signature)
    const domains = mergeDomains(linkDomains, normalized)
    const textKeys = this.textKeysOf(event.chat.type, fp.skeleton ?? skeletonOf(normalized.text))
    const base: TextVerdict = {
      ...NO_TEXT_VERDICT,
      fingerprinted: 1,
      exact_hash: fp.exactHash,
      signature,
      head_key: textKeys.head,
      tail_key: textKeys.tail,
      obfuscation: normalized.evidence,
      link_domains: domains,
    }
    this.stageEnded('fingerprint')
    if (fp.empty) {
      this.observer.verdict('ham')
      return base
    }
    const previous = this.index.campaignOf(key)
    const assignment = this.index.assign(key, fp, normalized.text, tsMs)
    const { campaignId } = assignment
    const size = this.index.campaignSize(campaignId)
    const verdict: TextVerdict = { ...base, campaign_id: campaignId }
    // A new message is always a member; an edit that stays in its campaign adds no member. When
    // another instance already assigned this very event (it processed the batch before a rebalance
    // and may not have written it), its decision stands: the index holds that instance's entry, and
    // comparing with it would compare the edit with itself.
    const sharedVersion = this.sharedMembership.get(messageKeyOf(key))
    const member =
      event.type === 'created' ||
      (sharedVersion !== undefined && sharedVersion.eventId === event.event_id ? sharedVersion.member : previous !== campaignId)
    if (assignment.created || (member && size <= MERGE_REPRESENTATIVES && assignment.similarity < 1)) verdict.merge_representative = 1
    if (member) {
      const country = countryOf(event)
      verdict.campaign_messages = 1
      verdict.campaign_chats = [wellFormed(event.chat.id)]
      verdict.campaign_senders = [sender]
      verdict.campaign_countries = country ? [country] : []
      verdict.campaign_first_seen = tsMs
      // One signature per campaign, written by the member that makes it one (campaigns keeps
      // any(signature), migration 18): most rows of `campaigns` are single messages, and with 520 hex
      // characters on each member the column was 263 of 334 MB of the table at 560,000 rows, all of
      // it read and written again by every background merge.
      if (size === this.minMessages) {
        verdict.campaign_signature = signature
        this.observer.campaignCreated()
      }
    }
    if (this.shareEntries) {
      this.shared.push({
        kind: 'assign',
        event_id: event.event_id,
        chat_id: key.chatId,
        message_id: key.messageId,
        ts: tsMs,
        chat_type: event.chat.type,
        ...(event.chat.title !== undefined ? { title: event.chat.title.slice(0, 1024) } : {}),
        ...(event.chat.username !== undefined ? { username: event.chat.username.slice(0, 256) } : {}),
        ...(event.forward?.chat_id ? { forward_chat_id: event.forward.chat_id } : {}),
        sender,
        exact_hash: fp.exactHash,
        signature,
        skeleton: (fp.skeleton ?? skeletonOf(normalized.text)).slice(0, 65536),
        campaign_id: campaignId,
        member,
      })
    }
    if (size >= this.minMessages) {
      verdict.in_campaign = 1
      verdict.campaign_sample = this.sampleIfAllowed(campaignId, event)
    }
    this.stageEnded('index')
    const campaignChats = this.campaignSpread.observe(campaignId, event.chat.id, tsMs)
    this.stageEnded('scoring')
    this.similarity.observe({
      chatId: event.chat.id,
      chatType: event.chat.type,
      ...(event.chat.title !== undefined ? { title: event.chat.title } : {}),
      ...(event.chat.username !== undefined ? { username: event.chat.username } : {}),
      tsMs,
      exactHash: fp.exactHash,
      campaignId: size >= this.minMessages ? campaignId : '',
      headKey: textKeys.head,
      tailKey: textKeys.tail,
      campaignChats,
      ...(event.forward?.chat_id ? { forwardFromChat: event.forward.chat_id } : {}),
    })
    this.settleSimilarityOnSchedule()
    this.stageEnded('similarity')
    this.applyScore(verdict, this.score(message, sender, normalized, campaignId, size, campaignChats))
    this.observer.verdict(verdict.spam ? 'spam' : verdict.in_campaign ? 'campaign' : 'ham')
    this.stageEnded('scoring')
    return verdict
  }

  /** Entries assigned or deleted since the last call, for the other instances (empty unless `shareEntries`). */
  drainShared(): SharedEntry[] {
    const entries = this.shared
    this.shared = []
    return entries
  }

  /**
   * Another instance's assignment or deletion: into the campaign index (where it may merge two
   * campaigns, see CampaignIndex.addShared) and the cross-message state the scores and chat
   * similarity use, as if this instance had processed the message itself (without writing anything).
   */
  applyShared(entry: SharedEntry): void {
    if (entry.ts > this.latestTsMs) this.latestTsMs = entry.ts
    this.evictPeriodically(entry.ts)
    const key = { chatId: entry.chat_id, messageId: entry.message_id }
    if (entry.kind === 'delete') {
      this.index.remove(key)
      return
    }
    const messageKey = messageKeyOf(key)
    if (!this.sharedMembership.delete(messageKey)) makeRoomFor(this.sharedMembership, MAX_REMEMBERED_SCORES)
    this.sharedMembership.set(messageKey, { eventId: entry.event_id, member: entry.member })
    this.index.addShared({
      key,
      campaignId: entry.campaign_id,
      exactHash: entry.exact_hash,
      signature: signatureFromHex(entry.signature),
      skeleton: entry.skeleton,
      tsMs: entry.ts,
    })
    const campaignId = this.index.campaignOf(key) ?? entry.campaign_id
    const size = this.index.campaignSize(campaignId)
    const campaignChats = this.campaignSpread.observe(campaignId, entry.chat_id, entry.ts)
    this.senderBurst.observe(entry.sender, entry.ts)
    const textKeys = this.textKeysOf(entry.chat_type, entry.skeleton)
    this.similarity.observe({
      chatId: entry.chat_id,
      chatType: entry.chat_type,
      ...(entry.title !== undefined ? { title: entry.title } : {}),
      ...(entry.username !== undefined ? { username: entry.username } : {}),
      tsMs: entry.ts,
      exactHash: entry.exact_hash,
      campaignId: size >= this.minMessages ? campaignId : '',
      headKey: textKeys.head,
      tailKey: textKeys.tail,
      campaignChats,
      ...(entry.forward_chat_id !== undefined ? { forwardFromChat: entry.forward_chat_id } : {}),
    })
    this.settleSimilarityOnSchedule()
  }

  /** A merge the campaign merge wrote (see CampaignIndex.applyAlias). */
  applyAlias(alias: string, canonical: string): void {
    this.index.applyAlias(alias, canonical)
  }

  /** Campaign ids merged into others since the last call (see CampaignIndex.addShared). */
  drainMerges(): CampaignMerge[] {
    return this.index.drainMerges()
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
    const key = { chatId: event.chat.id, messageId: event.message_id }
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
      previousScore: event.type === 'edited' ? this.lastScores.get(key) : null,
    })
    this.lastScores.set(key, result.score)
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
   * Chat pairs (clones, look-alikes) judged since the last call, latest state per judgement. The
   * window moves with event time (the newest message seen), so a replay of old data works too.
   */
  drainSimilarity(): SimilarityRow[] {
    const rows = this.similarityRows
    this.similarityRows = []
    const stats = this.similarity.stats()
    this.observer.similarityPairs(stats.contentPairs, stats.namePairs)
    return rows
  }

  /** Judges every pair that changed now (see SIMILARITY_SETTLE_MESSAGES); also the last step before a final drain. */
  settleSimilarity(): void {
    this.observedSinceSettle = 0
    this.settledAtTsMs = this.latestTsMs
    // concat, not push(...rows): a spread of a very large drain exceeds the argument limit
    this.similarityRows = this.similarityRows.concat(this.similarity.drainChanged(this.latestTsMs))
  }

  /** The text keys of a post whose chat type chat similarity compares, else none (nothing to store). */
  private textKeysOf(chatType: string, skeleton: string): { head: string; tail: string } {
    if (!this.similarity.comparesContentOf(chatType)) return NO_TEXT_KEYS
    return { head: headKeyOf(skeleton), tail: tailKeyOf(skeleton) }
  }

  private settleSimilarityOnSchedule(): void {
    if (++this.observedSinceSettle >= SIMILARITY_SETTLE_MESSAGES || this.latestTsMs - this.settledAtTsMs >= this.similaritySettleMs)
      this.settleSimilarity()
  }

  /** The privacy rule: a sample once the campaign was seen in `sample_min_chats` public chats, masked. */
  private sampleIfAllowed(campaignId: string, event: MessageV1): string | null {
    if (this.sampled.has(campaignId)) return null
    if (this.samples.add(campaignId, event.chat.id) < this.sampleMinChats) return null
    this.samples.forget(campaignId)
    makeRoomFor(this.sampled, MAX_SAMPLE_STATES)
    this.sampled.add(campaignId)
    return wellFormed(maskPrivateData(event.text ?? '').slice(0, 4096))
  }

  /** Index eviction (by age and size) at most once per second of event time. */
  private evictPeriodically(tsMs: number): void {
    if (tsMs - this.lastEvictionMs < 1000) return
    this.lastEvictionMs = tsMs
    const evicted = this.index.evict(tsMs)
    const stats = this.index.stats()
    this.observer.indexState(stats.entries, stats.campaigns, evicted)
  }
}

const unique = (values: string[]) => [...new Set(values)]
const messageKeyOf = (key: { chatId: string; messageId: string }) => `${key.chatId}\u0000${key.messageId}`

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

export function createAnalyzer(
  config: Config,
  inputs: AnalysisInputs,
  observer: AnalysisObserver,
  options?: AnalysisOptions,
): MessageAnalysis {
  return new MessageAnalysis(config, inputs, observer, options)
}
