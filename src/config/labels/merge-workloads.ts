import { collections, type CatalogueEntry } from '../catalogue.ts'
import { isPlainObject, setOwn } from '../plain-data.ts'
import type { Snapshot, SourceProblem } from '../snapshot.ts'
import { canonicalText } from './canonical.ts'
import { someOf } from './workload.ts'

/**
 * Merges the configurations of several workloads of one provider as
 * Traefik's `provider.Merge` does with `ResourceStrategyMerge`: an object
 * (router, service, middleware, ...) declared by one workload is taken as
 * is; declared by several with the same definition, it is taken once, and
 * a load balancer then gets the servers of all of them (replicas become one
 * service); declared with different definitions, it is left out and every
 * workload that declared it is told so.
 */

/** One workload's configuration, after inference; `source` names it in problems (`container web-1`). */
export interface WorkloadConfig {
  readonly source: string
  readonly config: Record<string, unknown>
}

interface Entry {
  readonly value: unknown
  /** The definition compared across workloads: a load balancer's without its servers. */
  readonly text: string
  /** Servers already taken, by URL or address, as Traefik's `Merge` deduplicates them. */
  readonly servers: Set<string> | undefined
  readonly sources: string[]
  conflict: boolean
}

const named = collections.filter((collection) => collection.schema.kind === 'map')

/**
 * Merges workload configurations, visited in the order given (the caller
 * sorts them, so servers come in a stable order). Costs time linear in the
 * size of the configurations: each definition is serialised once.
 *
 * @example
 * mergeWorkloads([{ source: 'container a', config: a }, { source: 'container b', config: b }])
 * // { config: { http: { services: { web: { loadBalancer: { servers: [serverOfA, serverOfB] } } } } }, problems: [] }
 */
export function mergeWorkloads(workloads: readonly WorkloadConfig[]): Snapshot {
  const tables = new Map<CatalogueEntry, Map<string, Entry>>(named.map((collection) => [collection, new Map()]))
  const certificates: unknown[] = []
  for (const { source, config } of workloads) {
    for (const [collection, table] of tables) {
      const section = config[collection.section]
      const objects = isPlainObject(section) ? section[collection.key] : undefined
      if (!isPlainObject(objects)) continue
      for (const [name, value] of Object.entries(objects)) take(table, collection, name, value, source)
    }
    const tls = config['tls']
    if (isPlainObject(tls) && Array.isArray(tls['certificates'])) for (const certificate of tls['certificates'] as unknown[]) certificates.push(certificate)
  }
  const out: Record<string, Record<string, unknown>> = {}
  const problems: SourceProblem[] = []
  for (const [collection, table] of tables) {
    for (const [name, entry] of table) {
      if (entry.conflict) {
        const by = someOf(entry.sources)
        const what = `${collection.section}.${collection.key}.${name}`
        for (const source of entry.sources) problems.push({ source, message: `${what}: defined differently by ${by}; left out` })
        continue
      }
      const section = (out[collection.section] ??= {})
      setOwn((section[collection.key] ??= {}) as Record<string, unknown>, name, entry.value)
    }
  }
  if (certificates.length > 0) (out['tls'] ??= {})['certificates'] = certificates
  return { config: out, problems }
}

function take(table: Map<string, Entry>, collection: CatalogueEntry, name: string, value: unknown, source: string): void {
  const servers = collection.kind === 'service' ? serversOf(value) : undefined
  const text = definitionText(collection, value)
  const existing = table.get(name)
  if (existing === undefined) {
    const copy = servers === undefined ? value : withServers(value, [...servers])
    const seen = servers === undefined ? undefined : new Set(servers.map((server) => serverKey(collection, server)))
    table.set(name, { value: copy, text, servers: seen, sources: [source], conflict: false })
    return
  }
  existing.sources.push(source)
  if (existing.conflict) return
  if (text !== existing.text) {
    existing.conflict = true
    return
  }
  if (servers === undefined || existing.servers === undefined) return
  const list = serversOf(existing.value) as unknown[]
  for (const server of servers) {
    const key = serverKey(collection, server)
    if (existing.servers.has(key)) continue
    existing.servers.add(key)
    list.push(server)
  }
}

/** A load balancer's servers, or undefined for other services. */
function serversOf(service: unknown): unknown[] | undefined {
  if (!isPlainObject(service) || !isPlainObject(service['loadBalancer'])) return undefined
  const servers = service['loadBalancer']['servers']
  return Array.isArray(servers) ? servers : []
}

function withServers(service: unknown, servers: unknown[]): unknown {
  const { loadBalancer, ...rest } = service as { loadBalancer: Record<string, unknown> }
  return { ...rest, loadBalancer: { ...loadBalancer, servers } }
}

/**
 * What is compared. For an HTTP load balancer, Traefik compares after its
 * defaults are set, so `passHostHeader` and `strategy` left out equal
 * their defaults written out.
 */
function definitionText(collection: CatalogueEntry, value: unknown): string {
  if (collection.kind !== 'service' || !isPlainObject(value) || !isPlainObject(value['loadBalancer'])) return canonicalText(value)
  const loadBalancer = { ...value['loadBalancer'] }
  delete loadBalancer['servers']
  if (collection.section === 'http') {
    loadBalancer['passHostHeader'] ??= true
    loadBalancer['strategy'] ??= 'wrr'
  }
  return canonicalText({ ...value, loadBalancer })
}

function serverKey(collection: CatalogueEntry, server: unknown): string {
  const field = collection.section === 'http' ? 'url' : 'address'
  const key = isPlainObject(server) ? server[field] : undefined
  return typeof key === 'string' ? key : canonicalText(server)
}
