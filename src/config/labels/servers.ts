import { isPlainObject } from '../plain-data.ts'
import { joinHostPort, type LabelProtocol, type Workload } from './workload.ts'

/**
 * Turns the servers labels describe into servers the engine reads, as
 * Traefik's Docker builder does (`addServer`, `addServerTCP`,
 * `addServerUDP`): a server with a `url` (HTTP) or an `address` (TCP, UDP)
 * is kept as written; any other gets the workload's address on its `port`
 * label (or the workload's default port) and, for HTTP, its `scheme` label
 * (default `http`). A load balancer with no server label gets one such
 * server. Traefik reads only the first server; every one is read here.
 */

/** What naming and addressing servers needs. */
export interface ServerContext {
  readonly workload: Workload
  /** The label prefix, to name labels in messages. */
  readonly prefix: string
}

/**
 * Fills the servers of one service in place. Services of other kinds
 * (weighted, failover, mirroring) have no servers of their own and are
 * left alone. Returns the reason the workload cannot be routed, if any.
 *
 * @example
 * fillServers('http', 'web', { loadBalancer: {} }, { workload, prefix: 'junction' })
 * // service becomes { loadBalancer: { servers: [{ url: 'http://10.0.0.5:80' }] } }
 */
export function fillServers(protocol: LabelProtocol, name: string, service: Record<string, unknown>, context: ServerContext): string | undefined {
  const loadBalancer = service['loadBalancer']
  if (!isPlainObject(loadBalancer)) return undefined
  const given = Array.isArray(loadBalancer['servers']) ? (loadBalancer['servers'] as unknown[]) : []
  const servers = given.length === 0 ? [{}] : given
  const out: Array<Record<string, unknown>> = []
  for (const [index, server] of servers.entries()) {
    if (!isPlainObject(server)) continue
    const label = `${context.prefix}.${protocol}.services.${name}.loadbalancer.${index === 0 ? 'server' : `servers[${index}]`}`
    const made = makeServer(protocol, name, server, label, context.workload)
    if (typeof made === 'string') return made
    if (made !== undefined) out.push(made)
  }
  loadBalancer['servers'] = out
  return undefined
}

/** One server, undefined when the workload takes no traffic, or the reason it cannot be made. */
function makeServer(protocol: LabelProtocol, name: string, server: Record<string, unknown>, label: string, workload: Workload): Record<string, unknown> | string | undefined {
  const { port, scheme, ...rest } = server
  const explicit = protocol === 'http' ? 'url' : 'address'
  const portText = text(port)
  const schemeText = protocol === 'http' ? text(scheme) : undefined
  if (text(rest[explicit]) !== undefined) {
    if (portText !== undefined || schemeText !== undefined) {
      return `label ${label}.${explicit}: a server with ${protocol === 'http' ? 'a url' : 'an address'} takes no port or scheme label`
    }
    return rest
  }
  if (!workload.serving) return undefined
  const address = workload.address(protocol, portText === undefined ? undefined : Number(portText))
  if ('message' in address) {
    const hint = address.missingPort === true ? `; set ${label}.port` : ''
    return `${protocol} service ${name}: ${address.message}${hint}`
  }
  const hostPort = joinHostPort(address.host, address.port)
  delete rest[explicit]
  return protocol === 'http' ? { url: `${schemeText ?? 'http'}://${hostPort}`, ...rest } : { address: hostPort, ...rest }
}

/** A label's text, undefined when absent or blank (`server.port=` means the default port, as in Traefik). */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  const written = String(value).trim()
  return written === '' ? undefined : written
}
