import type { Handler } from '../core/context.ts'
import { failed } from '../core/outcomes.ts'
import type { LoadBalancer } from '../config/dynamic.ts'
import type { InstanceChannels } from '../core/instance.ts'
import type { ServiceInstance } from './service-kind.ts'
import type { ResolvedTransport } from './servers-transport.ts'
import { createStrategy } from './strategies.ts'
import { createTarget } from './target.ts'
import type { Target } from './forwarder.ts'
import { UndiciForwarder } from './undici-forwarder.ts'

/**
 * Creates a `loadBalancer` service: a strategy (smooth WRR unless told
 * otherwise, taking turns with every worker of the `instance`) picks a
 * server per request among those the control plane has not marked down,
 * and the forwarder sends it there, or proxies the upgrade when
 * `ctx.upgrade` is set.
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` when a server URL, weight or
 *   the strategy is invalid; the builder then disables this service alone.
 * @example
 * const service = createLoadBalancer('app@file', { servers: [{ url: 'http://10.0.0.1:8080' }] }, resolveServersTransport())
 * // const outcome = await service.handler(req, res, ctx); later: await service.dispose()
 */
export function createLoadBalancer(name: string, config: LoadBalancer, transport: ResolvedTransport, instance?: InstanceChannels): ServiceInstance {
  const passHostHeader = config.passHostHeader ?? true
  // Errors name the server, not the service `name`: the builder prefixes `service <name>:`.
  const targets: readonly Target[] = (config.servers ?? []).map((server) => createTarget(server, transport, passHostHeader))
  // The round robin's turns are the instance's: with several workers, the cycle still holds over all of them.
  const strategy = createStrategy(config.strategy, instance?.shared.sequence(`wrr:${name}`))
  const health = instance?.health
  const forwarder = new UndiciForwarder()
  // Recomputed when a verdict changes, never per request; the whole list (same array) while none is down.
  const healthy = (): readonly Target[] => (health === undefined || !targets.some((target) => health.isDown(name, target.href)) ? targets : targets.filter((target) => !health.isDown(name, target.href)))
  let up = healthy()
  const unwatch = health?.watch(name, () => (up = healthy()))
  const handler: Handler = (req, res, ctx) => {
    ctx.service = name
    const target = strategy.pick(up, req)
    if (target === undefined) return Promise.resolve(failed(ctx, 'no-server', 'JCT_ERR_NO_SERVER'))
    ctx.server = target.href
    return ctx.upgrade === undefined ? forwarder.forward(req, res, ctx, target) : forwarder.upgrade(req, res, ctx, target)
  }
  return {
    handler,
    dispose: () => {
      unwatch?.()
      return forwarder.close()
    },
  }
}
