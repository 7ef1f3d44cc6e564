/**
 * Standard input for a replay (`run --input -`), moved off descriptor 0 before the store opens.
 *
 * The embedded engine runs clickhouse-local inside this process, and clickhouse-local reads
 * descriptor 0 as more data for an INSERT whenever it is not a terminal: a piped replay had its
 * first insert fail (ClickHouse error 48, "async inserts with both inlined and external data") or,
 * with other settings, its own input taken as rows. Node cannot duplicate a descriptor, and a socket
 * (what a parent process's 'pipe' is) cannot be reopened through /dev/stdin, so a relay process
 * inherits the input and copies it into a pipe of ours, and descriptor 0 becomes /dev/null.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { PassThrough, type Readable } from 'node:stream'

export interface DetachedInput {
  stream: AsyncIterable<Buffer>
  /** Ends the relay (a stop before the input's end); the input is left unread. */
  close(): void
}

export function detachStandardInput(): DetachedInput {
  const relay = spawn(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { stdio: [0, 'pipe', 'inherit'] })
  closeSync(0)
  // the lowest free descriptor: 0, just closed (nothing else opens files this early in a command)
  const devNull = openSync('/dev/null', 'r')
  if (devNull !== 0) throw new Error(`standard input: /dev/null opened as descriptor ${devNull}, not 0`)
  // Piped on at once: Node resumes (and so discards) a child's output nobody listens to yet when the
  // child exits, and a small input is relayed whole before the store has opened and reading begins.
  const stream = (relay.stdout as Readable).pipe(new PassThrough())
  return {
    stream,
    close: () => {
      stream.destroy()
      relay.stdout?.destroy()
      if (relay.exitCode === null && relay.signalCode === null) relay.kill()
    },
  }
}
