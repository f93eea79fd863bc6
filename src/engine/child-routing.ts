import type { Handler } from '../core/context.ts'
import { answered } from '../core/outcomes.ts'
import { respondError } from '../core/responder.ts'
import { compareRouters } from '../rules/priority.ts'
import { routeRequestOf } from './request-path.ts'
import { RouterIndex, type RouteEntry } from './router-index.ts'

/**
 * The terminal of a parent router (multi-layer routing): after the parent's
 * middlewares ran, the request, as they left it (headers added by an auth
 * middleware, a stripped path), is matched against the children, highest
 * priority first. No match is a 404, as in Traefik.
 *
 * @throws Error when no child can be used (each one is disabled with its own reason).
 */
export function childRouting(
  parent: string,
  children: readonly string[],
  build: (child: string) => (RouteEntry & { readonly priority: number }) | null,
): Handler {
  const routes = children.map(build).filter((route) => route !== null)
  if (routes.length === 0) throw new Error(`none of its ${children.length} child router(s) can be used`)
  const index = new RouterIndex(routes.sort(compareRouters))
  return (req, res, ctx) => {
    const route = index.find(routeRequestOf(req, ctx))
    if (route === undefined) {
      respondError(res, 'JCT_ERR_NOT_FOUND')
      return Promise.resolve(answered(res, ctx))
    }
    ctx.router = route.name
    return route.handler(req, res, ctx)
  }
}
