import type { DynamicConfig } from '../config/dynamic.ts'
import { createRuntimeReport, entryOf, recordObjectErrors } from '../config/report.ts'
import type { SourceProblem } from '../config/snapshot.ts'
import type { ObjectError } from '../config/validate-dynamic.ts'
import type { BuildDependencies } from './build-context.ts'
import { buildMiddlewares } from './build-middlewares.ts'
import { buildRouters } from './build-routers.ts'
import { buildServices } from './build-services.ts'
import { reportNotServed } from './not-served.ts'
import { reportTransportsNotYet } from './transports-not-yet.ts'
import { RoutingTable, type Disposable } from './routing-table.ts'
import { buildCertificates } from './build-certificates.ts'
import type { TlsModel } from '../tls/tls-model.ts'
import { defaultTlsOptions } from '../tls/tls-options.ts'

export interface BuildRequest {
  readonly generation: number
  /** Merged and validated: every name qualified, every object well-formed. */
  readonly config: DynamicConfig
  /** Objects the validator or the merge removed, and why, by provider ('' for the merge). */
  readonly rejected: ReadonlyMap<string, readonly ObjectError[]>
  readonly problems: ReadonlyMap<string, readonly SourceProblem[]>
  /** Certificates as PEM (the control plane read the files); without it, only the generated default certificate. */
  readonly tls?: TlsModel
}

/**
 * Builds generation N completely off to the side. It never throws for a bad
 * object: that object is disabled in the report and everything else goes
 * live. Returns the table and what it took over from `previous` (services
 * and middleware state whose definitions did not change).
 */
export function buildRoutingTable(
  request: BuildRequest,
  previous: RoutingTable | undefined,
  deps: BuildDependencies,
): { table: RoutingTable; kept: Set<Disposable> } {
  const report = createRuntimeReport(request.generation)
  for (const [provider, errors] of request.rejected) {
    for (const unplaced of recordObjectErrors(report, provider, errors)) deps.logger.error({ provider }, unplaced.message)
  }
  for (const [provider, problems] of request.problems) report.providers[provider] = { problems: [...problems] }
  const http = request.config.http ?? {}
  for (const [name, transport] of Object.entries(http.serversTransports ?? {})) {
    reportTransportsNotYet(entryOf(report, 'serversTransports', name), `serversTransport ${name}`, transport, deps.logger)
  }
  const abort = new AbortController()
  const services = buildServices(http.services ?? {}, http.serversTransports ?? {}, previous, deps, report)
  const middlewares = buildMiddlewares(http.middlewares ?? {}, services.resolver, previous, abort.signal, deps, report)
  const tlsOptions = new Map(Object.entries(request.tls?.options ?? { default: defaultTlsOptions }))
  const entryPoints = buildRouters(http.routers ?? {}, services.resolver, middlewares.resolver, deps, report, new Set(tlsOptions.keys()))
  reportNotServed(request.config, report, deps.logger)
  for (const name of Object.keys(request.config.tls?.options ?? {})) entryOf(report, 'tlsOptions', name)
  const certificates = buildCertificates(request.tls, previous?.certificates, report, deps.logger)
  const table = new RoutingTable({ generation: request.generation, report, entryPoints, services: services.built, states: middlewares.states, abort, certificates, tlsOptions })
  return { table, kept: new Set([...services.kept, ...middlewares.kept]) }
}
