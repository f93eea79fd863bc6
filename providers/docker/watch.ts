import { setTimeout as delay } from 'node:timers/promises'
import type { Logger, Snapshot } from '../../src/provider-plugin.ts'
import { Backoff } from './backoff.ts'
import { ChangeSet } from './change-set.ts'
import type { ContainerInspect, DockerApi } from './client.ts'
import { changedContainer } from './event-stream.ts'
import { Inventory, type InventoryOptions } from './inventory.ts'
import { ProblemLog } from './problem-log.ts'

/** What the watch loop needs: a way to the API, the pure builder, and its pace. */
export interface DockerWatchOptions {
  /** The endpoint, for messages. */
  readonly endpoint: string
  /**
   * A client for one connection attempt. Called again for every attempt, so
   * a TLS file that was missing is read again, and no socket of a daemon
   * that went away is reused; it may throw (a missing file), which is
   * retried as any other failure.
   */
  readonly connect: () => DockerApi
  /** Containers (all of them, inspected) to a snapshot: the pure builder. */
  readonly build: (containers: readonly ContainerInspect[]) => Snapshot
  /** Follow the event stream; without it, one snapshot once the daemon answers, as Traefik does. */
  readonly watch: boolean
  readonly logger: Logger
  /** Reconnection delays in ms; default 100 doubling to 10 s. */
  readonly backoff?: { readonly initial: number; readonly max: number }
  /** How the containers are read (see {@link InventoryOptions}). */
  readonly inventory?: InventoryOptions
}

/**
 * The Docker provider's I/O loop: connect (version), subscribe to events,
 * list and inspect every container, build, emit; then one more list for
 * each round of events. Subscribing before listing leaves no gap in which a
 * change could go unseen. On any failure (daemon unreachable, stream cut,
 * a call timing out) it logs a warning naming the endpoint, emits nothing
 * (the last snapshot stays live), waits with capped backoff and starts
 * again from a full list, forever, until `signal` aborts.
 *
 * @example
 * for await (const snapshot of watchDocker({ api, build, watch: true, logger }, signal)) apply(snapshot)
 */
export async function* watchDocker(options: DockerWatchOptions, signal: AbortSignal): AsyncGenerator<Snapshot> {
  const backoff = new Backoff(options.backoff ?? { initial: 100, max: 10_000 })
  const problems = new ProblemLog(options.logger)
  while (!signal.aborted) {
    // Each connection gets its own signal, so a failed one leaves no stream or request behind.
    const connection = new AbortController()
    const abort = (): void => connection.abort(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    try {
      for await (const snapshot of follow(options.connect(), options, connection.signal, backoff)) {
        problems.report(snapshot)
        yield snapshot
      }
      return
    } catch (error) {
      if (signal.aborted) return
      const wait = backoff.next()
      const message = error instanceof Error ? error.message : String(error)
      options.logger.warn(
        { endpoint: options.endpoint, err: error, retryInMs: wait },
        `docker provider: ${message}; keeping the last docker configuration, retrying in ${wait}ms`,
      )
      await delay(wait, undefined, { signal }).catch(() => undefined)
    } finally {
      signal.removeEventListener('abort', abort)
      connection.abort()
    }
  }
}

/**
 * One connection's life: returns only without `watch`, after its one
 * snapshot; otherwise runs until it throws (the stream ended or broke, a
 * call failed) or `signal` aborts.
 */
async function* follow(api: DockerApi, options: DockerWatchOptions, signal: AbortSignal, backoff: Backoff): AsyncGenerator<Snapshot> {
  const { logger } = options
  const version = await api.version(signal)
  logger.info({ endpoint: api.endpoint, dockerVersion: version.Version, apiVersion: version.ApiVersion }, `connected to docker ${version.Version} (API ${version.ApiVersion}) at ${api.endpoint}`)
  const changes = new ChangeSet()
  if (options.watch) pump(await api.events(signal), changes, api.endpoint, logger)
  const inventory = new Inventory(api, options.inventory)
  yield options.build(await inventory.refresh('all', signal, changes))
  backoff.reset()
  if (!options.watch) return
  for (;;) {
    const changed = await changes.take(signal)
    yield options.build(await inventory.refresh(changed, signal, changes))
  }
}

/** Feeds the event stream into `changes` until it ends or breaks, which it reports there: the loop then reconnects. */
function pump(events: AsyncIterable<Parameters<typeof changedContainer>[0]>, changes: ChangeSet, endpoint: string, logger: Logger): void {
  void (async () => {
    try {
      for await (const event of events) {
        const id = changedContainer(event)
        if (id === undefined) continue
        logger.debug({ container: id, action: event.Action }, `docker event ${event.Action ?? ''} for container ${id.slice(0, 12)}`)
        changes.mark(id)
      }
      changes.fail(new Error(`the event stream from ${endpoint} ended`))
    } catch (error) {
      changes.fail(error)
    }
  })()
}
