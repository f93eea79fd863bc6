import type { IncomingMessage } from 'node:http'
import type { RequestContext } from '../core/context.ts'
import { forwardedFor } from './forwarded-headers.ts'
import type { Target } from './forwarder.ts'
import { requestHeadersForNextHop } from './hop-by-hop.ts'

/**
 * What Go's reverse proxy, as Traefik sets it up, sends whatever the
 * request's Connection header lists: X-Forwarded-For, -Host, -Proto and
 * Forwarded are copied back from the incoming request after the hop-by-hop
 * removal, and Host and Content-Length are fields of Go's request, not
 * entries of its header map.
 */
const survivesConnection: ReadonlySet<string> = new Set(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'host', 'content-length'])

const keepListed = (name: string): boolean => survivesConnection.has(name)

/**
 * The headers sent to the server: the request's own as the entry point and
 * the middlewares left them (the entry point already set X-Forwarded-Proto,
 * -Host, -Port, -Server and X-Real-Ip and applied the client's Connection
 * options), minus hop-by-hop fields and what Connection lists by now, plus
 * the client address appended to X-Forwarded-For. `req.headers` itself is
 * left as it is.
 *
 * The Host is the client's unless `passHostHeader` is false; a request with
 * an empty Host (HTTP/1.0, or `Host:` with no value) gets the server's, as
 * Go's client writes the URL's host when the request names none.
 */
export function outgoingHeaders(
  req: IncomingMessage,
  ctx: RequestContext,
  target: Target,
  upgrade: boolean,
): Record<string, string | string[]> {
  const out = requestHeadersForNextHop(req.headers, upgrade, keepListed)
  const xff = forwardedFor(req.headers, ctx)
  if (xff !== undefined) out['x-forwarded-for'] = xff
  if (!target.passHostHeader || !out['host']) out['host'] = target.url.host
  return out
}

/**
 * The request target sent to the server: `req.url` (normalised by the entry
 * point, maybe rewritten by middlewares; an empty path is `/`). As in
 * Traefik v3, the server URL's path is ignored unless `preservePath` is
 * set, then it prefixes the request path with one slash between them. The entry point already turned the
 * client's query semicolons into `&` (or `%3B`, `encodeQuerySemicolons`);
 * one a middleware adds becomes `&` here, as in Traefik's proxy.
 */
export function outgoingPath(url: string | undefined, target: Target): string {
  const raw = url ?? '/'
  const at = raw.indexOf('?')
  // A middleware may leave an empty path (`stripPrefix` on `/api`); Go's RequestURI sends it as `/`.
  let path = at === 0 || raw === '' ? '/' : at === -1 ? raw : raw.slice(0, at)
  let query = at === -1 ? '' : raw.slice(at)
  if (query === '?') query = ''
  else if (query.includes(';')) query = query.replaceAll(';', '&')
  if (target.preservePath) path = joinPaths(target.url.pathname, path)
  return path + query
}

function joinPaths(base: string, path: string): string {
  const baseSlash = base.endsWith('/')
  const pathSlash = path.startsWith('/')
  if (baseSlash && pathSlash) return base + path.slice(1)
  if (!baseSlash && !pathSlash) return `${base}/${path}`
  return base + path
}
