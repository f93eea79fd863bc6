import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'
import { createRuntimeReport, objectReport, type RuntimeReport } from '../config/report.ts'
import type { StaticConfig } from '../config/static.ts'
import type { DynamicConfig } from '../config/dynamic.ts'
import type { MiddlewareEntry } from '../core/middleware.ts'
import type { Provider, ProviderCreateContext, ProviderEntry } from '../core/provider.ts'
import type { Logger } from '../observability/logger.ts'
import type { TrafficCounts } from '../engine/traffic-counters.ts'
import { importMiddlewares } from './worker-modules.ts'
import { WorkerPool, type ServerFailure, type WorkerStatus } from './worker-pool.ts'
import type { SharedCounters } from './shared-counters.ts'
import { mergeModel } from '../engine/merge-model.ts'
import type { ExchangeObserver } from '../engine/entry-point.ts'
import type { RoutingTable } from '../engine/routing-table.ts'
import { reportTransportsNotYet } from '../engine/transports-not-yet.ts'
import { Watcher } from '../engine/watcher.ts'
import type { Snapshot } from '../core/provider.ts'
import type { ObjectSchema } from '../config/schema.ts'
import { TlsFileWatch } from '../tls/file-watch.ts'
import { TlsFileReader, tlsFilePaths } from '../tls/tls-files.ts'
import type { AcmeManager, CertificateStatus, DnsProviderFactory } from '../tls/acme/manager.ts'
import { systemClock, type Clock } from '../tls/acme/clock.ts'

/** The providers and middlewares Junction may use, from the composition root. */
export interface Catalogue {
  readonly providers: readonly ProviderEntry[]
  readonly middlewares: readonly MiddlewareEntry[]
}

export interface JunctionOptions {
  readonly catalogue: Catalogue
  readonly logger: Logger
  /** Directory relative paths in provider options resolve against. */
  readonly configDir: string
  /** Providers to run besides those the static configuration enables (tests, embedding). */
  readonly extraProviders?: readonly Provider[]
  /**
   * Middleware types besides those of `middlewares/index.ts` (tests,
   * embedding). Functions cannot cross to a worker thread: with them the
   * workers run in this thread (`dataPlane: 'inline'`).
   */
  readonly extraMiddlewares?: readonly MiddlewareEntry[]
  /** Told how every exchange ended, as the client saw it. Like `extraMiddlewares`, it keeps the workers in this thread. */
  readonly onExchange?: ExchangeObserver
  /** Module URLs each worker imports; their `middlewares` export adds middleware types, in worker threads too. */
  readonly workerModules?: readonly string[]
  /**
   * Where the workers run: `threads` (the `junction` command: one worker
   * thread each) or `inline` (every worker in this thread, each with its own
   * listeners). Default: `inline` when functions are given, else `threads`.
   */
  readonly dataPlane?: 'threads' | 'inline'
  /** Makes the DNS-01 provider a resolver's `dnsChallenge.provider` names, from `env`. */
  readonly dnsProviders?: DnsProviderFactory
  /** Where DNS providers read their credentials; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The clock certificate renewal runs on; tests move a fake one forward. Default: real time. */
  readonly clock?: Clock
}

/** A generation live on every worker, and its runtime report. */
export interface LiveGeneration {
  readonly generation: number
  readonly report: RuntimeReport
}

/**
 * The control plane: it runs the providers and the watcher, validates and
 * merges their snapshots into one model per generation, and publishes each
 * generation to the workers (`WorkerPool`), which own the entry points and
 * build and serve it. Start it through `src/composition.ts`, which hands it
 * the catalogue.
 */
export class Junction {
  readonly #config: StaticConfig
  readonly #options: JunctionOptions
  readonly #abort = new AbortController()
  readonly #listeners = new Set<(live: LiveGeneration) => void>()
  readonly #pool: WorkerPool
  #live: LiveGeneration = { generation: 0, report: createRuntimeReport(0) }
  #published = 0
  #watching: Promise<void> = Promise.resolve()
  /**
   * The latest snapshot of every provider, and the schemas they are validated with: what a new generation is merged
   * from (again when a tls file changes, or a certificate resolver issues a certificate).
   */
  #snapshots: ReadonlyMap<string, Snapshot> | undefined
  #middlewareTypes: Readonly<Record<string, ObjectSchema>> = {}
  readonly #tlsFiles = new TlsFileReader()
  readonly #tlsWatch: TlsFileWatch
  /** The certificate resolvers, when the static configuration has any. */
  #acme: AcmeManager | undefined
  #republishing = false
  /** Bound addresses by entry point name, known once `start` resolves. */
  readonly addresses = new Map<string, AddressInfo>()

  constructor(config: StaticConfig, options: JunctionOptions) {
    this.#config = config
    this.#options = options
    const functions = options.extraMiddlewares !== undefined || options.onExchange !== undefined
    const mode = options.dataPlane ?? (functions ? 'inline' : 'threads')
    this.#pool = new WorkerPool({
      config,
      count: workerCount(config),
      mode,
      logger: options.logger,
      shipped: options.catalogue.middlewares,
      modules: options.workerModules ?? [],
      inline: { ...(options.extraMiddlewares && { middlewares: options.extraMiddlewares }), ...(options.onExchange && { onExchange: options.onExchange }) },
      onLive: (generation, report) => this.#announce({ generation, report }),
    })
    this.#tlsWatch = new TlsFileWatch({
      // A certificate and its key are written one after the other: wait for both before reading either.
      debounceMs: 200,
      maxDelayMs: 2_000,
      onSettled: () => {
        if (this.#snapshots === undefined || !this.#tlsFiles.changed()) return
        options.logger.info('tls files changed on disk: publishing a new generation')
        this.#publish()
      },
      onError: (error) => options.logger.warn({ err: error }, `watching tls files: ${(error as Error).message}`),
    })
  }

  /** The latest generation every worker serves. */
  get live(): LiveGeneration {
    return this.#live
  }

  /** Calls `listener` each time a generation is live on every worker; returns the function that unsubscribes. */
  onLive(listener: (live: LiveGeneration) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Each worker: its index, thread, state and the generation it serves. */
  get workers(): WorkerStatus[] {
    return this.#pool.workers
  }

  /**
   * The first in-thread worker's live routing table (`dataPlane: 'inline'`),
   * for tests that look inside a generation.
   *
   * @throws Error when the workers run in threads of their own.
   */
  async table(worker = 0): Promise<RoutingTable> {
    const plane = this.#pool.links[worker]?.plane
    if (plane === undefined) throw new Error(`worker ${worker} does not run in this thread`)
    return (await plane).table
  }

  /** The instance's traffic counts, every worker's, collected now. */
  traffic(): Promise<TrafficCounts> {
    return this.#pool.traffic()
  }

  /** Publishes a value every worker answers (an ACME HTTP-01 token); resolves once all of them have it. */
  setValue(key: string, value: string | undefined): Promise<void> {
    return this.#pool.setValue(key, value)
  }

  /** Every certificate the certificate resolvers hold, with its expiry (none without resolvers). */
  certificates(): CertificateStatus[] {
    return this.#acme?.certificates() ?? []
  }

  /** Marks a server of a service down (`up` false) or up again on every worker; resolves once every worker applied it. */
  markServer(service: string, server: string, up: boolean): Promise<void> {
    return this.#pool.markServer(service, server, up)
  }

  /** Calls `listener` for each server failure a worker reports (passive health). */
  onServerFailure(listener: (failure: ServerFailure) => void): () => void {
    return this.#pool.onFailure(listener)
  }

  /** The counters every worker shares (shared decisions), as the control plane reads them. */
  get shared(): SharedCounters {
    return this.#pool.shared
  }

  /**
   * Starts the workers (each binds every entry point, generation 0 live),
   * then the providers.
   *
   * @throws JunctionError `JCT_ERR_LISTEN` when an entry point cannot bind, `JCT_ERR_WORKER` when a worker cannot start, `JCT_ERR_STATIC_CONFIG` when a certificate resolver cannot work (its DNS provider, its CA certificates, its storage).
   */
  async start(): Promise<void> {
    const { logger } = this.#options
    for (const warning of this.#config.warnings) logger.warn(warning)
    await this.#startAcme()
    if (this.#config.serversTransport !== undefined) {
      reportTransportsNotYet(objectReport('serversTransport@static'), 'serversTransport', this.#config.serversTransport, logger)
    }
    for (const [name, ep] of Object.entries(this.#config.entryPoints)) {
      if (ep.protocol !== 'tcp') logger.warn({ entryPoint: name }, `entry point ${name}: udp entry points are not supported yet`)
    }
    // Passive health: what workers saw servers do, at most once per server and worker a second (the balancing work acts on it).
    this.#pool.onFailure(({ worker, service, server, kind }) =>
      logger.debug({ worker, service, server, kind }, `server ${server} of service ${service} failed: ${kind}`),
    )
    await this.#pool.start()
    for (const [name, address] of Object.entries(this.#pool.addresses)) this.addresses.set(name, address)
    // The validator needs the schema of every type a worker can build, those of worker modules included.
    const modules = await importMiddlewares(this.#options.workerModules ?? [])
    this.#middlewareTypes = Object.fromEntries(
      [...this.#options.catalogue.middlewares, ...(this.#options.extraMiddlewares ?? []), ...modules].map((entry) => [entry.type, entry.schema]),
    )
    const watcher = new Watcher(this.#providers(), {
      throttle: this.#config.providers.providersThrottleDuration,
      logger,
      onChange: (snapshots) => {
        this.#snapshots = snapshots
        this.#publish()
      },
    })
    this.#watching = watcher.run(this.#abort.signal)
  }

  /** Stops the providers and the certificate resolvers, drains every worker and waits for them to end. */
  async stop(): Promise<void> {
    this.#abort.abort()
    await Promise.all([this.#pool.stop(), this.#watching, this.#tlsWatch.close(), this.#acme?.close()])
  }

  /**
   * Merges the latest snapshots into the next generation and publishes it;
   * the `tls` section's files are read then (unchanged ones from the
   * reader's cache), and their directories watched from then on; the
   * certificate resolvers take the configuration's wishes and add what
   * they hold.
   */
  #publish(): void {
    const snapshots = this.#snapshots
    if (snapshots === undefined || this.#abort.signal.aborted) return
    const { logger } = this.#options
    const acme = this.#acme
    const model = mergeModel(snapshots, ++this.#published, {
      middlewareTypes: this.#middlewareTypes,
      logger,
      read: this.#tlsFiles.read,
      ...(acme !== undefined && { acme: (config: DynamicConfig) => acme.apply(config) }),
    })
    this.#tlsFiles.commit()
    this.#tlsWatch.follow(tlsFilePaths(model.config))
    this.#pool.publish(model)
  }

  /** A certificate issued, renewed or failed: one new generation for however many change in the same turn. */
  #republish(): void {
    if (this.#republishing) return
    this.#republishing = true
    queueMicrotask(() => {
      this.#republishing = false
      this.#publish()
    })
  }

  /** Loads the certificate resolvers (ACME's modules only when some are configured), before any generation is built. */
  async #startAcme(): Promise<void> {
    const resolvers = Object.values(this.#config.certificatesResolvers ?? {})
    if (!resolvers.some((resolver) => resolver.acme !== undefined)) return
    const { AcmeManager } = await import('../tls/acme/manager.ts')
    this.#acme = await AcmeManager.start({
      config: this.#config,
      publish: (key, value) => this.setValue(key, value),
      ...(this.#options.dnsProviders !== undefined && { dnsProviders: this.#options.dnsProviders }),
      env: this.#options.env ?? process.env,
      clock: this.#options.clock ?? systemClock,
      logger: this.#options.logger,
      signal: this.#abort.signal,
      changed: () => this.#republish(),
    })
  }

  #announce(live: LiveGeneration): void {
    this.#live = live
    this.#options.logger.info({ generation: live.generation }, `configuration generation ${live.generation} is live`)
    for (const listener of this.#listeners) listener(live)
  }

  #providers(): Provider[] {
    const configured = this.#config.providers as unknown as Record<string, Record<string, unknown> | undefined>
    const { configFile, log, accessLog } = this.#config
    const context: ProviderCreateContext = {
      configDir: this.#options.configDir,
      ...(configFile === undefined ? {} : { configFile }),
      ownFiles: [log.filePath, accessLog?.filePath].filter((path) => path !== undefined),
      listening: [...this.addresses].map(([entryPoint, { address, port }]) => ({ entryPoint, address, port })),
    }
    const created = this.#options.catalogue.providers.flatMap((entry) => {
      const options = configured[entry.key]
      return options === undefined ? [] : [entry.create(options, context)]
    })
    return [...created, ...(this.#options.extraProviders ?? [])]
  }
}

/** `workers`: `auto` is one per core the process may use (`os.availableParallelism()`). */
export function workerCount(config: Pick<StaticConfig, 'workers'>): number {
  return config.workers.toLowerCase() === 'auto' ? availableParallelism() : Number(config.workers)
}
