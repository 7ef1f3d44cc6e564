/** Channel posts for the chat-similarity tests: item `item` gives the post's exact hash and campaign id. */
import type { ChatPost } from '../../src/channels/index.js'

export const hex = (n: number) => n.toString(16).padStart(16, '0')

/** A channel post of item `item` (exact hash hex(item), campaign 'c' + hex(item), no text keys), with `extra` over it. */
export function channelPost(chatId: string, tsMs: number, item: number, extra: Partial<ChatPost> = {}): ChatPost {
  return {
    chatId,
    chatType: 'channel',
    tsMs,
    exactHash: hex(item),
    campaignId: 'c' + hex(item),
    campaignChats: 0,
    headKey: '',
    tailKey: '',
    ...extra,
  }
}

/** A channel post with no text, only its chat's names (the look-alike tests). */
export function namePost(chatId: string, tsMs: number, names: Pick<ChatPost, 'title' | 'username'>): ChatPost {
  return channelPost(chatId, tsMs, 0, { ...names, exactHash: '', campaignId: '' })
}
