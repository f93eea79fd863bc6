import type { IncomingMessage } from 'node:http'
import type { RequestContext } from '../core/context.ts'
import { addForwardedHeaders, isForwardedHeader } from './forwarded-headers.ts'
import type { Target } from './forwarder.ts'
import { requestHeadersForNextHop } from './hop-by-hop.ts'

/**
 * The headers sent to the server, built in an order that matters: hop-by-hop
 * fields (and what Connection lists) go first, THEN the forwarded headers are
 * added, so `Connection: X-Forwarded-For` cannot suppress them. `req.headers`
 * itself is left as the middlewares made it.
 */
export function outgoingHeaders(
  req: IncomingMessage,
  ctx: RequestContext,
  target: Target,
  upgrade: boolean,
): Record<string, string | string[]> {
  const out = requestHeadersForNextHop(req.headers, upgrade, isForwardedHeader)
  const host = req.headers.host
  addForwardedHeaders(out, host, ctx, upgrade)
  if (!target.passHostHeader) out['host'] = target.url.host
  return out
}

/**
 * The request target sent to the server: `req.url` (normalised by the entry
 * point, maybe rewritten by middlewares). As in Traefik v3, the server URL's
 * path is ignored unless `preservePath` is set, then it prefixes the request
 * path with one slash between them. Semicolons in the query become `&`, as
 * Traefik does, because Go servers reject them as separators.
 */
export function outgoingPath(url: string | undefined, target: Target): string {
  const raw = url === undefined || url === '' ? '/' : url
  const at = raw.indexOf('?')
  let path = at === -1 ? raw : raw.slice(0, at)
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
