import type { HttpRouter } from '../config/dynamic.ts'
import { compareRouters } from '../rules/priority.ts'
import { compileHttpRule, type CompiledRule } from '../rules/http-matcher.ts'
import type { BuildDependencies, EntryPointInfo } from './build-context.ts'
import type { BuiltService } from './build-services.ts'
import { redirectionRoute } from './redirection.ts'
import { addError, entryOf, providerOf, type RouterReport, type RuntimeReport } from '../config/report.ts'
import { RouterIndex, type RouteEntry } from './router-index.ts'
import type { Middleware } from './types.ts'

interface Ordered extends RouteEntry {
  readonly priority: number
}

/**
 * Resolves every router's rule, entry points, middleware chain and service,
 * then indexes the routers of each entry point. A router with a bad rule or a
 * missing reference is disabled alone, with a message naming the culprit.
 */
export function buildRouters(
  routers: Record<string, HttpRouter>,
  services: ReadonlyMap<string, BuiltService>,
  middlewares: ReadonlyMap<string, Middleware>,
  deps: BuildDependencies,
  report: RuntimeReport,
): Map<string, RouterIndex> {
  const perEntryPoint = new Map<string, Ordered[]>(deps.entryPoints.map((ep) => [ep.name, []]))
  const defaults = defaultEntryPoints(deps.entryPoints)
  for (const [name, router] of Object.entries(routers)) {
    const entry = entryOf(report, 'routers', name) as RouterReport
    const fail = (reason: string): void => {
      const message = `router ${name}: ${reason}`
      addError(entry, message, true)
      deps.logger.error({ router: name }, message)
    }
    const entryPoints = router.entryPoints?.length ? router.entryPoints : defaults
    entry.using = [...entryPoints]
    const unknown = entryPoints.filter((ep) => !perEntryPoint.has(ep))
    if (unknown.length > 0) {
      fail(`entry point ${unknown.map((ep) => `"${ep}"`).join(', ')} does not exist`)
      continue
    }
    let rule: CompiledRule
    try {
      rule = compileHttpRule(router.rule ?? '', router.priority)
    } catch (error) {
      fail((error as Error).message)
      continue
    }
    const service = resolveService(name, router, services, report)
    if (typeof service === 'string') {
      fail(service)
      continue
    }
    if (router.tls !== undefined) {
      // TLS entry points arrive with the TLS issue; a tls router only serves TLS connections.
      addError(entry, `router ${name}: tls is not supported yet, so this router serves no traffic`, false)
      continue
    }
    for (const epName of entryPoints) {
      const ep = deps.entryPoints.find((candidate) => candidate.name === epName) as EntryPointInfo
      const chain = resolveChain(name, [...qualify(ep.middlewares, name), ...(router.middlewares ?? [])], middlewares, report)
      if (typeof chain === 'string') {
        fail(chain)
        break
      }
      const handler = chain.reduceRight((next, middleware) => middleware(next), service.instance.handler)
      perEntryPoint.get(epName)?.push({ name, rule, handler, priority: rule.priority })
    }
    for (const mw of router.middlewares ?? []) addUser(report.middlewares[mw], name)
    addUser(report.services[router.service ?? ''], name)
  }
  const indexes = new Map<string, RouterIndex>()
  for (const ep of deps.entryPoints) {
    const routes = perEntryPoint.get(ep.name) ?? []
    if (ep.redirection) routes.push(redirectionRoute(ep))
    routes.sort(compareRouters)
    indexes.set(ep.name, new RouterIndex(routes))
  }
  return indexes
}

/** Routers without entry points listen on those marked `asDefault`, or on all when none is. */
function defaultEntryPoints(entryPoints: readonly EntryPointInfo[]): string[] {
  const marked = entryPoints.filter((ep) => ep.asDefault)
  return (marked.length > 0 ? marked : entryPoints).map((ep) => ep.name)
}

function resolveService(
  router: string,
  definition: HttpRouter,
  services: ReadonlyMap<string, BuiltService>,
  report: RuntimeReport,
): BuiltService | string {
  const name = definition.service
  if (name === undefined || name === '') return 'no service is set'
  const service = services.get(name)
  if (service !== undefined) return service
  const status = report.services[name]
  if (status === undefined) return `service "${name}" does not exist`
  return `service "${name}" is disabled: ${status.errors.join('; ')}`
}

function resolveChain(
  router: string,
  names: readonly string[],
  middlewares: ReadonlyMap<string, Middleware>,
  report: RuntimeReport,
): Middleware[] | string {
  const chain: Middleware[] = []
  for (const name of names) {
    const middleware = middlewares.get(name)
    if (middleware !== undefined) {
      chain.push(middleware)
      continue
    }
    const status = report.middlewares[name]
    if (status === undefined) return `middleware "${name}" does not exist`
    return `middleware "${name}" is disabled: ${status.errors.join('; ')}`
  }
  return chain
}

/** Entry-point middlewares without `@` resolve in the provider of the router they front. */
function qualify(names: readonly string[], router: string): string[] {
  const provider = providerOf(router)
  return names.map((name) => (name.includes('@') ? name : `${name}@${provider}`))
}

function addUser(entry: { usedBy?: string[] } | undefined, router: string): void {
  if (entry === undefined) return
  entry.usedBy ??= []
  if (!entry.usedBy.includes(router)) entry.usedBy.push(router)
}
