import type { ServiceInstance } from '../services/load-balancer.ts'
import type { RouterIndex } from './router-index.ts'
import type { RuntimeReport } from '../config/report.ts'

/**
 * One generation of the routing model: immutable once built. The engine
 * holds a reference to the current one; requests take a reference for their
 * lifetime, so a retired generation is disposed only when its last request
 * has finished.
 */
export class RoutingTable {
  readonly generation: number
  readonly report: RuntimeReport
  /** Routers per entry point name. */
  readonly entryPoints: ReadonlyMap<string, RouterIndex>
  /** Services by qualified name, with the definition key that decides reuse. */
  readonly services: ReadonlyMap<string, { readonly key: string; readonly instance: ServiceInstance }>
  readonly #owned: Set<ServiceInstance>
  #references = 0
  #retired = false
  #disposed: Promise<void> | undefined

  constructor(init: {
    generation: number
    report: RuntimeReport
    entryPoints: ReadonlyMap<string, RouterIndex>
    services: ReadonlyMap<string, { key: string; instance: ServiceInstance }>
  }) {
    this.generation = init.generation
    this.report = init.report
    this.entryPoints = init.entryPoints
    this.services = init.services
    this.#owned = new Set([...init.services.values()].map((service) => service.instance))
  }

  /** A request enters this generation. */
  acquire(): void {
    this.#references++
  }

  /** A request that entered this generation has finished. */
  release(): void {
    this.#references--
    if (this.#retired && this.#references === 0) void this.dispose()
  }

  /**
   * The next generation took over `kept` (services whose definition did not
   * change): those are no longer this table's to dispose.
   */
  retire(kept: ReadonlySet<ServiceInstance>): void {
    for (const instance of kept) this.#owned.delete(instance)
    this.#retired = true
    if (this.#references === 0) void this.dispose()
  }

  /** Stops what this generation alone owns: the service balancers it did not hand on. */
  dispose(): Promise<void> {
    this.#disposed ??= Promise.allSettled([...this.#owned].map((instance) => instance.dispose())).then(() => undefined)
    return this.#disposed
  }
}
