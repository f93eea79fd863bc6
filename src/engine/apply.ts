import type { DynamicConfig } from '../config/dynamic.ts'
import { mergeSnapshots } from '../config/merge.ts'
import { validateDynamic, type ObjectError } from '../config/validate-dynamic.ts'
import type { ServiceInstance } from '../services/load-balancer.ts'
import type { BuildDependencies } from './build-context.ts'
import { buildRoutingTable, type RejectedObject } from './builder.ts'
import type { ReportSection } from './report.ts'
import type { RoutingTable } from './routing-table.ts'
import type { Snapshot, SourceProblem } from './types.ts'

interface Validated {
  readonly config: DynamicConfig
  readonly rejected: RejectedObject[]
}

/** A provider's snapshot is validated once, however many times other providers change. */
const validated = new WeakMap<Snapshot, Validated>()

const sections: Record<string, ReportSection> = {
  router: 'routers',
  service: 'services',
  middleware: 'middlewares',
  serversTransport: 'serversTransports',
}

/**
 * From the latest snapshot of every provider to the next routing table:
 * validate each provider's objects, merge them as `name@provider`, build.
 */
export function applySnapshots(
  snapshots: ReadonlyMap<string, Snapshot>,
  previous: RoutingTable,
  deps: BuildDependencies,
): { table: RoutingTable; kept: Set<ServiceInstance> } {
  const configs = new Map<string, DynamicConfig>()
  const rejected: RejectedObject[] = []
  const problems = new Map<string, readonly SourceProblem[]>()
  for (const [provider, snapshot] of snapshots) {
    let result = validated.get(snapshot)
    if (result === undefined) {
      const { config, errors } = validateDynamic(snapshot.config)
      result = { config, rejected: errors.map((error) => reject(error, provider, deps)) }
      validated.set(snapshot, result)
    }
    configs.set(provider, result.config)
    rejected.push(...result.rejected)
    problems.set(provider, snapshot.problems)
  }
  const merged = mergeSnapshots(configs)
  rejected.push(...merged.errors.map((error) => reject(error, undefined, deps)))
  return buildRoutingTable(
    { generation: previous.generation + 1, config: merged.config, rejected, problems },
    previous,
    deps,
  )
}

function reject(error: ObjectError, provider: string | undefined, deps: BuildDependencies): RejectedObject {
  const name = provider === undefined || error.name.includes('@') ? error.name : `${error.name}@${provider}`
  deps.logger.error({ [error.kind]: name }, error.message)
  return { section: sections[error.kind] ?? 'routers', name, message: error.message }
}
