import type { HealthView } from '../core/instance.ts'

/**
 * Down verdicts by service: what the control plane has decided (it sends
 * them to every worker, and to a new worker at its start) and what each
 * worker holds, with who to tell when one changes.
 */
export class HealthBoard implements HealthView {
  readonly #down = new Map<string, Set<string>>()
  readonly #watchers = new Map<string, Set<() => void>>()

  isDown(service: string, server: string): boolean {
    return this.#down.get(service)?.has(server) ?? false
  }

  watch(service: string, listener: () => void): () => void {
    let listeners = this.#watchers.get(service)
    if (listeners === undefined) this.#watchers.set(service, (listeners = new Set()))
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) this.#watchers.delete(service)
    }
  }

  set(service: string, server: string, down: boolean): void {
    let servers = this.#down.get(service)
    if (down) {
      if (servers === undefined) this.#down.set(service, (servers = new Set()))
      servers.add(server)
    } else {
      servers?.delete(server)
      if (servers?.size === 0) this.#down.delete(service)
    }
    for (const listener of this.#watchers.get(service) ?? []) listener()
  }

  /** Every server marked down, as (service, server) pairs. */
  down(): Array<readonly [string, string]> {
    return [...this.#down].flatMap(([service, servers]) => [...servers].map((server) => [service, server] as const))
  }
}
