import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cpuSecondsOf, cpuTicksOfStat } from '../../../bench/pipeline/proc.js'

// A real line of /proc/<pid>/stat (a node process): utime 1234 and stime 56 are fields 14 and 15.
const STAT =
  '4242 (node) S 4200 4242 4200 0 -1 4194304 51234 0 12 0 1234 56 0 0 20 0 11 0 309949 1203494912 98304 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0'

test('utime + stime are read from fields 14 and 15', () => {
  assert.equal(cpuTicksOfStat(STAT), 1234 + 56)
})

test('a command name with spaces and parentheses does not shift the fields', () => {
  assert.equal(cpuTicksOfStat(STAT.replace('(node)', '(a (b) c) d)')), 1234 + 56)
})

test('a line that is not a stat line is refused, not read as zero', () => {
  assert.throws(() => cpuTicksOfStat('no parenthesis here'), /not a \/proc\/<pid>\/stat line/)
  assert.throws(() => cpuTicksOfStat('1 (x) S 1 2'), /no utime\/stime/)
})

test('this process has used some CPU, and a process that does not exist has none to report', () => {
  const seconds = cpuSecondsOf(process.pid)
  assert.ok(seconds !== null && seconds > 0, `cpu seconds of this process: ${seconds}`)
  assert.equal(cpuSecondsOf(2 ** 30), null)
})
