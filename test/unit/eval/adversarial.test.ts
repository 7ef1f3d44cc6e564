import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Rng } from '../../../src/generator/prng.js'
import { ATTACKS, OPERATORS, applyAttacks, sentences } from '../../../src/eval/perturb.js'
import {
  buildAdversarialSet,
  halfOf,
  multilingualBaseTexts,
  publicBaseTexts,
  shortBaseTexts,
  templateBaseTexts,
} from '../../../src/eval/adversarial.js'
import { recallByAttack, resultsByHalf } from '../../../src/eval/breakdown.js'
import { parseEvalJsonl, runNeardupEval } from '../../../src/eval/neardup.js'
import { adversarialJsonl } from '../../../src/eval/adversarial.js'

const EN =
  'Earn 300 dollars a day working from home, no experience needed. Text WORK to this number today. Visit https://bit.ly/abc123 now!'
const RU = 'Требуются люди для удаленной работы, доход от 3000 рублей в день. Опыт не нужен, всему научим. Пишите в личку за подробностями.'

test('every attack changes a text and is deterministic for a seed', () => {
  for (const a of ATTACKS) {
    const one = OPERATORS[a](EN, new Rng(7))
    const two = OPERATORS[a](EN, new Rng(7))
    assert.equal(one, two, a)
    assert.ok(one !== null && one !== EN, `${a} left the text unchanged`)
  }
})

test('structural attacks do what they say', () => {
  const rng = new Rng(3)
  const reordered = OPERATORS.reorder(RU, rng)!
  assert.deepEqual(
    sentences(reordered)
      .map((s) => s.trim())
      .sort(),
    sentences(RU)
      .map((s) => s.trim())
      .sort(),
  )
  assert.notEqual(reordered, RU)
  const truncated = OPERATORS.truncate(RU, rng)!
  assert.ok(RU.startsWith(truncated) && truncated.length < RU.length * 0.85, truncated)
  assert.ok(OPERATORS.tag_tail(RU, rng)!.startsWith(RU))
  assert.match(OPERATORS.tag_tail(RU, rng)!.slice(RU.length), /^\s+[#@]/u)
  assert.ok(OPERATORS.greeting(RU, rng)!.endsWith(RU))
  assert.ok(OPERATORS.repeat(EN, rng)!.startsWith(EN))
  assert.match(OPERATORS.dot_split('Пишите мне прямо сейчас', new Rng(1))!, /(\p{L}[.-]){3}/u)
  const rotated = OPERATORS.link_rotate(EN, rng)!
  assert.ok(!rotated.includes('bit.ly/abc123'))
  assert.equal(rotated.replace(/\S*(?:t\.me|bit\.ly|\.\w+\/)\S*/gu, 'L'), EN.replace('https://bit.ly/abc123', 'L'))
  // Russian text gets Russian words
  assert.match(OPERATORS.greeting(RU, rng)!, /^[А-Яа-я]/u)
  // what cannot change a text says so
  assert.equal(OPERATORS.reorder('one sentence without breaks', rng), null)
  assert.equal(OPERATORS.truncate('too short to cut', rng), null)
  assert.equal(OPERATORS.leet(RU, rng), null)
  assert.equal(OPERATORS.synonym('nothing listed here at all', rng), null)
  assert.equal(applyAttacks('nothing listed here at all', ['homoglyph', 'synonym'], rng), null)
})

test('base texts: template texts share no sentence, halves follow the text hash', () => {
  const t = templateBaseTexts(1)
  assert.deepEqual(t, templateBaseTexts(1))
  assert.ok(t.length >= 20, `${t.length} template bases`)
  assert.ok(
    t.every((b) => !/[[{]/.test(b.text)),
    'every slot and spintax resolved',
  )
  const m = multilingualBaseTexts()
  assert.equal(new Set(m.map((b) => b.text)).size, m.length)
  // the short texts are SMS and chat one-liners, every one kept as a base of its own, in both halves
  const short = shortBaseTexts()
  assert.ok(short.length >= 80, `${short.length} short texts`)
  for (const b of short) assert.ok(b.text.length >= 60 && b.text.length <= 160, `${b.text.length}: ${b.text}`)
  const kept = new Set(buildAdversarialSet({ seed: 1, bases: short }).map((r) => r.group))
  assert.equal(kept.size, short.length)
  assert.deepEqual([...new Set(short.map((b) => halfOf(b.text)))].sort(), ['heldout', 'tune'])
  assert.equal(halfOf(RU), halfOf(RU))
  const halves = new Set([...t, ...m].map((b) => halfOf(b.text)))
  assert.deepEqual([...halves].sort(), ['heldout', 'tune'])
  const pub = publicBaseTexts([
    { text: 'a', group: 'g1', kind: 'natural' },
    { text: 'b', group: 'g1', kind: 'natural' },
    { text: 'c', group: 'g1', kind: 'synthetic' },
    { text: 'd', group: 'h', kind: 'ham' },
  ])
  assert.deepEqual(pub, { bases: [{ text: 'a', source: 'tg-spam/g1', members: ['b'] }], ham: ['d'] })
})

test('the adversarial set: one base and its copies per group, each attack once, halves by group, seeded', () => {
  const bases = [
    { text: EN, source: 'en' },
    { text: RU, source: 'ru', members: [RU.replace('3000', '5000')] },
    { text: 'short', source: 'skipped' },
  ]
  const set = buildAdversarialSet({ seed: 5, bases, ham: ['just a chat message'] })
  assert.deepEqual(set, buildAdversarialSet({ seed: 5, bases, ham: ['just a chat message'] }))
  assert.notDeepEqual(set, buildAdversarialSet({ seed: 6, bases, ham: ['just a chat message'] }))
  const groups = new Map<string, typeof set>()
  for (const r of set) groups.set(r.group, [...(groups.get(r.group) ?? []), r])
  assert.equal(groups.size, 3) // two bases and the ham; the short base is left out
  const en = groups.get('adv-00000')!
  const ru = groups.get('adv-00001')!
  assert.equal(en.filter((r) => r.ops.length === 0).length, 1)
  assert.equal(ru.filter((r) => r.ops[0] === 'natural').length, 1)
  // English: every attack applies; Russian: no fonts or leet
  assert.deepEqual([...new Set(en.map((r) => r.ops[0]).filter(Boolean))].sort(), [...ATTACKS].sort())
  assert.equal(ru.filter((r) => r.ops.includes('leet') || r.ops.includes('fancy_font')).length, 0)
  // one copy per attack that applies (a light attack on top of some), and one to three copies made
  // by two or three different attacks at once
  for (const [g, applies] of [
    [en, ATTACKS.length],
    [ru, ATTACKS.length - 2],
  ] as const) {
    const extra = g.length - 1 - (g === ru ? 1 : 0) - applies
    assert.ok(extra >= 1 && extra <= 3, `${extra} stacked copies`)
    for (const r of g) assert.ok(r.ops.length <= 3 && new Set(r.ops).size === r.ops.length, r.ops.join('+'))
  }
  for (const g of groups.values()) assert.equal(new Set(g.map((r) => r.half)).size, 1)
  assert.deepEqual(
    set.map((r) => r.ts),
    set.map((_, i) => i * 2),
  )
  // the file round-trips through the evaluation reader with ops and half
  const parsed = parseEvalJsonl(adversarialJsonl(set))
  assert.deepEqual(
    parsed.map((r) => [r.group, r.ops, r.half]),
    set.map((r) => [r.group, r.ops, r.half]),
  )
})

test('maxGroupSize: each campaign keeps 2 to the maximum of its own messages, the same for a seed; ham is untouched', () => {
  const bases = [
    { text: EN, source: 'en' },
    { text: RU, source: 'ru', members: [RU.replace('3000', '5000')] },
  ]
  const ham = ['just a chat message', 'another one']
  const full = buildAdversarialSet({ seed: 5, bases, ham })
  const small = buildAdversarialSet({ seed: 5, bases, ham, maxGroupSize: 4 })
  assert.deepEqual(small, buildAdversarialSet({ seed: 5, bases, ham, maxGroupSize: 4 }))
  const count = (set: typeof full, group: string) => set.filter((r) => r.group === group).length
  for (const g of ['adv-00000', 'adv-00001']) {
    assert.ok(count(full, g) > 4)
    assert.ok(count(small, g) >= 2 && count(small, g) <= 4, `${g}: ${count(small, g)}`)
  }
  assert.deepEqual(
    small
      .filter((r) => r.label === 'ham')
      .map((r) => r.text)
      .sort(),
    [...ham].sort(),
  )
  // what is kept are messages of the full set, with their attacks and half (the stream is shuffled anew)
  const fullMessages = new Set(full.map((r) => `${r.group}|${r.half}|${r.ops.join('+')}|${r.text}`))
  for (const r of small) assert.ok(fullMessages.has(`${r.group}|${r.half}|${r.ops.join('+')}|${r.text}`), r.text)
})

test('a base text that is another one with a few words changed is the same campaign: left out', () => {
  const bases = [
    { text: EN, source: 'a' },
    { text: EN.replace('today', 'tonight').replace('Visit', 'See'), source: 'b' },
    { text: RU, source: 'c' },
  ]
  const set = buildAdversarialSet({ seed: 5, bases })
  assert.deepEqual([...new Set(set.map((r) => r.source))].sort(), ['a', 'c'])
})

test('recall by attack and by half, exact counts', () => {
  // group A: base, copy by x, copy by x+y; group B: base, copy by y; predicted: the x+y copy split off
  const recs = [
    { group: 'A', ops: [], half: 'tune' },
    { group: 'A', ops: ['x'], half: 'tune' },
    { group: 'A', ops: ['x', 'y'], half: 'tune' },
    { group: 'B', ops: [], half: 'heldout' },
    { group: 'B', ops: ['y'], half: 'heldout' },
  ]
  const pred = ['p', 'p', 'q', 'r', 'r']
  const by = recallByAttack(recs, pred)
  assert.deepEqual(by['x'], { messages: 2, pairs: 4, found: 1, recall: 0.25 })
  assert.deepEqual(by['y'], { messages: 2, pairs: 3, found: 1, recall: 1 / 3 })
  assert.deepEqual(by['none'], { messages: 2, pairs: 3, found: 2, recall: 2 / 3 })
  assert.deepEqual(recallByAttack([{ group: 'A' }, { group: 'A' }], ['p', 'p']), {})
  const halves = resultsByHalf(recs, pred)
  assert.deepEqual(Object.keys(halves), ['tune', 'heldout'])
  assert.equal(halves['tune']!.true_pairs, 3)
  assert.equal(halves['tune']!.correct_pairs, 1)
  assert.equal(halves['heldout']!.recall, 1)
  assert.equal(halves['heldout']!.attacks['y']!.recall, 1)
})

test('eval neardup on an adversarial set reports every attack and both halves', () => {
  const set = buildAdversarialSet({ seed: 9, bases: [...templateBaseTexts(9), ...multilingualBaseTexts()] })
  const r = runNeardupEval(parseEvalJsonl(adversarialJsonl(set)), { baselines: false })
  assert.deepEqual(Object.keys(r.halves), ['tune', 'heldout'])
  for (const a of ATTACKS) assert.ok(r.attacks[a] !== undefined && r.attacks[a].messages > 0, a)
  assert.equal(r.halves['tune']!.messages + r.halves['heldout']!.messages, set.length)
})
