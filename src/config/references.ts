/**
 * Where each kind of dynamic object refers to others, as the rewrites the
 * merge applies to qualify those references with the referring provider
 * (`svc` → `svc@docker`). The catalogue (`catalogue.ts`) gives each
 * collection its rewrite.
 */

type Loose = Record<string, unknown>

/** Qualifies one reference: `svc` → `svc@docker`; a reference that carries `@` is left alone. */
export type Qualify = (ref: string) => string

/**
 * Returns the object with its references qualified. Only what changes is
 * copied: the rest is shared with the validated snapshot, which nothing
 * mutates, so a 10,000-router snapshot merges without a deep clone.
 */
export type Rewrite = (object: Loose, qualify: Qualify) => Loose

/** The TLS options and store every router and certificate uses unless told otherwise; never qualified. */
export const defaultTlsName = 'default'

/** A router's middlewares, parents, service and TLS options (HTTP, TCP and UDP alike). */
export const routerRefs: Rewrite = (router, qualify) => {
  const out = withRef(withList(withList(router, 'middlewares', qualify), 'parentRefs', qualify), 'service', qualify)
  const tls = router['tls'] as Loose | undefined
  if (tls !== undefined && tls['options'] !== defaultTlsName) out['tls'] = withRef(tls, 'options', qualify)
  return out
}

/** The children of a weighted or highest-random-weight service. */
const childRefs: Rewrite = (parent, qualify) => ({
  ...parent,
  ...(Array.isArray(parent['services']) && { services: (parent['services'] as Loose[]).map((child) => withRef(child, 'name', qualify)) }),
})

const mirroringRefs: Rewrite = (mirroring, qualify) => {
  const out = withRef(mirroring, 'service', qualify)
  if (Array.isArray(mirroring['mirrors'])) out['mirrors'] = (mirroring['mirrors'] as Loose[]).map((mirror) => withRef(mirror, 'name', qualify))
  return out
}

const serviceKindRefs: Readonly<Record<string, Rewrite>> = {
  loadBalancer: (balancer, qualify) => withRef(balancer, 'serversTransport', qualify),
  weighted: childRefs,
  highestRandomWeight: childRefs,
  mirroring: mirroringRefs,
  failover: (failover, qualify) => withRef(withRef(failover, 'service', qualify), 'fallback', qualify),
}

/** A service's middlewares (HTTP) and the references of its kind. */
export const serviceRefs: Rewrite = (service, qualify) => {
  const out = Array.isArray(service['middlewares']) ? withList(service, 'middlewares', qualify) : service
  for (const [kind, rewrite] of Object.entries(serviceKindRefs)) {
    const options = service[kind] as Loose | undefined
    if (options !== undefined) return { ...out, [kind]: rewrite(options, qualify) }
  }
  return out
}

/** A chain's members and an errors middleware's service. */
export const httpMiddlewareRefs: Rewrite = (middleware, qualify) => {
  const { chain, errors } = middleware as Record<string, Loose | undefined>
  if (chain !== undefined) return { ...middleware, chain: withList(chain, 'middlewares', qualify) }
  if (errors !== undefined) return { ...middleware, errors: withRef(errors, 'service', qualify) }
  return middleware
}

/** Objects that refer to nothing. */
export const noRefs: Rewrite = (object) => object

/** A shallow copy with the reference at `key` qualified (the object itself when there is none). */
function withRef(object: Loose, key: string, qualify: Qualify): Loose {
  const value = object[key]
  return typeof value === 'string' ? { ...object, [key]: qualify(value) } : { ...object }
}

function withList(object: Loose, key: string, qualify: Qualify): Loose {
  const value = object[key]
  if (!Array.isArray(value)) return { ...object }
  return { ...object, [key]: value.map((item: unknown) => (typeof item === 'string' ? qualify(item) : item)) }
}
