import type { LoadBalancer } from '../config/dynamic.ts'
import { respondError } from '../engine/responder.ts'
import type { Handler } from '../engine/types.ts'
import { createForwarder, createTarget, type ForwarderKind, type Target } from './forwarder.ts'
import type { ResolvedTransport } from './servers-transport.ts'
import { createStrategy } from './strategy.ts'

/** A live service of one generation; the builder keeps it across reloads while its definition is unchanged. */
export interface ServiceInstance {
  readonly handler: Handler
  /** Stops taking new work and closes keep-alive connections once in-flight exchanges end. */
  dispose(): Promise<void>
}

/**
 * Creates a `loadBalancer` service: a strategy (smooth WRR unless told
 * otherwise) picks a server per request and a forwarder of the given kind
 * sends it there, or proxies the upgrade when `ctx.upgrade` is set.
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` when a server URL, weight or
 *   the strategy is invalid; the builder then disables this service alone.
 * @example
 * const service = createLoadBalancer('app@file', { servers: [{ url: 'http://10.0.0.1:8080' }] },
 *   resolveServersTransport(), { forwarder: 'undici' })
 * // service.handler(req, res, ctx); later: await service.dispose()
 */
export function createLoadBalancer(
  name: string,
  config: LoadBalancer,
  transport: ResolvedTransport,
  options: { forwarder: ForwarderKind },
): ServiceInstance {
  const passHostHeader = config.passHostHeader ?? true
  // Errors name the server, not the service `name`: the builder prefixes `service <name>:`.
  const targets: readonly Target[] = (config.servers ?? []).map((server) => createTarget(server, transport, passHostHeader))
  const strategy = createStrategy(config.strategy)
  const forwarder = createForwarder(options.forwarder)
  const handler: Handler = (req, res, ctx) => {
    const target = strategy.pick(targets, req)
    if (target === undefined) respondError(res, 'JCT_ERR_NO_SERVER')
    else if (ctx.upgrade !== undefined) forwarder.upgrade(req, res, ctx, target)
    else forwarder.forward(req, res, ctx, target)
  }
  return { handler, dispose: () => forwarder.close() }
}
