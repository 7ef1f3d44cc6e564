/**
 * Baselines the near-duplicate evaluation compares the pipeline with.
 *
 * - `exact_raw`: messages are grouped when their raw texts are byte-for-byte equal.
 * - `token_cosine_0.5`: the tg-spam method (github.com/umputun/tg-spam, similarity check): a text is a
 *   bag of tokens (lowercased, split on whitespace, emoji removed, the punctuation . , ! ? - : ; ( ) #
 *   trimmed from both ends of each token); two texts are similar when the cosine of their token
 *   frequency vectors is >= 0.5. Each message, in stream order, joins the cluster of the most
 *   similar earlier message if that similarity is >= 0.5, else starts a cluster. Exact cosine against
 *   every earlier message (an inverted index only skips the pairs that share no token).
 */

export function exactRawClusters(texts: readonly string[]): string[] {
  const first = new Map<string, number>()
  return texts.map((t, i) => {
    let f = first.get(t)
    if (f === undefined) {
      f = i
      first.set(t, i)
    }
    return 'x' + f
  })
}

// Code points one at a time (modifiers and joiners on their own), so the class lists them deliberately.
// eslint-disable-next-line no-misleading-character-class
const EMOJI_RE = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u200d\ufe0e\ufe0f\u20e3]/gu
const TRIM_CHARS = new Set(['.', ',', '!', '?', '-', ':', ';', '(', ')', '#'])

/** tg-spam style token frequencies. */
export function tgSpamTokens(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const raw of text.toLowerCase().split(/\s+/)) {
    let tok = raw.replace(EMOJI_RE, '')
    let a = 0
    let b = tok.length
    while (a < b && TRIM_CHARS.has(tok[a]!)) a++
    while (b > a && TRIM_CHARS.has(tok[b - 1]!)) b--
    tok = tok.slice(a, b)
    if (tok.length === 0) continue
    out.set(tok, (out.get(tok) ?? 0) + 1)
  }
  return out
}

export function tokenCosineClusters(texts: readonly string[], threshold = 0.5): string[] {
  const n = texts.length
  const tokenIds = new Map<string, number>()
  const postingsDoc: number[][] = []
  const postingsCnt: number[][] = []
  const norms = new Float64Array(n)
  const dot = new Float64Array(n)
  const touched: number[] = []
  const cluster = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const freq = tgSpamTokens(texts[i]!)
    let norm = 0
    for (const c of freq.values()) norm += c * c
    norms[i] = Math.sqrt(norm)
    // dot products with every earlier message sharing a token
    touched.length = 0
    const ids: number[] = []
    const counts: number[] = []
    for (const [tok, c] of freq) {
      let id = tokenIds.get(tok)
      if (id === undefined) {
        id = postingsDoc.length
        tokenIds.set(tok, id)
        postingsDoc.push([])
        postingsCnt.push([])
      }
      ids.push(id)
      counts.push(c)
      const docs = postingsDoc[id]!
      const cnts = postingsCnt[id]!
      for (let k = 0; k < docs.length; k++) {
        const d = docs[k]!
        if (dot[d] === 0) touched.push(d)
        dot[d] = dot[d]! + c * cnts[k]!
      }
    }
    let best = -1
    let bestSim = 0
    for (const d of touched) {
      const sim = norms[i]! > 0 && norms[d]! > 0 ? dot[d]! / (norms[i]! * norms[d]!) : 0
      if (sim > bestSim || (sim === bestSim && best >= 0 && d > best)) {
        bestSim = sim
        best = d
      }
      dot[d] = 0
    }
    cluster[i] = best >= 0 && bestSim >= threshold ? cluster[best]! : i
    for (let k = 0; k < ids.length; k++) {
      postingsDoc[ids[k]!]!.push(i)
      postingsCnt[ids[k]!]!.push(counts[k]!)
    }
  }
  return Array.from(cluster, (c) => 't' + c)
}
