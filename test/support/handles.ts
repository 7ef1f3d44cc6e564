/**
 * Sockets and timers a test leaves behind, with where each was created: a stopped member must leave
 * nothing that keeps the process alive (a leak makes the test file sit out its timeout after its
 * tests passed, with no clue which client it was). Tracks what is created after `trackHandles()`.
 */
import { createHook } from 'node:async_hooks'
import assert from 'node:assert/strict'
import { sleep } from './harness.js'

interface Tracked {
  type: string
  stack: string
  resource: { hasRef?: () => boolean; destroyed?: boolean; _destroyed?: boolean }
}

const TRACKED_TYPES = new Set(['TCPWRAP', 'Timeout'])

export function trackHandles(): { assertNoneLeft(timeoutMs?: number): Promise<void> } {
  const live = new Map<number, Tracked>()
  const hook = createHook({
    init(id, type, _trigger, resource) {
      if (!TRACKED_TYPES.has(type)) return
      const holder = { stack: '' }
      const limit = Error.stackTraceLimit
      Error.stackTraceLimit = 30 // a client's socket is opened twenty frames below the call that needed it
      Error.captureStackTrace(holder)
      Error.stackTraceLimit = limit
      live.set(id, { type, stack: holder.stack, resource })
    },
    destroy(id) {
      live.delete(id)
    },
  })
  hook.enable()
  const keepingAlive = () =>
    [...live.values()].filter(({ type, resource }) =>
      type === 'Timeout' ? !resource._destroyed && resource.hasRef?.() !== false : !resource.destroyed,
    )
  return {
    /** Waits for sockets and timers to close (a close completes asynchronously), then fails with the creation stack of each one left. */
    async assertNoneLeft(timeoutMs = 10_000) {
      hook.disable() // this wait's own timers are not the test's
      const deadline = Date.now() + timeoutMs
      while (keepingAlive().length > 0 && Date.now() < deadline) await sleep(100)
      const left = keepingAlive().map(
        ({ type, stack }) =>
          `${type}${stack
            .split('\n')
            .slice(2)
            .filter((l) => !l.includes('node:'))
            .join('\n')}`,
      )
      assert.deepEqual(left, [], `sockets and timers left:\n${left.join('\n\n')}`)
    },
  }
}
