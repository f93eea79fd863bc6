import type { HttpRouter } from '../config/dynamic.ts'
import { addError, entryOf, type RouterReport, type RuntimeReport } from '../config/report.ts'
import type { Logger } from '../observability/logger.ts'

/** The routers of a generation arranged by `parentRefs` (Traefik v3.6's multi-layer routing). */
export interface RouterTree {
  /** Routers without `parentRefs`: they alone listen on entry points. */
  readonly roots: readonly string[]
  /** Each router's children, sorted, with the links that closed a cycle removed. */
  readonly children: ReadonlyMap<string, readonly string[]>
  /** Routers that cannot serve: unreachable, misplaced options, neither service nor children. */
  readonly disabled: ReadonlySet<string>
}

/**
 * Arranges routers into trees as Traefik does: a child names its parents in
 * `parentRefs`; a child may not set entry points, TLS or observability (its
 * root does); a router has a service or children, never both nor neither;
 * a router no root reaches serves nothing. A link that closes a cycle is
 * dropped, with a warning on the router that made it.
 */
export function routerTree(routers: Readonly<Record<string, HttpRouter>>, report: RuntimeReport, logger: Logger): RouterTree {
  const children = new Map<string, string[]>()
  const disabled = new Set<string>()
  const roots: string[] = []
  const fail = (name: string, reason: string, critical = true): void => {
    const message = `router ${name}: ${reason}`
    addError(entryOf(report, 'routers', name) as RouterReport, message, critical)
    if (critical) disabled.add(name)
    logger[critical ? 'error' : 'warn']({ router: name }, message)
  }
  for (const [name, router] of Object.entries(routers)) {
    const parents = router.parentRefs ?? []
    if (parents.length === 0) {
      roots.push(name)
      continue
    }
    for (const parent of parents) {
      if (!Object.hasOwn(routers, parent)) fail(name, `parent router "${parent}" does not exist`)
      else children.set(parent, [...(children.get(parent) ?? []), name])
    }
    for (const key of ['entryPoints', 'tls', 'observability'] as const) {
      if (router[key] !== undefined && !(key === 'entryPoints' && router.entryPoints?.length === 0)) fail(name, `a child router cannot set ${key}: its root router does`)
    }
  }
  for (const list of children.values()) list.sort()
  const reached = new Set<string>()
  const visit = (name: string, path: string[]): void => {
    reached.add(name)
    const list = children.get(name) ?? []
    const trail = [...path, name]
    for (const child of [...list]) {
      if (trail.includes(child)) {
        fail(name, `reference cycle in the router tree: ${[...trail.slice(trail.indexOf(child)), child].join(' → ')}; the link to ${child} is ignored`, false)
        list.splice(list.indexOf(child), 1)
      } else if (!reached.has(child)) {
        visit(child, trail)
      }
    }
  }
  for (const root of roots.sort()) visit(root, [])
  for (const [name, router] of Object.entries(routers)) {
    if (disabled.has(name)) continue
    const hasChildren = (children.get(name)?.length ?? 0) > 0
    if (!reached.has(name)) fail(name, 'no root router reaches it (check its parentRefs)')
    else if (hasChildren && router.service !== undefined) fail(name, 'it has a service and is also the parent of other routers')
  }
  return { roots, children, disabled }
}
