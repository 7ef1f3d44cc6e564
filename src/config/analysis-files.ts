/**
 * The files the analysis stages are configured with: the spam rules and the protected names. They
 * are read here, so that src/scoring and src/channels stay pure: those compile a parsed document and
 * list every problem of it; a file that cannot be read or parsed fails the same way, with its own code.
 */
import { fileURLToPath } from 'node:url'
import { compileProtectedNames, type ProtectedName } from '../channels/protected.js'
import { ProtectedNamesError, RulesError } from '../domain/errors.js'
import { compileRules, type Rules, type RulesFile } from '../scoring/rules.js'
import { readYamlFile } from './yaml-file.js'

export const DEFAULT_RULES_PATH = fileURLToPath(new URL('../../config/rules.yaml', import.meta.url))
export const DEFAULT_PROTECTED_NAMES_PATH = fileURLToPath(new URL('../../config/protected-names.yaml', import.meta.url))

export function loadRulesFile(path: string = DEFAULT_RULES_PATH): Rules {
  const file = readYamlFile(path)
  if (!file.ok) throw new RulesError(path, file.problems)
  return compileRules(file.value, path)
}

/**
 * The precision floors of the enabled enforcing rules (`rules.<id>.precision_floor`): the measured
 * precision below which a rule alerts. Scoring ignores them, so they are not part of Rules.
 */
export function loadPrecisionFloors(path: string = DEFAULT_RULES_PATH): Map<string, number> {
  const rules = loadRulesFile(path)
  const file = readYamlFile(path)
  if (!file.ok) throw new RulesError(path, file.problems)
  const document = file.value as RulesFile
  const floors = new Map<string, number>()
  for (const rule of rules.rules) {
    const floor = document.rules[rule.id]?.precision_floor
    if (!rule.shadow && floor !== undefined) floors.set(rule.id, floor)
  }
  return floors
}

export function loadProtectedNamesFile(path: string = DEFAULT_PROTECTED_NAMES_PATH): {
  names: ProtectedName[]
  affixes: string[] | undefined
} {
  const file = readYamlFile(path)
  if (!file.ok) throw new ProtectedNamesError(path, file.problems)
  return compileProtectedNames(file.value, path)
}
