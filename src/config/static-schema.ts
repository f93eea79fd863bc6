import { httpServersTransport, tcpServersTransport } from './dynamic-schema.ts'
import { bool, dur, int, list, map, num, obj, str, type ObjectSchema } from './schema.ts'

/**
 * Traefik v3's static configuration schema (pkg/config/static) with its
 * defaults; duration defaults are milliseconds. Sections Junction does not
 * use yet are accepted and typed so an existing Traefik file loads.
 */

/**
 * Traefik uses `math.MaxInt - 1` so a user router can still outrank the
 * redirection; JavaScript's largest exact integer stands in for MaxInt.
 */
export const redirectionPriority = Number.MAX_SAFE_INTEGER - 1

/** Traefik's log levels. */
export const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'] as const

const strings = (extra: { default?: unknown } = {}) => list(str(), extra)
const domain = obj({ main: str(), sans: strings() })
const clientTls = obj({ ca: str(), cert: str(), key: str(), insecureSkipVerify: bool() })
const trust = { insecure: bool({ default: false }), trustedIPs: strings({ default: [] }) }

const entryPoint = obj({
  address: str({ doc: '[host]:port[/tcp|/udp]' }),
  asDefault: bool({ default: false }),
  allowACMEByPass: bool({ default: false }),
  reusePort: bool({ default: false }),
  transport: obj(
    {
      respondingTimeouts: obj(
        { readTimeout: dur({ default: 60_000 }), writeTimeout: dur({ default: 0 }), idleTimeout: dur({ default: 180_000 }) },
        { materialize: true },
      ),
      lifeCycle: obj({ requestAcceptGraceTimeout: dur({ default: 0 }), graceTimeOut: dur({ default: 10_000 }) }, { materialize: true }),
      keepAliveMaxTime: dur({ default: 0 }),
      keepAliveMaxRequests: int({ min: 0, default: 0 }),
    },
    { materialize: true },
  ),
  proxyProtocol: obj(trust),
  forwardedHeaders: obj({ ...trust, connection: strings({ default: [] }) }, { materialize: true }),
  http: obj(
    {
      redirections: obj({
        entryPoint: obj(
          {
            to: str(),
            scheme: str({ default: 'https' }),
            permanent: bool({ default: true }),
            priority: int({ default: redirectionPriority }),
          },
          { materialize: true },
        ),
      }),
      middlewares: strings({ default: [] }),
      tls: obj({ options: str(), certResolver: str(), domains: list(domain) }),
      encodeQuerySemicolons: bool({ default: false }),
      sanitizePath: bool({ default: true }),
      maxHeaderBytes: int({ min: 0, default: 1_048_576 }),
    },
    { materialize: true },
  ),
  http2: obj(
    {
      maxConcurrentStreams: int({ min: 0, default: 250 }),
      maxDecoderHeaderTableSize: int({ min: 0, default: 4096 }),
      maxEncoderHeaderTableSize: int({ min: 0, default: 4096 }),
    },
    { materialize: true },
  ),
  http3: obj({ advertisedPort: int({ min: 0, max: 65_535 }) }),
  udp: obj({ timeout: dur({ default: 3000 }) }, { materialize: true }),
  observability: obj({
    accessLogs: bool(),
    metrics: bool(),
    tracing: bool(),
    traceVerbosity: str({ enum: ['minimal', 'detailed'] }),
  }),
})

const providers = obj(
  {
    providersThrottleDuration: dur({ default: 2000 }),
    file: obj({ filename: str(), directory: str(), watch: bool({ default: true }), debugLogGeneratedTemplate: bool() }),
    docker: obj({
      endpoint: str(),
      tls: clientTls,
      username: str(),
      password: str(),
      exposedByDefault: bool(),
      useBindPortIP: bool(),
      watch: bool(),
      network: str(),
      defaultRule: str(),
      constraints: str(),
      httpClientTimeout: dur(),
      allowEmptyServices: bool(),
      labelPrefix: str({ doc: 'Junction: the label prefix to read (`traefik` reads Traefik labels)' }),
    }),
    consulCatalog: obj({
      endpoint: obj({
        address: str(),
        scheme: str(),
        datacenter: str(),
        token: str(),
        endpointWaitTime: dur(),
        tls: clientTls,
        httpAuth: obj({ username: str(), password: str() }),
      }),
      prefix: str({ doc: 'the tag prefix (`traefik` reads Traefik tags)' }),
      constraints: str(),
      refreshInterval: dur(),
      requireConsistent: bool(),
      stale: bool(),
      cache: bool(),
      exposedByDefault: bool(),
      defaultRule: str(),
      connectAware: bool(),
      connectByDefault: bool(),
      serviceName: str(),
      namespaces: strings(),
      watch: bool(),
      strictChecks: strings(),
    }),
    consul: obj({
      endpoints: strings(),
      rootKey: str(),
      namespaces: strings(),
      username: str(),
      password: str(),
      token: str(),
      tls: clientTls,
    }),
    rest: obj({ insecure: bool({ default: false }) }),
  },
  { materialize: true },
)

const log = obj(
  {
    level: str({ enum: logLevels, default: 'ERROR' }),
    format: str({ enum: ['common', 'json'], default: 'common' }),
    filePath: str(),
    noColor: bool(),
    maxSize: int({ min: 0 }),
    maxAge: int({ min: 0 }),
    maxBackups: int({ min: 0 }),
    compress: bool(),
  },
  { materialize: true },
)

const names = obj({ defaultMode: str({ enum: ['keep', 'drop', 'redact'] }), names: map(str({ enum: ['keep', 'drop', 'redact'] })) })

const accessLog = obj({
  filePath: str(),
  format: str({ enum: ['common', 'genericCLF', 'json'], default: 'common' }),
  bufferingSize: int({ min: 0, default: 0 }),
  addInternals: bool(),
  filters: obj({ statusCodes: strings(), retryAttempts: bool(), minDuration: dur() }),
  fields: obj({ ...names.fields, headers: names }),
})

const acme = obj({
  email: str(),
  caServer: str({ default: 'https://acme-v02.api.letsencrypt.org/directory' }),
  storage: str({ default: 'acme.json' }),
  keyType: str({ enum: ['EC256', 'EC384', 'RSA2048', 'RSA4096', 'RSA8192'], default: 'RSA4096' }),
  certificatesDuration: int({ min: 1, default: 2160 }),
  preferredChain: str(),
  caCertificates: strings(),
  caSystemCertPool: bool(),
  caServerName: str(),
  eab: obj({ kid: str(), hmacEncoded: str() }),
  httpChallenge: obj({ entryPoint: str(), delay: dur() }),
  tlsChallenge: obj({ delay: dur() }),
  dnsChallenge: obj({ provider: str(), resolvers: strings(), delayBeforeCheck: dur(), disablePropagationCheck: bool() }),
})

/** The whole static configuration. */
export const staticSchema: ObjectSchema = obj({
  entryPoints: map(entryPoint),
  providers,
  log,
  accessLog,
  api: obj({
    dashboard: bool({ default: true }),
    insecure: bool({ default: false }),
    debug: bool({ default: false }),
    basePath: str({ default: '/' }),
    disableDashboardAd: bool(),
  }),
  ping: obj({ entryPoint: str({ default: 'traefik' }), manualRouting: bool({ default: false }), terminatingStatusCode: int({ default: 503 }) }),
  metrics: obj({
    addInternals: bool(),
    prometheus: obj({
      buckets: list(num(), { default: [0.1, 0.3, 1.2, 5] }),
      addEntryPointsLabels: bool({ default: true }),
      addRoutersLabels: bool({ default: false }),
      addServicesLabels: bool({ default: true }),
      entryPoint: str({ default: 'traefik' }),
      manualRouting: bool({ default: false }),
      headerLabels: map(str()),
    }),
  }),
  certificatesResolvers: map(obj({ acme })),
  serversTransport: obj(httpServersTransport.fields, { keepDurations: true }),
  tcpServersTransport: obj(tcpServersTransport.fields, { keepDurations: true }),
  global: obj({ checkNewVersion: bool({ default: true }), sendAnonymousUsage: bool({ default: false }) }),
  core: obj({ defaultRuleSyntax: str({ enum: ['v3', 'v2'], default: 'v3', doc: 'the rule syntax of routers that set no ruleSyntax' }) }, { materialize: true }),
})
