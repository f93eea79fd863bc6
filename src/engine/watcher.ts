import { setTimeout as delay } from 'node:timers/promises'
import type { Logger } from '../observability/logger.ts'
import type { Provider, Snapshot } from '../core/provider.ts'

export interface WatcherOptions {
  /** `providers.providersThrottleDuration` in ms: the least time between two applied snapshots of one provider. */
  readonly throttle: number
  readonly logger: Logger
  /** Called with the latest snapshot of every provider each time one of them changes. */
  readonly onChange: (snapshots: ReadonlyMap<string, Snapshot>) => void
}

/**
 * Keeps the last snapshot of each provider, drops snapshots equal to the last
 * one, and throttles each provider on its own: the first change applies at
 * once, later ones inside the throttle window collapse into the newest.
 */
export class Watcher {
  readonly #providers: readonly Provider[]
  readonly #options: WatcherOptions
  readonly #snapshots = new Map<string, Snapshot>()

  constructor(providers: readonly Provider[], options: WatcherOptions) {
    this.#providers = providers
    this.#options = options
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all(this.#providers.map((provider) => this.#supervise(provider, signal)))
  }

  /**
   * A provider whose watch loop throws is restarted with backoff; its last
   * snapshot stays live meanwhile. One that returns (a file provider with
   * `watch: false`) has said all it will say.
   */
  async #supervise(provider: Provider, signal: AbortSignal): Promise<void> {
    let backoff = 100
    while (!signal.aborted) {
      try {
        await this.#follow(provider, signal)
        return
      } catch (error) {
        if (signal.aborted) return
        this.#options.logger.error({ provider: provider.name, err: error }, `provider ${provider.name}: ${(error as Error).message}`)
      }
      if (signal.aborted) return
      await delay(backoff, undefined, { signal }).catch(() => undefined)
      backoff = Math.min(backoff * 2, 30_000)
    }
  }

  async #follow(provider: Provider, signal: AbortSignal): Promise<void> {
    const { throttle, logger } = this.#options
    let last = ''
    let pending: Snapshot | undefined
    let window: NodeJS.Timeout | undefined
    const flush = (): void => {
      window = undefined
      if (pending === undefined) return
      this.#accept(provider.name, pending)
      pending = undefined
      window = setTimeout(flush, throttle)
    }
    const stop = (): void => clearTimeout(window)
    signal.addEventListener('abort', stop, { once: true })
    try {
      for await (const snapshot of provider.watch(signal, { logger: logger.child({ provider: provider.name }) })) {
        const text = JSON.stringify(snapshot)
        if (text === last) continue
        last = text
        if (window !== undefined) {
          pending = snapshot
          continue
        }
        this.#accept(provider.name, snapshot)
        if (throttle > 0) window = setTimeout(flush, throttle)
      }
    } finally {
      stop()
      signal.removeEventListener('abort', stop)
    }
    if (pending !== undefined && !signal.aborted) this.#accept(provider.name, pending)
  }

  #accept(provider: string, snapshot: Snapshot): void {
    this.#snapshots.set(provider, snapshot)
    this.#options.onChange(this.#snapshots)
  }
}
