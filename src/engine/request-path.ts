import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Handler, RequestContext } from '../core/context.ts'
import type { Outcome } from '../core/outcome.ts'
import { answered, failed } from '../core/outcomes.ts'
import { respondError, settle } from '../core/responder.ts'
import type { Logger } from '../observability/logger.ts'
import { normaliseHost, type RouteRequest } from '../rules/http-matcher.ts'
import { sanitizePath } from '../rules/sanitize-path.ts'
import { removeUntrustedForwardedHeaders, setForwardedHeaders } from '../services/forwarded-headers.ts'
import { applyConnectionOptions, type ConnectionKept } from '../services/hop-by-hop.ts'
import { authorityEnd, authorityOf, headProblem, querySemicolons, upgradesToWebSocket } from './request-head.ts'
import type { EntryPointRoutes } from './routing-table.ts'

/** What an entry point decides for every request before routing; one object per entry point. */
export interface RequestPolicy {
  /** Largest request head, as Go counts it (see `headLimit`). */
  readonly headLimit: number
  /** `http.encodeQuerySemicolons`: `;` in the query becomes `%3B` rather than `&`. */
  readonly encodeQuerySemicolons: boolean
  /** `forwardedHeaders.connection`: Connection options that stay until the forwarder. */
  readonly connectionKept: ConnectionKept
}

/**
 * The request path, flat, in the order Traefik's entry point runs it:
 * refuse what Go's server refuses (several or a malformed Host, an oversized
 * head), normalise the path and the query's semicolons, take the host of an
 * absolute-form target as the request's, strip untrusted and set the
 * forwarded headers, apply the client's Connection options (the headers it
 * lists are gone before any rule or middleware sees them), find the router
 * in the entry point's index for the connection's protocol, run its
 * composed chain, and answer a failure the chain reports before any
 * response head. The path the server receives is the normalised one, so
 * no request reaches a router its normalised path does not match.
 */
export function dispatch(
  routes: EntryPointRoutes | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  logger: Logger,
  policy: RequestPolicy,
): Promise<Outcome> {
  const problem = headProblem(req, policy.headLimit)
  if (problem !== undefined) {
    // Go's server closes the connection after refusing a head.
    res.shouldKeepAlive = false
    respondError(res, problem)
    return Promise.resolve(answered(res, ctx))
  }
  const target = requestTarget(req)
  const path = target === null ? null : sanitizePath(target.path)
  if (target === null || path === null) {
    respondError(res, 'JCT_ERR_BAD_REQUEST')
    return Promise.resolve(answered(res, ctx))
  }
  const query = querySemicolons(target.query, policy.encodeQuerySemicolons)
  req.url = path + query
  const headers = req.headers
  if (target.host !== undefined) headers.host = target.host
  if (!ctx.connection.trusted) removeUntrustedForwardedHeaders(headers)
  setForwardedHeaders(headers, ctx, ctx.upgrade !== undefined && upgradesToWebSocket(headers.upgrade))
  if (headers.connection !== undefined) applyConnectionOptions(headers, policy.connectionKept)
  const index = ctx.connection.secure ? routes?.https : routes?.http
  const route = index?.find(routeRequest(req, path, query, ctx))
  if (route === undefined) {
    respondError(res, 'JCT_ERR_NOT_FOUND')
    return Promise.resolve(answered(res, ctx))
  }
  ctx.router = route.name
  return run(route.handler, req, res, ctx, logger)
}

/**
 * Runs a handler to its outcome and settles it: a failure before any
 * response head is answered with its code, a handler that throws is a 500
 * and a log line with the stack.
 */
export function run(handler: Handler, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, logger: Logger): Promise<Outcome> {
  let pending: Promise<Outcome>
  try {
    pending = handler(req, res, ctx)
  } catch (error) {
    pending = Promise.reject(error)
  }
  return pending.then(
    (outcome) => settle(res, outcome),
    (error: unknown) => {
      logger.error({ router: ctx.router, err: error }, `router ${ctx.router}: request failed`)
      return settle(res, failed(ctx, 'internal', 'JCT_ERR_INTERNAL', error))
    },
  )
}

/**
 * Splits origin-form (`/a?b`) and absolute-form (`http://h/a?b`) targets.
 * The host of an absolute-form target is kept as written (see
 * {@link authorityOf}).
 */
function requestTarget(req: IncomingMessage): { path: string; query: string; host: string | undefined } | null {
  const url = req.url ?? '/'
  if (url.startsWith('/') || url === '*') {
    const at = url.indexOf('?')
    return at === -1 ? { path: url, query: '', host: undefined } : { path: url.slice(0, at), query: url.slice(at), host: undefined }
  }
  if (!/^https?:\/\//i.test(url)) return null
  const host = authorityOf(url)
  try {
    if (host !== '') {
      const parsed = new URL(url)
      return { path: parsed.pathname, query: parsed.search, host }
    }
    // No host in the target (`http://@/`): Go takes the Host header's, as for origin-form; WHATWG URL refuses an empty host, so parse the rest alone.
    const rest = url.slice(authorityEnd(url))
    const parsed = new URL(rest.startsWith('/') ? rest : `/${rest}`, 'http://target.invalid')
    return { path: parsed.pathname, query: parsed.search, host: undefined }
  } catch {
    return null
  }
}

function routeRequest(req: IncomingMessage, path: string, query: string, ctx: RequestContext): RouteRequest {
  let params: URLSearchParams | undefined
  return {
    host: normaliseHost(req.headers.host ?? ''),
    path,
    method: req.method ?? 'GET',
    headers: req.headers,
    query: () => (params ??= new URLSearchParams(query)),
    clientIp: ctx.connection.clientIp,
  }
}

/**
 * The request as middlewares left it, for child routers: `req.url` is
 * already normalised (a middleware may have rewritten it), headers may have
 * been added.
 */
export function routeRequestOf(req: IncomingMessage, ctx: RequestContext): RouteRequest {
  const url = req.url ?? '/'
  const at = url.indexOf('?')
  return routeRequest(req, at === -1 ? url : url.slice(0, at), at === -1 ? '' : url.slice(at), ctx)
}
