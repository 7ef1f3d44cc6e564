/**
 * `abuse-radar eval channels --data FILE.jsonl --channels FILE.json [--json]`: clone-channel
 * evaluation, and the same on a generated stream with its ground truth (clones and look-alikes).
 *
 * Messages (test/fixtures/eval format: `id`, `text`, `channel`, `ts`; other fields ignored) run in `ts`
 * order through exactly the analysis path of the pipeline: normalizeText → fingerprintText →
 * CampaignIndex.assign → CampaignSpread → ChatSimilarity.observe, with drainChanged every second of
 * event time. A pair of chats is *predicted* a clone pair when any drained row had kind content or
 * both with a positive score (the table's latest state may have decayed since: the window moves);
 * truth pairs are {chat, clone_of}. Pairwise precision = correct / predicted, recall = correct /
 * truth. `original_accuracy`: share of correct pairs whose original_chat is the true original.
 * This module reads files; the clock is read only to measure throughput.
 */
import { readFileSync } from 'node:fs'
import { CampaignIndex } from '../campaigns/index.js'
import { fingerprintText, skeletonOf } from '../fingerprint/index.js'
import { headKeyOf, tailKeyOf } from '../fingerprint/text-key.js'
import { normalizeText } from '../normalize/index.js'
import { ChatSimilarity, type ChatSimilarityOptions, type SimilarityRow } from '../channels/index.js'
import { CampaignSpread } from '../scoring/trackers.js'
import { decodeRecord } from '../decode/decode.js'
import { generateWithTruth } from '../generator/index.js'
import type { ProtectedName } from '../channels/protected.js'
import { eachJsonlObject, parseTs, rate, streamOrder } from './neardup.js'
import { AbuseRadarError } from '../domain/errors.js'
import type { Half } from './adversarial.js'

const HOUR = 3_600_000

export interface ChannelsEvalOptions {
  /** campaign index window; default 24 h (config campaigns.window_hours) */
  campaignWindowMs?: number
  /** ChatSimilarity options (window default 72 h, maxChats 1,000,000) */
  similarity?: Partial<ChatSimilarityOptions>
}

/** Predicted pairs scored against the true pairs. */
export interface PairScores {
  precision: number
  recall: number
  f1: number
  /** predicted pairs */
  pairs: number
  truth_pairs: number
  correct_pairs: number
}

export interface ChannelsEvalResult extends PairScores {
  original_accuracy: number
  messages: number
  chats: number
  messages_per_second: number
  chats_per_second: number
  /** mean ChatSimilarity.observe + drain time per message, microseconds */
  similarity_us_per_message: number
  predicted_pairs: { chat_a: string; chat_b: string; score: number; shared_items: number; original_chat: string; correct: boolean }[]
  missed_pairs: { clone: string; original: string }[]
  /** generated streams: truth clone pairs with at least 3 reposts (minShared), and the recall over them */
  truth_pairs_with_evidence?: number
  recall_with_evidence?: number
  lookalikes?: LookalikeEvalResult
}

export interface LookalikeEvalResult extends PairScores {
  predicted_pairs: { chat: string; target: string; name_a: string; name_b: string; correct: boolean }[]
  missed_pairs: { chat: string; target: string; chat_names: string; target_names: string }[]
}

interface Msg {
  id: string
  text: string
  channel: string
  tsMs: number
  chatType: string
  title?: string
  username?: string
  forwardFrom?: string
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`)

export function parseChannelsJsonl(content: string): Msg[] {
  const out: Msg[] = []
  let last = 0
  eachJsonlObject(content, (o, line) => {
    const channel = typeof o['channel'] === 'string' ? o['channel'] : typeof o['channel'] === 'number' ? String(o['channel']) : undefined
    if (channel === undefined) throw new AbuseRadarError('AR_INPUT_INVALID', `line ${line}: missing "channel"`)
    const ts = parseTs(o['ts']) ?? last
    last = ts
    out.push({
      id: String(o['id'] ?? `line-${line}`),
      text: typeof o['text'] === 'string' ? o['text'] : '',
      channel,
      tsMs: ts,
      chatType: 'channel',
    })
  })
  return streamOrder(out)
}

/** The pipeline's analysis path over messages in stream order; returns every drained row. */
function runPath(
  msgs: readonly Msg[],
  opts: ChannelsEvalOptions,
  protectedNames: (string | ProtectedName)[],
): { rows: SimilarityRow[]; ms: number; simMs: number; chats: number } {
  const index = new CampaignIndex({ windowMs: opts.campaignWindowMs ?? 24 * HOUR, maxEntries: 1_000_000 })
  const spread = new CampaignSpread()
  const sim = new ChatSimilarity({ windowMs: 72 * HOUR, maxChats: 1_000_000, protectedNames, ...opts.similarity })
  const rows: SimilarityRow[] = []
  const seen = new Map<string, number>()
  const chats = new Set<string>()
  let lastDrain = -Infinity
  let lastEvict = -Infinity
  let simMs = 0
  const t0 = performance.now()
  for (const m of msgs) {
    chats.add(m.channel)
    if (m.tsMs - lastEvict >= 1000) {
      index.evict(m.tsMs)
      lastEvict = m.tsMs
    }
    const n = normalizeText(m.text)
    const fp = fingerprintText(n)
    let exactHash = ''
    let campaignId = ''
    let campaignChats = 0
    let headKey = ''
    let tailKey = ''
    if (!fp.empty) {
      const dup = seen.get(m.id) ?? 0
      seen.set(m.id, dup + 1)
      const a = index.assign({ chatId: m.channel, messageId: dup === 0 ? m.id : `${m.id}#${dup}` }, fp, n.text, m.tsMs)
      exactHash = fp.exactHash
      campaignId = a.campaignId
      campaignChats = spread.observe(campaignId, m.channel, m.tsMs)
      const skeleton = fp.skeleton ?? skeletonOf(n.text)
      headKey = headKeyOf(skeleton)
      tailKey = tailKeyOf(skeleton)
    }
    const s0 = performance.now()
    const post: Parameters<ChatSimilarity['observe']>[0] = {
      chatId: m.channel,
      chatType: m.chatType,
      tsMs: m.tsMs,
      exactHash,
      campaignId,
      campaignChats,
      headKey,
      tailKey,
    }
    if (m.title !== undefined) post.title = m.title
    if (m.username !== undefined) post.username = m.username
    sim.observe(post)
    if (m.tsMs - lastDrain >= 1000) {
      for (const r of sim.drainChanged(m.tsMs)) rows.push(r)
      lastDrain = m.tsMs
    }
    simMs += performance.now() - s0
  }
  const s0 = performance.now()
  for (const r of sim.drainChanged(lastDrain + 1000)) rows.push(r)
  simMs += performance.now() - s0
  return { rows, ms: performance.now() - t0, simMs, chats: chats.size }
}

/**
 * precision = correct / predicted pairs, recall = found / true pairs (found: the true pairs among the
 * predicted ones, by default the correct ones); 1 when there is nothing to predict or find.
 */
function pairScores(correct: number, predicted: number, truth: number, found: number = correct): PairScores {
  const precision = predicted === 0 ? 1 : correct / predicted
  const recall = truth === 0 ? 1 : found / truth
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1, pairs: predicted, truth_pairs: truth, correct_pairs: correct }
}

/** Size and speed of a run over `messages` messages. */
function throughput(
  messages: number,
  run: { ms: number; simMs: number; chats: number },
): Pick<ChannelsEvalResult, 'messages' | 'chats' | 'messages_per_second' | 'chats_per_second' | 'similarity_us_per_message'> {
  return {
    messages,
    chats: run.chats,
    messages_per_second: rate(messages, run.ms),
    chats_per_second: rate(run.chats, run.ms),
    similarity_us_per_message: messages > 0 ? Math.round((run.simMs * 1000 * 100) / messages) / 100 : 0,
  }
}

function scoreClones(
  rows: readonly SimilarityRow[],
  cloneOf: ReadonlyMap<string, string>,
): Omit<ChannelsEvalResult, 'messages' | 'chats' | 'messages_per_second' | 'chats_per_second' | 'similarity_us_per_message'> {
  const truth = new Map<string, { clone: string; original: string }>()
  for (const [clone, original] of cloneOf) truth.set(pairKey(clone, original), { clone, original })
  const predicted = new Map<string, SimilarityRow>()
  for (const r of rows) {
    if ((r.kind === 'content' || r.kind === 'both') && r.score > 0) predicted.set(pairKey(r.chat_a, r.chat_b), r)
  }
  let correct = 0
  let originals = 0
  const list: ChannelsEvalResult['predicted_pairs'] = []
  for (const [k, r] of predicted) {
    const t = truth.get(k)
    if (t) {
      correct++
      if (r.original_chat === t.original) originals++
    }
    list.push({
      chat_a: r.chat_a,
      chat_b: r.chat_b,
      score: r.score,
      shared_items: r.shared_items,
      original_chat: r.original_chat,
      correct: t !== undefined,
    })
  }
  const missed = [...truth].filter(([k]) => !predicted.has(k)).map(([, t]) => t)
  return {
    ...pairScores(correct, predicted.size, truth.size),
    original_accuracy: correct === 0 ? 1 : originals / correct,
    predicted_pairs: list,
    missed_pairs: missed,
  }
}

/**
 * Clone detection on a data set in the format of test/fixtures/eval. With `clonePosts`, each clone
 * keeps only its first that many posts: how few shared posts are enough to find a clone. With
 * `half`, only the channels whose `half` is that (the adversarial set's, ./adversarial-channels.ts).
 */
export function runChannelsEval(
  messagesJsonlPath: string,
  channelsJsonPath: string,
  opts: ChannelsEvalOptions & { clonePosts?: number; half?: Half } = {},
): ChannelsEvalResult {
  const channels = JSON.parse(readFileSync(channelsJsonPath, 'utf8')) as Record<string, { clone_of?: string | null; half?: string }>
  // With `half`, the chats of the other half and their messages are not there at all.
  const inHalf = (chat: string): boolean => opts.half === undefined || channels[chat]?.half === opts.half
  if (opts.half !== undefined && !Object.keys(channels).some(inHalf))
    throw new AbuseRadarError('AR_USAGE', `no channel of ${channelsJsonPath} has "half": "${opts.half}"`)
  const all = parseChannelsJsonl(readFileSync(messagesJsonlPath, 'utf8')).filter((m) => inHalf(m.channel))
  const cloneOf = new Map<string, string>()
  for (const [chat, info] of Object.entries(channels))
    if (info && typeof info.clone_of === 'string' && info.clone_of && inHalf(chat)) cloneOf.set(chat, info.clone_of)
  const msgs = opts.clonePosts === undefined ? all : firstPostsOfClones(all, cloneOf, opts.clonePosts)
  const run = runPath(msgs, opts, [])
  return { ...scoreClones(run.rows, cloneOf), ...throughput(msgs.length, run) }
}

/** The messages with each clone's posts after its first `keep` left out (the messages are in stream order). */
function firstPostsOfClones(msgs: readonly Msg[], cloneOf: ReadonlyMap<string, string>, keep: number): Msg[] {
  const posted = new Map<string, number>()
  return msgs.filter((m) => {
    if (!cloneOf.has(m.channel)) return true
    const n = (posted.get(m.channel) ?? 0) + 1
    posted.set(m.channel, n)
    return n <= keep
  })
}

export interface GeneratedEvalOptions extends ChannelsEvalOptions {
  seed?: number
  messages?: number
  startMs?: number
  /** protected names (default: config/protected-names.yaml's, as given by the caller; none when absent) */
  protectedNames?: (string | ProtectedName)[]
}

/** Clones and look-alikes on a generated stream against the generator's ground truth. */
export function runGeneratedChannelsEval(opts: GeneratedEvalOptions = {}): ChannelsEvalResult {
  const { records, truth } = generateWithTruth({
    seed: opts.seed ?? 20261128,
    messages: opts.messages ?? 50_000,
    startMs: opts.startMs ?? Date.UTC(2026, 10, 28, 12),
  })
  const msgs: Msg[] = []
  const usernameOf = new Map<string, string>()
  const namesOf = new Map<string, string>()
  const seenEvents = new Set<string>()
  const chatOfEvent = new Map<string, string>()
  for (const r of records) {
    if (r.kind !== 'message' && r.kind !== 'duplicate') continue
    const d = decodeRecord(r.value, 1 << 20)
    if (!d.ok || d.value.kind !== 'message') continue
    const e = d.value.event
    if (seenEvents.has(e.event_id)) continue // redelivery: the pipeline's dedup drops it
    seenEvents.add(e.event_id)
    chatOfEvent.set(e.event_id, e.chat.id)
    if (e.type === 'deleted' || e.chat.type === 'private') continue
    if (e.chat.username) usernameOf.set(e.chat.id, e.chat.username.toLowerCase())
    namesOf.set(e.chat.id, `${e.chat.title ?? ''} @${e.chat.username ?? ''} (${e.chat.type})`)
    const m: Msg = { id: e.message_id, text: e.text ?? '', channel: e.chat.id, tsMs: d.value.tsMs, chatType: e.chat.type }
    if (e.chat.title !== undefined) m.title = e.chat.title
    if (e.chat.username !== undefined) m.username = e.chat.username
    msgs.push(m)
  }
  // edits re-use the message id: keep them distinct messages of the same key, as the index does
  const run = runPath(msgs, opts, opts.protectedNames ?? [])
  const clones = scoreClones(run.rows, truth.cloneOf)
  // reposts per true pair: a clone seen reposting once or twice is not detectable by design
  const copies = new Map<string, number>()
  for (const [ev, orig] of truth.copyOf) {
    const a = chatOfEvent.get(ev)
    const b = chatOfEvent.get(orig)
    if (a === undefined || b === undefined || truth.cloneOf.get(a) !== b) continue
    copies.set(pairKey(a, b), (copies.get(pairKey(a, b)) ?? 0) + 1)
  }
  const minShared = opts.similarity?.minShared ?? 3
  const evident = [...truth.cloneOf].filter(([c, o]) => (copies.get(pairKey(c, o)) ?? 0) >= minShared)
  const missedKeys = new Set(clones.missed_pairs.map((m) => pairKey(m.clone, m.original)))
  const foundEvident = evident.filter(([c, o]) => !missedKeys.has(pairKey(c, o))).length
  return {
    ...clones,
    truth_pairs_with_evidence: evident.length,
    recall_with_evidence: evident.length === 0 ? 1 : foundEvident / evident.length,
    ...throughput(msgs.length, run),
    lookalikes: scoreLookalikes(run.rows, truth.lookalikeOf, usernameOf, namesOf),
  }
}

/**
 * Look-alike pairs against truth.lookalikeOf (chat → impersonated chat id, or a protected
 * @username when that chat never posted). Both sides are compared by chat id, a protected pseudo
 * chat `@name` standing for the chat whose handle is `name`. A predicted pair of two chats that
 * both impersonate the same target counts as correct (they are look-alikes of each other).
 */
function scoreLookalikes(
  rows: readonly SimilarityRow[],
  lookalikeOf: ReadonlyMap<string, string>,
  usernameOf: ReadonlyMap<string, string>,
  namesOf: ReadonlyMap<string, string>,
): LookalikeEvalResult {
  const idOfHandle = new Map<string, string>()
  for (const [id, u] of usernameOf) idOfHandle.set(u, id)
  const canon = (x: string): string => {
    if (x.startsWith('@')) return idOfHandle.get(x.slice(1).toLowerCase()) ?? x.toLowerCase()
    return x
  }
  const targetOf = new Map<string, string>()
  for (const [chat, t] of lookalikeOf) targetOf.set(chat, /^-?\d+$/.test(t) ? t : canon('@' + t))
  const truth = new Set<string>()
  for (const [chat, t] of targetOf) truth.add(pairKey(chat, t))
  const predicted = new Map<string, SimilarityRow>()
  for (const r of rows)
    if ((r.kind === 'name' || r.kind === 'both') && r.score > 0) predicted.set(pairKey(canon(r.chat_a), canon(r.chat_b)), r)
  let correct = 0
  const list: LookalikeEvalResult['predicted_pairs'] = []
  const hit = new Set<string>()
  for (const [k, r] of predicted) {
    const [a, b] = k.split('\u0000') as [string, string]
    let ok = truth.has(k)
    if (ok) hit.add(k)
    else if (targetOf.has(a) && targetOf.get(a) === targetOf.get(b)) ok = true
    if (ok) correct++
    list.push({ chat: a, target: b, name_a: r.name_a, name_b: r.name_b, correct: ok })
  }
  const missed = [...targetOf]
    .filter(([c, t]) => !hit.has(pairKey(c, t)))
    .map(([chat, target]) => ({ chat, target, chat_names: namesOf.get(chat) ?? '', target_names: namesOf.get(target) ?? target }))
  // recall counts the truth pairs found (a correct pair of two look-alikes of one target is none)
  return {
    ...pairScores(correct, predicted.size, truth.size, hit.size),
    predicted_pairs: list,
    missed_pairs: missed,
  }
}

const pct = (v: number): string => (v * 100).toFixed(1) + '%'

export function formatChannelsEval(r: ChannelsEvalResult): string {
  const lines: string[] = []
  lines.push(`clone-channel evaluation: ${r.messages} messages, ${r.chats} chats, ${r.truth_pairs} true clone pairs`)
  lines.push(
    `  precision ${pct(r.precision)}   recall ${pct(r.recall)}   F1 ${pct(r.f1)}   predicted pairs ${r.pairs} (${r.correct_pairs} correct)`,
  )
  if (r.truth_pairs_with_evidence !== undefined)
    lines.push(`  recall over the ${r.truth_pairs_with_evidence} true pairs with at least 3 reposts: ${pct(r.recall_with_evidence ?? 1)}`)
  lines.push(`  original identified in ${pct(r.original_accuracy)} of correct pairs`)
  lines.push(`  ${r.messages_per_second} msgs/s end to end; chat similarity ${r.similarity_us_per_message} µs per message`)
  for (const p of r.predicted_pairs.filter((x) => !x.correct).slice(0, 10))
    lines.push(`  false pair: ${p.chat_a} ~ ${p.chat_b} score ${p.score} shared ${p.shared_items}`)
  for (const p of r.missed_pairs.slice(0, 10)) lines.push(`  missed: ${p.clone} (clone of ${p.original})`)
  const l = r.lookalikes
  if (l) {
    lines.push(`look-alike names: ${l.truth_pairs} true pairs`)
    lines.push(
      `  precision ${pct(l.precision)}   recall ${pct(l.recall)}   F1 ${pct(l.f1)}   predicted pairs ${l.pairs} (${l.correct_pairs} correct)`,
    )
    for (const p of l.predicted_pairs.filter((x) => !x.correct).slice(0, 10)) lines.push(`  false pair: ${p.name_a} ~ ${p.name_b}`)
    for (const p of l.missed_pairs.slice(0, 10))
      lines.push(`  missed: ${p.chat} ${p.chat_names} (look-alike of ${p.target} ${p.target_names})`)
  }
  return lines.join('\n')
}
