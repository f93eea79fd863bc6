import { isIP } from 'node:net'
import type { LabelProtocol, ServerAddress } from '../../src/provider-plugin.ts'
import type { DockerContainer, DockerPortBinding } from './container.ts'

/**
 * Where a server of a container is, as Traefik's Docker builder finds it
 * (`getIPPort`, `getIPAddress`, `getPort`, `getPortBinding`):
 *
 * - the port: the `port` label, else the lowest port the container exposes;
 * - the address: its address on the network its `<prefix>.docker.network`
 *   label (or the `network` option) names; `127.0.0.1` in host network mode;
 *   the address of the container whose network it shares (`container:<id>`);
 *   else its address on its first network;
 * - with `useBindPortIP`, the host address and port the port is published
 *   on, when it is published on one address.
 *
 * Where Traefik's choice is random (several networks, a port published for
 * TCP and UDP), the first in name order is taken, so the same containers
 * always give the same snapshot. The lowest port is the lowest of the
 * protocol asked for (TCP for HTTP), when the container exposes one.
 */

/** What finding an address needs besides the container. */
export interface AddressContext {
  readonly useBindPortIP: boolean
  /** Another container, by ID or name: the one whose network a `container:<id>` container shares. */
  find(reference: string): DockerContainer | undefined
  /** The network another container's label names, if any. */
  labelNetwork(container: DockerContainer): string | undefined
  /** The provider's `network` option. */
  readonly network: string | undefined
  /** Where notes go: a choice made because what was asked for could not be done. */
  readonly notes: string[]
}

interface ExposedPort {
  readonly port: number
  readonly protocol: string
  readonly key: string
}

/**
 * The address of a server of `container` on `port` (undefined: the default
 * port for `protocol`), reached over `network` (the label's or the option's).
 *
 * @example
 * serverAddress(container, 'web', 'http', undefined, context) // { host: '172.18.0.5', port: 80 }
 */
export function serverAddress(
  container: DockerContainer,
  network: string | undefined,
  protocol: LabelProtocol,
  port: number | undefined,
  context: AddressContext,
): ServerAddress {
  const chosen = port ?? defaultPort(container, protocol)
  if (chosen === undefined) return { message: 'the container exposes no port', missingPort: true }
  if (context.useBindPortIP) {
    const bound = publishedAt(container, chosen, protocol === 'udp' ? 'udp' : 'tcp', context.notes)
    if (bound !== undefined) return bound
  }
  const ip = ipAddress(container, network, context, new Set())
  return 'message' in ip ? ip : { host: ip.ip, port: chosen }
}

/** The lowest port the container exposes for the protocol (TCP for HTTP), or of any protocol when it exposes none for that one. */
export function defaultPort(container: DockerContainer, protocol: LabelProtocol): number | undefined {
  const ports = exposedPorts(container)
  const wanted = protocol === 'udp' ? 'udp' : 'tcp'
  const matching = ports.filter((entry) => entry.protocol === wanted)
  const candidates = matching.length > 0 ? matching : ports
  return candidates.length === 0 ? undefined : Math.min(...candidates.map((entry) => entry.port))
}

/**
 * The ports of `NetworkSettings.Ports`, as Traefik reads them; when that is
 * empty, as Docker leaves it for a container on the host network, those of
 * `Config.ExposedPorts` (where Traefik would find no port at all).
 */
function exposedPorts(container: DockerContainer): ExposedPort[] {
  const settings = Object.keys(container.NetworkSettings.Ports ?? {})
  const keys = settings.length > 0 ? settings : Object.keys(container.Config.ExposedPorts ?? {})
  const out: ExposedPort[] = []
  for (const key of keys.sort()) {
    const match = /^(\d{1,5})(?:\/([a-z]+))?$/.exec(key)
    const port = Number(match?.[1])
    if (match !== null && port >= 1 && port <= 65535) out.push({ port, protocol: match[2] ?? 'tcp', key })
  }
  return out
}

/** The binding of `port`, for the protocol asked for if it is published for it, else for the other one. */
function publishedAt(container: DockerContainer, port: number, protocol: 'tcp' | 'udp', notes: string[]): ServerAddress | undefined {
  const published = exposedPorts(container).filter((candidate) => candidate.port === port && (candidate.protocol === 'tcp' || candidate.protocol === 'udp'))
  const entry = published.find((candidate) => candidate.protocol === protocol) ?? published[0]
  const binding: DockerPortBinding | undefined = entry === undefined ? undefined : (container.NetworkSettings.Ports?.[entry.key] ?? [])[0]
  if (binding === undefined) {
    notes.push(`useBindPortIP: port ${port} is not published; using the container's own address`)
    return undefined
  }
  const host = binding.HostIp
  const hostPort = Number(binding.HostPort)
  if (isIP(host) === 0 || host === '0.0.0.0' || host === '::' || !Number.isInteger(hostPort) || hostPort < 1 || hostPort > 65535) {
    notes.push(`useBindPortIP: port ${port} is published on ${JSON.stringify(host || '*')}, not on one address; using the container's own address`)
    return undefined
  }
  return { host, port: hostPort }
}

function ipAddress(container: DockerContainer, network: string | undefined, context: AddressContext, seen: Set<string>): { ip: string } | { message: string } {
  const networks = container.NetworkSettings.Networks ?? {}
  let missing = false
  if (network !== undefined && container.NetworkSettings.Networks != null) {
    if (Object.hasOwn(networks, network)) return addressOn(networks, network)
    missing = true
  }
  const mode = container.HostConfig.NetworkMode ?? ''
  if (mode === 'host') return { ip: '127.0.0.1' }
  if (mode.startsWith('container:')) return sharedAddress(container, mode.slice('container:'.length), network, context, seen)
  const first = Object.keys(networks).sort()[0]
  if (missing) {
    const instead = first === undefined ? 'and it is on no other network' : `using ${first}`
    context.notes.push(`network ${JSON.stringify(network)} not found on the container (is the Compose project's prefix missing?); ${instead}`)
  }
  return first === undefined ? { message: 'the container has no network address' } : addressOn(networks, first)
}

function addressOn(networks: NonNullable<DockerContainer['NetworkSettings']['Networks']>, name: string): { ip: string } | { message: string } {
  const endpoint = networks[name]
  const ip = endpoint?.IPAddress || endpoint?.GlobalIPv6Address || ''
  return ip === '' ? { message: `the container has no address on network ${JSON.stringify(name)}` } : { ip }
}

/** A container that shares another's network stack (`--network container:<id>`) is reached at that container's address. */
function sharedAddress(container: DockerContainer, reference: string, network: string | undefined, context: AddressContext, seen: Set<string>): { ip: string } | { message: string } {
  const other = context.find(reference)
  if (other === undefined) return { message: `network mode container:${reference}: no such container` }
  seen.add(container.Id)
  if (seen.has(other.Id)) return { message: `network mode container:${reference}: the containers share each other's network` }
  return ipAddress(other, context.labelNetwork(other) ?? context.network ?? network, context, seen)
}
