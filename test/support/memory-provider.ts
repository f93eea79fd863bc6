import type { Provider, Snapshot } from '../../src/provider-plugin.ts'

/**
 * A provider whose snapshots the test pushes by hand, to stand beside the
 * file provider (cross-provider references) or drive the builder directly.
 */
export class MemoryProvider implements Provider {
  readonly name: string
  #latest: Snapshot | undefined
  #wake: (() => void) | undefined

  constructor(name: string, config?: Record<string, unknown>) {
    this.name = name
    if (config) this.#latest = { config, problems: [] }
  }

  push(config: Record<string, unknown>): void {
    this.#latest = { config, problems: [] }
    this.#wake?.()
  }

  async *watch(signal: AbortSignal): AsyncIterable<Snapshot> {
    let sent: Snapshot | undefined
    while (!signal.aborted) {
      if (this.#latest !== undefined && this.#latest !== sent) {
        sent = this.#latest
        yield sent
        continue
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve
        signal.addEventListener('abort', () => resolve(), { once: true })
      })
    }
  }
}
