/** Event-time units: every time in the generator is epoch milliseconds. */
export const MIN = 60_000
export const HOUR = 3_600_000
