import type { DynamicConfig } from '../config/dynamic.ts'
import type { BuildDependencies } from './build-context.ts'
import { buildMiddlewares } from './build-middlewares.ts'
import { buildRouters } from './build-routers.ts'
import { buildServices } from './build-services.ts'
import type { ObjectError } from '../config/validate-dynamic.ts'
import { createRuntimeReport, entryOf, recordObjectErrors } from '../config/report.ts'
import type { ServiceInstance } from '../services/load-balancer.ts'
import { RoutingTable } from './routing-table.ts'
import type { SourceProblem } from './types.ts'

export interface BuildRequest {
  readonly generation: number
  /** Merged and validated: every name qualified, every object well-formed. */
  readonly config: DynamicConfig
  /** Objects the validator or the merge removed, and why, by provider ('' for the merge). */
  readonly rejected: ReadonlyMap<string, readonly ObjectError[]>
  readonly problems: ReadonlyMap<string, readonly SourceProblem[]>
}

/**
 * Builds generation N completely off to the side. It never throws for a bad
 * object: that object is disabled in the report and everything else goes
 * live. Returns the table and the services it took over from `previous`.
 */
export function buildRoutingTable(
  request: BuildRequest,
  previous: RoutingTable | undefined,
  deps: BuildDependencies,
): { table: RoutingTable; kept: Set<ServiceInstance> } {
  const report = createRuntimeReport(request.generation)
  for (const [provider, errors] of request.rejected) {
    for (const unplaced of recordObjectErrors(report, provider, errors)) deps.logger.error({ provider }, unplaced.message)
  }
  for (const [provider, problems] of request.problems) report.providers[provider] = { problems: [...problems] }
  const http = request.config.http ?? {}
  for (const name of Object.keys(http.serversTransports ?? {})) entryOf(report, 'serversTransports', name)
  const { built, kept } = buildServices(http.services ?? {}, http.serversTransports ?? {}, previous, deps, report)
  const middlewares = buildMiddlewares(http.middlewares ?? {}, deps, report)
  const entryPoints = buildRouters(http.routers ?? {}, built, middlewares, deps, report)
  const table = new RoutingTable({ generation: request.generation, report, entryPoints, services: built })
  return { table, kept }
}
