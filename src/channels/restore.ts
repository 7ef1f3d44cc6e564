/**
 * Chat similarity after a restart: its content evidence (which channel posted which item when) is
 * rebuilt from the posts ClickHouse keeps (message_fingerprints), as the campaign index is, so a
 * clone pair whose reposts straddle a restart is found as if the run had not stopped.
 *
 * The stored posts are replayed oldest first through the same `observe` a live post takes. What a
 * live run knew at each post and the store does not keep is derived from the posts themselves:
 * whether its campaign had reached `minMessages` members yet (its members so far among the posts
 * replayed) and how many chats the campaign reached in the last hour (the caller's tracker, which
 * the replay brings up to date too). Titles and handles are not stored: look-alike names come back
 * with each chat's next post.
 */
import type { ReplayStart } from '../domain/ports.js'
import type { ChatSimilarity } from './index.js'

/** One stored post, the latest version of its message within the window. */
export interface StoredChatPost {
  chatId: string
  chatType: string
  tsMs: number
  exactHash: string
  /** '' when the message joined no campaign */
  campaignId: string
  /** its text keys; '' when it had none, or for posts stored before they were kept (migration 20) */
  headKey: string
  tailKey: string
}

/**
 * Where the posts come from (the store's message_fingerprints): the latest `limit` within `windowMs`
 * of the newest, the batches a replay writes again (`replayed`) left out.
 */
export interface ChatPostHistory {
  loadRecentChatPosts(windowMs: number, limit: number, replayed: readonly ReplayStart[]): Promise<StoredChatPost[]>
}

export interface RestoreOptions {
  /** campaigns.min_messages: a campaign counts as evidence once it has this many members */
  minMessages: number
  /** Records the campaign in the chat at the time; returns its distinct chats in the last hour (CampaignSpread.observe). */
  campaignChats: (campaignId: string, chatId: string, tsMs: number) => number
}

/** Replays the posts into `similarity`; returns how many were replayed. */
export function restoreChatSimilarity(similarity: ChatSimilarity, posts: readonly StoredChatPost[], options: RestoreOptions): number {
  const ordered = [...posts].sort((a, b) => a.tsMs - b.tsMs)
  const members = new Map<string, number>()
  for (const post of ordered) {
    let campaignId = ''
    let campaignChats = 0
    if (post.campaignId !== '') {
      const size = (members.get(post.campaignId) ?? 0) + 1
      members.set(post.campaignId, size)
      campaignChats = options.campaignChats(post.campaignId, post.chatId, post.tsMs)
      if (size >= options.minMessages) campaignId = post.campaignId
    }
    similarity.observe({
      chatId: post.chatId,
      chatType: post.chatType,
      tsMs: post.tsMs,
      exactHash: post.exactHash,
      campaignId,
      headKey: post.headKey,
      tailKey: post.tailKey,
      campaignChats,
    })
  }
  return ordered.length
}
