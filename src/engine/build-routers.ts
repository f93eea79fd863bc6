import type { HttpRouter } from '../config/dynamic.ts'
import { addError, entryOf, type RouterReport, type RuntimeReport } from '../config/report.ts'
import type { Handler, Middleware } from '../core/context.ts'
import { answered } from '../core/outcomes.ts'
import { respondError } from '../core/responder.ts'
import { optionsName } from '../tls/tls-model.ts'
import { compareRouters } from '../rules/priority.ts'
import { compileHttpRule, type CompiledRule, type RuleSyntax } from '../rules/http-matcher.ts'
import type { BuildDependencies, EntryPointInfo, TlsDefaults } from './build-context.ts'
import { qualify } from './build-middlewares.ts'
import { childRouting } from './child-routing.ts'
import { reportNotYet } from './not-yet.ts'
import { redirectionRoute } from './redirection.ts'
import { httpChallengeRoute } from './acme-http-challenge.ts'
import { standaloneChannels } from './local-channels.ts'
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
  /** The TLS options that compiled, by the name routers use (`default` among them unless the configured default failed). */
  tlsOptions: ReadonlySet<string>,
): Map<string, EntryPointRoutes> {
  return new RouterBuilder(routers, services, middlewares, deps, report, tlsOptions).build()
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
  readonly #tlsOptions: ReadonlySet<string>
  /** Per entry point, the TLS options each host of a TLS router's rule asks, and who asks, for SNI selection. */
  readonly #hostOptions = new Map<string, Map<string, Map<string, string[]>>>()

  constructor(
    routers: Readonly<Record<string, HttpRouter>>,
    services: Resolver<BuiltService>,
    middlewares: Resolver<Middleware>,
    deps: BuildDependencies,
    report: RuntimeReport,
    tlsOptions: ReadonlySet<string>,
  ) {
    this.#tlsOptions = tlsOptions
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
      indexes.set(ep.name, {
        http: new RouterIndex(this.#plainRoutes(ep, routes.http)),
        https: new RouterIndex(routes.https.sort(compareRouters)),
        tlsOptions: this.#optionsByHost(ep.name),
      })
    }
    return indexes
  }

  /** The routes of plain connections in routing order, with those the entry point's static configuration adds. */
  #plainRoutes(ep: EntryPointInfo, routes: Ordered[]): Ordered[] {
    if (ep.redirection) routes.push(redirectionRoute(ep))
    const challenge = ep.httpChallenge
    if (challenge === undefined) return routes.sort(compareRouters)
    const route = httpChallengeRoute(this.#deps.channels ?? standaloneChannels(), challenge.byPass)
    if (challenge.byPass) return [...routes, route].sort(compareRouters)
    // First whatever priority a router gives itself (Traefik keeps users' below its own).
    return [route, ...routes.sort(compareRouters)]
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
    const on = entryPoints.map((epName) => this.#deps.entryPoints.find((candidate) => candidate.name === epName) as EntryPointInfo)
    // Traefik's model: a router that sets no tls takes its entry point's `http.tls`, entry point by entry point.
    const tlsOn = new Map(on.map((ep) => [ep.name, router.tls ?? ep.tls] as const))
    const optionsOn = new Map<string, string>()
    for (const tls of new Set(tlsOn.values())) {
      if (tls === undefined) continue
      const options = this.#tlsOptionsOf(name, { ...tls, ...(tls.options !== undefined && { options: qualify(tls.options, name) }) })
      if (options === null) return
      if (options !== 'default' && rule.hosts === null) {
        this.#warn(name, `its rule names no Host(), so no SNI name selects tls options ${options}: it answers 421 to connections that did not get them`)
      }
      for (const [epName, epTls] of tlsOn) if (epTls === tls) optionsOn.set(epName, options)
    }
    for (const ep of on) {
      const epName = ep.name
      const options = optionsOn.get(epName)
      const protocol = options === undefined ? 'http' : 'https'
      let handler: Handler
      try {
        handler = this.#compose(ep.middlewares.map((mw) => qualify(mw, name)), inner)
      } catch (error) {
        return this.#fail(name, (error as Error).message)
      }
      if (options !== undefined) {
        handler = onlyWithOptions(options, handler)
        this.#askOptions(name, epName, rule.hosts, options)
      }
      this.#routes.get(epName)?.[protocol].push({ name, rule, handler, priority: rule.priority })
    }
  }

  /**
   * The TLS options a TLS router needs (`default` unless it names some), or
   * null when they do not exist or did not compile: then it is disabled, so
   * a router that asked for client certificates is never served without
   * them. A certificate resolver or domains only warn until they are built.
   */
  #tlsOptionsOf(name: string, tls: TlsDefaults): string | null {
    const options = optionsName(tls.options ?? 'default')
    if (!this.#tlsOptions.has(options)) {
      this.#fail(name, `tls options ${options} do not exist or did not load, so this router serves no traffic`)
      return null
    }
    if (tls.certResolver !== undefined) this.#warn(name, `certificate resolver ${tls.certResolver} is not supported yet: the router is served with the certificates of the default store`)
    if (tls.domains !== undefined) this.#warn(name, 'tls.domains is not supported yet (it names what a certificate resolver orders): ignored')
    return options
  }

  /** Records that `router` asks `options` for each host its rule names on `entryPoint`. */
  #askOptions(router: string, entryPoint: string, hosts: readonly string[] | null, options: string): void {
    if (hosts === null) return
    let byHost = this.#hostOptions.get(entryPoint)
    if (byHost === undefined) this.#hostOptions.set(entryPoint, (byHost = new Map()))
    for (const host of hosts) {
      let asked = byHost.get(host)
      if (asked === undefined) byHost.set(host, (asked = new Map()))
      const routers = asked.get(options)
      if (routers === undefined) asked.set(options, [router])
      else routers.push(router)
    }
  }

  /**
   * Each host's TLS options on one entry point. Routers that ask different
   * options for one host: the host gets `default`, with a warning on each
   * (Traefik's rule); a router whose options the connection did not get
   * answers 421, so none is served without what it asked.
   */
  #optionsByHost(entryPoint: string): Map<string, string> {
    const chosen = new Map<string, string>()
    for (const [host, asked] of this.#hostOptions.get(entryPoint) ?? []) {
      if (asked.size === 1) {
        const [options] = asked.keys()
        if (options !== undefined && options !== 'default') chosen.set(host, options)
        continue
      }
      // A few names per set of options: every router of a large conflict repeats this message, so it must stay short.
      const who = [...asked].map(([options, routers]) => `${namesOf(routers)} (${options})`).join('; ')
      for (const routers of asked.values()) {
        for (const router of routers) this.#warn(router, `routers ask different tls options for host ${host} on entry point ${entryPoint}: ${who}; default is used for it`)
      }
    }
    return chosen
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

/** A TLS router's handler that runs only on connections whose handshake used `options`; others are answered 421. */
function onlyWithOptions(options: string, handler: Handler): Handler {
  return (req, res, ctx) => {
    if (ctx.connection.tlsOptions === options) return handler(req, res, ctx)
    respondError(res, 'JCT_ERR_MISDIRECTED')
    return Promise.resolve(answered(res, ctx))
  }
}

/** At most three router names, then how many more: a message repeated on every router stays bounded. */
function namesOf(routers: readonly string[]): string {
  const shown = routers.slice(0, 3).join(', ')
  return routers.length > 3 ? `${shown} and ${routers.length - 3} more` : shown
}

