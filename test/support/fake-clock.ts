import type { Clock } from '../../src/tls/acme/clock.ts'

/**
 * A clock tests move forward: `now()` is real time plus what `advance`
 * added, and timers fire only when `advance` passes their time, in order.
 */
export class FakeClock implements Clock {
  #offset = 0
  #timers: Array<{ due: number; fn: () => void; signal: AbortSignal }> = []

  now(): number {
    return Date.now() + this.#offset
  }

  timer(ms: number, fn: () => void, signal: AbortSignal): void {
    if (!signal.aborted) this.#timers.push({ due: this.now() + ms, fn, signal })
  }

  /** Moves time forward by `ms` and runs every timer now due (those they set too, when due). */
  advance(ms: number): void {
    this.#offset += ms
    for (;;) {
      const now = this.now()
      const due = this.#timers.filter((timer) => timer.due <= now && !timer.signal.aborted).sort((a, b) => a.due - b.due)[0]
      if (due === undefined) break
      this.#timers = this.#timers.filter((timer) => timer !== due)
      due.fn()
    }
    this.#timers = this.#timers.filter((timer) => !timer.signal.aborted)
  }
}
