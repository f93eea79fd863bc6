import type { Snapshot } from '../config/snapshot.ts'
import type { BuildDependencies } from './build-context.ts'
import { buildRoutingTable } from './builder.ts'
import { mergeModel } from './merge-model.ts'
import type { Disposable, RoutingTable } from './routing-table.ts'

/** Both halves in one thread, for tests of the builder: merge, then build the next table after `previous`. */
export function applySnapshots(
  snapshots: ReadonlyMap<string, Snapshot>,
  previous: RoutingTable,
  deps: BuildDependencies,
): { table: RoutingTable; kept: Set<Disposable> } {
  const model = mergeModel(snapshots, previous.generation + 1, deps)
  return buildRoutingTable({ ...model, rejected: new Map(model.rejected), problems: new Map(model.problems) }, previous, deps)
}
