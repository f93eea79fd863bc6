/**
 * Capped exponential backoff for reconnecting to the Docker API: the first
 * retry comes quickly (a daemon restarting is back within a second), later
 * ones no more often than `max`, forever. A success resets it.
 *
 * @example
 * const backoff = new Backoff({ initial: 100, max: 10_000 })
 * backoff.next() // 100, then 200, 400 ... 10000, 10000
 * backoff.reset() // after a good list: the next failure waits 100 again
 */
export class Backoff {
  readonly #initial: number
  readonly #max: number
  #next: number

  constructor({ initial, max }: { readonly initial: number; readonly max: number }) {
    this.#initial = initial
    this.#max = Math.max(initial, max)
    this.#next = initial
  }

  /** The delay before the next attempt, in ms; each call doubles the one after, up to the cap. */
  next(): number {
    const delay = this.#next
    this.#next = Math.min(this.#next * 2, this.#max)
    return delay
  }

  reset(): void {
    this.#next = this.#initial
  }
}
