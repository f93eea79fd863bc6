import { Agent } from 'undici'
import { catalogue } from '../../src/composition.ts'
import { createRuntimeReport } from '../../src/config/report.ts'
import type { BuildDependencies } from '../../src/engine/build-context.ts'
import { RoutingTable } from '../../src/engine/routing-table.ts'
import { silentLogger } from '../../src/observability/logger.ts'

/**
 * What the builder needs, as the composition root would hand it: the shipped
 * middlewares, the given entry points, a silent logger. Close `http` after.
 */
export function buildDependencies(entryPoints: readonly string[] = ['web']): BuildDependencies & { http: Agent } {
  return {
    entryPoints: entryPoints.map((name, i) => ({ name, port: 80 + i, asDefault: false, middlewares: [] })),
    middlewares: new Map(catalogue.middlewares.map((entry) => [entry.type, entry])),
    middlewareTypes: Object.fromEntries(catalogue.middlewares.map((entry) => [entry.type, entry.schema])),
    serversTransport: undefined,
    defaultRuleSyntax: 'v3',
    http: new Agent(),
    logger: silentLogger(),
  }
}

/** Generation 0: what a Junction serves before any provider spoke. */
export function emptyTable(): RoutingTable {
  return new RoutingTable({ generation: 0, report: createRuntimeReport(0), entryPoints: new Map(), services: new Map() })
}
