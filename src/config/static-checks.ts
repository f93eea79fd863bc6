import { isIpOrCidr } from '../net/ip.ts'
import { isPlainObject } from './plain-data.ts'
import { applyDefaults } from './defaults.ts'
import { staticSchema } from './static-schema.ts'

/**
 * Checks on the merged static configuration that a type cannot express:
 * addresses, CIDRs, references between entry points, two entry points on one
 * address. Also adds the entry points Traefik creates implicitly.
 */

type Loose = Record<string, unknown>

/** An entry point address, parsed. */
export interface ParsedAddress {
  readonly host: string
  readonly port: number
  readonly protocol: 'tcp' | 'udp'
}

const hostPort = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/

/**
 * Parses `[host]:port[/tcp|/udp]` (`:80`, `127.0.0.1:8080/udp`, `[::1]:443`).
 *
 * @example parseAddress(':8000') // { host: '', port: 8000, protocol: 'tcp' }
 */
export function parseAddress(address: string): ParsedAddress | { message: string } {
  const slash = address.indexOf('/')
  const protocolText = slash === -1 ? 'tcp' : address.slice(slash + 1).toLowerCase()
  if (protocolText !== 'tcp' && protocolText !== 'udp') {
    return { message: `invalid protocol ${JSON.stringify(address.slice(slash + 1))}: expected tcp or udp` }
  }
  const match = hostPort.exec(slash === -1 ? address : address.slice(0, slash))
  if (match === null) return { message: `invalid address ${JSON.stringify(address)}: expected [host]:port[/tcp|/udp]` }
  const portText = match[3] ?? ''
  if (!/^\d+$/.test(portText)) return { message: `invalid port ${JSON.stringify(portText)}` }
  const port = Number(portText)
  if (port > 65_535) return { message: `invalid port ${JSON.stringify(portText)}: must be 0 to 65535` }
  return { host: match[1] ?? match[2] ?? '', port, protocol: protocolText }
}

/**
 * Traefik's implicit entry points: `http` on `:80` when none is defined, and
 * `traefik` on `:8080` when the API (insecure), ping, Prometheus or the REST
 * provider (insecure) is served there and no such entry point exists.
 */
export function addImplicitEntryPoints(config: Loose): void {
  const entryPoints = (isPlainObject(config['entryPoints']) ? config['entryPoints'] : {}) as Loose
  const schema = staticSchema.fields['entryPoints']
  const entryPoint = schema?.kind === 'map' ? schema.of : undefined
  if (Object.keys(entryPoints).length === 0 && entryPoint !== undefined) {
    entryPoints['http'] = applyDefaults(entryPoint, { address: ':80' })
  }
  if (usesTraefikEntryPoint(config) && entryPoints['traefik'] === undefined && entryPoint !== undefined) {
    entryPoints['traefik'] = applyDefaults(entryPoint, { address: ':8080' })
  }
  config['entryPoints'] = entryPoints
}

function usesTraefikEntryPoint(config: Loose): boolean {
  const api = config['api'] as Loose | undefined
  const ping = config['ping'] as Loose | undefined
  const prometheus = (config['metrics'] as Loose | undefined)?.['prometheus'] as Loose | undefined
  // Only once Junction has a REST provider can this be set; Traefik's rule is kept for it.
  const rest = (config['providers'] as Loose | undefined)?.['rest'] as Loose | undefined
  const internal = (section: Loose | undefined): boolean =>
    section !== undefined && section['manualRouting'] !== true && section['entryPoint'] === 'traefik'
  return api?.['insecure'] === true || internal(ping) || internal(prometheus) || rest?.['insecure'] === true
}

/** Every problem the merged configuration still has, one message each, path first. */
export function checkStatic(config: Loose): string[] {
  const problems: string[] = []
  const entryPoints = config['entryPoints'] as Record<string, Loose>
  const parsed = new Map<string, ParsedAddress>()
  for (const [name, ep] of Object.entries(entryPoints)) {
    const at = `entryPoints.${name}`
    const address = ep['address']
    if (typeof address !== 'string' || address === '') {
      problems.push(`${at}.address: missing`)
    } else {
      const result = parseAddress(address)
      if ('message' in result) problems.push(`${at}.address: ${result.message}`)
      else parsed.set(name, result)
    }
    checkRanges(ep['forwardedHeaders'] as Loose | undefined, `${at}.forwardedHeaders.trustedIPs`, problems)
    checkRanges(ep['proxyProtocol'] as Loose | undefined, `${at}.proxyProtocol.trustedIPs`, problems)
    checkRedirection(ep, at, entryPoints, problems)
  }
  problems.push(...sharedAddresses(entryPoints, parsed))
  checkEntryPointReferences(config, entryPoints, problems)
  checkWorkers(config['workers'], problems)
  checkResolvers(config['certificatesResolvers'] as Record<string, Loose> | undefined, problems)
  return problems
}

/**
 * Each ACME resolver answers at least one challenge, and the ones it names
 * are complete. Traefik finds a resolver without a challenge only when it
 * first orders ("ACME challenge not specified"); Junction says so at start.
 * Several challenges are allowed, as in Traefik: the CA's offer and the
 * order http-01, tls-alpn-01, dns-01 pick one per name (a wildcard takes
 * dns-01, the only one a CA offers for it). DNS providers and CA files are
 * checked when the control plane starts (they read the environment and the
 * disk).
 */
function checkResolvers(resolvers: Record<string, Loose> | undefined, problems: string[]): void {
  for (const [name, resolver] of Object.entries(resolvers ?? {})) {
    const acme = resolver['acme'] as Loose | undefined
    const at = `certificatesResolvers.${name}.acme`
    if (acme === undefined) {
      problems.push(`certificatesResolvers.${name}: no acme section (the only kind of resolver Junction has)`)
      continue
    }
    const http = acme['httpChallenge'] as Loose | undefined
    const dns = acme['dnsChallenge'] as Loose | undefined
    if (http === undefined && acme['tlsChallenge'] === undefined && dns === undefined) {
      problems.push(`${at}: no challenge: set httpChallenge, tlsChallenge or dnsChallenge`)
    }
    if (http !== undefined) {
      // An unknown one is checkEntryPointReferences' to say.
      const entryPoint = http['entryPoint']
      if (typeof entryPoint !== 'string' || entryPoint === '') problems.push(`${at}.httpChallenge.entryPoint: missing (the entry point the CA reaches on port 80)`)
    }
    if (dns !== undefined && (typeof dns['provider'] !== 'string' || dns['provider'] === '')) problems.push(`${at}.dnsChallenge.provider: missing`)
    const eab = acme['eab'] as Loose | undefined
    if (eab !== undefined && (typeof eab['kid'] !== 'string' || eab['kid'] === '' || typeof eab['hmacEncoded'] !== 'string' || eab['hmacEncoded'] === '')) {
      problems.push(`${at}.eab: both kid and hmacEncoded are needed`)
    }
    if (typeof acme['caServer'] === 'string' && !/^https?:\/\//i.test(acme['caServer'])) problems.push(`${at}.caServer: ${JSON.stringify(acme['caServer'])} is not an http(s) URL`)
  }
}

/** Most machines have a few dozen cores; a thousand workers is a typo, and each costs some 20 MB. */
const maxWorkers = 1024

function checkWorkers(workers: unknown, problems: string[]): void {
  if (workers === undefined || (typeof workers === 'string' && workers.toLowerCase() === 'auto')) return
  const text = String(workers)
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > maxWorkers) {
    problems.push(`workers: expected auto or a whole number from 1 to ${maxWorkers}, got ${JSON.stringify(workers)}`)
  }
}

function checkRanges(section: Loose | undefined, at: string, problems: string[]): void {
  const ranges = (section?.['trustedIPs'] ?? []) as string[]
  ranges.forEach((range, index) => {
    if (!isIpOrCidr(range)) problems.push(`${at}[${index}]: invalid IP or CIDR ${JSON.stringify(range)}`)
  })
}

function checkRedirection(ep: Loose, at: string, entryPoints: Record<string, Loose>, problems: string[]): void {
  const redirect = ((ep['http'] as Loose)['redirections'] as Loose | undefined)?.['entryPoint'] as Loose | undefined
  if (redirect === undefined) return
  const to = redirect['to']
  const where = `${at}.http.redirections.entryPoint.to`
  if (typeof to !== 'string' || to === '') {
    problems.push(`${where}: missing`)
  } else if (to.startsWith(':')) {
    const port = to.slice(1)
    if (!/^\d+$/.test(port) || Number(port) > 65_535) problems.push(`${where}: invalid port ${JSON.stringify(port)}`)
  } else if (entryPoints[to] === undefined) {
    problems.push(`${where}: unknown entry point ${JSON.stringify(to)}`)
  }
}

const wildcard = new Set(['', '0.0.0.0', '::'])

/** Two entry points cannot listen on one address (unless both set reusePort, or the port is 0). */
function sharedAddresses(entryPoints: Record<string, Loose>, parsed: ReadonlyMap<string, ParsedAddress>): string[] {
  const problems: string[] = []
  const seen: Array<[string, ParsedAddress]> = []
  for (const [name, address] of parsed) {
    const clash = seen.find(([other, earlier]) => {
      if (address.port === 0 || earlier.port !== address.port || earlier.protocol !== address.protocol) return false
      if (entryPoints[name]?.['reusePort'] === true && entryPoints[other]?.['reusePort'] === true) return false
      const a = address.host.toLowerCase()
      const b = earlier.host.toLowerCase()
      return a === b || wildcard.has(a) || wildcard.has(b)
    })
    if (clash !== undefined) {
      problems.push(`entryPoints.${name}.address: ${JSON.stringify(entryPoints[name]?.['address'])} overlaps entry point ${JSON.stringify(clash[0])} (${JSON.stringify(entryPoints[clash[0]]?.['address'])})`)
    }
    seen.push([name, address])
  }
  return problems
}

function checkEntryPointReferences(config: Loose, entryPoints: Record<string, Loose>, problems: string[]): void {
  const check = (section: Loose | undefined, at: string): void => {
    if (section === undefined || section['manualRouting'] === true) return
    const name = section['entryPoint']
    if (typeof name === 'string' && entryPoints[name] === undefined) problems.push(`${at}.entryPoint: unknown entry point ${JSON.stringify(name)}`)
  }
  check(config['ping'] as Loose | undefined, 'ping')
  check((config['metrics'] as Loose | undefined)?.['prometheus'] as Loose | undefined, 'metrics.prometheus')
  const resolvers = (config['certificatesResolvers'] ?? {}) as Record<string, Loose>
  for (const [name, resolver] of Object.entries(resolvers)) {
    const challenge = (resolver['acme'] as Loose | undefined)?.['httpChallenge'] as Loose | undefined
    check(challenge, `certificatesResolvers.${name}.acme.httpChallenge`)
  }
}
