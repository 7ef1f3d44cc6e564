// What /proc says about the processor: its memory (status) and its CPU time (stat), all threads
// included, so the embedded engine's own threads count as much as the JavaScript thread.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * Resident memory now (split into anonymous pages, which the process allocated, and file-backed pages,
 * mostly the code of the embedded engine's 570 MB library) and the peak (VmHWM).
 */
export interface Memory {
  rssMb: number
  anonMb: number
  fileMb: number
  hwmMb: number
}

export function memoryOf(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rssMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024, hwmMb: kb('VmHWM') / 1024 }
  } catch {
    return null
  }
}

/**
 * utime + stime of a /proc/<pid>/stat line, in clock ticks. The second field (the command name, in
 * parentheses) may itself hold spaces and parentheses, so fields are counted from the last ')':
 * the state is field 3, utime field 14 and stime field 15 (proc(5)).
 */
export function cpuTicksOfStat(stat: string): number {
  const end = stat.lastIndexOf(')')
  if (end < 0) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`)
  const fields = stat
    .slice(end + 1)
    .trim()
    .split(/\s+/)
  // fields[0] is field 3 (state), so field n is fields[n - 3]
  const utime = Number(fields[14 - 3])
  const stime = Number(fields[15 - 3])
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error(`no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 80)}`)
  return utime + stime
}

let ticksPerSecond: number | null = null

/** The kernel's clock ticks per second (USER_HZ), which /proc/<pid>/stat counts in: 100 on every common Linux. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** CPU seconds the process used so far, every thread included (user + system); null once it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    return cpuTicksOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicksPerSecond()
  } catch {
    return null
  }
}
