import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../observability/logger.ts'
import { normaliseHost, type RouteRequest } from '../rules/http-matcher.ts'
import { sanitizePath } from '../rules/sanitize-path.ts'
import { respondError } from './responder.ts'
import type { RoutingTable } from './routing-table.ts'
import type { RequestContext } from './types.ts'

/**
 * The request path, flat: normalise the path, find the router, run its
 * composed chain. The path the server receives is the normalised one, so no
 * request reaches a router its normalised path does not match.
 */
export function dispatch(
  table: RoutingTable,
  entryPoint: string,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  logger: Logger,
): void {
  const target = requestTarget(req)
  const path = target === null ? null : sanitizePath(target.path)
  if (target === null || path === null) {
    respondError(res, 'JCT_ERR_BAD_REQUEST')
    return
  }
  req.url = path + target.query
  const route = table.entryPoints.get(entryPoint)?.find(routeRequest(req, path, target.query, ctx, target.host))
  if (route === undefined) {
    respondError(res, 'JCT_ERR_NOT_FOUND')
    return
  }
  ctx.router = route.name
  try {
    const pending = route.handler(req, res, ctx)
    if (pending) pending.catch((error: unknown) => fail(res, ctx, error, logger))
  } catch (error) {
    fail(res, ctx, error, logger)
  }
}

/** Splits origin-form (`/a?b`) and absolute-form (`http://h/a?b`) targets. */
function requestTarget(req: IncomingMessage): { path: string; query: string; host: string | undefined } | null {
  const url = req.url ?? '/'
  if (url.startsWith('/') || url === '*') {
    const at = url.indexOf('?')
    return at === -1 ? { path: url, query: '', host: undefined } : { path: url.slice(0, at), query: url.slice(at), host: undefined }
  }
  if (!/^https?:\/\//i.test(url)) return null
  try {
    const parsed = new URL(url)
    return { path: parsed.pathname, query: parsed.search, host: parsed.host }
  } catch {
    return null
  }
}

function routeRequest(req: IncomingMessage, path: string, query: string, ctx: RequestContext, host: string | undefined): RouteRequest {
  let params: URLSearchParams | undefined
  return {
    host: normaliseHost(host ?? req.headers.host ?? ''),
    path,
    method: req.method ?? 'GET',
    headers: req.headers,
    query: () => (params ??= new URLSearchParams(query)),
    clientIp: ctx.clientIp,
  }
}

function fail(res: ServerResponse, ctx: RequestContext, error: unknown, logger: Logger): void {
  logger.error({ router: ctx.router, err: error }, `router ${ctx.router}: request failed`)
  respondError(res, 'JCT_ERR_BAD_GATEWAY')
}
