/**
 * The only file reading of src/scoring and src/channels: the rules file and the protected-names
 * file, read with node:fs and handed to the pure parsers (loadRules, parseProtectedNames), which
 * validate them and list every problem. Called once at start (and on a reload, if the caller wants
 * one); a bad file fails the start with RulesError / ProtectedNamesError.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseProtectedNames, type ProtectedName } from '../channels/protected.js'
import { loadRules, type Rules } from './rules.js'

export const DEFAULT_RULES_PATH = fileURLToPath(new URL('../../config/rules.yaml', import.meta.url))
export const DEFAULT_PROTECTED_NAMES_PATH = fileURLToPath(new URL('../../config/protected-names.yaml', import.meta.url))

export function loadRulesFile(path: string = DEFAULT_RULES_PATH): Rules {
  return loadRules(readFileSync(path, 'utf8'), path)
}

export function loadProtectedNamesFile(path: string = DEFAULT_PROTECTED_NAMES_PATH): { names: ProtectedName[]; affixes: string[] | undefined } {
  return parseProtectedNames(readFileSync(path, 'utf8'), path)
}
