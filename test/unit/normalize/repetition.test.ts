/**
 * The repetition check's bounded edit distance and its lower bound against the full Levenshtein
 * distance (fastest-levenshtein) on random texts: copies with a few edits, unrelated texts, and
 * texts made of one phrase repeated (where the bounded distance gives up and falls back).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { distance } from 'fastest-levenshtein'
import { bigramLowerBound, collapseRepetition, withinEditDistance } from '../../../src/normalize/repetition.js'

function random(seed: number): () => number {
  let s = seed
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4294967296
  }
}

/** A copy of `s` with `edits` random substitutions, insertions and deletions from `alphabet`. */
function edited(s: string, edits: number, alphabet: string, rnd: () => number): string {
  let t = s
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (t.length + 1))
    const ch = alphabet[Math.floor(rnd() * alphabet.length)]!
    const op = rnd()
    if (op < 0.4) t = t.slice(0, at) + ch + t.slice(at + 1)
    else if (op < 0.7) t = t.slice(0, at) + ch + t.slice(at)
    else t = t.slice(0, at) + t.slice(at + 1)
  }
  return t
}

test('withinEditDistance decides distance <= maxEdits exactly as the full distance does', () => {
  const rnd = random(7)
  const alphabets = ['ab', 'abc #', 'abcdefghijklmnopqrstuvwxyz ', 'при вет 😀']
  let accepted = 0
  let rejected = 0
  for (let i = 0; i < 3000; i++) {
    const alphabet = alphabets[i % alphabets.length]!
    const length = 1 + Math.floor(rnd() * (i % 10 === 0 ? 400 : 60))
    let first = ''
    if (i % 7 === 0) {
      const phrase = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => alphabet[Math.floor(rnd() * alphabet.length)]!).join('')
      first = phrase.repeat(Math.ceil(length / phrase.length)).slice(0, length)
    } else {
      for (let c = 0; c < length; c++) first += alphabet[Math.floor(rnd() * alphabet.length)]!
    }
    const second = edited(first, Math.floor(rnd() * (length / 4 + 2)), alphabet, rnd)
      .padEnd(length, alphabet[0])
      .slice(0, length)
    const text = second + first // the copy compared is text[length, 2 length) against text[0, length)
    const exact = distance(first, second)
    assert.ok(bigramLowerBound(text, length, length) <= exact, `lower bound above ${exact} for ${JSON.stringify(text)}`)
    for (const maxEdits of [0, 1, Math.floor(length * 0.1), Math.floor(length * 0.3), exact, exact - 1]) {
      if (maxEdits < 0) continue
      const within = withinEditDistance(text, length, length, maxEdits)
      assert.equal(within, exact <= maxEdits, `distance ${exact}, maxEdits ${maxEdits}: ${JSON.stringify(text)}`)
      if (within) accepted++
      else rejected++
    }
  }
  assert.ok(accepted > 1000 && rejected > 1000, `${accepted} accepted, ${rejected} rejected`)
})

test('a long text of one phrase repeated, off by a shift, is decided (the fallback) and quickly', () => {
  const phrase = '# daily # deposit '
  const text = 'x' + phrase.repeat(220)
  const length = Math.floor(text.length / 2)
  const start = performance.now()
  assert.equal(withinEditDistance(text, text.length - length, length, Math.floor(length * 0.1)), true)
  const shifted = 'abc ' + phrase.repeat(110) + 'zz' + 'deposit daily '.repeat(140)
  const half = Math.floor(shifted.length / 2)
  const exact = distance(shifted.slice(shifted.length - half), shifted.slice(0, half))
  assert.equal(withinEditDistance(shifted, shifted.length - half, half, Math.floor(half * 0.1)), exact <= Math.floor(half * 0.1))
  assert.ok(performance.now() - start < 500)
})

test('collapseRepetition keeps the first of copies that differ by up to 10%', () => {
  const a = 'join our channel for daily signals and free bonus today'
  assert.equal(collapseRepetition(`${a} ${a}`), a.length)
  assert.equal(collapseRepetition(`${a} ${a.replace('daily', 'dayly')} ${a}`), a.length)
  const unrelated = `${a} and then something else entirely that is not a copy of it at all`
  assert.equal(collapseRepetition(unrelated), unrelated.length)
})
