import type { DynamicConfig, TlsCertificate } from './dynamic.ts'
import { setOwn } from './plain-data.ts'
import type { ObjectError, ObjectKind } from './validate-dynamic.ts'

/**
 * Merges the validated snapshots of every provider into one configuration,
 * as Traefik's aggregator does: every object is named `name@provider`, and
 * every reference without `@` is qualified with the referring provider
 * (`svc` → `svc@docker`); references that carry `@` (`api@internal`,
 * `auth@file`) are left alone.
 *
 * TLS: certificates are concatenated; options and stores are qualified like
 * other objects except `default`, which stays `default` because every router
 * without options and every certificate without stores uses it. When more
 * than one provider defines the default options or store, Traefik drops it
 * and reports the conflict; so does this.
 */

type Loose = Record<string, unknown>
type Qualify = (ref: string) => string
/**
 * Returns the object with its references qualified. Only what changes is
 * copied: the rest is shared with the validated snapshot, which nothing
 * mutates, so a 10,000-router snapshot merges without a deep clone.
 */
type Rewrite = (object: Loose, qualify: Qualify) => Loose

interface Collection {
  readonly protocol: 'http' | 'tcp' | 'udp' | 'tls'
  readonly key: string
  readonly kind: ObjectKind
  readonly rewrite: Rewrite
}

const routerRefs: Rewrite = (router, qualify) => {
  const out = withRef(withList(withList(router, 'middlewares', qualify), 'parentRefs', qualify), 'service', qualify)
  const tls = router['tls'] as Loose | undefined
  if (tls !== undefined && tls['options'] !== 'default') out['tls'] = withRef(tls, 'options', qualify)
  return out
}

const weightedRefs: Rewrite = (weighted, qualify) => ({
  ...weighted,
  ...(Array.isArray(weighted['services']) && { services: (weighted['services'] as Loose[]).map((child) => withRef(child, 'name', qualify)) }),
})

const httpServiceRefs: Rewrite = (service, qualify) => {
  const { loadBalancer, weighted, mirroring, failover } = service as Record<string, Loose | undefined>
  if (loadBalancer !== undefined) return { ...service, loadBalancer: withRef(loadBalancer, 'serversTransport', qualify) }
  if (weighted !== undefined) return { ...service, weighted: weightedRefs(weighted, qualify) }
  if (mirroring !== undefined) {
    const out = withRef(mirroring, 'service', qualify)
    if (Array.isArray(mirroring['mirrors'])) out['mirrors'] = (mirroring['mirrors'] as Loose[]).map((mirror) => withRef(mirror, 'name', qualify))
    return { ...service, mirroring: out }
  }
  if (failover !== undefined) return { ...service, failover: withRef(withRef(failover, 'service', qualify), 'fallback', qualify) }
  return service
}

const layer4ServiceRefs: Rewrite = (service, qualify) => {
  const { loadBalancer, weighted } = service as Record<string, Loose | undefined>
  if (loadBalancer !== undefined) return { ...service, loadBalancer: withRef(loadBalancer, 'serversTransport', qualify) }
  if (weighted !== undefined) return { ...service, weighted: weightedRefs(weighted, qualify) }
  return service
}

const httpMiddlewareRefs: Rewrite = (middleware, qualify) => {
  const { chain, errors } = middleware as Record<string, Loose | undefined>
  if (chain !== undefined) return { ...middleware, chain: withList(chain, 'middlewares', qualify) }
  if (errors !== undefined) return { ...middleware, errors: withRef(errors, 'service', qualify) }
  return middleware
}

const none: Rewrite = (object) => object

const collections: readonly Collection[] = [
  { protocol: 'http', key: 'routers', kind: 'router', rewrite: routerRefs },
  { protocol: 'http', key: 'services', kind: 'service', rewrite: httpServiceRefs },
  { protocol: 'http', key: 'middlewares', kind: 'middleware', rewrite: httpMiddlewareRefs },
  { protocol: 'http', key: 'serversTransports', kind: 'serversTransport', rewrite: none },
  { protocol: 'tcp', key: 'routers', kind: 'router', rewrite: routerRefs },
  { protocol: 'tcp', key: 'services', kind: 'service', rewrite: layer4ServiceRefs },
  { protocol: 'tcp', key: 'middlewares', kind: 'middleware', rewrite: none },
  { protocol: 'tcp', key: 'serversTransports', kind: 'serversTransport', rewrite: none },
  { protocol: 'udp', key: 'routers', kind: 'router', rewrite: routerRefs },
  { protocol: 'udp', key: 'services', kind: 'service', rewrite: layer4ServiceRefs },
  { protocol: 'tls', key: 'options', kind: 'tlsOptions', rewrite: none },
  { protocol: 'tls', key: 'stores', kind: 'tlsStore', rewrite: none },
]

/** The name every router without TLS options, and every certificate without stores, uses. */
const defaultName = 'default'

/**
 * Merges provider snapshots (already validated) into one configuration with
 * qualified names. Providers are visited in name order so the result does not
 * depend on the order snapshots arrived in.
 *
 * @example
 * mergeSnapshots(new Map([['file', { http: { routers: { web: { service: 'app' } } } }]]))
 * // config.http.routers['web@file'].service === 'app@file'
 */
export function mergeSnapshots(snapshots: ReadonlyMap<string, DynamicConfig>): { config: DynamicConfig; errors: ObjectError[] } {
  const out: Record<string, Loose> = {}
  const errors: ObjectError[] = []
  const defaults = { options: [] as string[], stores: [] as string[] }
  const certificates: TlsCertificate[] = []
  for (const provider of [...snapshots.keys()].sort()) {
    const config = snapshots.get(provider) as Record<string, Loose | undefined>
    const qualify: Qualify = (ref) => (ref === '' || ref.includes('@') ? ref : `${ref}@${provider}`)
    for (const collection of collections) {
      const objects = config[collection.protocol]?.[collection.key] as Record<string, Loose> | undefined
      for (const [name, object] of Object.entries(objects ?? {})) {
        const keepName = collection.protocol === 'tls' && name === defaultName
        if (keepName) defaults[collection.key as 'options' | 'stores'].push(provider)
        if (!keepName && name.includes('@')) {
          errors.push(nameError(collection, name, provider))
          continue
        }
        const target = ((out[collection.protocol] ??= {})[collection.key] ??= {}) as Loose
        setOwn(target, keepName ? name : `${name}@${provider}`, collection.rewrite(object, qualify))
      }
    }
    certificates.push(...((config['tls']?.['certificates'] ?? []) as TlsCertificate[]))
  }
  if (certificates.length > 0) (out['tls'] ??= {})['certificates'] = certificates
  for (const key of ['options', 'stores'] as const) {
    if (defaults[key].length > 1) errors.push(defaultConflict(key, defaults[key], out))
  }
  return { config: out as DynamicConfig, errors }
}

function nameError(collection: Collection, name: string, provider: string): ObjectError {
  return {
    kind: collection.kind,
    protocol: collection.protocol,
    name,
    provider,
    message: `${collection.protocol}.${collection.key}.${name}: a name must not contain "@"; provider ${JSON.stringify(provider)} qualifies names itself`,
  }
}

/** Traefik drops a default defined twice, so routers relying on it fail visibly instead of picking one at random. */
function defaultConflict(key: 'options' | 'stores', providers: readonly string[], out: Record<string, Loose>): ObjectError {
  const section = out['tls']?.[key] as Loose | undefined
  if (section !== undefined) delete section[defaultName]
  return {
    kind: key === 'options' ? 'tlsOptions' : 'tlsStore',
    protocol: 'tls',
    name: defaultName,
    message: `tls.${key}.${defaultName}: defined by several providers (${providers.join(', ')}); none of them is used`,
  }
}

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
