/**
 * YAML for the loaders of src/config (configuration, rules, protected names): every syntax problem
 * of a text at once, not only the first, and aliases that contain themselves refused: they make a
 * circular value that neither a validator nor an error message can walk.
 */
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'

export type YamlValue = { ok: true; value: unknown } | { ok: false; problems: string[] }

export function readYamlFile(file: string): YamlValue {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    return { ok: false, problems: [`cannot read the file: ${(error as Error).message}`] }
  }
  return parseYamlText(text)
}

export function parseYamlText(text: string): YamlValue {
  const document = parseDocument(text, { uniqueKeys: true })
  // yaml's messages end with a code frame after the position ("... at line 2, column 1:\n\n<line>\n^")
  if (document.errors.length > 0) return { ok: false, problems: document.errors.map((e) => `not valid YAML: ${firstLine(e.message)}`) }
  const value: unknown = document.toJS()
  const circular = circularPaths(value, '', new Set())
  if (circular.length > 0) {
    return {
      ok: false,
      problems: circular.map(
        (path) => `${path || '(root)'}: a YAML alias refers to a node that contains it (circular); write the value out`,
      ),
    }
  }
  return { ok: true, value }
}

const firstLine = (message: string) => (message.split('\n')[0] ?? '').replace(/:$/, '')

/** The paths where a value contains one of its own ancestors. */
function circularPaths(value: unknown, path: string, ancestors: Set<object>): string[] {
  if (typeof value !== 'object' || value === null) return []
  if (ancestors.has(value)) return [path]
  ancestors.add(value)
  const found = Object.entries(value).flatMap(([key, inner]) => circularPaths(inner, path ? `${path}.${key}` : key, ancestors))
  ancestors.delete(value)
  return found
}
