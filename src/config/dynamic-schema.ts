import { bool, dur, flatOnly, int, list, map, obj, oneOf, str, strings } from './schema.ts'

/**
 * Traefik v3's dynamic configuration schema (pkg/config/dynamic, v3.7 and
 * master): the objects the file provider, labels, KV and the API all
 * produce, and the source of their TypeScript types (`dynamic.ts`). The
 * sections and collections holding them are listed once, in `catalogue.ts`.
 * Durations stay as written (a Go duration string or a number of seconds);
 * consumers read them with `parseDuration`.
 */

/** A main domain and its alternative names. */
export const domain = obj({ main: str(), sans: strings() })
const certificate = obj({ certFile: str(), keyFile: str() })
const spiffe = obj({ ids: strings(), trustDomain: str() })
/** Names the peer certificate must carry (Traefik master, after v3.7.9): a DNS name or a URI SAN. */
const peerCertSANs = list(obj({ type: str({ enum: ['DNSName', 'URI'] }), value: str() }))
/** Services-level health check: an empty object that turns propagation on. */
const healthCheckFlag = obj({})
const ruleSyntax = str({ enum: ['default', 'v3', 'v2'], doc: 'deprecated in Traefik v3' })

/** A router's TLS settings (also an entry point's default for its routers). */
export const routerTls = obj({ options: str(), certResolver: str(), domains: list(domain) })

/** What a router (or an entry point's routers) reports to access logs, metrics and tracing. */
export const routerObservability = obj({
  accessLogs: bool(),
  metrics: bool(),
  tracing: bool(),
  traceVerbosity: str({ enum: ['minimal', 'detailed'] }),
})

/** An HTTP router. */
export const httpRouter = obj({
  entryPoints: strings(),
  middlewares: strings(),
  service: str(),
  rule: str(),
  ruleSyntax,
  priority: int(),
  tls: routerTls,
  observability: routerObservability,
  parentRefs: strings({ doc: 'multi-layer routing (Traefik v3.6): the routers this one refines' }),
})

const sticky = obj({
  cookie: obj({
    name: str(),
    secure: bool(),
    httpOnly: bool(),
    sameSite: str({ enum: ['none', 'lax', 'strict'] }),
    maxAge: int(),
    path: str(),
    domain: str(),
  }),
})

const httpServer = obj({
  url: str(),
  weight: int({ min: 0 }),
  preservePath: bool(),
  port: flatOnly(str()),
  scheme: flatOnly(str()),
})

/** A load balancer over servers. */
export const loadBalancer = obj({
  sticky,
  servers: list(httpServer, { alias: 'server' }),
  strategy: str({ enum: ['wrr', 'p2c', 'hrw', 'leasttime'] }),
  healthCheck: obj({
    scheme: str(),
    mode: str({ enum: ['http', 'grpc'] }),
    path: str(),
    method: str(),
    status: int({ min: 100, max: 599 }),
    port: int({ min: 0, max: 65535 }),
    interval: dur(),
    unhealthyInterval: dur(),
    timeout: dur(),
    hostname: str(),
    followRedirects: bool(),
    headers: map(str()),
  }),
  passiveHealthCheck: obj({ failureWindow: dur(), maxFailedAttempts: int({ min: 0 }) }),
  passHostHeader: bool(),
  responseForwarding: obj({ flushInterval: dur() }),
  serversTransport: str(),
})

const weightedServices = list(obj({ name: str(), weight: int({ min: 0 }) }))

/** Weighted round robin over services. */
export const weighted = obj({ services: weightedServices, sticky, healthCheck: healthCheckFlag })

/** Sends copies of requests to mirror services. */
export const mirroring = obj({
  service: str(),
  mirrorBody: bool(),
  maxBodySize: int(),
  mirrors: list(obj({ name: str(), percent: int({ min: 0, max: 100 }) })),
  healthCheck: healthCheckFlag,
})

/** Uses the fallback service while the main one is down. */
export const failover = obj({
  service: str(),
  fallback: str(),
  healthCheck: healthCheckFlag,
  errors: obj({ maxRequestBodyBytes: int(), status: strings() }),
})

/** Picks a child service by rendezvous hashing of the client (Traefik v3.6). */
export const highestRandomWeight = obj({ services: weightedServices, healthCheck: healthCheckFlag })

/**
 * An HTTP service: exactly one of its kinds, and (Traefik v3.7) middlewares
 * that run for this service whichever router reaches it.
 */
export const httpService = oneOf(
  'service',
  { loadBalancer, weighted, mirroring, failover, highestRandomWeight },
  { shared: { middlewares: strings({ doc: 'run before the service, after the router middlewares (Traefik v3.7)' }) } },
)

/** How HTTP services reach their servers. */
export const httpServersTransport = obj({
  serverName: str(),
  insecureSkipVerify: bool(),
  rootCAs: strings(),
  certificates: list(certificate),
  cipherSuites: strings(),
  minVersion: str(),
  maxVersion: str(),
  maxIdleConnsPerHost: int(),
  forwardingTimeouts: obj({
    dialTimeout: dur(),
    responseHeaderTimeout: dur(),
    idleConnTimeout: dur(),
    readIdleTimeout: dur(),
    pingTimeout: dur(),
  }),
  disableHTTP2: bool(),
  peerCertURI: str(),
  peerCertSANs,
  spiffe,
})

/** A TCP router. */
export const tcpRouter = obj({
  entryPoints: strings(),
  middlewares: strings(),
  service: str(),
  rule: str(),
  ruleSyntax,
  priority: int(),
  tls: obj({ passthrough: bool(), options: str(), certResolver: str(), domains: list(domain) }),
})

const proxyProtocol = obj({ version: int({ min: 1, max: 2 }) })

/** A TCP service: a load balancer or weighted. */
export const tcpService = oneOf('service', {
  loadBalancer: obj({
    servers: list(obj({ address: str(), tls: bool(), port: flatOnly(str()) }), { alias: 'server' }),
    serversTransport: str(),
    proxyProtocol,
    terminationDelay: int(),
    healthCheck: obj({
      port: int({ min: 0, max: 65535 }),
      send: str(),
      expect: str(),
      interval: dur(),
      unhealthyInterval: dur(),
      timeout: dur(),
    }),
  }),
  weighted: obj({ services: weightedServices, healthCheck: healthCheckFlag }),
})

/** How TCP services reach their servers. */
export const tcpServersTransport = obj({
  dialKeepAlive: dur(),
  dialTimeout: dur(),
  proxyProtocol,
  terminationDelay: dur(),
  tls: obj({
    serverName: str(),
    insecureSkipVerify: bool(),
    rootCAs: strings(),
    certificates: list(certificate),
    peerCertURI: str(),
    peerCertSANs,
    spiffe,
  }),
})

/** A UDP router: entry points and a service, no rule. */
export const udpRouter = obj({ entryPoints: strings(), service: str() })

/** A UDP service: a load balancer or weighted. */
export const udpService = oneOf('service', {
  loadBalancer: obj({
    servers: list(obj({ address: str(), port: flatOnly(str()) }), { alias: 'server' }),
  }),
  weighted: obj({ services: weightedServices }),
})

/** A certificate: file paths or PEM contents. */
export const tlsCertificate = obj({ certFile: str(), keyFile: str(), stores: strings() })

/** A named set of TLS options a router refers to. */
export const tlsOptions = obj({
  minVersion: str(),
  maxVersion: str(),
  cipherSuites: strings(),
  curvePreferences: strings(),
  clientAuth: obj({
    caFiles: strings(),
    clientAuthType: str({
      enum: ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'],
    }),
  }),
  sniStrict: bool(),
  alpnProtocols: strings(),
  disableSessionTickets: bool(),
  preferServerCipherSuites: bool({ doc: 'deprecated in Traefik v3' }),
})

/** A certificate store (Traefik uses `default` only). */
export const tlsStore = obj({
  defaultCertificate: certificate,
  defaultGeneratedCert: obj({ resolver: str(), domain }),
})
