import { httpServersTransport, routerObservability, routerTls, tcpServersTransport } from './dynamic-schema.ts'
import { bool, dur, int, list, map, num, obj, str, strings } from './schema.ts'

/**
 * Traefik v3's static configuration schema (pkg/config/static) with its
 * defaults; duration defaults are milliseconds. Sections Junction does not
 * use yet are accepted and typed so an existing Traefik file loads. The
 * `providers` section holds only `providersThrottleDuration` here: each
 * provider brings its own options schema (`ProviderEntry.schema`), which the
 * loader adds (`static-providers.ts`).
 */

/**
 * Traefik uses `math.MaxInt - 1` so a user router can still outrank the
 * redirection; JavaScript's largest exact integer stands in for MaxInt.
 */
export const redirectionPriority = Number.MAX_SAFE_INTEGER - 1

/** Traefik's log levels. */
export const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'] as const

const trust = { insecure: bool({ default: false }), trustedIPs: strings({ default: [] }) }

/** One entry point, as written (`static.ts` adds what the loader derives from its address). */
export const entryPoint = obj({
  address: str({ doc: '[host]:port[/tcp|/udp]' }),
  asDefault: bool({ default: false }),
  allowACMEByPass: bool({ default: false, doc: 'the redirection of http.redirections.entryPoint leaves /.well-known/acme-challenge/ requests to their routers' }),
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
  proxyProtocol: obj(trust, { ignored: 'the PROXY protocol arrives with layer-4 routing' }),
  forwardedHeaders: obj(
    {
      ...trust,
      connection: strings({ default: [], doc: 'headers a client may list in Connection that stay through rules and middlewares; the forwarder still removes them' }),
      notAppendXForwardedFor: bool({ default: false, doc: 'X-Forwarded-For reaches the server as the request carries it, without the client address (Traefik v3.7)' }),
    },
    { materialize: true },
  ),
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
      tls: obj(routerTls.fields, { doc: "TLS for every router on the entry point that sets no tls of its own (Traefik's model)" }),
      encodeQuerySemicolons: bool({ default: false, doc: 'a query semicolon becomes %3B (part of a value) rather than & (a separator)' }),
      sanitizePath: bool({ default: true, ignored: 'Junction always normalises request paths before routing' }),
      maxHeaderBytes: int({ min: 0, default: 1_048_576 }),
    },
    { materialize: true },
  ),
  http2: obj(
    {
      maxConcurrentStreams: int({ min: 0, max: 4_294_967_295, default: 250, doc: 'streams a client may have open at once on one HTTP/2 connection; 0 means 250' }),
      maxDecoderHeaderTableSize: int({ min: 0, max: 4_294_967_295, default: 4096, doc: 'HPACK table for request headers (SETTINGS_HEADER_TABLE_SIZE); 0 means 4096' }),
      maxEncoderHeaderTableSize: int({ min: 0, max: 4_294_967_295, default: 4096, doc: 'the most of the HPACK table the client announces that response headers use; 0 means 4096' }),
    },
    { materialize: true },
  ),
  http3: obj({ advertisedPort: int({ min: 0, max: 65_535 }) }, { ignored: 'HTTP/3 is not supported' }),
  udp: obj({ timeout: dur({ default: 3000, ignored: 'UDP entry points arrive with layer-4 routing' }) }, { materialize: true }),
  observability: obj(routerObservability.fields, { ignored: 'observability arrives with its own work (access logs, metrics, tracing)' }),
})

/** The options every provider shares; `static-providers.ts` adds each provider's own. */
export const providersBase = obj({ providersThrottleDuration: dur({ default: 2000 }) }, { materialize: true })

const log = obj(
  {
    level: str({ enum: logLevels, default: 'ERROR' }),
    format: str({ enum: ['common', 'json'], default: 'common' }),
    filePath: str({ path: true }),
    // Junction's log lines have no colours to remove.
    noColor: bool(),
    maxSize: int({ min: 0, ignored: 'log rotation is not supported yet' }),
    maxAge: int({ min: 0, ignored: 'log rotation is not supported yet' }),
    maxBackups: int({ min: 0, ignored: 'log rotation is not supported yet' }),
    compress: bool({ ignored: 'log rotation is not supported yet' }),
  },
  { materialize: true },
)

const names = obj({ defaultMode: str({ enum: ['keep', 'drop', 'redact'] }), names: map(str({ enum: ['keep', 'drop', 'redact'] })) })

const accessLog = obj(
  {
    filePath: str({ path: true }),
    format: str({ enum: ['common', 'genericCLF', 'json'], default: 'common' }),
    bufferingSize: int({ min: 0, default: 0 }),
    addInternals: bool(),
    filters: obj({ statusCodes: strings(), retryAttempts: bool(), minDuration: dur() }),
    fields: obj({ ...names.fields, headers: names }),
  },
  { ignored: 'the access log arrives with the observability work' },
)

const acme = obj({
  email: str(),
  caServer: str({ default: 'https://acme-v02.api.letsencrypt.org/directory' }),
  // The default is relative too: it lives next to the configuration.
  storage: str({ default: 'acme.json', path: true }),
  keyType: str({ enum: ['EC256', 'EC384', 'RSA2048', 'RSA4096', 'RSA8192'], default: 'RSA4096' }),
  certificatesDuration: int({ min: 1, default: 2160 }),
  preferredChain: str(),
  caCertificates: strings({ doc: "PEM files (or PEM text) of the CAs that sign the CA server's HTTPS certificate, trusted instead of Node's own roots" }),
  caSystemCertPool: bool({ doc: "with caCertificates, trust Node's own roots too" }),
  caServerName: str({ doc: "the name the CA server's HTTPS certificate is checked against" }),
  eab: obj({ kid: str(), hmacEncoded: str() }),
  httpChallenge: obj({ entryPoint: str(), delay: dur() }),
  tlsChallenge: obj({ delay: dur() }),
  dnsChallenge: obj({
    provider: str(),
    resolvers: strings({ doc: 'DNS servers (ip[:port]) the TXT record is looked up with before the CA is asked to check it' }),
    // Traefik v3.3 moved these two under `propagation`; both spellings are read.
    delayBeforeCheck: dur(),
    disablePropagationCheck: bool(),
    propagation: obj({
      delayBeforeChecks: dur(),
      disableChecks: bool(),
      disableANSChecks: bool({ doc: "Junction looks the record up with the resolvers only, never with the zone's authoritative servers" }),
      requireAllRNS: bool({ ignored: 'the record is looked up with the first resolver that answers, not with each of them' }),
    }),
  }),
})

/** The whole static configuration. */
export const staticSchema = obj({
  entryPoints: map(entryPoint),
  providers: providersBase,
  log,
  accessLog,
  api: obj({
    dashboard: bool({ default: true }),
    insecure: bool({ default: false }),
    debug: bool({ default: false }),
    basePath: str({ default: '/' }),
    disableDashboardAd: bool(),
  }, { ignored: 'the API and dashboard arrive with their own work' }),
  ping: obj(
    { entryPoint: str({ default: 'traefik' }), manualRouting: bool({ default: false }), terminatingStatusCode: int({ default: 503 }) },
    { ignored: 'ping arrives with the observability work' },
  ),
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
  }, { ignored: 'metrics arrive with the observability work' }),
  certificatesResolvers: map(obj({ acme })),
  serversTransport: obj(httpServersTransport.fields, { keepDurations: true }),
  tcpServersTransport: obj(tcpServersTransport.fields, { keepDurations: true, ignored: 'TCP services arrive with layer-4 routing' }),
  // Junction never calls home: it neither checks for new versions nor sends usage data.
  global: obj({ checkNewVersion: bool({ default: true }), sendAnonymousUsage: bool({ default: false, ignored: 'Junction sends no usage data' }) }),
  // Junction's own: Traefik has none, as Go spreads one process over every core.
  workers: str({ default: 'auto', doc: 'data-plane workers: auto (one per core) or a number from 1 to 1024' }),
  core: obj({ defaultRuleSyntax: str({ enum: ['v3', 'v2'], default: 'v3', doc: 'the rule syntax of routers that set no ruleSyntax' }) }, { materialize: true }),
})
