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
  type BaseText,
  type PublicRecord,
} from './adversarial.js'
import { buildAdversarialChannels, type ChannelInfo } from './adversarial-channels.js'
import { eachJsonlObject } from './neardup.js'

export function readPublicRecords(path: string): PublicRecord[] {
  const out: PublicRecord[] = []
  eachJsonlObject(readFileSync(path, 'utf8'), (o) => {
    if (typeof o['text'] === 'string' && typeof o['group'] === 'string' && typeof o['kind'] === 'string')
      out.push({ text: o['text'], group: o['group'], kind: o['kind'] })
  })
  return out
}

/**
 * The texts both adversarial sets are made of: every base text (the public set's campaigns, the
 * generator's templates, the multilingual and the short texts) and the public set's ham.
 */
function adversarialTexts(publicPath: string, seed: number): { bases: BaseText[]; ham: string[] } {
  const { bases, ham } = publicBaseTexts(readPublicRecords(publicPath))
  return { bases: [...bases, ...templateBaseTexts(seed), ...multilingualBaseTexts(), ...shortBaseTexts()], ham }
}

/** The adversarial near-duplicate set of the public set at `publicPath` (every copy, or at most `maxGroupSize` a campaign). */
export function adversarialSetFrom(publicPath: string, seed: number, maxGroupSize?: number): AdversarialRecord[] {
  return buildAdversarialSet({ seed, ...adversarialTexts(publicPath, seed), ...(maxGroupSize === undefined ? {} : { maxGroupSize }) })
}

export function writeAdversarialSet(
  publicPath: string,
  outPath: string,
  seed: number,
  maxGroupSize?: number,
): { records: number; bases: number; tune: number; heldout: number } {
  const records = adversarialSetFrom(publicPath, seed, maxGroupSize)
  writeFileSync(outPath, adversarialJsonl(records))
  const groups = new Map<string, string>()
  for (const r of records) if (r.label === 'spam') groups.set(r.group, r.half)
  const tune = [...groups.values()].filter((h) => h === 'tune').length
  return { records: records.length, bases: groups.size, tune, heldout: groups.size - tune }
}

/**
 * The adversarial clone-channel set (./adversarial-channels.ts) as the public set's two files: the
 * messages (JSONL with `channel`, `ts`, `ops`, `half`) and the channels (`clone_of`, `half`).
 */
export function writeAdversarialChannels(
  publicPath: string,
  outPath: string,
  channelsOutPath: string,
  seed: number,
): { records: number; clones: Record<string, number> } {
  const { bases, ham } = adversarialTexts(publicPath, seed)
  const set = buildAdversarialChannels({ seed, posts: ham, spam: bases })
  writeFileSync(outPath, set.records.map((r) => JSON.stringify(r)).join('\n') + '\n')
  writeFileSync(channelsOutPath, JSON.stringify(set.channels, null, 1) + '\n')
  const clones: Record<string, number> = {}
  for (const info of Object.values<ChannelInfo>(set.channels)) if (info.type === 'clone') clones[info.half] = (clones[info.half] ?? 0) + 1
  return { records: set.records.length, clones }
}
