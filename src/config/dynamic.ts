import type { dynamicSchema } from './catalogue.ts'
import type {
  domain,
  failover,
  highestRandomWeight,
  httpRouter,
  httpServersTransport,
  httpService,
  loadBalancer,
  mirroring,
  routerTls,
  tcpRouter,
  tcpServersTransport,
  tcpService,
  tlsCertificate,
  tlsOptions,
  tlsStore,
  udpRouter,
  udpService,
  weighted,
} from './dynamic-schema.ts'
import type { Infer } from './infer.ts'
import type { httpMiddleware, httpMiddlewareTypes, tcpMiddleware } from './middleware-schema.ts'

/**
 * The dynamic configuration model: Traefik v3's, key for key, as TypeScript
 * types inferred from the schema (`dynamic-schema.ts`, `middleware-schema.ts`),
 * which stays the one place a field is declared. Providers emit a whole
 * `DynamicConfig` per snapshot; the watcher merges them with every name
 * qualified `name@provider`. Durations are kept as written: read them with
 * `parseDuration` from `duration.ts`.
 */

export type { DurationValue } from './infer.ts'

/** One provider snapshot, or the merged configuration. */
export type DynamicConfig = Infer<typeof dynamicSchema>

/** The `http` section. */
export type HttpConfig = NonNullable<DynamicConfig['http']>
/** The `tcp` section. */
export type TcpConfig = NonNullable<DynamicConfig['tcp']>
/** The `udp` section. */
export type UdpConfig = NonNullable<DynamicConfig['udp']>
/** The `tls` section. */
export type TlsConfig = NonNullable<DynamicConfig['tls']>

/** A main domain and its alternative names. */
export type Domain = Infer<typeof domain>
/** An HTTP router's TLS settings. */
export type RouterTls = Infer<typeof routerTls>
/** An HTTP router. */
export type HttpRouter = Infer<typeof httpRouter>

/** An HTTP service: exactly one kind is set, beside optional `middlewares`. */
export type HttpService = Infer<typeof httpService>
/** A load balancer over servers. */
export type LoadBalancer = Infer<typeof loadBalancer>
/** One server of a load balancer. */
export type Server = NonNullable<LoadBalancer['servers']>[number]
/** A load balancer's active health check. */
export type HealthCheck = NonNullable<LoadBalancer['healthCheck']>
/** Marks a server down after failed requests. */
export type PassiveHealthCheck = NonNullable<LoadBalancer['passiveHealthCheck']>
/** Session affinity. */
export type Sticky = NonNullable<LoadBalancer['sticky']>
/** The cookie that pins a client to a server. */
export type StickyCookie = NonNullable<Sticky['cookie']>
/** Weighted round robin over services. */
export type WeightedService = Infer<typeof weighted>
/** Sends copies of requests to mirror services. */
export type MirroringService = Infer<typeof mirroring>
/** Uses the fallback service while the main one is down. */
export type FailoverService = Infer<typeof failover>
/** Picks a child service by rendezvous hashing of the client. */
export type HighestRandomWeightService = Infer<typeof highestRandomWeight>

/** The HTTP middleware types of Traefik v3 (see `middleware-schema.ts` for their options). */
export type HttpMiddlewareType = keyof typeof httpMiddlewareTypes
/** Exactly one key is set: the middleware type (`stripPrefix`, `headers`, ...) with its options. */
export type HttpMiddleware = Infer<typeof httpMiddleware>
/** How services reach their servers (TLS, pools, timeouts). */
export type ServersTransport = Infer<typeof httpServersTransport>

/** A TCP router. */
export type TcpRouter = Infer<typeof tcpRouter>
/** A TCP router's TLS settings (`passthrough` is TCP only). */
export type TcpRouterTls = NonNullable<TcpRouter['tls']>
/** Exactly one of the two kinds is set. */
export type TcpService = Infer<typeof tcpService>
/** A TCP load balancer's active health check. */
export type TcpHealthCheck = NonNullable<NonNullable<TcpService['loadBalancer']>['healthCheck']>
/** Exactly one key: `inFlightConn`, `ipAllowList` or (deprecated) `ipWhiteList`. */
export type TcpMiddleware = Infer<typeof tcpMiddleware>
/** How TCP services reach their servers. */
export type TcpServersTransport = Infer<typeof tcpServersTransport>

/** A UDP router: entry points and a service, no rule. */
export type UdpRouter = Infer<typeof udpRouter>
/** Exactly one of the two kinds is set. */
export type UdpService = Infer<typeof udpService>

/** A certificate: file paths or PEM contents. */
export type TlsCertificate = Infer<typeof tlsCertificate>
/** A named set of TLS options. */
export type TlsOptions = Infer<typeof tlsOptions>
/** A certificate store. */
export type TlsStore = Infer<typeof tlsStore>
