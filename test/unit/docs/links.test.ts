/**
 * A newcomer follows links: every relative link in README.md, docs/ and k8s/README.md must reach a
 * file of the repository and, when it names a heading (#anchor), a heading of that page. Links to
 * the web are not checked (no network in tests).
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

const markdownUnder = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(dir, f))

/** GitHub's heading anchors: lower case, punctuation dropped except hyphens, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '')
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)))
}

test('relative links in README.md, docs/ and k8s/README.md reach a file and a heading', () => {
  const pages = ['README.md', 'k8s/README.md', ...markdownUnder('docs')]
  const broken: string[] = []
  for (const page of pages) {
    const text = readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '')
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue
      const [file, anchor] = target!.split('#') as [string, string | undefined]
      const resolved = file === '' ? path.join(ROOT, page) : path.join(ROOT, path.dirname(page), file)
      if (!existsSync(resolved)) broken.push(`${page}: ${target} (no such file)`)
      else if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
        broken.push(`${page}: ${target} (no such heading)`)
      }
    }
  }
  assert.deepEqual(broken, [])
})
