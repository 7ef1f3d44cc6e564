#!/usr/bin/env node
// The installed CLI: runs the compiled build when present, the TypeScript sources through tsx otherwise
// (a development checkout), so `abuse-radar` works before and after `npm run build`.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const compiled = fileURLToPath(new URL('../dist/main.js', import.meta.url))
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(fileURLToPath(new URL('../src/main.ts', import.meta.url))).href)
}
