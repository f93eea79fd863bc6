import type { Handler } from '../core/context.ts'
import { failed } from '../core/outcomes.ts'
import type { WeightedService } from '../config/dynamic.ts'
import type { ServiceInstance } from './service-kind.ts'
import { createWrr } from './wrr.ts'

interface Child {
  readonly weight: number
  readonly handler: Handler
}

/**
 * Creates a `weighted` service: smooth weighted round robin over other
 * services (canary releases, blue/green), which may be load balancers or
 * weighted services themselves. A child of weight 0 takes no traffic.
 * `turns`, a sequence shared by the instance's workers, makes the cycle the
 * instance's rather than each worker's.
 *
 * @example
 * createWeighted({ services: [{ name: 'v1@file', weight: 9 }, { name: 'v2@file', weight: 1 }] }, (name) => built.get(name))
 */
export function createWeighted(config: WeightedService, child: (name: string) => ServiceInstance, turns?: () => number): ServiceInstance {
  const children: Child[] = (config.services ?? []).map((entry) => ({ weight: entry.weight ?? 1, handler: child(entry.name ?? '').handler }))
  const wrr = createWrr(turns)
  const handler: Handler = (req, res, ctx) => {
    const picked = wrr.pick(children, req)
    if (picked === undefined) return Promise.resolve(failed(ctx, 'no-server', 'JCT_ERR_NO_SERVER'))
    return picked.handler(req, res, ctx)
  }
  // Children belong to the builder, which disposes each service once.
  return { handler, dispose: () => Promise.resolve() }
}
