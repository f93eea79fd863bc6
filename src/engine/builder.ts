import type { DynamicConfig } from '../config/dynamic.ts'
import type { BuildDependencies } from './build-context.ts'
import { buildMiddlewares } from './build-middlewares.ts'
import { buildRouters } from './build-routers.ts'
import { buildServices } from './build-services.ts'
import { emptyReport, reportObject, type ReportSection, type RuntimeReport } from './report.ts'
import { RoutingTable } from './routing-table.ts'
import type { SourceProblem } from './types.ts'

/** An object the validator or the merge removed, and why. */
export interface RejectedObject {
  readonly section: ReportSection
  /** Qualified name. */
  readonly name: string
  readonly message: string
}

export interface BuildRequest {
  readonly generation: number
  /** Merged and validated: every name qualified, every object well-formed. */
  readonly config: DynamicConfig
  readonly rejected: readonly RejectedObject[]
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
): { table: RoutingTable; kept: Set<import('../services/load-balancer.ts').ServiceInstance> } {
  const report = emptyReport(request.generation)
  for (const { section, name, message } of request.rejected) reportObject(report, section, name, 'disabled', message)
  for (const [provider, problems] of request.problems) report.providers[provider] = { problems: [...problems] }
  const http = request.config.http ?? {}
  for (const name of Object.keys(http.serversTransports ?? {})) reportObject(report, 'serversTransports', name, 'enabled')
  const { built, kept } = buildServices(http.services ?? {}, http.serversTransports ?? {}, previous, deps, report)
  const middlewares = buildMiddlewares(http.middlewares ?? {}, deps, report)
  const entryPoints = buildRouters(http.routers ?? {}, built, middlewares, deps, report)
  markUnused(report)
  const table = new RoutingTable({ generation: request.generation, report, entryPoints, services: built })
  return { table, kept }
}

/** Tells apart "declared but unused" from "in use", as Traefik's dashboard does. */
function markUnused(report: RuntimeReport): void {
  for (const section of ['services', 'middlewares'] as const) {
    for (const entry of Object.values(report[section])) entry.usedBy ??= []
  }
}
