import {
  httpRouter,
  httpServersTransport,
  httpService,
  tcpRouter,
  tcpServersTransport,
  tcpService,
  tlsCertificate,
  tlsOptions,
  tlsStore,
  udpRouter,
  udpService,
} from './dynamic-schema.ts'
import { httpMiddleware, tcpMiddleware } from './middleware-schema.ts'
import { httpMiddlewareRefs, noRefs, routerRefs, serviceRefs, type Rewrite } from './references.ts'
import { list, map, obj, type ListSchema, type MapSchema, type ObjectSchema } from './schema.ts'

/**
 * The catalogue of dynamic sections: every collection of objects a snapshot
 * may hold (`http.routers`, `tls.certificates`, ...), written once. The
 * dynamic schema, the validator, the merge, the runtime report, the file
 * provider's builder and the engine's "not served" report all read it, so
 * a new collection is one line here.
 */

/** The top-level sections, in Traefik's order. */
export type SectionName = 'http' | 'tcp' | 'udp' | 'tls'

/** What the objects of a collection are. */
export type CollectionKind = 'router' | 'service' | 'middleware' | 'serversTransport' | 'tlsCertificate' | 'tlsOptions' | 'tlsStore'

/** One collection of a section. */
export interface Collection {
  readonly section: SectionName
  /** The key under the section, spelled canonically: `routers`, `certificates`. */
  readonly key: string
  readonly kind: CollectionKind
  /** The section of the runtime report (and of Traefik's `/api/rawdata`) its objects appear in. */
  readonly report: string
  /** What one object is called in messages, after the section: `tcp router`, `tls store`. */
  readonly noun: string
  /** A map of named objects, or (`tls.certificates`) a list. */
  readonly schema: MapSchema | ListSchema
  /** Qualifies the references an object makes, as the merge names every object `name@provider`. */
  readonly qualify: Rewrite
}

const entry = <const C extends Collection>(collection: C): C => collection

/** Every collection, in the order they are validated, merged and reported. */
export const collections = [
  entry({ section: 'http', key: 'routers', kind: 'router', report: 'routers', noun: 'router', schema: map(httpRouter), qualify: routerRefs }),
  entry({ section: 'http', key: 'services', kind: 'service', report: 'services', noun: 'service', schema: map(httpService), qualify: serviceRefs }),
  entry({ section: 'http', key: 'middlewares', kind: 'middleware', report: 'middlewares', noun: 'middleware', schema: map(httpMiddleware), qualify: httpMiddlewareRefs }),
  entry({ section: 'http', key: 'serversTransports', kind: 'serversTransport', report: 'serversTransports', noun: 'serversTransport', schema: map(httpServersTransport), qualify: noRefs }),
  entry({ section: 'tcp', key: 'routers', kind: 'router', report: 'tcpRouters', noun: 'router', schema: map(tcpRouter), qualify: routerRefs }),
  entry({ section: 'tcp', key: 'services', kind: 'service', report: 'tcpServices', noun: 'service', schema: map(tcpService), qualify: serviceRefs }),
  entry({ section: 'tcp', key: 'middlewares', kind: 'middleware', report: 'tcpMiddlewares', noun: 'middleware', schema: map(tcpMiddleware), qualify: noRefs }),
  entry({ section: 'tcp', key: 'serversTransports', kind: 'serversTransport', report: 'tcpServersTransports', noun: 'serversTransport', schema: map(tcpServersTransport), qualify: noRefs }),
  entry({ section: 'udp', key: 'routers', kind: 'router', report: 'udpRouters', noun: 'router', schema: map(udpRouter), qualify: routerRefs }),
  entry({ section: 'udp', key: 'services', kind: 'service', report: 'udpServices', noun: 'service', schema: map(udpService), qualify: serviceRefs }),
  // Certificates have no names to qualify: the merge concatenates every provider's list.
  entry({ section: 'tls', key: 'certificates', kind: 'tlsCertificate', report: 'tlsCertificates', noun: 'certificate', schema: list(tlsCertificate), qualify: noRefs }),
  entry({ section: 'tls', key: 'options', kind: 'tlsOptions', report: 'tlsOptions', noun: 'options', schema: map(tlsOptions), qualify: noRefs }),
  entry({ section: 'tls', key: 'stores', kind: 'tlsStore', report: 'tlsStores', noun: 'store', schema: map(tlsStore), qualify: noRefs }),
] as const

type Entries = (typeof collections)[number]

/** One collection of the catalogue, with its literal names (`report` is a {@link ReportSection}). */
export type CatalogueEntry = Entries

/** The runtime report's section names: `routers`, `tcpRouters`, `tlsCertificates`, ... */
export type ReportSection = Entries['report']

/** The collection kind behind each report section. */
export type KindOfReport = { [E in Entries as E['report']]: E['kind'] }

type SectionSchema<S extends SectionName> = ObjectSchema<{ [E in Extract<Entries, { section: S }> as E['key']]: E['schema'] }>

/** The schema of the whole dynamic configuration, typed collection by collection. */
export type DynamicSchema = ObjectSchema<{ [S in SectionName]: SectionSchema<S> }>

/** The whole dynamic configuration: what one provider snapshot may contain. */
export const dynamicSchema: DynamicSchema = obj(
  Object.fromEntries(
    sectionNames().map((section) => [section, obj(Object.fromEntries(collectionsOf(section).map((collection) => [collection.key, collection.schema])))]),
  ),
) as DynamicSchema

/** The section names, each once, in catalogue order. */
function sectionNames(): SectionName[] {
  return [...new Set(collections.map((collection) => collection.section))]
}

/** The collections of one section. */
export function collectionsOf(section: SectionName): readonly CatalogueEntry[] {
  return collections.filter((collection) => collection.section === section)
}

/**
 * The canonical keys of the dynamic configuration, by section, for code that
 * must spell them as Traefik does before it validates anything (the file
 * provider merges files with `HTTP:` and `http:` as one section).
 *
 * @example dynamicSections.get('tls') // ['certificates', 'options', 'stores']
 */
export const dynamicSections: ReadonlyMap<string, readonly string[]> = new Map(
  sectionNames().map((section) => [section, collectionsOf(section).map((collection) => collection.key)]),
)

/** The collection behind an object kind in a section (`service` in `tcp` is `tcp.services`), if any. */
export function collectionOfKind(kind: string, section: string): CatalogueEntry | undefined {
  return collections.find((collection) => collection.kind === kind && collection.section === section)
}

/** The collection `key` names in a section, matched case-insensitively as Traefik does (`Routers`). */
export function findCollection(section: SectionName, key: string): CatalogueEntry | undefined {
  const lower = key.toLowerCase()
  return collections.find((collection) => collection.section === section && collection.key.toLowerCase() === lower)
}
