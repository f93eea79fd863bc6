import {
  answered,
  httpMiddlewareTypes,
  JunctionError,
  requestUri,
  respondError,
  sendRedirect,
  splitHost,
  type Middleware,
  type MiddlewareEntry,
} from '../../src/plugin.ts'

export interface RedirectSchemeOptions {
  /** Lower-cased: RFC 3986 §3.1 schemes are case-insensitive, and an upper-case one would never equal the request's and redirect forever. */
  readonly scheme: string
  /** `:port`, or '' when the option is unset or names the scheme's default port. */
  readonly portSuffix: string
  readonly permanent: boolean
}

const uriScheme = /^[a-z][a-z0-9+.-]*$/

/** Validates `redirectScheme` options: a scheme (`https`, `wss`...), a port from 1 to 65535 written as a string, `permanent`. */
export function parseRedirectSchemeOptions(options: Record<string, unknown>, name: string): RedirectSchemeOptions {
  const { scheme, port = '', permanent = false } = options
  if (typeof scheme !== 'string' || !uriScheme.test(scheme.toLowerCase())) throw invalid(name, `scheme ${JSON.stringify(scheme)} must be a URI scheme such as "https"`)
  const text = typeof port === 'number' ? String(port) : port
  if (typeof text !== 'string' || (text !== '' && !(/^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535))) {
    throw invalid(name, `port ${JSON.stringify(port)} must be a port number from 1 to 65535`)
  }
  if (typeof permanent !== 'boolean') throw invalid(name, 'permanent must be a boolean')
  const lower = scheme.toLowerCase()
  return { scheme: lower, portSuffix: text === '' || isDefaultPort(lower, `:${text}`) ? '' : `:${text}`, permanent }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: redirectScheme: ${message}`)
}

function isDefaultPort(scheme: string, port: string): boolean {
  return (scheme === 'http' && port === ':80') || (scheme === 'https' && port === ':443')
}

/** A host name or IP literal, as Traefik's redirect reads the host (`[\w._-]+` or a bracketed IPv6 address). */
const hostName = /^(?:\[[\w:.]+\]|[\w.-]+)$/
const digits = /^[0-9]+$/

/**
 * Sends the client to the same host and request target with another scheme
 * and port, as Traefik does: the request's scheme is `https` on TLS, or
 * what `X-Forwarded-Proto` says (`ws`/`wss` read as `http`/`https`; the
 * entry point only keeps a value a trusted proxy sent); its port is the
 * Host header's. When the target URL is the request's own (already on the
 * scheme and port), the request goes on to the service. No `port` means
 * the scheme's default port.
 *
 * The redirect keeps the request's host: the one routing matched, read
 * from the Host header (or an absolute-form target), never from
 * `X-Forwarded-Host`. A host that is not a plain name or IP literal, or a
 * missing one, is answered 400 rather than copied into `Location`.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     to-https:
 *       redirectScheme:
 *         scheme: https
 *         permanent: true
 * ```
 * `GET http://example.com:8080/a?b` is answered `301 Location: https://example.com/a?b`.
 */
export function redirectScheme({ scheme, portSuffix, permanent }: RedirectSchemeOptions): Middleware {
  return (next) => (req, res, ctx) => {
    const { name: host, port } = splitHost(req.headers.host ?? '')
    if (!hostName.test(host) || (port !== '' && !digits.test(port))) {
      respondError(res, 'JCT_ERR_BAD_REQUEST')
      return Promise.resolve(answered(res, ctx))
    }
    const current = requestScheme(ctx.connection.secure, req.headers['x-forwarded-proto'])
    const currentPort = port === '' || isDefaultPort(current, `:${port}`) ? '' : `:${port}`
    const uri = requestUri(req.url)
    if (current === scheme && currentPort === portSuffix) return next(req, res, ctx)
    return sendRedirect(req, res, ctx, `${scheme}://${host}${portSuffix}${uri}`, permanent)
  }
}

function requestScheme(secure: boolean, forwardedProto: string | string[] | undefined): string {
  const proto = typeof forwardedProto === 'string' ? forwardedProto.toLowerCase() : ''
  if (proto === 'http' || proto === 'ws') return 'http'
  if (proto === 'https' || proto === 'wss') return 'https'
  return secure ? 'https' : 'http'
}

export const redirectSchemeEntry: MiddlewareEntry = {
  type: 'redirectScheme',
  schema: httpMiddlewareTypes.redirectScheme,
  create: (options, { name }) => redirectScheme(parseRedirectSchemeOptions(options, name)),
}
