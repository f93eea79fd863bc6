import type { ChangeSet } from './change-set.ts'
import type { ContainerInspect, DockerApi } from './client.ts'

/** Inspections in flight at once: enough to list a hundred containers quickly, few enough not to crowd the daemon. */
export const defaultConcurrency = 16

/** How an inventory reads. */
export interface InventoryOptions {
  /** Inspections in flight at once. */
  readonly concurrency?: number
  /**
   * Whether a container listed as `created` (not started yet) is wanted,
   * from its listed labels. Docker holds a container's lock while it starts,
   * and an inspection waits for it: seconds each while a hundred containers
   * start at once. A created container is only routed when it asks to be
   * (`allownonrunning`), so the others are left out until their start, whose
   * event brings them in. Default: every one is wanted.
   */
  readonly wantsCreated?: (labels: Readonly<Record<string, string>>) => boolean
}

/**
 * What the provider knows of every container: the daemon's list, each
 * container inspected. A refresh lists all containers (running or not:
 * the builder decides, so `allownonrunning` works) and inspects those that
 * are new, that an event named, or whose listed state differs from the
 * inspected one (a guard against an event the stream never delivered);
 * the rest keep their last inspection. One inventory lives as long as one
 * connection: after a reconnection everything is inspected afresh.
 *
 * @example
 * const inventory = new Inventory(api)
 * const all = await inventory.refresh('all', signal)
 * const next = await inventory.refresh(new Set([startedId]), signal)
 */
export class Inventory {
  readonly #api: DockerApi
  readonly #concurrency: number
  readonly #wantsCreated: (labels: Readonly<Record<string, string>>) => boolean
  readonly #known = new Map<string, ContainerInspect>()

  constructor(api: DockerApi, options: InventoryOptions = {}) {
    this.#api = api
    this.#concurrency = options.concurrency ?? defaultConcurrency
    this.#wantsCreated = options.wantsCreated ?? (() => true)
  }

  /**
   * Lists, inspects what `changed` names (every container for `all`), and
   * returns every container that still exists, ordered by name then ID so
   * equal states give equal snapshots. Each inspection settles the marks
   * `pending` holds for that container from before it was sent.
   */
  async refresh(changed: ReadonlySet<string> | 'all', signal: AbortSignal, pending?: ChangeSet): Promise<ContainerInspect[]> {
    const rows = (await this.#api.listContainers(signal)).filter((row) => row.State !== 'created' || this.#wantsCreated(row.Labels ?? {}))
    const listed = new Set(rows.map((row) => row.Id))
    for (const id of this.#known.keys()) if (!listed.has(id)) this.#known.delete(id)
    const stale = rows.filter((row) => {
      if (changed === 'all' || changed.has(row.Id)) return true
      const known = this.#known.get(row.Id)
      return known === undefined || known.State?.Status !== row.State
    })
    await forEachLimited(stale, this.#concurrency, async (row) => {
      const tick = pending?.tick ?? 0
      const inspected = await this.#api.inspect(row.Id, signal)
      pending?.settle(row.Id, tick)
      if (inspected === undefined) this.#known.delete(row.Id)
      else this.#known.set(row.Id, inspected)
    })
    return [...this.#known.values()].sort(byNameThenId)
  }
}

function byNameThenId(a: ContainerInspect, b: ContainerInspect): number {
  return a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0
}

/**
 * Runs `work` on every item, at most `limit` at a time; rejects with the
 * first failure once the calls already started have settled.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T
      try {
        await work(item)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  if (failure !== undefined) throw failure.error
}
