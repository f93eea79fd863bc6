import type { HttpService, ServersTransport } from '../config/dynamic.ts'
import { createLoadBalancer, type ServiceInstance } from '../services/load-balancer.ts'
import { resolveServersTransport, type ResolvedTransport } from '../services/servers-transport.ts'
import type { BuildDependencies } from './build-context.ts'
import { addError, entryOf, type RuntimeReport } from '../config/report.ts'
import type { RoutingTable } from './routing-table.ts'

export interface BuiltService {
  /** The definition the instance was made from: equal keys mean the instance can be kept. */
  readonly key: string
  readonly instance: ServiceInstance
}

const serviceKinds = ['loadBalancer', 'weighted', 'mirroring', 'failover'] as const

/**
 * Creates the HTTP services of a generation, keeping the previous
 * generation's instance (and so its keep-alive sockets and balancer state)
 * for every service whose definition, transport included, did not change.
 */
export function buildServices(
  services: Record<string, HttpService>,
  transports: Record<string, ServersTransport>,
  previous: RoutingTable | undefined,
  deps: BuildDependencies,
  report: RuntimeReport,
): { built: Map<string, BuiltService>; kept: Set<ServiceInstance> } {
  const built = new Map<string, BuiltService>()
  const kept = new Set<ServiceInstance>()
  const resolved = new Map<string | undefined, { transport: ResolvedTransport; key: string }>()
  for (const [name, service] of Object.entries(services)) {
    const kind = serviceKinds.find((candidate) => service[candidate] !== undefined)
    const entry = entryOf(report, 'services', name)
    if (kind) entry.type = kind
    try {
      if (kind !== 'loadBalancer' || service.loadBalancer === undefined) {
        throw new Error(`${kind ?? 'this'} services are not supported yet`)
      }
      const balancer = service.loadBalancer
      const transportName = balancer.serversTransport
      const named = transportName === undefined ? undefined : transports[transportName]
      if (transportName !== undefined && named === undefined) {
        throw new Error(`serversTransport "${transportName}" does not exist`)
      }
      let transport = resolved.get(transportName)
      if (transport === undefined) {
        const settings = resolveServersTransport(named, deps.serversTransport)
        transport = { transport: settings, key: JSON.stringify(settings) }
        resolved.set(transportName, transport)
      }
      const key = `${JSON.stringify(balancer)}\n${transport.key}`
      const old = previous?.services.get(name)
      if (old !== undefined && old.key === key) {
        built.set(name, old)
        kept.add(old.instance)
        continue
      }
      const instance = createLoadBalancer(name, balancer, transport.transport, { forwarder: deps.forwarder })
      built.set(name, { key, instance })
    } catch (error) {
      const message = `service ${name}: ${(error as Error).message}`
      addError(entry, message, true)
      deps.logger.error({ service: name }, message)
    }
  }
  return { built, kept }
}
