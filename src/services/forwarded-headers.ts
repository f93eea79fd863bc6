import type { IncomingHttpHeaders } from 'node:http'
import { hostname } from 'node:os'
import type { RequestContext } from '../core/context.ts'
import { portOf } from '../net/host.ts'

/**
 * The X-headers a proxy vouches for. A client outside `trustedIPs` may not
 * send any of them: the server would take its word for the client address,
 * scheme or host. X-Forwarded-Scheme and X-Scheme are on the list because
 * Traefik strips them too and some servers honour them.
 */
const managed: ReadonlySet<string> = new Set([
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-forwarded-prefix',
  'x-forwarded-uri',
  'x-forwarded-method',
  'x-forwarded-tls-client-cert',
  'x-forwarded-tls-client-cert-info',
  'x-forwarded-scheme',
  'x-scheme',
  'x-real-ip',
])

const serverName = hostname()

/**
 * True for a lowercased header name in the X-Forwarded family, including its
 * underscore spellings (`x_forwarded_for`): Node keeps underscores in names,
 * and CGI-style servers read `X_Forwarded_For` as `X-Forwarded-For`.
 */
export function isForwardedHeader(name: string): boolean {
  if (name.charCodeAt(0) !== 120 /* 'x' */) return false
  if (managed.has(name)) return true
  return name.includes('_') && managed.has(name.replaceAll('_', '-'))
}

/**
 * Deletes every X-Forwarded-* header (and X-Real-Ip) a client sent. The entry
 * point calls it for clients outside `forwardedHeaders.trustedIPs` before any
 * middleware runs, so a middleware (stripPrefix) can still set its own.
 *
 * @example
 * if (!ctx.connection.trusted) removeUntrustedForwardedHeaders(req.headers)
 */
export function removeUntrustedForwardedHeaders(headers: IncomingHttpHeaders): void {
  for (const name in headers) {
    if (isForwardedHeader(name)) delete headers[name]
  }
}

/**
 * Adds the forwarded headers to `out` (already stripped of hop-by-hop fields),
 * as Traefik does: the client address is appended to X-Forwarded-For; the
 * others keep a value that is already there, which can only come from a
 * trusted client or a middleware. `host` is the Host the client sent.
 */
export function addForwardedHeaders(
  out: Record<string, string | string[]>,
  host: string | undefined,
  ctx: RequestContext,
  upgrade: boolean,
): void {
  const ip = ctx.connection.clientIp
  if (ip !== '') {
    const prior = out['x-forwarded-for']
    const joined = Array.isArray(prior) ? prior.join(', ') : prior
    out['x-forwarded-for'] = joined ? `${joined}, ${ip}` : ip
    if (!out['x-real-ip']) out['x-real-ip'] = ip
  }
  let proto = first(out['x-forwarded-proto'])
  if (!proto) {
    proto = upgrade ? (ctx.connection.secure ? 'wss' : 'ws') : ctx.connection.secure ? 'https' : 'http'
    out['x-forwarded-proto'] = proto
  }
  if (!out['x-forwarded-port']) out['x-forwarded-port'] = portOf(host) ?? (proto === 'https' || proto === 'wss' ? '443' : '80')
  if (!out['x-forwarded-host'] && host) out['x-forwarded-host'] = host
  if (!out['x-forwarded-server']) out['x-forwarded-server'] = serverName
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
