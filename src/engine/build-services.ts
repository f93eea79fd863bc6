import type { HttpService, ServersTransport } from '../config/dynamic.ts'
import { addError, entryOf, type ObjectReport, type RuntimeReport } from '../config/report.ts'
import { resolveServersTransport, type ResolvedTransport } from '../services/servers-transport.ts'
import type { ServiceInstance } from '../services/service-kind.ts'
import { serviceKinds } from '../services/service-kinds.ts'
import { standaloneChannels } from './local-channels.ts'
import type { BuildDependencies } from './build-context.ts'
import { reportNotYet } from './not-yet.ts'
import { Resolver } from './resolver.ts'
import type { BuiltService, Disposable, RoutingTable } from './routing-table.ts'

/**
 * Creates the HTTP services of a generation in dependency order (a weighted
 * service after its children), keeping the previous generation's instance,
 * and so its keep-alive sockets and balancer state, for every service whose
 * definition, transport and children did not change. A service that cannot
 * be built is disabled alone, and so is every service that depends on it.
 */
export function buildServices(
  services: Readonly<Record<string, HttpService>>,
  transports: Readonly<Record<string, ServersTransport>>,
  previous: RoutingTable | undefined,
  deps: BuildDependencies,
  report: RuntimeReport,
): { built: Map<string, BuiltService>; resolver: Resolver<BuiltService>; kept: Set<Disposable> } {
  const kept = new Set<Disposable>()
  const resolvedTransports = new Map<string | undefined, { transport: ResolvedTransport; key: string }>()
  const transportOf = (name: string | undefined): { transport: ResolvedTransport; key: string } => {
    let resolved = resolvedTransports.get(name)
    if (resolved === undefined) {
      const named = name === undefined ? undefined : transports[name]
      if (name !== undefined && named === undefined) throw new Error(`serversTransport "${name}" does not exist`)
      const transport = resolveServersTransport(named, deps.serversTransport)
      resolved = { transport, key: JSON.stringify(transport) }
      resolvedTransports.set(name, resolved)
    }
    return resolved
  }
  const resolver: Resolver<BuiltService> = new Resolver(
    'service',
    (name) => Object.hasOwn(services, name),
    (name) => {
      const definition = services[name] as HttpService
      const kindName = kindOf(definition)
      const config = definition[kindName as keyof HttpService] as Record<string, unknown>
      const kind = serviceKinds[kindName]
      if (kind === undefined) throw new Error(`${kindName} services are not supported yet`)
      const { services: children, transport } = kind.dependencies(config)
      const childKeys = children.map((child) => resolver.get(child).key)
      const key = [kindName, JSON.stringify(config), transportOf(transport).key, ...childKeys].join('\n')
      const old = previous?.services.get(name)
      if (old !== undefined && old.key === key) {
        kept.add(old.instance)
        return old
      }
      const instance: ServiceInstance = kind.create(config, {
        name,
        service: (child) => resolver.get(child).instance,
        transport: (named) => transportOf(named).transport,
        instance: deps.channels ?? standaloneChannels(),
      })
      return { key, instance }
    },
  )
  const built = new Map<string, BuiltService>()
  for (const [name, definition] of Object.entries(services)) {
    const kindName = kindOf(definition)
    const entry = entryOf(report, 'services', name)
    entry.type = kindName
    const result = resolver.settle(name)
    if ('value' in result) {
      built.set(name, result.value)
      const kind = serviceKinds[kindName]
      if (kind !== undefined) reportNotYet(entry, `service ${name}`, kindName, definition[kindName as keyof HttpService] as Record<string, unknown>, kind.notYet, deps.logger)
      // Traefik v3.7's service-level middlewares arrive with the middleware catalogue.
      reportNotYet(entry, `service ${name}`, '', definition as Record<string, unknown>, ['middlewares'], deps.logger)
    } else {
      fail(entry, `service ${name}: ${result.error}`, deps)
    }
  }
  return { built, resolver, kept }
}

/** The service's kind: its one key besides the shared `middlewares` (the validator guarantees exactly one). */
function kindOf(definition: HttpService): string {
  return Object.keys(definition).find((key) => key !== 'middlewares') ?? ''
}

function fail(entry: ObjectReport, message: string, deps: BuildDependencies): void {
  addError(entry, message, true)
  deps.logger.error(message)
}
