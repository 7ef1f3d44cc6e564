/**
 * Look-alike chats: the index of chat titles and @handles, and which chat imitates which (the
 * skeletons and the matching rules are in ./names.ts).
 *
 * Each chat's title and @handle are indexed by skeleton, by half-skeleton keys that find every
 * skeleton one edit away (pigeonhole), and by the skeleton stripped of impersonation words and a
 * trailing number; a new or renamed chat probes a constant number of buckets (each capped at
 * `maxNameBucket`) and is checked against the protected names. No all-pairs. An imitating chat
 * keeps only its best explanation per field (protected name > equal skeleton > one edit > affix),
 * two imitators of one protected name are not paired, and a title imitating a title several chats
 * bear is ambiguous (weak).
 */
import {
  baseSkeletons,
  matchNames,
  nameForm,
  probeEditKeys,
  storedEditKeys,
  type MatchOptions,
  type NameForm,
  type NameMatch,
} from './names.js'
import type { ProtectedName } from './protected.js'
import type { Chat, ChatName, ChatTable, NameInfo, Pair } from './model.js'
import type { PairTable } from './pair-table.js'

const RANK: Readonly<Record<NameMatch['kind'], number>> = { skeleton: 3, edit: 2, affix: 1 }

const display = (f: NameForm): string => (f.field === 'username' ? '@' + f.raw : f.raw)

export function protectedFromString(s: string): ProtectedName {
  const t = s.trim()
  if (t.startsWith('@') || /^[A-Za-z0-9_]+$/.test(t)) return { username: t.replace(/^@/, '') }
  return { title: t }
}

/** Which of two look-alike chats imitates the other: the disguised one, the longer one, else the newer one. */
function imitatorOf(chat: Chat, other: Chat, f: NameForm, g: NameForm): number {
  const df = f.confusable || f.badge
  const dg = g.confusable || g.badge
  if (df !== dg) return df ? chat.slot : other.slot
  if (f.skeleton.length !== g.skeleton.length) return f.skeleton.length > g.skeleton.length ? chat.slot : other.slot
  return chat.slot
}

interface Candidate {
  other: Chat
  g: NameForm
  m: NameMatch
}

export class NameIndex {
  readonly protectedChats: Chat[] = []
  /** field + key of every protected name: chats holding one are matched through the protected entry */
  private readonly protectedKeys = new Set<string>()
  private readonly buckets = new Map<string, number[]>()
  private readonly plainMatch: MatchOptions
  private readonly protectedMatch: MatchOptions
  private readonly genericMatch: MatchOptions

  constructor(
    private readonly chats: ChatTable,
    private readonly pairs: PairTable,
    private readonly affixes: ReadonlySet<string>,
    private readonly maxNameBucket: number,
  ) {
    this.plainMatch = { affixes }
    this.protectedMatch = { protectedTarget: true, generic: false, affixes }
    this.genericMatch = { protectedTarget: true, generic: true, affixes }
  }

  /** Index keys in use (a measure of the index's memory). */
  get keys(): number {
    return this.buckets.size
  }

  addProtected(p: ProtectedName): void {
    const username = p.username?.replace(/^@/, '')
    const id = p.chatId ?? (username ? '@' + username : 'protected:' + (p.title ?? ''))
    if (this.chats.byId.has(id)) return
    const c = this.chats.add(id)
    c.permanent = true
    c.generic = p.generic ?? false
    if (username) c.names.push({ form: nameForm(username, 'username'), isProtected: true })
    if (p.title) c.names.push({ form: nameForm(p.title, 'title'), isProtected: true })
    for (const { form } of c.names) this.protectedKeys.add(form.field + '\u0000' + form.key)
    this.protectedChats.push(c)
  }

  private chatName(form: NameForm): ChatName {
    return { form, isProtected: this.protectedKeys.has(form.field + '\u0000' + form.key) }
  }

  /** The chat's title or handle changed: its name matches are recomputed. */
  update(chat: Chat, title: string | undefined, username: string | undefined, ts: number): void {
    this.unindex(chat)
    chat.title = title
    chat.username = username
    if (chat.pairs !== null)
      for (const key of chat.pairs) {
        const p = this.pairs.byKey.get(key)
        if (p !== undefined && p.name !== null) {
          p.name = null
          this.pairs.markDirty(p)
        }
      }
    const names: ChatName[] = chat.permanent ? chat.names.filter((n) => n.isProtected) : []
    if (username) names.push(this.chatName(nameForm(username, 'username')))
    if (title) names.push(this.chatName(nameForm(title, 'title')))
    chat.names = names
    for (const { form: f, isProtected } of names) {
      if (f.skeleton.length < 4) continue
      if (!chat.permanent) this.matchProtected(chat, f, ts)
      if (isProtected) continue
      const found = this.candidates(chat, f)
      if (f.field === 'title') {
        // titles are not unique: when several chats bear the imitated title, whom it imitates is
        // ambiguous, and each of those matches is weak
        const perTitle = new Map<string, number>()
        for (const x of found) perTitle.set(x.g.visible, (perTitle.get(x.g.visible) ?? 0) + 1)
        for (const x of found) if ((perTitle.get(x.g.visible) ?? 0) > 1) x.m = { ...x.m, weak: true }
      }
      // best explanations first (an imitator keeps only its best-ranked match per field)
      found.sort((x, y) => RANK[y.m.kind] - RANK[x.m.kind])
      for (const x of found) this.setName(chat, x.other, f, x.g, x.m, ts, false)
    }
    this.index(chat)
  }

  /** Against the protected names: the best match (then the longest protected name). */
  private matchProtected(chat: Chat, f: NameForm, ts: number): void {
    let best: { pc: Chat; g: NameForm; m: NameMatch } | null = null
    for (const pc of this.protectedChats) {
      const opts = pc.generic ? this.genericMatch : this.protectedMatch
      for (const { form: g } of pc.names) {
        if (g.field !== f.field) continue
        const m = matchNames(f, g, opts)
        if (m === null) continue
        if (best === null || m.score > best.m.score || (m.score === best.m.score && g.skeleton.length > best.g.skeleton.length))
          best = { pc, g, m }
      }
    }
    if (best !== null) this.setName(chat, best.pc, f, best.g, best.m, ts, true)
  }

  /** The other chats' names that `f` resembles, found through the buckets it probes. */
  private candidates(chat: Chat, f: NameForm): Candidate[] {
    const field = f.field === 'title' ? 'T' : 'U'
    const sk = f.skeleton
    const probes = [field + 'S' + sk, field + 'B' + sk]
    for (const k of probeEditKeys(sk)) probes.push(field + k)
    for (const base of baseSkeletons(f, this.affixes, 5)) probes.push(field + 'S' + base)
    const seen = new Set<number>()
    const found: Candidate[] = []
    for (const key of probes) {
      const bucket = this.buckets.get(key)
      if (bucket === undefined) continue
      for (const s of bucket) {
        if (s === chat.slot || seen.has(s)) continue
        seen.add(s)
        const other = this.chats.at(s)
        if (other === undefined) continue
        for (const { form: g, isProtected } of other.names) {
          if (g.field !== f.field || isProtected) continue
          const m = matchNames(f, g, this.plainMatch)
          if (m !== null) found.push({ other, g, m })
        }
      }
    }
    return found
  }

  private index(chat: Chat): void {
    const keys: string[] = []
    for (const { form: f, isProtected } of chat.names) {
      if (f.skeleton.length < 4 || isProtected) continue
      const field = f.field === 'title' ? 'T' : 'U'
      keys.push(field + 'S' + f.skeleton)
      for (const k of storedEditKeys(f.skeleton)) keys.push(field + k)
      for (const base of baseSkeletons(f, this.affixes, 5)) keys.push(field + 'B' + base)
    }
    chat.nameKeys = []
    for (const k of keys) {
      let bucket = this.buckets.get(k)
      if (bucket === undefined) {
        bucket = []
        this.buckets.set(k, bucket)
      }
      if (bucket.length >= this.maxNameBucket || bucket.includes(chat.slot)) continue
      bucket.push(chat.slot)
      chat.nameKeys.push(k)
    }
  }

  unindex(chat: Chat): void {
    for (const k of chat.nameKeys) {
      const bucket = this.buckets.get(k)
      if (bucket === undefined) continue
      const i = bucket.indexOf(chat.slot)
      if (i >= 0) bucket.splice(i, 1)
      if (bucket.length === 0) this.buckets.delete(k)
    }
    chat.nameKeys = []
  }

  private setName(chat: Chat, other: Chat, f: NameForm, g: NameForm, match: NameMatch, ts: number, prot: boolean): void {
    let m = match
    const field = f.field === 'title' ? 1 : 2
    const rank = prot ? 4 : RANK[m.kind]
    const imitator = prot ? chat.slot : imitatorOf(chat, other, f, g)
    // one name imitates one target: an imitator keeps its best-ranked match per field
    // (`sydney_deаls905` imitates `sydney_deals905`, not `sydney_deals`)
    const target = chat.slot === imitator ? other.slot : chat.slot
    if (this.imitatorRank(imitator, field, target) > rank) return
    // two imitators of one protected name resemble each other through it: not a pair
    if (!prot && (this.imitatorRank(chat.slot, field, -1) >= 4 || this.imitatorRank(other.slot, field, -1) >= 4)) return
    this.dropWeakerImitations(imitator, field, rank)
    const targetForm = chat.slot === imitator ? g : f
    const targetTitle = field === 1 && !prot ? targetForm.visible : ''
    if (targetTitle !== '' && this.ambiguousTitle(imitator, target, targetTitle)) m = { ...m, weak: true }
    const p = this.pairs.getOrCreate(chat.slot, other.slot)
    const old = p.name
    const chatIsLo = chat.slot === p.lo
    const fresh: NameInfo = {
      fields: field,
      imitator,
      rank,
      targetTitle,
      score: m.score,
      kind: m.kind,
      weak: m.weak,
      nameLo: display(chatIsLo ? f : g),
      nameHi: display(chatIsLo ? g : f),
      seen: old?.seen ?? ts,
    }
    if (old === null) {
      p.name = fresh
    } else {
      // strong if either match is strong, or if title and handle are both (weakly) alike
      // (`Crypto Signals VIP Official` + @cryptosignals_vip1 vs `Crypto Signals VIP` + @cryptosignals_vip)
      const weak = old.weak && m.weak && (old.fields & field) !== 0
      const better = (old.weak && !m.weak) || (old.weak === m.weak && m.score > old.score)
      const next = better ? fresh : old
      next.fields = old.fields | field
      next.weak = weak
      next.score = Math.max(old.score, m.score)
      next.rank = Math.max(old.rank, rank)
      p.name = next
    }
    this.pairs.markDirty(p)
  }

  /** Calls `fn` for each pair in which `slot` imitates the other chat. */
  private forEachImitation(slot: number, fn: (name: NameInfo, q: Pair) => void): void {
    const c = this.chats.at(slot)
    if (c === undefined || c.pairs === null) return
    for (const key of c.pairs) {
      const q = this.pairs.byKey.get(key)
      if (q !== undefined && q.name !== null && q.name.imitator === slot) fn(q.name, q)
    }
  }

  /** The best rank of the name matches in which `slot` imitates another chat through `field` (other than with `except`). */
  private imitatorRank(slot: number, field: number, except: number): number {
    let best = 0
    this.forEachImitation(slot, (name, q) => {
      if ((name.fields & field) !== 0 && q.lo !== except && q.hi !== except && name.rank > best) best = name.rank
    })
    return best
  }

  /**
   * The imitator already imitates another chat bearing the same plain title: whom it imitates is
   * ambiguous; the other match is weakened too (true is returned for this one).
   */
  private ambiguousTitle(slot: number, target: number, title: string): boolean {
    let found = false
    this.forEachImitation(slot, (name, q) => {
      if (name.targetTitle !== title || q.lo === target || q.hi === target) return
      found = true
      if (!name.weak && (name.fields & 2) === 0) {
        name.weak = true
        this.pairs.markDirty(q)
      }
    })
    return found
  }

  private dropWeakerImitations(slot: number, field: number, rank: number): void {
    this.forEachImitation(slot, (name, q) => {
      if (name.fields !== field || name.rank >= rank) return
      q.name = null
      this.pairs.markDirty(q)
    })
  }
}
