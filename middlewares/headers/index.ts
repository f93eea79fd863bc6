import type { IncomingMessage, ServerResponse } from 'node:http'
import { answered, httpMiddlewareTypes, onResponseHead, type Middleware, type MiddlewareEntry, type RequestContext, type ResponseInterceptor } from '../../src/plugin.ts'
import { CorsPolicy } from './cors.ts'
import { parseHeadersOptions, type HeaderList, type HeadersOptions } from './options.ts'
import { SecurityPolicy, withNonce } from './security.ts'

/** unrolled/secure's answer to a host not in `allowedHosts` (Go's `http.Error(w, "Bad Host", 500)`). */
const badHost = 'Bad Host\n'

/**
 * Traefik's `headers` middleware: custom request and response headers (an
 * empty value removes one), CORS (preflights answered here, never reaching
 * the service), security headers, and `allowedHosts`. It runs in Traefik's
 * order: preflight, custom request headers, host check, then the service;
 * on the way back the security headers, then the custom response headers
 * (which may override or remove them), then CORS.
 *
 * Response headers go through the response seam, so they land on whatever
 * answers behind this middleware: the server, another middleware, or the
 * error responder's 502. Everything that does not depend on the request is
 * worked out once per generation; a middleware that only changes request
 * headers registers no interceptor.
 *
 * The entry point sets the forwarded headers before any middleware runs, so
 * a request header here replaces Junction's and an empty one removes it for
 * good; `X-Forwarded-For: ""` also stops the forwarder from adding the
 * client address, as in Traefik.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     secured:
 *       headers:
 *         customResponseHeaders:
 *           X-Served-By: junction
 *         accessControlAllowMethods: [GET, PUT]
 *         accessControlAllowOriginList: [https://app.example.com]
 *         stsSeconds: 31536000
 *         frameDeny: true
 * ```
 */
export function headers(options: HeadersOptions): Middleware {
  const cors = options.cors === undefined ? undefined : new CorsPolicy(options.cors)
  const security = options.security === undefined ? undefined : new SecurityPolicy(options.security, options.request)
  const respond = responsePlan(options.response, cors, security)
  const request = options.request
  return (next) => (req, res, ctx) => {
    if (cors !== undefined && req.method === 'OPTIONS') {
      const preflight = preflightOf(req)
      if (preflight !== undefined) {
        res.writeHead(200, cors.preflight(preflight)).end()
        return Promise.resolve(answered(res, ctx))
      }
    }
    for (const [name, value] of request) setRequestHeader(req, name, value)
    const allowed = cors !== undefined && cors.matchesOrigins ? cors.matchOrigin(originOf(req)) : undefined
    if (security !== undefined && !security.allows(req.headers, ctx)) return refuseHost(res, ctx, respond(false, allowed, false))
    const https = security !== undefined && security.dependsOnScheme && security.isHttps(req.headers, ctx)
    const interceptor = respond(https, allowed, true)
    if (interceptor !== undefined) ctx.response.intercept(interceptor)
    return next(req, res, ctx)
  }
}

/**
 * Picks the response interceptor for a request: HTTPS or not, the
 * origin's Access-Control-Allow-Origin (undefined: none), and whether the
 * security headers apply (not on the host refusal, which Traefik writes
 * before its security layer). The common cases are built once; a matching
 * origin or a CSP nonce costs one closure per request. Undefined: nothing
 * to change.
 */
function responsePlan(
  custom: HeaderList,
  cors: CorsPolicy | undefined,
  security: SecurityPolicy | undefined,
): (https: boolean, allowed: string | undefined, secured: boolean) => ResponseInterceptor | undefined {
  const changes = (securityHeaders: HeaderList, allowed: string | undefined): ResponseInterceptor | undefined => {
    if (securityHeaders.length === 0 && custom.length === 0 && allowed === undefined && cors?.changesEveryResponse !== true) return undefined
    return onResponseHead(({ headers }) => {
      for (const [name, value] of securityHeaders) headers[name] = value
      for (const [name, value] of custom) {
        if (value === '') delete headers[name]
        else headers[name] = value
      }
      cors?.applyToResponse(headers, allowed)
    })
  }
  const nonce = security?.usesNonce === true
  const built = {
    http: changes(security?.headers(false) ?? [], undefined),
    https: changes(security?.headers(true) ?? [], undefined),
    unsecured: changes([], undefined),
  }
  return (https, allowed, secured) => {
    if (!secured) return allowed === undefined ? built.unsecured : changes([], allowed)
    if (allowed === undefined && !nonce) return https ? built.https : built.http
    const securityHeaders = security?.headers(https) ?? []
    return changes(nonce ? withNonce(securityHeaders) : securityHeaders, allowed)
  }
}

function setRequestHeader(req: IncomingMessage, name: string, value: string): void {
  if (value !== '') req.headers[name] = value
  // The name stays, with no value: the forwarder then appends no client address (Traefik's nil X-Forwarded-For).
  else if (name === 'x-forwarded-for') req.headers[name] = undefined
  else delete req.headers[name]
}

/**
 * A CORS preflight (an OPTIONS request with Origin and
 * Access-Control-Request-Method) as Go's `Header.Get` reads it: the first
 * value of each header, where Node joins repeated ones.
 */
function preflightOf(req: IncomingMessage): { origin: string; method: string; requestHeaders: string } | undefined {
  if (!req.headers.origin || !req.headers['access-control-request-method']) return undefined
  const distinct = req.headersDistinct
  const origin = distinct['origin']?.[0] ?? ''
  const method = distinct['access-control-request-method']?.[0] ?? ''
  if (origin === '' || method === '') return undefined
  return { origin, method, requestHeaders: distinct['access-control-request-headers']?.[0] ?? '' }
}

/** The request's Origin, '' when it sent none; the first of several (an origin never holds a comma, so a comma means Node joined two). */
function originOf(req: IncomingMessage): string {
  const origin = req.headers.origin
  if (origin === undefined) return ''
  return origin.includes(',') ? (req.headersDistinct['origin']?.[0] ?? '') : origin
}

function refuseHost(res: ServerResponse, ctx: RequestContext, interceptor: ResponseInterceptor | undefined) {
  if (interceptor !== undefined) ctx.response.intercept(interceptor)
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(badHost) })
  res.end(badHost)
  return Promise.resolve(answered(res, ctx, Buffer.byteLength(badHost)))
}

export const headersEntry: MiddlewareEntry = {
  type: 'headers',
  schema: httpMiddlewareTypes.headers,
  create: (options, { name }) => headers(parseHeadersOptions(options, name)),
}
