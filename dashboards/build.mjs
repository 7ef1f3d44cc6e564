#!/usr/bin/env node
// Builds the Grafana dashboards in dashboards/grafana/*.json from the definitions in ./build/ (one module a dashboard) (the JSON
// files are committed; `node dashboards/build.mjs` rewrites them, `--check` fails if they are stale).
// Dashboards read ClickHouse through the official plugin (grafana-clickhouse-datasource) and
// Prometheus, each picked through a data source variable. ClickHouse panels use the plugin's macros
// ($__timeFilter, $__timeInterval, $__fromTime, $__toTime, $__conditionalAll) so the time picker
// and variables apply; every panel's SQL is run by test/integration/dashboards-sql.test.ts.
//
// Column contract checked by the tests: a table panel lists every column its query returns, in
// order, in its "organize" transformation; a time series query returns `time` first, then numbers
// (and at most one text column naming the series); stat and bar chart queries return numbers (a bar
// chart first a text column).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { campaigns } from './build/campaigns.mjs'
import { channels } from './build/channels.mjs'
import { overview } from './build/overview.mjs'
import { pipeline } from './build/pipeline-health.mjs'
import { transparency } from './build/transparency.mjs'

const OUT = fileURLToPath(new URL('./grafana/', import.meta.url))

// ---------------------------------------------------------------- output

export const DASHBOARDS = {
  'abuse-overview': overview,
  campaigns: campaigns,
  channels: channels,
  transparency: transparency,
  'pipeline-health': pipeline,
}

export function render() {
  return Object.entries(DASHBOARDS).map(([file, build]) => ({ file: `${file}.json`, text: `${JSON.stringify(build(), null, 2)}\n` }))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  let stale = 0
  for (const { file, text } of render()) {
    const target = path.join(OUT, file)
    let current = null
    try {
      current = readFileSync(target, 'utf8')
    } catch {
      // not generated yet: written below
    }
    if (current === text) continue
    if (check) {
      process.stderr.write(`stale: dashboards/grafana/${file} (run node dashboards/build.mjs)\n`)
      stale++
    } else {
      writeFileSync(target, text)
      process.stdout.write(`wrote dashboards/grafana/${file}\n`)
    }
  }
  process.exit(stale > 0 ? 1 : 0)
}
