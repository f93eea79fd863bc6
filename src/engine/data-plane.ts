import type { AddressInfo } from 'node:net'
import { Agent } from '../services/undici-parts.ts'
import type { TlsModel } from '../tls/tls-model.ts'
import { TlsAlpnAnswers } from '../tls/acme/tls-alpn-01.ts'
import type { DynamicConfig } from '../config/dynamic.ts'
import { createRuntimeReport, type RuntimeReport } from '../config/report.ts'
import type { SourceProblem } from '../config/snapshot.ts'
import type { StaticConfig } from '../config/static.ts'
import type { ObjectError } from '../config/validate-dynamic.ts'
import type { FailureKind } from '../core/outcome.ts'
import type { InstanceChannels } from '../core/instance.ts'
import type { MiddlewareEntry } from '../core/middleware.ts'
import type { Logger } from '../observability/logger.ts'
import type { TrafficCounter } from './traffic-counters.ts'
import type { BuildDependencies, EntryPointInfo } from './build-context.ts'
import { buildRoutingTable } from './builder.ts'
import { EntryPoint, type ExchangeAccount, type ExchangeObserver } from './entry-point.ts'
import { RoutingTable } from './routing-table.ts'

/**
 * One generation of the routing model as the control plane publishes it:
 * merged, validated, every name qualified. Plain data, so it crosses to
 * worker threads as it is; each worker builds its own table from it.
 */
export interface GenerationModel {
  readonly generation: number
  readonly config: DynamicConfig
  /** Objects the validator or the merge removed, and why, by provider ('' for the merge). */
  readonly rejected: ReadonlyArray<readonly [string, readonly ObjectError[]]>
  readonly problems: ReadonlyArray<readonly [string, readonly SourceProblem[]]>
  /** Certificates as PEM, read by the control plane; absent in a model made before TLS (tests). */
  readonly tls?: TlsModel
}

export interface DataPlaneOptions {
  readonly config: StaticConfig
  /** Every middleware type this worker can build. */
  readonly middlewares: readonly MiddlewareEntry[]
  readonly logger: Logger
  /** Where build findings are logged: one worker of an instance logs them, the others pass a silent logger. */
  readonly reportLogger: Logger
  readonly channels: InstanceChannels
  /** Counts every exchange (the counters-in channel). */
  readonly traffic: TrafficCounter
  /** Told how every exchange ended, as the client saw it. */
  readonly onExchange?: ExchangeObserver
}

/** Failures that say something about the server rather than the client or Junction: passive health reports them. */
const serverFailures: ReadonlySet<FailureKind> = new Set(['refused', 'dial-timeout', 'tls', 'reset', 'header-timeout'])

/**
 * A worker's data plane: the entry points and the routing table they serve.
 * It builds each generation the control plane publishes and swaps it in
 * with one assignment; requests already inside the previous generation
 * finish on it.
 */
export class DataPlane {
  readonly #options: DataPlaneOptions
  readonly #entryPoints: EntryPoint[] = []
  readonly #http = new Agent()
  readonly #deps: BuildDependencies
  readonly #listeners = new Set<(table: RoutingTable) => void>()
  #table = new RoutingTable({ generation: 0, report: createRuntimeReport(0), entryPoints: new Map(), services: new Map() })

  constructor(options: DataPlaneOptions) {
    this.#options = options
    this.#deps = dependencies(options, this.#http)
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

  /** Builds `model` off to the side and makes it live; returns its report. */
  apply(model: GenerationModel): RuntimeReport {
    const { table, kept } = buildRoutingTable(
      { generation: model.generation, config: model.config, rejected: new Map(model.rejected), problems: new Map(model.problems), ...(model.tls && { tls: model.tls }) },
      this.#table,
      this.#deps,
    )
    const previous = this.#table
    this.#table = table
    previous.retire(kept)
    for (const listener of this.#listeners) listener(table)
    return table.report
  }

  /**
   * Binds every HTTP entry point, on the port given for it (another worker
   * bound it first, with `reusePort`) or on the configured one.
   *
   * @throws JunctionError `JCT_ERR_LISTEN` naming the entry point that could not bind.
   */
  async listen(ports: Readonly<Record<string, number>>, reusePort: boolean): Promise<Record<string, AddressInfo>> {
    const { config, logger } = this.#options
    const addresses: Record<string, AddressInfo> = {}
    const account = this.#account()
    const tlsAlpn = new TlsAlpnAnswers(this.#options.channels, logger)
    for (const [name, ep] of Object.entries(config.entryPoints)) {
      if (ep.protocol !== 'tcp') continue
      const entryPoint = new EntryPoint(
        {
          name,
          host: ep.host,
          port: ports[name] ?? ep.port,
          reusePort: reusePort || ep.reusePort,
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
          http2: ep.http2,
        },
        () => this.#table,
        logger,
        account,
        tlsAlpn,
      )
      this.#entryPoints.push(entryPoint)
      addresses[name] = await entryPoint.listen()
    }
    return addresses
  }

  /** Drains every entry point (graceful timeouts as configured), then disposes the live generation. */
  async shutdown(): Promise<void> {
    await Promise.all(this.#entryPoints.map((entryPoint) => entryPoint.shutdown()))
    await this.#table.dispose()
    await this.#http.close()
  }

  /** Counts each exchange, reports server failures, and tells the embedder's observer. */
  #account(): ExchangeAccount {
    const { traffic, channels, onExchange } = this.#options
    return (ctx, outcome, status, responseBytes) => {
      traffic.record(ctx, status, outcome, responseBytes)
      const failure = outcome.failure
      if (failure !== undefined && ctx.server !== '' && serverFailures.has(failure.kind)) channels.reportFailure(ctx.service, ctx.server, failure.kind)
      onExchange?.(ctx, { ...outcome, status, responseBytes })
    }
  }
}

function dependencies(options: DataPlaneOptions, http: Agent): BuildDependencies {
  const { config, middlewares } = options
  const entryPoints: EntryPointInfo[] = []
  const challenged = new Set(Object.values(config.certificatesResolvers ?? {}).map((resolver) => resolver.acme?.httpChallenge?.entryPoint))
  for (const [name, ep] of Object.entries(config.entryPoints)) {
    if (ep.protocol !== 'tcp') continue
    const redirect = ep.http.redirections?.entryPoint
    const target = redirect === undefined ? undefined : config.entryPoints[redirect.to]
    entryPoints.push({
      name,
      port: ep.port,
      asDefault: ep.asDefault,
      middlewares: ep.http.middlewares,
      ...(ep.http.tls !== undefined && { tls: ep.http.tls }),
      ...(challenged.has(name) && { httpChallenge: { byPass: ep.allowACMEByPass } }),
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
  return {
    entryPoints,
    middlewares: new Map(middlewares.map((entry) => [entry.type, entry])),
    middlewareTypes: Object.fromEntries(middlewares.map((entry) => [entry.type, entry.schema])),
    serversTransport: config.serversTransport,
    defaultRuleSyntax: config.core.defaultRuleSyntax,
    http,
    logger: options.reportLogger,
    runtimeLogger: options.logger,
    channels: options.channels,
  }
}
