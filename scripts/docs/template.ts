/** Prose templates of the contract pages (scripts/docs/templates/*.md) and the placeholders generators fill in. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The repository root, with no trailing slash. */
export const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')

export const template = (name: string): string => readFileSync(`${root}/scripts/docs/templates/${name}`, 'utf8')

/**
 * Replaces every `{{name}}` with its value. A placeholder without a value, or a value no placeholder
 * asks for, is an error: a renamed placeholder must not silently drop a section.
 */
export function fill(text: string, values: Record<string, string>): string {
  const used = new Set<string>()
  const out = text.replace(/\{\{([^}]+)\}\}/g, (_, key: string) => {
    const value = values[key]
    if (value === undefined) throw new Error(`template placeholder {{${key}}} has no value`)
    used.add(key)
    return value
  })
  const unused = Object.keys(values).filter((k) => !used.has(k))
  if (unused.length > 0) throw new Error(`template has no placeholder for ${unused.join(', ')}`)
  return out.endsWith('\n') ? out : `${out}\n`
}
