/** The adversarial set as a file (`abuse-radar eval adversarial --out FILE`): the only part of it that reads or writes. */
import { readFileSync, writeFileSync } from 'node:fs'
import {
  adversarialJsonl,
  buildAdversarialSet,
  multilingualBaseTexts,
  publicBaseTexts,
  shortBaseTexts,
  templateBaseTexts,
  type AdversarialRecord,
  type PublicRecord,
} from './adversarial.js'
import { eachJsonlObject } from './neardup.js'

export function readPublicRecords(path: string): PublicRecord[] {
  const out: PublicRecord[] = []
  eachJsonlObject(readFileSync(path, 'utf8'), (o) => {
    if (typeof o['text'] === 'string' && typeof o['group'] === 'string' && typeof o['kind'] === 'string')
      out.push({ text: o['text'], group: o['group'], kind: o['kind'] })
  })
  return out
}

/** The adversarial set of the public set at `publicPath`, the generator's templates, the multilingual and the short texts. */
export function adversarialSetFrom(publicPath: string, seed: number): AdversarialRecord[] {
  const { bases, ham } = publicBaseTexts(readPublicRecords(publicPath))
  return buildAdversarialSet({ seed, bases: [...bases, ...templateBaseTexts(seed), ...multilingualBaseTexts(), ...shortBaseTexts()], ham })
}

export function writeAdversarialSet(
  publicPath: string,
  outPath: string,
  seed: number,
): { records: number; bases: number; tune: number; heldout: number } {
  const records = adversarialSetFrom(publicPath, seed)
  writeFileSync(outPath, adversarialJsonl(records))
  const groups = new Map<string, string>()
  for (const r of records) if (r.label === 'spam') groups.set(r.group, r.half)
  const tune = [...groups.values()].filter((h) => h === 'tune').length
  return { records: records.length, bases: groups.size, tune, heldout: groups.size - tune }
}
