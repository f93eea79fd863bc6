/**
 * The dynamic configuration model: Traefik v3's schema, key for key.
 * Providers emit a whole `DynamicConfig` per snapshot; the watcher merges them
 * with every name qualified `name@provider`.
 *
 * These types agree with `dynamic-schema.ts`, which is the source of truth
 * (and the only place listing middleware options). Durations are kept as
 * written: a Go duration string (`"10s"`) or a number of seconds; read them
 * with `parseDuration` from `duration.ts`.
 */

/** A Go duration string (`"100ms"`, `"1m30s"`) or a number of seconds. */
export type DurationValue = string | number

/** One provider snapshot, or the merged configuration. */
export interface DynamicConfig {
  http?: HttpConfig
  tcp?: TcpConfig
  udp?: UdpConfig
  tls?: TlsConfig
}

/** The `http` section. */
export interface HttpConfig {
  routers?: Record<string, HttpRouter>
  services?: Record<string, HttpService>
  middlewares?: Record<string, HttpMiddleware>
  serversTransports?: Record<string, ServersTransport>
}

/** A main domain and its alternative names. */
export interface Domain {
  main?: string
  sans?: string[]
}

/** A router's TLS settings. */
export interface RouterTls {
  options?: string
  certResolver?: string
  domains?: Domain[]
  /** TCP routers only (the HTTP schema refuses it). */
  passthrough?: boolean
}

/** An HTTP router. */
export interface HttpRouter {
  entryPoints?: string[]
  rule?: string
  /** Deprecated in Traefik v3: `default`, `v3` or `v2`. */
  ruleSyntax?: string
  priority?: number
  middlewares?: string[]
  service?: string
  tls?: RouterTls
  observability?: { accessLogs?: boolean; tracing?: boolean; metrics?: boolean; traceVerbosity?: 'minimal' | 'detailed' }
  /** Multi-layer routing (Traefik v3.6): the routers this one refines; it then runs after their middlewares. */
  parentRefs?: string[]
}

/** A load balancer's active health check. */
export interface HealthCheck {
  scheme?: string
  mode?: 'http' | 'grpc'
  path?: string
  method?: string
  status?: number
  port?: number
  interval?: DurationValue
  unhealthyInterval?: DurationValue
  timeout?: DurationValue
  hostname?: string
  followRedirects?: boolean
  headers?: Record<string, string>
}

/** Marks a server down after failed requests. */
export interface PassiveHealthCheck {
  failureWindow?: DurationValue
  maxFailedAttempts?: number
}

/** The cookie that pins a client to a server. */
export interface StickyCookie {
  name?: string
  secure?: boolean
  httpOnly?: boolean
  sameSite?: 'none' | 'lax' | 'strict'
  maxAge?: number
  path?: string
  domain?: string
}

/** Session affinity. */
export interface Sticky {
  cookie?: StickyCookie
}

/** One server of a load balancer. */
export interface Server {
  url?: string
  weight?: number
  preservePath?: boolean
}

/** A load balancer over servers. */
export interface LoadBalancer {
  servers?: Server[]
  strategy?: 'wrr' | 'p2c' | 'hrw' | 'leasttime'
  sticky?: Sticky
  healthCheck?: HealthCheck
  passiveHealthCheck?: PassiveHealthCheck
  passHostHeader?: boolean
  responseForwarding?: { flushInterval?: DurationValue }
  serversTransport?: string
}

/** Weighted round robin over services. */
export interface WeightedService {
  services?: Array<{ name?: string; weight?: number }>
  sticky?: Sticky
  healthCheck?: Record<string, never>
}

/** Sends copies of requests to mirror services. */
export interface MirroringService {
  service?: string
  mirrorBody?: boolean
  maxBodySize?: number
  mirrors?: Array<{ name?: string; percent?: number }>
  healthCheck?: Record<string, never>
}

/** Uses the fallback service while the main one is down. */
export interface FailoverService {
  service?: string
  fallback?: string
  healthCheck?: Record<string, never>
  errors?: { maxRequestBodyBytes?: number; status?: string[] }
}

/** Exactly one of the four kinds is set. */
export interface HttpService {
  loadBalancer?: LoadBalancer
  weighted?: WeightedService
  mirroring?: MirroringService
  failover?: FailoverService
}

/** The HTTP middleware types of Traefik v3 (see `middleware-schema.ts` for their options). */
export type HttpMiddlewareType =
  | 'addPrefix' | 'basicAuth' | 'buffering' | 'chain' | 'circuitBreaker' | 'compress' | 'contentType'
  | 'digestAuth' | 'errors' | 'forwardAuth' | 'grpcWeb' | 'headers' | 'ipAllowList' | 'ipWhiteList'
  | 'inFlightReq' | 'passTLSClientCert' | 'rateLimit' | 'redirectRegex' | 'redirectScheme'
  | 'replacePath' | 'replacePathRegex' | 'retry' | 'stripPrefix' | 'stripPrefixRegex'

/** Exactly one key is set: the middleware type (`stripPrefix`, `headers`, ...) with its options. */
export type HttpMiddleware = Record<string, Record<string, unknown>>

/** How services reach their servers (TLS, pools, timeouts). */
export interface ServersTransport {
  serverName?: string
  insecureSkipVerify?: boolean
  /** File paths or PEM contents. */
  rootCAs?: string[]
  certificates?: Array<{ certFile?: string; keyFile?: string }>
  cipherSuites?: string[]
  minVersion?: string
  maxVersion?: string
  maxIdleConnsPerHost?: number
  forwardingTimeouts?: {
    dialTimeout?: DurationValue
    responseHeaderTimeout?: DurationValue
    idleConnTimeout?: DurationValue
    readIdleTimeout?: DurationValue
    pingTimeout?: DurationValue
  }
  disableHTTP2?: boolean
  peerCertURI?: string
  spiffe?: { ids?: string[]; trustDomain?: string }
}

/** The `tcp` section. */
export interface TcpConfig {
  routers?: Record<string, TcpRouter>
  services?: Record<string, TcpService>
  /** Exactly one key: `inFlightConn`, `ipAllowList` or (deprecated) `ipWhiteList`. */
  middlewares?: Record<string, Record<string, Record<string, unknown>>>
  serversTransports?: Record<string, TcpServersTransport>
}

/** A TCP router. */
export interface TcpRouter {
  entryPoints?: string[]
  rule?: string
  ruleSyntax?: string
  priority?: number
  middlewares?: string[]
  service?: string
  tls?: RouterTls
}

/** A TCP load balancer's active health check. */
export interface TcpHealthCheck {
  port?: number
  send?: string
  expect?: string
  interval?: DurationValue
  unhealthyInterval?: DurationValue
  timeout?: DurationValue
}

/** Exactly one of the two kinds is set. */
export interface TcpService {
  loadBalancer?: {
    servers?: Array<{ address?: string; tls?: boolean }>
    serversTransport?: string
    /** Deprecated in Traefik v3: set it on the serversTransport. */
    proxyProtocol?: { version?: number }
    /** Milliseconds. Deprecated in Traefik v3: set it on the serversTransport. */
    terminationDelay?: number
    healthCheck?: TcpHealthCheck
  }
  weighted?: { services?: Array<{ name?: string; weight?: number }>; healthCheck?: Record<string, never> }
}

/** How TCP services reach their servers. */
export interface TcpServersTransport {
  dialTimeout?: DurationValue
  dialKeepAlive?: DurationValue
  terminationDelay?: DurationValue
  proxyProtocol?: { version?: number }
  tls?: {
    serverName?: string
    insecureSkipVerify?: boolean
    rootCAs?: string[]
    certificates?: Array<{ certFile?: string; keyFile?: string }>
    peerCertURI?: string
    spiffe?: { ids?: string[]; trustDomain?: string }
  }
}

/** The `udp` section. */
export interface UdpConfig {
  routers?: Record<string, UdpRouter>
  services?: Record<string, UdpService>
}

/** A UDP router. */
export interface UdpRouter {
  entryPoints?: string[]
  service?: string
}

/** Exactly one of the two kinds is set. */
export interface UdpService {
  loadBalancer?: { servers?: Array<{ address?: string }> }
  weighted?: { services?: Array<{ name?: string; weight?: number }> }
}

/** A certificate: file paths or PEM contents. */
export interface TlsCertificate {
  certFile?: string
  keyFile?: string
  stores?: string[]
}

/** A certificate store. */
export interface TlsStore {
  defaultCertificate?: { certFile?: string; keyFile?: string }
  defaultGeneratedCert?: { resolver?: string; domain?: Domain }
}

/** The `tls` section. */
export interface TlsConfig {
  certificates?: TlsCertificate[]
  options?: Record<string, TlsOptions>
  stores?: Record<string, TlsStore>
}

/** A named set of TLS options. */
export interface TlsOptions {
  minVersion?: string
  maxVersion?: string
  cipherSuites?: string[]
  curvePreferences?: string[]
  clientAuth?: {
    caFiles?: string[]
    clientAuthType?: 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert'
  }
  sniStrict?: boolean
  alpnProtocols?: string[]
  disableSessionTickets?: boolean
  /** Deprecated in Traefik v3. */
  preferServerCipherSuites?: boolean
}
