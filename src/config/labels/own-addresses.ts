import { isIP } from 'node:net'
import { ipSet, unmapIPv4 } from '../../net/ip.ts'
import { isPlainObject } from '../plain-data.ts'
import { joinHostPort } from './workload.ts'

/**
 * Refuses services whose servers are Junction's own entry points. A
 * discovery provider that finds Junction's own container (or a label that
 * names Junction's address) would otherwise make a service that forwards to
 * Junction, which routes it again: every request loops until a limit
 * breaks it (Traefik's CVE-2023-47633, which Traefik answers with a
 * per-request header check; here the service is never built).
 */

/** One entry point's bound address (the shape of `ListeningAddress` in src/core/provider.ts). */
export interface OwnAddress {
  readonly entryPoint: string
  /** As bound: `127.0.0.1`, `::`, `0.0.0.0`. */
  readonly address: string
  readonly port: number
}

const loopback = ipSet(['127.0.0.0/8', '::1'])
// `::` in any of its spellings (`0::0`, `0:0:0:0:0:0:0:0`).
const unspecifiedV6 = ipSet(['::/128'])
const defaultPorts: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'h2c:': 80, 'ws:': 80, 'wss:': 443 }

/**
 * The entry point a connection to `host:port` would reach, if it is one of
 * Junction's own: the same address and port, or, for an entry point bound
 * to every address (`0.0.0.0`, `::`), a loopback or unspecified host on its
 * port. Other addresses of this machine are only known if `listening` lists
 * them (a provider may add the host's interface addresses for an entry
 * point bound to every address).
 *
 * @example
 * ownEntryPointAt('127.0.0.1', 8000, [{ entryPoint: 'web', address: '0.0.0.0', port: 8000 }]) // the web entry
 */
export function ownEntryPointAt(host: string, port: number, listening: readonly OwnAddress[]): OwnAddress | undefined {
  const target = plainHost(host)
  const local = target === 'localhost' || loopback.has(target)
  return listening.find((own) => {
    if (own.port !== port) return false
    const bound = plainHost(own.address)
    if (isUnspecified(bound)) return local || isUnspecified(target)
    if (target === 'localhost') return loopback.has(bound)
    return bound === target || (isIP(bound) !== 0 && isIP(target) !== 0 && ipSet([bound]).has(target))
  })
}

/**
 * Removes, in place, every HTTP and TCP service of `config` with a server at
 * one of Junction's own entry points, and says why for each. (UDP services
 * are left alone: entry points that can loop are TCP listeners.)
 */
export function refuseOwnAddresses(config: Record<string, unknown>, listening: readonly OwnAddress[]): string[] {
  if (listening.length === 0) return []
  const warnings: string[] = []
  for (const protocol of ['http', 'tcp'] as const) {
    const section = config[protocol]
    const services = isPlainObject(section) ? section['services'] : undefined
    if (!isPlainObject(services)) continue
    for (const [name, service] of Object.entries(services)) {
      const servers = isPlainObject(service) && isPlainObject(service['loadBalancer']) ? service['loadBalancer']['servers'] : undefined
      for (const server of Array.isArray(servers) ? servers : []) {
        const where = protocol === 'http' ? urlTarget(server) : addressTarget(server)
        const own = where === undefined ? undefined : ownEntryPointAt(where.host, where.port, listening)
        if (where === undefined || own === undefined) continue
        warnings.push(
          `${protocol} service ${name}: server ${where.written} is Junction's own entry point ${own.entryPoint} (${joinHostPort(own.address, own.port)}), it would loop back; service left out`,
        )
        delete services[name]
        break
      }
    }
  }
  return warnings
}

function urlTarget(server: unknown): { host: string; port: number; written: string } | undefined {
  const written = isPlainObject(server) ? server['url'] : undefined
  if (typeof written !== 'string' || !URL.canParse(written)) return undefined
  const url = new URL(written)
  const port = url.port === '' ? defaultPorts[url.protocol] : Number(url.port)
  return port === undefined ? undefined : { host: url.hostname, port, written }
}

function addressTarget(server: unknown): { host: string; port: number; written: string } | undefined {
  const written = isPlainObject(server) ? server['address'] : undefined
  if (typeof written !== 'string') return undefined
  const colon = written.lastIndexOf(':')
  const port = Number(written.slice(colon + 1))
  return colon <= 0 || !Number.isInteger(port) ? undefined : { host: written.slice(0, colon), port, written }
}

function plainHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return unmapIPv4(bare).toLowerCase()
}

function isUnspecified(host: string): boolean {
  return host === '' || host === '0.0.0.0' || (isIP(host) === 6 && unspecifiedV6.has(host))
}
