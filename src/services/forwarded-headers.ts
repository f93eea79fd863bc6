import type { IncomingHttpHeaders } from 'node:http'
import { hostname } from 'node:os'
import type { RequestContext } from '../core/context.ts'

/**
 * The X-headers a proxy vouches for. A client outside `trustedIPs` may not
 * send any of them: the server would take its word for the client address,
 * scheme or host. X-Forwarded-Scheme and X-Scheme are on the list because
 * Traefik strips them too and some servers honour them; X-Replaced-Path
 * (which Traefik leaves) because `replacePath` adds the original path after
 * any value already there, and a server reading the first would read the
 * client's.
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
  'x-replaced-path',
])

/** Traefik falls back to `localhost` when the host name cannot be read; Node's `hostname()` always answers. */
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
 * Deletes every X-Forwarded-* header (and X-Real-Ip) a client sent. Called
 * for clients outside `forwardedHeaders.trustedIPs`, before
 * {@link setForwardedHeaders}.
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
 * Sets the forwarded headers on the request itself, as Traefik's entry point
 * does before routing, so rules and middlewares see them and a middleware
 * can replace or remove them (`customRequestHeaders: {X-Forwarded-Host: ""}`)
 * for good. X-Real-Ip, -Proto, -Port and -Host keep a value that is already
 * there (only a trusted client can have sent one); X-Forwarded-Server is
 * always this host. X-Forwarded-For is not touched here: the forwarder
 * appends the client address to whatever the request carries by then (see
 * {@link forwardedFor}).
 *
 * `websocket`: an upgrade to WebSocket, whose scheme is `ws`/`wss`.
 */
export function setForwardedHeaders(headers: IncomingHttpHeaders, ctx: RequestContext, websocket: boolean): void {
  const { clientIp, secure } = ctx.connection
  if (clientIp !== '' && !headers['x-real-ip']) headers['x-real-ip'] = clientIp
  let proto = first(headers['x-forwarded-proto'])
  if (!proto) {
    proto = websocket ? (secure ? 'wss' : 'ws') : secure ? 'https' : 'http'
    headers['x-forwarded-proto'] = proto
  }
  const host = headers.host
  if (!headers['x-forwarded-port']) headers['x-forwarded-port'] = hostPort(host) ?? (proto === 'https' || proto === 'wss' || secure ? '443' : '80')
  if (!headers['x-forwarded-host'] && host) headers['x-forwarded-host'] = host
  headers['x-forwarded-server'] = serverName
}

/**
 * The X-Forwarded-For the server receives: the request's value (as the
 * client, a trusted proxy or a middleware left it) with the client address
 * appended, as Go's reverse proxy does. Undefined means "send none": the
 * entry point sets `notAppendXForwardedFor` and the request has none, or a
 * middleware removed the header (`X-Forwarded-For: ""` leaves the name with
 * no value, which tells the proxy to add nothing, as Traefik's headers
 * middleware does).
 */
export function forwardedFor(headers: IncomingHttpHeaders, ctx: RequestContext): string | string[] | undefined {
  const prior = headers['x-forwarded-for']
  const ip = ctx.connection.clientIp
  if (!ctx.appendForwardedFor || ip === '') return prior
  if (prior === undefined) return 'x-forwarded-for' in headers ? undefined : ip
  return `${Array.isArray(prior) ? prior.join(', ') : prior}, ${ip}`
}

/**
 * The port written in a Host value (`h:8080`, `[::1]:8080`), or undefined,
 * split as Go's `net.SplitHostPort` splits it (any non-empty text after the
 * colon is the port). Runs on every request: it finds the last colon after
 * any IPv6 bracket in place, allocating only the port it returns.
 */
function hostPort(host: string | undefined): string | undefined {
  if (!host) return undefined
  const colon = host.lastIndexOf(':')
  if (colon === -1 || colon === host.length - 1) return undefined
  // A colon inside brackets, or a bare IPv6 address (more than one colon), names no port.
  if (host.charCodeAt(0) === 0x5b /* [ */ ? host.charCodeAt(colon - 1) !== 0x5d /* ] */ : host.indexOf(':') !== colon) return undefined
  return host.slice(colon + 1)
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
