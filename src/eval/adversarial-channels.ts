/**
 * The adversarial clone-channel set: organic channels, clones that repost a few of an original's
 * posts the way reposters do (an attack of ./perturb.ts on most copies, minutes to two days later,
 * so some arrive after the campaign window), and spam campaigns spread over many chats (organic
 * ones and an advert in each clone), which must not pair any two of them.
 *
 * Texts: organic posts are the public set's ham messages (the real chat messages of 40 characters
 * or more); spam is ./adversarial.ts's bases. Halves as there: each text belongs to `tune` or `heldout` by its
 * hash, a channel holds texts of one half only and spam reaches chats of its own half, so the two
 * halves are two independent streams in one file (`eval channels --half`). Everything follows from
 * the seed.
 */
import { Rng } from '../generator/prng.js'
import { halfOf, type BaseText, type Half } from './adversarial.js'
import { ATTACKS, applyAttacks, type Attack } from './perturb.js'

/** Posts of each organic channel. */
const POSTS_PER_CHANNEL = 6
/** Every CLONE_EVERY-th organic channel of a half has a clone. */
const CLONE_EVERY = 3
/** Posts a clone reposts (`eval channels --clone-posts K` keeps fewer). */
const CLONE_POSTS = 4
/** Share of reposts copied unchanged (forward-free reposts); the others carry one attack. */
const EXACT_REPOST_SHARE = 0.25
/**
 * What reposters change: the links (their own), tails of tags, a greeting, emoji, case, a cut; and
 * the disguises that dodge exact-match filters. Not the ones that rewrite the text (reorder,
 * repeat, dot_split), which spam does and a clone has no reason to.
 */
const REPOST_ATTACKS: readonly Attack[] = [
  'link_rotate',
  'tag_tail',
  'greeting',
  'emoji_pad',
  'case_punct',
  'truncate',
  'word_edit',
  'synonym',
  'homoglyph',
  'fancy_font',
  'zero_width',
]
/** Spam copies carry any attack. */
const SPAM_ATTACKS: readonly Attack[] = ATTACKS
/** A repost comes this long after its original at most (the campaign window is 24 h; the chat window 72 h). */
const MAX_REPOST_DELAY_S = 48 * 3600
const MIN_REPOST_DELAY_S = 60
/** Organic channels post every 1–8 hours from a start in the first day. */
const POST_GAP_S = [3600, 8 * 3600] as const
/** The spam copies of one base go to this many chats of its half, each its own copy. */
const SPAM_CHATS = [3, 12] as const
/** Spam-only channels per half: they receive spam beside the organic ones and the clones. */
const SPAM_CHANNELS = 20
/** Organic posts shorter than this are chat replies ("ok, thanks"), not channel posts. */
const MIN_POST_CHARS = 40
const STREAM_S = 4 * 24 * 3600

export interface ChannelRecord {
  id: string
  text: string
  channel: string
  /** seconds from the start of the stream */
  ts: number
  kind: 'organic' | 'clone' | 'spam'
  ops: string[]
  half: Half
  /** a clone's post: the id of the original post it copies */
  copy_of?: string
}

/** A record before the stream order gives it an id; a repost points at its original. */
type Draft = Omit<ChannelRecord, 'id' | 'copy_of'> & { original?: Draft }

export interface ChannelInfo {
  type: 'organic' | 'clone' | 'spam'
  clone_of: string | null
  half: Half
}

export interface AdversarialChannels {
  records: ChannelRecord[]
  channels: Record<string, ChannelInfo>
}

export interface AdversarialChannelsOptions {
  seed: number
  /** texts organic channels post */
  posts: readonly string[]
  /** spam campaigns' texts */
  spam: readonly BaseText[]
}

export function buildAdversarialChannels(opts: AdversarialChannelsOptions): AdversarialChannels {
  const records: Draft[] = []
  const channels: Record<string, ChannelInfo> = {}
  for (const half of ['tune', 'heldout'] as const) {
    const rng = new Rng((opts.seed ^ (half === 'tune' ? 0x1b873593 : 0x85ebca6b)) >>> 0)
    const posts = rng.shuffled([...new Set(opts.posts)].filter((t) => t.length >= MIN_POST_CHARS && halfOf(t) === half))
    const organic: string[] = []
    const clones: string[] = []
    for (let c = 0; (c + 1) * POSTS_PER_CHANNEL <= posts.length; c++) {
      const chat = `${half}-org${String(c).padStart(3, '0')}`
      organic.push(chat)
      channels[chat] = { type: 'organic', clone_of: null, half }
      const own: Draft[] = []
      let ts = rng.range(0, 24 * 3600)
      for (const text of posts.slice(c * POSTS_PER_CHANNEL, (c + 1) * POSTS_PER_CHANNEL)) {
        own.push({ text, channel: chat, ts, kind: 'organic', ops: [], half })
        ts += rng.range(POST_GAP_S[0], POST_GAP_S[1])
      }
      records.push(...own)
      if (c % CLONE_EVERY !== 0) continue
      const clone = `${half}-cln${String(clones.length).padStart(3, '0')}`
      clones.push(clone)
      channels[clone] = { type: 'clone', clone_of: chat, half }
      for (const post of rng.shuffled(own).slice(0, CLONE_POSTS)) records.push({ ...repost(post, rng), channel: clone })
    }
    const spamChats = Array.from({ length: SPAM_CHANNELS }, (_, i) => `${half}-spm${String(i).padStart(3, '0')}`)
    for (const chat of spamChats) channels[chat] = { type: 'spam', clone_of: null, half }
    // Spam lands in the spam chats and in the organic ones (their comments), as in the public set;
    // a clone posts one advert of a campaign that is in other chats too.
    const reachable = [...spamChats, ...spamChats, ...organic]
    const spam = opts.spam.filter((b) => halfOf(b.text) === half)
    const spamCopy = (base: BaseText, chat: string): Draft => {
      const attack = rng.pick(SPAM_ATTACKS)
      const text = applyAttacks(base.text, [attack], rng)
      return { text: text ?? base.text, channel: chat, ts: rng.range(0, STREAM_S), kind: 'spam', ops: text === null ? [] : [attack], half }
    }
    for (const base of spam) {
      const chats = new Set<string>()
      const n = rng.range(SPAM_CHATS[0], SPAM_CHATS[1])
      while (chats.size < n) chats.add(rng.pick(reachable))
      for (const chat of chats) records.push(spamCopy(base, chat))
    }
    for (const clone of clones) records.push(spamCopy(rng.pick(spam), clone))
  }
  records.sort((a, b) => a.ts - b.ts || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
  const ids = new Map<Draft, string>(records.map((r, i) => [r, `c${String(i).padStart(6, '0')}`]))
  return {
    records: records.map((draft) => {
      const { original, ...r } = draft
      return { id: ids.get(draft)!, ...r, ...(original === undefined ? {} : { copy_of: ids.get(original)! }) }
    }),
    channels,
  }
}

/** A clone's copy of `post`: unchanged, or with one reposter's attack, some minutes to two days later. */
function repost(post: Draft, rng: Rng): Draft {
  const copy = { ...post, ts: post.ts + rng.range(MIN_REPOST_DELAY_S, MAX_REPOST_DELAY_S), kind: 'clone' as const, original: post }
  if (rng.chance(EXACT_REPOST_SHARE)) return { ...copy, ops: ['exact_repost'] }
  const attack = rng.pick(REPOST_ATTACKS)
  const text = applyAttacks(post.text, [attack], rng)
  return text === null ? { ...copy, ops: ['exact_repost'] } : { ...copy, text, ops: [attack] }
}
