import type { AddressInfo } from 'node:net'
import { Agent } from 'undici'
import { createRuntimeReport, objectReport } from '../config/report.ts'
import type { StaticConfig } from '../config/static.ts'
import type { MiddlewareEntry } from '../core/middleware.ts'
import type { Provider, ProviderCreateContext, ProviderEntry } from '../core/provider.ts'
import type { Logger } from '../observability/logger.ts'
import type { BuildDependencies, EntryPointInfo } from './build-context.ts'
import { applySnapshots } from './apply.ts'
import { EntryPoint, type ExchangeObserver } from './entry-point.ts'
import { RoutingTable, type Disposable } from './routing-table.ts'
import { reportTransportsNotYet } from './transports-not-yet.ts'
import { Watcher } from './watcher.ts'

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
  /** Middleware types besides those of `middlewares/index.ts` (tests, embedding). */
  readonly extraMiddlewares?: readonly MiddlewareEntry[]
  /** Told how every exchange ended, as the client saw it. */
  readonly onExchange?: ExchangeObserver
}

/**
 * The running engine: it owns the entry points, the watcher and the current
 * routing table, and swaps the table with one assignment per generation.
 * Start it through `src/composition.ts`, which hands it the catalogue.
 */
export class Junction {
  readonly #config: StaticConfig
  readonly #options: JunctionOptions
  readonly #entryPoints: EntryPoint[] = []
  readonly #abort = new AbortController()
  readonly #listeners = new Set<(table: RoutingTable) => void>()
  readonly #http = new Agent()
  #table = new RoutingTable({ generation: 0, report: createRuntimeReport(0), entryPoints: new Map(), services: new Map() })
  #watching: Promise<void> = Promise.resolve()
  /** Bound addresses by entry point name, known once `start` resolves. */
  readonly addresses = new Map<string, AddressInfo>()

  constructor(config: StaticConfig, options: JunctionOptions) {
    this.#config = config
    this.#options = options
  }

  /** The routing table live now. */
  get table(): RoutingTable {
    return this.#table
  }

  /** Calls `listener` after every swap; returns the function that unsubscribes. */
  onTable(listener: (table: RoutingTable) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async start(): Promise<void> {
    const { logger } = this.#options
    const deps = this.#dependencies()
    for (const warning of this.#config.warnings) logger.warn(warning)
    if (this.#config.serversTransport !== undefined) {
      reportTransportsNotYet(objectReport('serversTransport@static'), 'serversTransport', this.#config.serversTransport, logger)
    }
    for (const [name, ep] of Object.entries(this.#config.entryPoints)) {
      if (ep.protocol !== 'tcp') {
        logger.warn({ entryPoint: name }, `entry point ${name}: udp entry points are not supported yet`)
        continue
      }
      const entryPoint = new EntryPoint(
        {
          name,
          host: ep.host,
          port: ep.port,
          reusePort: ep.reusePort,
          ...ep.transport.respondingTimeouts,
          ...ep.transport.lifeCycle,
          keepAliveMaxTime: ep.transport.keepAliveMaxTime,
          keepAliveMaxRequests: ep.transport.keepAliveMaxRequests,
          maxHeaderBytes: ep.http.maxHeaderBytes,
          encodeQuerySemicolons: ep.http.encodeQuerySemicolons,
          trustedIPs: ep.forwardedHeaders.trustedIPs,
          insecure: ep.forwardedHeaders.insecure,
          notAppendXForwardedFor: ep.forwardedHeaders.notAppendXForwardedFor,
          connection: ep.forwardedHeaders.connection,
        },
        () => this.#table,
        logger,
        this.#options.onExchange,
      )
      this.addresses.set(name, await entryPoint.listen())
      this.#entryPoints.push(entryPoint)
    }
    const watcher = new Watcher(this.#providers(), {
      throttle: this.#config.providers.providersThrottleDuration,
      logger,
      onChange: (snapshots) => this.#swap(applySnapshots(snapshots, this.#table, deps)),
    })
    this.#watching = watcher.run(this.#abort.signal)
  }

  /** Drains every entry point, stops the providers, disposes the live generation. */
  async stop(): Promise<void> {
    this.#abort.abort()
    await Promise.all(this.#entryPoints.map((entryPoint) => entryPoint.shutdown()))
    await this.#watching
    await this.#table.dispose()
    await this.#http.close()
  }

  #swap({ table, kept }: { table: RoutingTable; kept: ReadonlySet<Disposable> }): void {
    const previous = this.#table
    this.#table = table
    previous.retire(kept)
    this.#options.logger.info({ generation: table.generation }, `configuration generation ${table.generation} is live`)
    for (const listener of this.#listeners) listener(table)
  }

  #providers(): Provider[] {
    const configured = this.#config.providers as unknown as Record<string, Record<string, unknown> | undefined>
    const { configFile, log, accessLog } = this.#config
    const context: ProviderCreateContext = {
      configDir: this.#options.configDir,
      ...(configFile === undefined ? {} : { configFile }),
      ownFiles: [log.filePath, accessLog?.filePath].filter((path) => path !== undefined),
    }
    const created = this.#options.catalogue.providers.flatMap((entry) => {
      const options = configured[entry.key]
      return options === undefined ? [] : [entry.create(options, context)]
    })
    return [...created, ...(this.#options.extraProviders ?? [])]
  }

  #dependencies(): BuildDependencies {
    const entryPoints: EntryPointInfo[] = []
    for (const [name, ep] of Object.entries(this.#config.entryPoints)) {
      if (ep.protocol !== 'tcp') continue
      const redirect = ep.http.redirections?.entryPoint
      const target = redirect === undefined ? undefined : this.#config.entryPoints[redirect.to]
      entryPoints.push({
        name,
        port: ep.port,
        asDefault: ep.asDefault,
        middlewares: ep.http.middlewares,
        ...(redirect && {
          redirection: {
            allowACMEByPass: ep.allowACMEByPass,
            to: redirect.to,
            port: target?.port ?? Number(redirect.to.replace(/^:/, '')),
            scheme: redirect.scheme,
            permanent: redirect.permanent,
            priority: redirect.priority,
          },
        }),
      })
    }
    const middlewares = [...this.#options.catalogue.middlewares, ...(this.#options.extraMiddlewares ?? [])]
    return {
      entryPoints,
      middlewares: new Map(middlewares.map((entry) => [entry.type, entry])),
      middlewareTypes: Object.fromEntries(middlewares.map((entry) => [entry.type, entry.schema])),
      serversTransport: this.#config.serversTransport,
      defaultRuleSyntax: this.#config.core.defaultRuleSyntax,
      http: this.#http,
      logger: this.#options.logger,
    }
  }
}
