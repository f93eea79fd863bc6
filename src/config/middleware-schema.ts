import { bool, dur, int, map, obj, oneOf, raw, str, strings } from './schema.ts'

/**
 * Traefik v3's HTTP and TCP middleware types with their options, key for key
 * (pkg/config/dynamic/middlewares.go and tcp_middlewares.go, v3.7). This
 * schema is the source of truth for middleware options, and of their types
 * (`dynamic.ts`). Deprecated Traefik options are accepted so existing files
 * keep loading; the middleware factory decides what it honours.
 */

const ipStrategy = obj({
  depth: int({ min: 0 }),
  excludedIPs: strings(),
  ipv6Subnet: int({ min: 0, max: 128 }),
})

const sourceCriterion = obj({
  ipStrategy,
  requestHeaderName: str(),
  requestHost: bool(),
})

/** Traefik's `types.ClientTLS` (Redis): CA, cert and key are file paths or PEM contents. */
const clientTls = obj({ ca: str(), cert: str(), key: str(), insecureSkipVerify: bool() })

/** The forward-auth middleware's own `ClientTLS`, which still reads the deprecated `caOptional`. */
const forwardAuthTls = obj({ ...clientTls.fields, caOptional: bool({ doc: 'deprecated in Traefik v3' }) })

const issuerInfo = {
  country: bool(),
  province: bool(),
  locality: bool(),
  organization: bool(),
  commonName: bool(),
  serialNumber: bool(),
  domainComponent: bool(),
}

const auth = {
  users: strings(),
  usersFile: str(),
  realm: str(),
  removeHeader: bool(),
  headerField: str(),
}

const headers = obj({
  customRequestHeaders: map(str()),
  customResponseHeaders: map(str()),
  accessControlAllowCredentials: bool(),
  accessControlAllowHeaders: strings(),
  accessControlAllowMethods: strings(),
  accessControlAllowOriginList: strings(),
  accessControlAllowOriginListRegex: strings(),
  accessControlExposeHeaders: strings(),
  accessControlMaxAge: int(),
  addVaryHeader: bool(),
  allowedHosts: strings(),
  hostsProxyHeaders: strings(),
  sslProxyHeaders: map(str()),
  stsSeconds: int({ min: 0 }),
  stsIncludeSubdomains: bool(),
  stsPreload: bool(),
  forceSTSHeader: bool(),
  frameDeny: bool(),
  customFrameOptionsValue: str(),
  contentTypeNosniff: bool(),
  browserXssFilter: bool(),
  customBrowserXSSValue: str(),
  contentSecurityPolicy: str(),
  contentSecurityPolicyReportOnly: str(),
  publicKey: str(),
  referrerPolicy: str(),
  permissionsPolicy: str(),
  isDevelopment: bool(),
  // Removed in Traefik v3, which still decodes and then ignores them: they decode here too, and the
  // headers middleware refuses them (set to anything but their default) naming what replaces each.
  featurePolicy: str(),
  sslRedirect: bool(),
  sslTemporaryRedirect: bool(),
  sslHost: str(),
  sslForceHost: bool(),
})

const forwardAuth = obj({
  address: str(),
  tls: forwardAuthTls,
  trustForwardHeader: bool(),
  authResponseHeaders: strings(),
  authResponseHeadersRegex: str(),
  authRequestHeaders: strings(),
  addAuthCookiesToResponse: strings(),
  headerField: str(),
  forwardBody: bool(),
  maxBodySize: int(),
  maxResponseBodySize: int(),
  preserveLocationHeader: bool(),
  preserveRequestMethod: bool(),
  authSigninURL: str(),
})

const rateLimit = obj({
  average: int({ min: 0 }),
  period: dur(),
  burst: int({ min: 0 }),
  sourceCriterion,
  redis: obj({
    endpoints: strings(),
    tls: clientTls,
    username: str(),
    password: str(),
    db: int({ min: 0 }),
    poolSize: int({ min: 0 }),
    minIdleConns: int({ min: 0 }),
    maxActiveConns: int({ min: 0 }),
    readTimeout: dur(),
    writeTimeout: dur(),
    dialTimeout: dur(),
  }),
})

/** Every HTTP middleware type, each with its options. */
export const httpMiddlewareTypes = {
  addPrefix: obj({ prefix: str() }),
  basicAuth: obj(auth),
  buffering: obj({
    maxRequestBodyBytes: int({ min: 0 }),
    memRequestBodyBytes: int({ min: 0 }),
    maxResponseBodyBytes: int({ min: 0 }),
    memResponseBodyBytes: int({ min: 0 }),
    retryExpression: str(),
  }),
  chain: obj({ middlewares: strings() }),
  circuitBreaker: obj({
    expression: str(),
    checkPeriod: dur(),
    fallbackDuration: dur(),
    recoveryDuration: dur(),
    responseCode: int({ min: 100, max: 599 }),
  }),
  compress: obj({
    excludedContentTypes: strings(),
    includedContentTypes: strings(),
    minResponseBodyBytes: int({ min: 0 }),
    encodings: strings(),
    defaultEncoding: str(),
  }),
  contentType: obj({ autoDetect: bool({ doc: 'deprecated in Traefik v3' }) }),
  digestAuth: obj(auth),
  encodedCharacters: obj({
    allowEncodedSlash: bool(),
    allowEncodedBackSlash: bool(),
    allowEncodedNullCharacter: bool(),
    allowEncodedSemicolon: bool(),
    allowEncodedPercent: bool(),
    allowEncodedQuestionMark: bool(),
    allowEncodedHash: bool(),
  }),
  errors: obj({
    status: strings(),
    statusRewrites: map(int({ min: 100, max: 599 })),
    service: str(),
    query: str(),
    // Unset forwards every request header; an empty list forwards none (Traefik v3.6).
    errorRequestHeaders: strings({ doc: 'request headers forwarded to the error page service; [] forwards none' }),
  }),
  forwardAuth,
  grpcWeb: obj({ allowOrigins: strings() }),
  headers,
  ipAllowList: obj({ sourceRange: strings(), ipStrategy, rejectStatusCode: int({ min: 100, max: 599 }) }),
  ipWhiteList: obj({ sourceRange: strings(), ipStrategy }, { doc: 'deprecated in Traefik v3: use ipAllowList' }),
  inFlightReq: obj({ amount: int({ min: 0 }), sourceCriterion }),
  /** Traefik plugins by name, each with options only the plugin knows; Junction runs none yet. */
  plugin: map(raw()),
  passTLSClientCert: obj({
    pem: bool(),
    info: obj({
      notAfter: bool(),
      notBefore: bool(),
      sans: bool(),
      serialNumber: bool(),
      subject: obj({ ...issuerInfo, organizationalUnit: bool() }),
      issuer: obj(issuerInfo),
    }),
  }),
  rateLimit,
  redirectRegex: obj({ regex: str(), replacement: str(), permanent: bool() }),
  redirectScheme: obj({ scheme: str(), port: str(), permanent: bool() }),
  replacePath: obj({ path: str() }),
  replacePathRegex: obj({ regex: str(), replacement: str() }),
  retry: obj({
    attempts: int({ min: 0 }),
    initialInterval: dur(),
    timeout: dur(),
    maxRequestBodyBytes: int(),
    status: strings(),
    disableRetryOnNetworkError: bool(),
    retryNonIdempotentMethod: bool(),
  }),
  stripPrefix: obj({ prefixes: strings(), forceSlash: bool({ doc: 'deprecated in Traefik v3' }) }),
  stripPrefixRegex: obj({ regex: strings() }),
} as const

/** An HTTP middleware: exactly one type with its options. */
export const httpMiddleware = oneOf('middleware', httpMiddlewareTypes)

/** Every TCP middleware type, each with its options. */
export const tcpMiddlewareTypes = {
  inFlightConn: obj({ amount: int({ min: 0 }) }),
  ipAllowList: obj({ sourceRange: strings() }),
  ipWhiteList: obj({ sourceRange: strings() }, { doc: 'deprecated in Traefik v3: use ipAllowList' }),
} as const

/** A TCP middleware: exactly one type with its options. */
export const tcpMiddleware = oneOf('middleware', tcpMiddlewareTypes)
