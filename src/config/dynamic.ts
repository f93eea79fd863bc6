/**
 * The dynamic configuration model: Traefik v3's schema, key for key.
 * Providers emit a whole `DynamicConfig` per snapshot; the watcher merges them
 * with every name qualified `name@provider`.
 */

export interface DynamicConfig {
  http?: HttpConfig
  tcp?: TcpConfig
  udp?: UdpConfig
  tls?: TlsConfig
}

export interface HttpConfig {
  routers?: Record<string, HttpRouter>
  services?: Record<string, HttpService>
  middlewares?: Record<string, HttpMiddleware>
  serversTransports?: Record<string, ServersTransport>
}

export interface RouterTls {
  options?: string
  certResolver?: string
  domains?: Array<{ main?: string; sans?: string[] }>
  passthrough?: boolean
}

export interface HttpRouter {
  entryPoints?: string[]
  rule?: string
  ruleSyntax?: string
  priority?: number
  middlewares?: string[]
  service?: string
  tls?: RouterTls
  observability?: { accessLogs?: boolean; tracing?: boolean; metrics?: boolean }
}

export interface HealthCheck {
  scheme?: string
  mode?: string
  path?: string
  method?: string
  status?: number
  port?: number
  interval?: string | number
  timeout?: string | number
  hostname?: string
  followRedirects?: boolean
  headers?: Record<string, string>
}

export interface Sticky {
  cookie?: { name?: string; secure?: boolean; httpOnly?: boolean; sameSite?: string; maxAge?: number; path?: string; domain?: string }
}

export interface LoadBalancer {
  servers?: Array<{ url?: string; weight?: number; preservePath?: boolean }>
  strategy?: string
  sticky?: Sticky
  healthCheck?: HealthCheck
  passHostHeader?: boolean
  responseForwarding?: { flushInterval?: string | number }
  serversTransport?: string
}

export interface WeightedService {
  services?: Array<{ name?: string; weight?: number }>
  sticky?: Sticky
  healthCheck?: Record<string, never>
}

export interface MirroringService {
  service?: string
  mirrorBody?: boolean
  maxBodySize?: number
  mirrors?: Array<{ name?: string; percent?: number }>
  healthCheck?: Record<string, never>
}

export interface FailoverService {
  service?: string
  fallback?: string
  healthCheck?: Record<string, never>
}

/** Exactly one of the four kinds is set. */
export interface HttpService {
  loadBalancer?: LoadBalancer
  weighted?: WeightedService
  mirroring?: MirroringService
  failover?: FailoverService
}

/** Exactly one key is set: the middleware type (`stripPrefix`, `headers`, ...) with its options. */
export type HttpMiddleware = Record<string, Record<string, unknown>>

export interface ServersTransport {
  serverName?: string
  insecureSkipVerify?: boolean
  rootCAs?: string[]
  certificates?: Array<{ certFile?: string; keyFile?: string }>
  maxIdleConnsPerHost?: number
  forwardingTimeouts?: {
    dialTimeout?: string | number
    responseHeaderTimeout?: string | number
    idleConnTimeout?: string | number
    readIdleTimeout?: string | number
    pingTimeout?: string | number
  }
  disableHTTP2?: boolean
  peerCertURI?: string
  spiffe?: { ids?: string[]; trustDomain?: string }
}

export interface TcpConfig {
  routers?: Record<string, TcpRouter>
  services?: Record<string, TcpService>
  middlewares?: Record<string, Record<string, Record<string, unknown>>>
  serversTransports?: Record<string, TcpServersTransport>
}

export interface TcpRouter {
  entryPoints?: string[]
  rule?: string
  ruleSyntax?: string
  priority?: number
  middlewares?: string[]
  service?: string
  tls?: RouterTls
}

export interface TcpService {
  loadBalancer?: {
    servers?: Array<{ address?: string; tls?: boolean; weight?: number }>
    serversTransport?: string
    proxyProtocol?: { version?: number }
    terminationDelay?: number
  }
  weighted?: { services?: Array<{ name?: string; weight?: number }> }
}

export interface TcpServersTransport {
  dialTimeout?: string | number
  dialKeepAlive?: string | number
  terminationDelay?: string | number
  tls?: {
    serverName?: string
    insecureSkipVerify?: boolean
    rootCAs?: string[]
    certificates?: Array<{ certFile?: string; keyFile?: string }>
    peerCertURI?: string
  }
}

export interface UdpConfig {
  routers?: Record<string, { entryPoints?: string[]; service?: string }>
  services?: Record<string, UdpService>
}

export interface UdpService {
  loadBalancer?: { servers?: Array<{ address?: string }> }
  weighted?: { services?: Array<{ name?: string; weight?: number }> }
}

export interface TlsConfig {
  certificates?: Array<{ certFile?: string; keyFile?: string; stores?: string[] }>
  options?: Record<string, TlsOptions>
  stores?: Record<string, { defaultCertificate?: { certFile?: string; keyFile?: string }; defaultGeneratedCert?: { resolver?: string; domain?: { main?: string; sans?: string[] } } }>
}

export interface TlsOptions {
  minVersion?: string
  maxVersion?: string
  cipherSuites?: string[]
  curvePreferences?: string[]
  clientAuth?: { caFiles?: string[]; clientAuthType?: string }
  sniStrict?: boolean
  alpnProtocols?: string[]
  preferServerCipherSuites?: boolean
  disableSessionTickets?: boolean
}
