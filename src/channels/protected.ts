/**
 * The protected-names list (config/protected-names.yaml): official channels and well-known brands
 * whose look-alikes are impersonations even when the real chat never posts in the stream.
 *
 * One TypeBox schema is both the TypeScript type and the validator. `compileProtectedNames(document,
 * source)` takes the parsed file (no I/O here; `loadProtectedNamesFile` in src/config/analysis-files.ts
 * reads it) and throws ProtectedNamesError listing every problem.
 */
import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ProtectedNamesError } from '../domain/errors.js'

const Strict = { additionalProperties: false } as const

export const ProtectedNameSchema = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 2, maxLength: 64, pattern: '^@?[A-Za-z0-9_]+$' })),
    title: Type.Optional(Type.String({ minLength: 2, maxLength: 128 })),
    /** the protected chat's id, when known: pairs are then written against it */
    chat_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** a common word (`wallet`, `premium`): only impersonation words around it make a look-alike */
    generic: Type.Optional(Type.Boolean()),
  },
  Strict,
)

export const ProtectedNamesFileSchema = Type.Object(
  {
    version: Type.Literal(1),
    /** impersonation words (official, support, ...); the built-in list when absent */
    affixes: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 32 }), { maxItems: 1000 })),
    names: Type.Array(ProtectedNameSchema, { maxItems: 100_000 }),
  },
  Strict,
)

export type ProtectedNamesFile = Static<typeof ProtectedNamesFileSchema>

/** A protected name as ChatSimilarity takes it. */
export interface ProtectedName {
  username?: string
  title?: string
  chatId?: string
  generic?: boolean
}

const checker = TypeCompiler.Compile(ProtectedNamesFileSchema)

export function compileProtectedNames(doc: unknown, source: string): { names: ProtectedName[]; affixes: string[] | undefined } {
  const problems: string[] = []
  for (const e of checker.Errors(doc)) {
    const path = e.path.replace(/^\//, '').split('/').join('.') || '(root)'
    problems.push(`${path}: ${e.message}${e.value === undefined || typeof e.value === 'object' ? '' : ` (got ${JSON.stringify(e.value)})`}`)
  }
  // checks across entries, also when some entries are malformed (every problem at once)
  const names = (doc as { names?: unknown } | null)?.names
  if (Array.isArray(names)) {
    const seen = new Set<string>()
    names.forEach((n: unknown, i) => {
      if (typeof n !== 'object' || n === null) return
      const e = n as Record<string, unknown>
      if (e['username'] === undefined && e['title'] === undefined) problems.push(`names.${i}: needs a username or a title`)
      const k = typeof e['username'] === 'string' ? e['username'].replace(/^@/, '').toLowerCase() : ''
      if (k && seen.has(k)) problems.push(`names.${i}.username: @${k} is listed twice`)
      if (k) seen.add(k)
    })
  }
  if (problems.length > 0) throw new ProtectedNamesError(source, problems)
  const file = doc as ProtectedNamesFile
  return {
    names: file.names.map((n) => {
      const p: ProtectedName = {}
      if (n.username !== undefined) p.username = n.username.replace(/^@/, '')
      if (n.title !== undefined) p.title = n.title
      if (n.chat_id !== undefined) p.chatId = n.chat_id
      if (n.generic !== undefined) p.generic = n.generic
      return p
    }),
    affixes: file.affixes,
  }
}
