import type { OutgoingHttpHeaders } from 'node:http'
import type { CorsOptions, HeaderList } from './options.ts'

/** What a CORS preflight asks: the first value of each header, as Go's `Header.Get` reads it. */
export interface PreflightRequest {
  readonly origin: string
  readonly method: string
  readonly requestHeaders: string
}

/**
 * Traefik's CORS decisions (pkg/middlewares/headers/header.go), with
 * everything that does not depend on the request worked out once per
 * generation. Where Traefik's answer is odd, it is kept: browsers and
 * tests written against Traefik expect it (a `*` list answers `*` even
 * without an `Origin`; credentials turn `*` into the request's origin;
 * `Access-Control-Allow-Credentials` and `-Expose-Headers` go on every
 * response, matching origin or not).
 */
export class CorsPolicy {
  /** Origins listed before the first `*`: Traefik walks the list in order, so a later exact entry never wins over `*`. */
  readonly #exact: ReadonlySet<string>
  readonly #wildcard: boolean
  readonly #regexps: CorsOptions['allowOriginListRegex']
  readonly #credentials: boolean
  /** `*` among the allowed headers (methods) with credentials: the preflight echoes what the request asks. */
  readonly #echoHeaders: boolean
  readonly #echoMethod: boolean
  readonly #allowHeaders: string
  readonly #allowMethods: string
  readonly #maxAge: string | undefined
  readonly #expose: string | undefined
  /** Access-Control-Allow-Credentials and -Expose-Headers: the same on every answer. */
  readonly #always: HeaderList
  readonly #vary: boolean
  /** Whether some origin can match at all: only then does a response depend on the request's Origin. */
  readonly matchesOrigins: boolean

  constructor(options: CorsOptions) {
    const star = options.allowOriginList.indexOf('*')
    this.#exact = new Set(star === -1 ? options.allowOriginList : options.allowOriginList.slice(0, star))
    this.#wildcard = star !== -1
    this.#regexps = options.allowOriginListRegex
    this.#credentials = options.allowCredentials
    this.#echoHeaders = options.allowCredentials && options.allowHeaders.includes('*')
    this.#echoMethod = options.allowCredentials && options.allowMethods.includes('*')
    this.#allowHeaders = options.allowHeaders.join(',')
    this.#allowMethods = options.allowMethods.join(',')
    this.#maxAge = options.maxAge === undefined ? undefined : String(options.maxAge)
    // `*` means "any header" only without credentials (Fetch standard); Traefik then sends no list at all.
    const exposeAny = options.exposeHeaders.includes('*') && options.allowCredentials
    this.#expose = options.exposeHeaders.length > 0 && !exposeAny ? options.exposeHeaders.join(',') : undefined
    const always: Array<[string, string]> = []
    if (options.allowCredentials) always.push(['access-control-allow-credentials', 'true'])
    if (this.#expose !== undefined) always.push(['access-control-expose-headers', this.#expose])
    this.#always = always
    this.#vary = options.addVaryHeader
    this.matchesOrigins = options.allowOriginList.length > 0 || options.allowOriginListRegex.length > 0
  }

  /** Whether every response gets CORS headers whatever its request's origin. */
  get changesEveryResponse(): boolean {
    return this.#always.length > 0 || this.#vary
  }

  /**
   * The Access-Control-Allow-Origin value for a request's origin ('' when it
   * sent none), or undefined when the origin is not allowed. With
   * credentials, `*` answers the origin itself: browsers refuse a wildcard
   * on a credentialed request.
   */
  matchOrigin(origin: string): string | undefined {
    if (this.#exact.has(origin)) return origin
    if (this.#wildcard) return this.#credentials ? origin : '*'
    for (const regexp of this.#regexps) if (regexp.test(origin)) return origin
    return undefined
  }

  /**
   * The answer to a preflight, which never reaches the service: status 200,
   * no body, and these headers. A disallowed origin still gets the methods
   * and headers lists, without Access-Control-Allow-Origin, so the browser
   * refuses the request.
   */
  preflight(request: PreflightRequest): Record<string, string> {
    const out: Record<string, string> = {}
    if (this.#credentials) out['access-control-allow-credentials'] = 'true'
    if (this.#echoHeaders) {
      if (request.requestHeaders !== '') out['access-control-allow-headers'] = request.requestHeaders
    } else if (this.#allowHeaders !== '') out['access-control-allow-headers'] = this.#allowHeaders
    if (this.#echoMethod) out['access-control-allow-methods'] = request.method
    else if (this.#allowMethods !== '') out['access-control-allow-methods'] = this.#allowMethods
    const allowed = this.matchOrigin(request.origin)
    if (allowed !== undefined) out['access-control-allow-origin'] = allowed
    if (this.#maxAge !== undefined) out['access-control-max-age'] = this.#maxAge
    if (this.#expose !== undefined) out['access-control-expose-headers'] = this.#expose
    out['content-length'] = '0'
    return out
  }

  /** Sets the CORS headers of a response whose request's origin matched as `allowed` (undefined: it did not). */
  applyToResponse(headers: OutgoingHttpHeaders, allowed: string | undefined): void {
    if (allowed !== undefined) headers['access-control-allow-origin'] = allowed
    for (const [name, value] of this.#always) headers[name] = value
    if (!this.#vary) return
    // Go's Header.Get reads the first Vary value and Set replaces them all.
    const vary = headers['vary']
    const first = Array.isArray(vary) ? vary[0] : vary
    if (first === 'Origin') return
    headers['vary'] = first === undefined || first === '' ? 'Origin' : `${first},Origin`
  }
}
