import type { IncomingHttpHeaders } from 'node:http'

/** What a rule sees of a request; the engine builds it once per request. */
export interface RouteRequest {
  /** Lower-cased, without port or trailing dot: see {@link normaliseHost}. */
  readonly host: string
  /** The sanitised path (see `sanitizePath`), without the query. */
  readonly path: string
  readonly method: string
  readonly headers: IncomingHttpHeaders
  /** Parsed on first use and cached by the caller: most rules never look at the query. */
  readonly query: () => URLSearchParams
  /** The socket's address; IPv4-mapped IPv6 is accepted. */
  readonly clientIp: string
}

/** A compiled matcher, or a compiled rule, over a request. */
export type Predicate = (req: RouteRequest) => boolean

/**
 * The host a request is routed by: lower-cased, without `:port` (IPv6
 * `[::1]:80` gives `::1`) and without a trailing dot. A header Junction
 * cannot split is kept whole, as Traefik keeps it.
 *
 * @example
 * normaliseHost('API.Example.test.:8443') // 'api.example.test'
 */
export function normaliseHost(hostHeader: string): string {
  let host = hostHeader
  if (host.charCodeAt(0) === 0x5b) {
    const end = host.indexOf(']')
    if (end !== -1 && (end === host.length - 1 || host.charCodeAt(end + 1) === 0x3a)) host = host.slice(1, end)
  } else {
    const colon = host.indexOf(':')
    if (colon !== -1 && host.indexOf(':', colon + 1) === -1) host = host.slice(0, colon)
  }
  if (host.charCodeAt(host.length - 1) === 0x2e) host = host.slice(0, -1)
  return host.toLowerCase()
}
