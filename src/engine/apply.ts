import type { DynamicConfig } from '../config/dynamic.ts'
import { mergeSnapshots } from '../config/merge.ts'
import type { Snapshot, SourceProblem } from '../config/snapshot.ts'
import { validateDynamic, type ObjectError } from '../config/validate-dynamic.ts'
import type { BuildDependencies } from './build-context.ts'
import { buildRoutingTable } from './builder.ts'
import type { Disposable, RoutingTable } from './routing-table.ts'

/** A provider's snapshot is validated once, however many times other providers change. */
const validated = new WeakMap<Snapshot, { config: DynamicConfig; errors: ObjectError[] }>()

/**
 * From the latest snapshot of every provider to the next routing table:
 * validate each provider's objects, merge them as `name@provider`, build.
 */
export function applySnapshots(
  snapshots: ReadonlyMap<string, Snapshot>,
  previous: RoutingTable,
  deps: BuildDependencies,
): { table: RoutingTable; kept: Set<Disposable> } {
  const configs = new Map<string, DynamicConfig>()
  const rejected = new Map<string, readonly ObjectError[]>()
  const problems = new Map<string, readonly SourceProblem[]>()
  for (const [provider, snapshot] of snapshots) {
    let result = validated.get(snapshot)
    if (result === undefined) {
      result = validateDynamic(snapshot.config, { middlewareTypes: deps.middlewareTypes })
      validated.set(snapshot, result)
      for (const error of result.errors) deps.logger.error({ provider }, error.message)
    }
    configs.set(provider, result.config)
    rejected.set(provider, result.errors)
    problems.set(provider, snapshot.problems)
  }
  const merged = mergeSnapshots(configs)
  for (const error of merged.errors) deps.logger.error({ provider: error.provider }, error.message)
  rejected.set('', merged.errors)
  return buildRoutingTable({ generation: previous.generation + 1, config: merged.config, rejected, problems }, previous, deps)
}
