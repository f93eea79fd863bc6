import type { IncomingHttpHeaders } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { RequestContext } from '../../src/plugin.ts'
import type { HeaderList, SecurityOptions } from './options.ts'

/** unrolled/secure's CSP placeholder: each response gets a fresh nonce in its place. */
const noncePlaceholder = '$NONCE'

/**
 * The security headers of a response, as unrolled/secure v1.0.9 (the
 * version Traefik v3 builds with) sets them: STS and HPKP only on HTTPS
 * (RFC 6797 §7.2: a browser ignores STS received over HTTP) unless
 * `forceSTSHeader`, and neither with `isDevelopment`; a custom frame or XSS
 * value wins over its flag. A CSP holding `$NONCE` keeps the placeholder
 * here (see {@link withNonce}).
 *
 * @example
 * securityHeaders({ ...options, stsSeconds: 31536000, stsPreload: true }, true)
 * // [['strict-transport-security', 'max-age=31536000; preload']]
 */
export function securityHeaders(options: SecurityOptions, https: boolean): HeaderList {
  const out: Array<[string, string]> = []
  if (options.stsSeconds !== 0 && (https || options.forceSTSHeader) && !options.isDevelopment) {
    const subdomains = options.stsIncludeSubdomains ? '; includeSubDomains' : ''
    out.push(['strict-transport-security', `max-age=${options.stsSeconds}${subdomains}${options.stsPreload ? '; preload' : ''}`])
  }
  if (options.customFrameOptionsValue !== '') out.push(['x-frame-options', options.customFrameOptionsValue])
  else if (options.frameDeny) out.push(['x-frame-options', 'DENY'])
  if (options.contentTypeNosniff) out.push(['x-content-type-options', 'nosniff'])
  if (options.customBrowserXSSValue !== '') out.push(['x-xss-protection', options.customBrowserXSSValue])
  else if (options.browserXssFilter) out.push(['x-xss-protection', '1; mode=block'])
  if (options.publicKey !== '' && https && !options.isDevelopment) out.push(['public-key-pins', options.publicKey])
  if (options.contentSecurityPolicy !== '') out.push(['content-security-policy', options.contentSecurityPolicy])
  if (options.contentSecurityPolicyReportOnly !== '') out.push(['content-security-policy-report-only', options.contentSecurityPolicyReportOnly])
  if (options.referrerPolicy !== '') out.push(['referrer-policy', options.referrerPolicy])
  if (options.permissionsPolicy !== '') out.push(['permissions-policy', options.permissionsPolicy])
  return out
}

/**
 * The headers with `$NONCE` replaced by `'nonce-<16 random bytes, base64
 * without padding>'`, one nonce per response, as unrolled/secure does.
 * Traefik keeps the nonce to itself, so the service cannot use it: such a
 * policy in effect forbids inline scripts.
 */
export function withNonce(headers: HeaderList, nonce = randomBytes(16).toString('base64').replace(/=+$/, '')): HeaderList {
  return headers.map(([name, value]) => [name, value.replaceAll(noncePlaceholder, `'nonce-${nonce}'`)] as const)
}

/**
 * The request side of unrolled/secure: which host a request is for, whether
 * that host is allowed, whether it counts as HTTPS. Proxy headers
 * (`hostsProxyHeaders`, `sslProxyHeaders`) are believed from clients in
 * `forwardedHeaders.trustedIPs` only, or when this middleware's own
 * `customRequestHeaders` set them: Traefik believes them from anyone, so a
 * client could claim an allowed host or HTTPS.
 */
export class SecurityPolicy {
  /** Lower-cased allowed hosts; undefined when every host is (none listed, or `isDevelopment`). */
  readonly #allowedHosts: ReadonlySet<string> | undefined
  readonly #hostHeaders: readonly string[]
  /** The host the configuration itself puts in the first proxy header it sets, for untrusted clients. */
  readonly #configuredHost: string | undefined
  readonly #sslHeaders: HeaderList
  /** This middleware's customRequestHeaders set an sslProxyHeaders value: every request counts as HTTPS. */
  readonly #sslByConfiguration: boolean
  readonly #headers: { readonly http: HeaderList; readonly https: HeaderList }
  /** Whether the response headers differ between HTTP and HTTPS: only then is the scheme worked out per request. */
  readonly dependsOnScheme: boolean
  readonly usesNonce: boolean

  constructor(options: SecurityOptions, requestHeaders: HeaderList) {
    const configured = new Map(requestHeaders)
    this.#allowedHosts = options.allowedHosts.length > 0 && !options.isDevelopment ? new Set(options.allowedHosts.map((host) => host.toLowerCase())) : undefined
    this.#hostHeaders = options.hostsProxyHeaders
    this.#configuredHost = options.hostsProxyHeaders.map((name) => configured.get(name)).find((value) => value !== undefined && value !== '')
    this.#sslHeaders = options.sslProxyHeaders
    this.#sslByConfiguration = options.sslProxyHeaders.some(([name, value]) => configured.get(name) === value)
    this.#headers = { http: securityHeaders(options, false), https: securityHeaders(options, true) }
    this.dependsOnScheme = JSON.stringify(this.#headers.http) !== JSON.stringify(this.#headers.https)
    this.usesNonce = this.#headers.https.some(([, value]) => value.includes(noncePlaceholder))
  }

  /** The response headers for a request over HTTP or HTTPS, `$NONCE` not yet replaced. */
  headers(https: boolean): HeaderList {
    return https ? this.#headers.https : this.#headers.http
  }

  /**
   * Whether the request's host is allowed: compared case-insensitively with
   * the port, as Go's `Request.Host` holds it (`a.test:8080` is not
   * `a.test`), as unrolled/secure compares.
   */
  allows(headers: IncomingHttpHeaders, ctx: RequestContext): boolean {
    if (this.#allowedHosts === undefined) return true
    return this.#allowedHosts.has(this.hostOf(headers, ctx).toLowerCase())
  }

  /** The host the request is for: the first non-empty proxy header that counts, else the Host header. */
  hostOf(headers: IncomingHttpHeaders, ctx: RequestContext): string {
    if (!ctx.connection.trusted) return this.#configuredHost ?? headers.host ?? ''
    for (const name of this.#hostHeaders) {
      const value = first(headers[name])
      if (value !== undefined && value !== '') return value
    }
    return headers.host ?? ''
  }

  /** Whether the request came over HTTPS: a TLS connection, or a proxy header that counts saying so. */
  isHttps(headers: IncomingHttpHeaders, ctx: RequestContext): boolean {
    if (ctx.connection.secure || this.#sslByConfiguration) return true
    if (!ctx.connection.trusted) return false
    for (const [name, value] of this.#sslHeaders) if (first(headers[name]) === value) return true
    return false
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
