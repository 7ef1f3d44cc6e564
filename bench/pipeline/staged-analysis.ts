// The analysis of one message (src/pipeline/analysis.ts, MessageAnalysis.analyze) with a lap of the
// stage clock between its stages: the same stage objects and functions of src/, called in the same
// order with the same arguments, so that each one's share of the time shows. What analyze() does
// besides them (link domains of entities and buttons, campaign samples, metrics observers) is left
// out; the stages phase also times the real analyze() over the same records to show how much that is.
import { CampaignIndex } from '../../src/campaigns/index.js'
import { ChatSimilarity, type SimilarityRow } from '../../src/channels/index.js'
import type { Config } from '../../src/config/schema.js'
import { makeRoomFor } from '../../src/domain/bounded.js'
import type { DecodedEvent } from '../../src/domain/events.js'
import { NO_TEXT_VERDICT, wellFormed, type TextVerdict } from '../../src/facts/build.js'
import { fingerprintText, signatureToHex } from '../../src/fingerprint/index.js'
import { normalizeText } from '../../src/normalize/index.js'
import type { AnalysisInputs } from '../../src/pipeline/analysis.js'
import { CampaignSpread, SenderBurst, SpamScorer } from '../../src/scoring/index.js'
import type { StageClock } from './stage-clock.js'

type Message = Extract<DecodedEvent, { kind: 'message' }>

/** Scores of recent message versions kept for the edit-to-spam rule, as MAX_REMEMBERED_SCORES in analysis.ts. */
const MAX_REMEMBERED_SCORES = 500_000

export class StagedAnalysis {
  private readonly index: CampaignIndex
  private readonly similarity: ChatSimilarity
  private readonly scorer: SpamScorer
  private readonly senderBurst = new SenderBurst()
  private readonly campaignSpread = new CampaignSpread()
  private readonly lastScores = new Map<string, number>()
  private readonly minMessages: number
  private lastEvictionMs = 0
  private latestTsMs = 0

  constructor(
    config: Config,
    inputs: AnalysisInputs,
    private readonly clock: StageClock,
  ) {
    const { campaigns, channels } = config.settings
    this.index = new CampaignIndex({ windowMs: campaigns.window_hours * 3_600_000, maxEntries: campaigns.max_entries })
    this.similarity = new ChatSimilarity({
      windowMs: channels.window_hours * 3_600_000,
      maxChats: channels.max_chats,
      protectedNames: inputs.protectedNames,
      ...(inputs.affixes ? { affixes: inputs.affixes } : {}),
    })
    this.scorer = new SpamScorer(inputs.rules)
    this.minMessages = campaigns.min_messages
  }

  analyze(message: Message, sender: string): TextVerdict {
    const { event, tsMs } = message
    const { clock } = this
    if (tsMs > this.latestTsMs) this.latestTsMs = tsMs
    if (tsMs - this.lastEvictionMs >= 1000) {
      this.lastEvictionMs = tsMs
      this.index.evict(tsMs)
    }
    const key = { chatId: event.chat.id, messageId: event.message_id }
    if (event.type === 'deleted') {
      this.index.remove(key)
      clock.lap('index')
      return NO_TEXT_VERDICT
    }
    clock.lap('index')
    if (event.chat.type === 'private' || !event.text) return NO_TEXT_VERDICT
    const normalized = normalizeText(event.text)
    clock.lap('normalize')
    const fp = fingerprintText(normalized)
    const signature = signatureToHex(fp.signature)
    clock.lap('fingerprint')
    const base: TextVerdict = {
      ...NO_TEXT_VERDICT,
      fingerprinted: 1,
      exact_hash: fp.exactHash,
      signature,
      obfuscation: normalized.evidence,
    }
    if (fp.empty) return base
    const previous = this.index.campaignOf(key)
    const { campaignId } = this.index.assign(key, fp, normalized.text, tsMs)
    const size = this.index.campaignSize(campaignId)
    clock.lap('index')
    const campaignChats = this.campaignSpread.observe(campaignId, event.chat.id, tsMs)
    clock.lap('scoring')
    this.similarity.observe({
      chatId: event.chat.id,
      chatType: event.chat.type,
      ...(event.chat.title !== undefined ? { title: event.chat.title } : {}),
      ...(event.chat.username !== undefined ? { username: event.chat.username } : {}),
      tsMs,
      exactHash: fp.exactHash,
      campaignId: size >= this.minMessages ? campaignId : '',
      campaignChats,
      ...(event.forward?.chat_id ? { forwardFromChat: event.forward.chat_id } : {}),
    })
    clock.lap('similarity')
    const forwardFrom = event.forward?.chat_id
    const messageKey = `${key.chatId}\u0000${key.messageId}`
    const result = this.scorer.score({
      event,
      tsMs,
      sender,
      senderCreatedMs: message.senderCreatedMs,
      normalized,
      campaignId,
      campaignSize: size,
      campaignChatsLastHour: campaignChats,
      senderMessagesLastMinute: this.senderBurst.observe(sender, tsMs),
      forwardFromClone: forwardFrom !== undefined && this.similarity.isClone(forwardFrom),
      previousScore: event.type === 'edited' ? (this.lastScores.get(messageKey) ?? null) : null,
    })
    if (!this.lastScores.delete(messageKey)) makeRoomFor(this.lastScores, MAX_REMEMBERED_SCORES)
    this.lastScores.set(messageKey, result.score)
    clock.lap('scoring')
    const member = event.type === 'created' || previous !== campaignId
    const verdict: TextVerdict = {
      ...base,
      link_domains: normalized.linkDomains,
      campaign_id: campaignId,
      in_campaign: size >= this.minMessages ? 1 : 0,
      ...(member
        ? { campaign_messages: 1, campaign_chats: [wellFormed(event.chat.id)], campaign_senders: [sender], campaign_first_seen: tsMs }
        : {}),
      spam_score: result.score,
      spam: result.spam ? 1 : 0,
      reasons: result.reasons,
      shadow_reasons: result.shadowReasons,
    }
    return verdict
  }

  /** The chat pairs that changed (what the processor's StateWriter writes every channels.write_interval_ms). */
  drainSimilarity(): SimilarityRow[] {
    return this.similarity.drainChanged(this.latestTsMs)
  }
}
