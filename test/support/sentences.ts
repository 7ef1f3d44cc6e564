/** Deterministic sentences of made-up words (random letters: two sentences share almost no 4-gram). */
export function sentencesOf(count: number, seed: number): string[] {
  const letters = 'abdefgiklmnoprstuvz'
  let s = seed
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % letters.length
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const words: string[] = []
    for (let w = 0; w < 8; w++) words.push(Array.from({ length: 5 }, () => letters[rnd()]).join(''))
    out.push(words.join(' ') + '.')
  }
  return out
}
