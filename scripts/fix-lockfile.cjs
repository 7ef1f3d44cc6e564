// Run after `npm install` (npm run lockfile): adds lock entries for chdb's platform packages that this registry does not serve (404), so `npm ci`
// accepts the lock; `npm install` drops them again, so the committed lockfile must carry them for `npm ci` to accept it.
const fs = require('fs')
const file = process.argv[2] || 'package-lock.json'
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const chdb = lock.packages['node_modules/chdb']
const platforms = {
  'lib-darwin-arm64': ['darwin', 'arm64', null],
  'lib-darwin-x64': ['darwin', 'x64', null],
  'lib-linux-arm64-gnu': ['linux', 'arm64', ['glibc']],
  'lib-linux-x64-gnu': ['linux', 'x64', ['glibc']],
}
for (const [name, [os, cpu, libc]] of Object.entries(platforms)) {
  const key = `node_modules/@chdb/${name}`
  if (lock.packages[key]) continue
  const version = chdb.optionalDependencies[`@chdb/${name}`]
  lock.packages[key] = { version, cpu: [cpu], license: 'Apache-2.0', optional: true, os: [os], ...(libc ? { libc } : {}) }
}
const sorted = {}
for (const k of Object.keys(lock.packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)))
  sorted[k] = lock.packages[k]
lock.packages = sorted
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n')
