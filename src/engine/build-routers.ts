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
import { routerTree, type RouterTree } from './router-tree.ts'
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
  /** Whether `tls.options` has a `default` set, which every TLS router without options of its own uses. */
  defaultTlsOptions = false,
): Map<string, EntryPointRoutes> {
  return new RouterBuilder(routers, services, middlewares, deps, report, defaultTlsOptions).build()
}

class RouterBuilder {
  readonly #routers: Readonly<Record<string, HttpRouter>>
  readonly #services: Resolver<BuiltService>
  readonly #middlewares: Resolver<Middleware>
  readonly #deps: BuildDependencies
  readonly #report: RuntimeReport
  readonly #tree: RouterTree
  /** Each router's own middlewares over its service or children; null once it failed. */
  readonly #handlers = new Map<string, Handler | null>()
  readonly #routes = new Map<string, { http: Ordered[]; https: Ordered[] }>()
  readonly #defaultTlsOptions: boolean

  constructor(
    routers: Readonly<Record<string, HttpRouter>>,
    services: Resolver<BuiltService>,
    middlewares: Resolver<Middleware>,
    deps: BuildDependencies,
    report: RuntimeReport,
    defaultTlsOptions: boolean,
  ) {
    this.#defaultTlsOptions = defaultTlsOptions
    this.#routers = routers
    this.#services = services
    this.#middlewares = middlewares
    this.#deps = deps
    this.#report = report
    this.#tree = routerTree(routers, report, deps.logger)
    for (const ep of deps.entryPoints) this.#routes.set(ep.name, { http: [], https: [] })
  }

  build(): Map<string, EntryPointRoutes> {
    for (const name of this.#tree.roots) this.#root(name)
    for (const [name, router] of Object.entries(this.#routers)) {
      // A child is built through its parents; none of them serving means it serves nothing either.
      if (router.parentRefs?.length && !this.#handlers.has(name) && this.#entry(name).status !== 'disabled') {
        this.#fail(name, 'none of its parent routers is enabled, so it serves no traffic')
      }
    }
    const indexes = new Map<string, EntryPointRoutes>()
    for (const ep of this.#deps.entryPoints) {
      const routes = this.#routes.get(ep.name) ?? { http: [], https: [] }
      if (ep.redirection) routes.http.push(redirectionRoute(ep))
      indexes.set(ep.name, { http: new RouterIndex(routes.http.sort(compareRouters)), https: new RouterIndex(routes.https.sort(compareRouters)) })
    }
    return indexes
  }

  /** A root router: on its entry points, behind their middlewares, in the index of its protocol. */
  #root(name: string): void {
    const router = this.#routers[name] as HttpRouter
    const entryPoints = router.entryPoints?.length ? router.entryPoints : defaultEntryPoints(this.#deps.entryPoints)
    this.#entry(name).using = [...entryPoints]
    const unknown = entryPoints.filter((ep) => !this.#routes.has(ep))
    if (unknown.length > 0) return this.#fail(name, `entry point ${unknown.map((ep) => `"${ep}"`).join(', ')} does not exist`)
    const rule = this.#compile(name, router)
    const inner = rule === null ? null : this.#handler(name, entryPoints)
    if (rule === null || inner === null) return
    if (router.tls !== undefined) {
      const refused = this.#tlsNotYet(name, router.tls)
      if (refused !== undefined) return this.#fail(name, refused)
    }
    const protocol = router.tls === undefined ? 'http' : 'https'
    for (const epName of entryPoints) {
      const ep = this.#deps.entryPoints.find((candidate) => candidate.name === epName) as EntryPointInfo
      let handler: Handler
      try {
        handler = this.#compose(ep.middlewares.map((mw) => qualify(mw, name)), inner)
      } catch (error) {
        return this.#fail(name, (error as Error).message)
      }
      this.#routes.get(epName)?.[protocol].push({ name, rule, handler, priority: rule.priority })
    }
  }

  /**
   * What a TLS router asks that is not built yet. TLS options (client
   * certificates among them) disable the router, so that a router that asked
   * for client certificates is never served without them; a certificate
   * resolver or domains only warn: the store's certificates serve it.
   */
  #tlsNotYet(name: string, tls: NonNullable<HttpRouter['tls']>): string | undefined {
    const options = tls.options ?? (this.#defaultTlsOptions ? 'default' : undefined)
    if (options !== undefined) return `tls options ${options} are not supported yet, so this router serves no traffic`
    if (tls.certResolver !== undefined) this.#warn(name, `certificate resolver ${tls.certResolver} is not supported yet: the router is served with the certificates of the default store`)
    if (tls.domains !== undefined) this.#warn(name, 'tls.domains is not supported yet (it names what a certificate resolver orders): ignored')
    return undefined
  }

  /** The router's own middlewares over its service, or over its children's routing. */
  #handler(name: string, using: readonly string[]): Handler | null {
    const entry = this.#entry(name)
    entry.using = [...new Set([...entry.using, ...using])]
    if (this.#handlers.has(name)) return this.#handlers.get(name) as Handler | null
    this.#handlers.set(name, null)
    if (this.#tree.disabled.has(name)) return null
    const router = this.#routers[name] as HttpRouter
    const children = this.#tree.children.get(name) ?? []
    try {
      const terminal = children.length > 0 ? childRouting(name, children, (child) => this.#child(child, using)) : this.#service(router)
      const handler = this.#compose(router.middlewares ?? [], terminal)
      for (const mw of router.middlewares ?? []) addUser(this.#report.middlewares[mw], name)
      if (router.service !== undefined) addUser(this.#report.services[router.service], name)
      reportNotYet(entry, `router ${name}`, '', router as Record<string, unknown>, routerNotYet, this.#deps.logger)
      this.#handlers.set(name, handler)
      return handler
    } catch (error) {
      this.#fail(name, (error as Error).message)
      return null
    }
  }

  #child(name: string, using: readonly string[]): Ordered | null {
    const rule = this.#compile(name, this.#routers[name] as HttpRouter)
    const handler = rule === null ? null : this.#handler(name, using)
    return rule === null || handler === null ? null : { name, rule, handler, priority: rule.priority }
  }

  #compile(name: string, router: HttpRouter): CompiledRule | null {
    try {
      // The static default applies only where a router names no syntax; an explicit `default` is v3, as in Traefik.
      return compileHttpRule(router.rule ?? '', router.priority, (router.ruleSyntax as RuleSyntax | undefined) ?? this.#deps.defaultRuleSyntax)
    } catch (error) {
      this.#fail(name, (error as Error).message)
      return null
    }
  }

  #service(router: HttpRouter): Handler {
    const name = router.service
    if (name === undefined || name === '') throw new Error('no service is set')
    return this.#services.get(name).instance.handler
  }

  /** Composes once per generation; throws why a middleware cannot be used. */
  #compose(names: readonly string[], terminal: Handler): Handler {
    return names.map((name) => this.#middlewares.get(name)).reduceRight((next, mw) => mw(next), terminal)
  }

  #entry(name: string): RouterReport {
    return entryOf(this.#report, 'routers', name) as RouterReport
  }

  #fail(name: string, reason: string): void {
    const message = `router ${name}: ${reason}`
    addError(this.#entry(name), message, true)
    this.#deps.logger.error({ router: name }, message)
  }

  #warn(name: string, reason: string): void {
    const message = `router ${name}: ${reason}`
    addError(this.#entry(name), message, false)
    this.#deps.logger.warn({ router: name }, message)
  }
}

/** Routers without entry points listen on those marked `asDefault`, or on all when none is. */
function defaultEntryPoints(entryPoints: readonly EntryPointInfo[]): string[] {
  const marked = entryPoints.filter((ep) => ep.asDefault)
  return (marked.length > 0 ? marked : entryPoints).map((ep) => ep.name)
}

function addUser(entry: { usedBy?: string[] } | undefined, router: string): void {
  if (entry === undefined) return
  entry.usedBy ??= []
  if (!entry.usedBy.includes(router)) entry.usedBy.push(router)
}
