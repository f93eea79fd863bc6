/**
 * Time as certificate renewal sees it: injected, so tests move it forward
 * instead of waiting days.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Calls `fn` once, `ms` from now, unless `signal` aborts first. */
  timer(ms: number, fn: () => void, signal: AbortSignal): void
}

/** Node's timers accept at most 2^31-1 ms (about 24.8 days); longer waits are chained. */
const longestTimeout = 2 ** 31 - 1

/** Real time: unref'd timers (a pending renewal never keeps the process alive), cleared when the signal aborts. */
export const systemClock: Clock = {
  now: () => Date.now(),
  timer(ms, fn, signal) {
    if (signal.aborted) return
    const due = Date.now() + ms
    let handle: NodeJS.Timeout
    const arm = (wait: number): void => {
      handle = setTimeout(() => {
        const left = due - Date.now()
        if (left > 0) return arm(left)
        signal.removeEventListener('abort', clear)
        fn()
      }, Math.min(Math.max(wait, 0), longestTimeout))
      handle.unref()
    }
    const clear = (): void => clearTimeout(handle)
    signal.addEventListener('abort', clear, { once: true })
    arm(ms)
  },
}
