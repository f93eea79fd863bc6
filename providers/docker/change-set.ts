/**
 * Coalesces Docker events into rounds of work. Events only mark containers
 * as changed; the watch loop takes every mark at once, lists and re-inspects
 * them, and takes again. Events that arrive while a round runs wait for the
 * next one, so a hundred containers starting together cost a handful of
 * rounds, not a hundred, and nothing marked is ever lost.
 *
 * @example
 * const changes = new ChangeSet()
 * changes.mark('3f2a...') // from the event stream
 * const ids = await changes.take(signal) // Set { '3f2a...' }, cleared
 */
export class ChangeSet {
  /** Each marked container, with the tick of its latest mark. */
  #ids = new Map<string, number>()
  #tick = 0
  #failure: unknown
  #failed = false
  #wake: (() => void) | undefined

  /** Records that `id` may have changed. */
  mark(id: string): void {
    this.#ids.set(id, ++this.#tick)
    this.#notify()
  }

  /** The current tick: read it just before asking the daemon about a container. */
  get tick(): number {
    return this.#tick
  }

  /**
   * `id` was inspected by a request sent at `tick`: marks made before then
   * are answered by it (a container inspected as new during a round need
   * not be inspected again for the start event that announced it).
   */
  settle(id: string, tick: number): void {
    const marked = this.#ids.get(id)
    if (marked !== undefined && marked <= tick) this.#ids.delete(id)
  }

  /** The event stream broke or ended: every later {@link take} throws `error` (the reconnection lists everything anyway). */
  fail(error: unknown): void {
    if (this.#failed) return
    this.#failed = true
    this.#failure = error
    this.#notify()
  }

  /**
   * Waits until something is marked, then hands over every mark and clears
   * them. Throws the failure, or the abort reason when `signal` aborts.
   */
  async take(signal: AbortSignal): Promise<ReadonlySet<string>> {
    for (;;) {
      if (this.#failed) throw this.#failure
      signal.throwIfAborted()
      if (this.#ids.size > 0) break
      await new Promise<void>((resolve, reject) => {
        const abort = (): void => reject(signal.reason)
        this.#wake = () => {
          signal.removeEventListener('abort', abort)
          resolve()
        }
        signal.addEventListener('abort', abort, { once: true })
      })
    }
    const ids = new Set(this.#ids.keys())
    this.#ids.clear()
    return ids
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }
}
