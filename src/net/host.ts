/**
 * Host values as clients send them (`Host` headers, URL authorities): one
 * parser, split into name and port, for routing, redirects and forwarded
 * headers alike.
 */

/** A host value split in two. `name` keeps IPv6 brackets; `port` is '' when none is written. */
export interface HostParts {
  readonly name: string
  readonly port: string
}

/**
 * Splits `a.test:80`, `[::1]:80`, `a.test`, `[::1]`. A bare IPv6 address
 * (`::1`, several colons, no brackets) has no port. A value that does not
 * split cleanly (an unclosed bracket) is all name.
 *
 * @example
 * splitHost('[::1]:8080') // { name: '[::1]', port: '8080' }
 */
export function splitHost(host: string): HostParts {
  if (host.charCodeAt(0) === 0x5b /* [ */) {
    const end = host.indexOf(']')
    if (end === -1) return { name: host, port: '' }
    const rest = host.slice(end + 1)
    return rest.charCodeAt(0) === 0x3a /* : */ ? { name: host.slice(0, end + 1), port: rest.slice(1) } : { name: host.slice(0, end + 1), port: '' }
  }
  const colon = host.indexOf(':')
  if (colon === -1 || host.indexOf(':', colon + 1) !== -1) return { name: host, port: '' }
  return { name: host.slice(0, colon), port: host.slice(colon + 1) }
}

/** The host without its port: `[::1]:80` gives `[::1]` (brackets kept, as a URL needs them). */
export function hostWithoutPort(host: string): string {
  return splitHost(host).name
}

/** The port of a Host value (`h:8080`, `[::1]:8080`), or undefined when it names none (or not a number). */
export function portOf(host: string | undefined): string | undefined {
  if (!host) return undefined
  const { port } = splitHost(host)
  return /^\d+$/.test(port) ? port : undefined
}

/**
 * The host a request is routed by: lower-cased, without `:port`, without
 * IPv6 brackets (`[::1]:80` gives `::1`) and without a trailing dot. A value
 * that does not split is kept whole, as Traefik keeps it. It runs on every
 * request, so it splits the way {@link splitHost} does without allocating
 * the parts.
 *
 * @example
 * normaliseHost('API.Example.test.:8443') // 'api.example.test'
 */
export function normaliseHost(hostHeader: string): string {
  let host = hostHeader
  if (host.charCodeAt(0) === 0x5b /* [ */) {
    const end = host.indexOf(']')
    if (end !== -1) host = host.slice(1, end)
  } else {
    const colon = host.indexOf(':')
    if (colon !== -1 && host.indexOf(':', colon + 1) === -1) host = host.slice(0, colon)
  }
  if (host.charCodeAt(host.length - 1) === 0x2e /* . */) host = host.slice(0, -1)
  return host.toLowerCase()
}
