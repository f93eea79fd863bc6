import type { HttpRouter } from '../config/dynamic.ts'
import { addError, entryOf, type RouterReport, type RuntimeReport } from '../config/report.ts'
import type { Handler, Middleware } from '../core/context.ts'
import { compareRouters } from '../rules/priority.ts'
import { compileHttpRule, type CompiledRule, type RuleSyntax } from '../rules/http-matcher.ts'
import type { BuildDependencies, EntryPointInfo } from './build-context.ts'
import { qualify } from './build-middlewares.ts'
import { childRouting } from './child-routing.ts'
import { reportNotYet } from './not-yet.ts'
import { redirectionRoute } from './redirection.ts'
import type { Resolver } from './resolver.ts'
import { routerTree } from './router-tree.ts'
import { RouterIndex, type RouteEntry } from './router-index.ts'
import type { BuiltService, EntryPointRoutes } from './routing-table.ts'

interface Ordered extends RouteEntry {
  readonly priority: number
}

/** Router options accepted but not honoured yet; each arrives with the observability issue. */
const routerNotYet = ['observability']

/**
 * Resolves every router's rule, entry points, middleware chain and service
 * (or child routers), then indexes the root routers of each entry point per
 * protocol: routers with `tls` serve TLS connections, the others plain ones.
 * A router with a bad rule or a missing reference is disabled alone, with a
 * message naming the culprit.
 */
export function buildRouters(
  routers: Readonly<Record<string, HttpRouter>>,
  services: Resolver<BuiltService>,
  middlewares: Resolver<Middleware>,
  deps: BuildDependencies,
  report: RuntimeReport,
): Map<string, EntryPointRoutes> {
  const perEntryPoint = new Map(deps.entryPoints.map((ep) => [ep.name, { http: [] as Ordered[], https: [] as Ordered[] }]))
  const defaults = defaultEntryPoints(deps.entryPoints)
  const tree = routerTree(routers, report, deps.logger)
  const reportOf = (name: string): RouterReport => entryOf(report, 'routers', name) as RouterReport
  const fail = (name: string, reason: string): void => {
    const message = `router ${name}: ${reason}`
    addError(reportOf(name), message, true)
    deps.logger.error({ router: name }, message)
  }
  const handlers = new Map<string, Handler | null>()
  /** The router's own middlewares over its service or its children; null once it failed. */
  const routerHandler = (name: string, using: readonly string[]): Handler | null => {
    const entry = reportOf(name)
    entry.using = [...new Set([...entry.using, ...using])]
    if (handlers.has(name)) return handlers.get(name) as Handler | null
    handlers.set(name, null)
    const router = routers[name] as HttpRouter
    if (tree.disabled.has(name)) return null
    const children = tree.children.get(name) ?? []
    let terminal: Handler
    try {
      terminal = children.length > 0 ? childRouting(name, children, (child) => childRoute(child, using)) : serviceHandler(router, services)
      const chain = (router.middlewares ?? []).map((mw) => middleware(mw, middlewares))
      for (const mw of router.middlewares ?? []) addUser(report.middlewares[mw], name)
      if (router.service !== undefined) addUser(report.services[router.service], name)
      const handler = chain.reduceRight((next, mw) => mw(next), terminal)
      handlers.set(name, handler)
      reportNotYet(entry, `router ${name}`, router as Record<string, unknown>, routerNotYet, deps.logger)
      return handler
    } catch (error) {
      fail(name, (error as Error).message)
      return null
    }
  }
  const childRoute = (name: string, using: readonly string[]): RouteEntry & { priority: number } | null => {
    const router = routers[name] as HttpRouter
    const rule = compile(name, router)
    const handler = rule === null ? null : routerHandler(name, using)
    return rule === null || handler === null ? null : { name, rule, handler, priority: rule.priority }
  }
  const compile = (name: string, router: HttpRouter): CompiledRule | null => {
    try {
      // The static default applies only where a router names no syntax; an explicit `default` is v3, as in Traefik.
      return compileHttpRule(router.rule ?? '', router.priority, (router.ruleSyntax as RuleSyntax | undefined) ?? deps.defaultRuleSyntax)
    } catch (error) {
      fail(name, (error as Error).message)
      return null
    }
  }

  for (const name of tree.roots) {
    const router = routers[name] as HttpRouter
    const entryPoints = router.entryPoints?.length ? router.entryPoints : defaults
    reportOf(name).using = [...entryPoints]
    const unknown = entryPoints.filter((ep) => !perEntryPoint.has(ep))
    if (unknown.length > 0) {
      fail(name, `entry point ${unknown.map((ep) => `"${ep}"`).join(', ')} does not exist`)
      continue
    }
    const rule = compile(name, router)
    if (rule === null) continue
    const inner = routerHandler(name, entryPoints)
    if (inner === null) continue
    if (router.tls !== undefined) {
      // TLS entry points arrive with the HTTPS issue; a tls router serves TLS connections only.
      const message = `router ${name}: tls is not supported yet, so this router serves no traffic`
      addError(reportOf(name), message, false)
      deps.logger.warn({ router: name }, message)
    }
    for (const epName of entryPoints) {
      const ep = deps.entryPoints.find((candidate) => candidate.name === epName) as EntryPointInfo
      let handler = inner
      try {
        const chain = qualifyAll(ep.middlewares, name).map((mw) => middleware(mw, middlewares))
        handler = chain.reduceRight((next, mw) => mw(next), inner)
      } catch (error) {
        fail(name, (error as Error).message)
        break
      }
      perEntryPoint.get(epName)?.[router.tls === undefined ? 'http' : 'https'].push({ name, rule, handler, priority: rule.priority })
    }
  }
  for (const [name, router] of Object.entries(routers)) {
    const entry = reportOf(name)
    // A child is built through its parents; none of them serving means it serves nothing either.
    if (router.parentRefs?.length && !handlers.has(name) && entry.status !== 'disabled') fail(name, 'none of its parent routers is enabled, so it serves no traffic')
  }
  const indexes = new Map<string, EntryPointRoutes>()
  for (const ep of deps.entryPoints) {
    const routes = perEntryPoint.get(ep.name) ?? { http: [], https: [] }
    if (ep.redirection) routes.http.push(redirectionRoute(ep))
    indexes.set(ep.name, { http: new RouterIndex(routes.http.sort(compareRouters)), https: new RouterIndex(routes.https.sort(compareRouters)) })
  }
  return indexes
}

/** Routers without entry points listen on those marked `asDefault`, or on all when none is. */
function defaultEntryPoints(entryPoints: readonly EntryPointInfo[]): string[] {
  const marked = entryPoints.filter((ep) => ep.asDefault)
  return (marked.length > 0 ? marked : entryPoints).map((ep) => ep.name)
}

function serviceHandler(router: HttpRouter, services: Resolver<BuiltService>): Handler {
  const name = router.service
  if (name === undefined || name === '') throw new Error('no service is set')
  return services.get(name).instance.handler
}

function middleware(name: string, middlewares: Resolver<Middleware>): Middleware {
  return middlewares.get(name)
}

/** Entry-point middlewares without `@` resolve in the provider of the router they front. */
function qualifyAll(names: readonly string[], router: string): string[] {
  return names.map((name) => qualify(name, router))
}

function addUser(entry: { usedBy?: string[] } | undefined, router: string): void {
  if (entry === undefined) return
  entry.usedBy ??= []
  if (!entry.usedBy.includes(router)) entry.usedBy.push(router)
}
