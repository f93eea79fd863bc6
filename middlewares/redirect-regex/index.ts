import {
  answered,
  compileRegexp,
  GoReplacement,
  httpMiddlewareTypes,
  isHeaderValue,
  JunctionError,
  requestUri,
  respondError,
  sendRedirect,
  type Middleware,
  type MiddlewareEntry,
  type RememberingRegexp,
} from '../../src/plugin.ts'

export interface RedirectRegexOptions {
  readonly regex: RememberingRegexp
  readonly replacement: GoReplacement
  readonly permanent: boolean
}

/**
 * Validates `redirectRegex` options: `regex` in Go's syntax, compiled for
 * the linear-time engine rules use; `replacement` in Go's `Regexp.Expand`
 * syntax (`$1`, `${1}`, `${name}`, `$$`; `$1x` names the group `1x`),
 * required (an empty `Location` would send the client back where it was,
 * forever) and free of control characters; `permanent`.
 */
export function parseRedirectRegexOptions(options: Record<string, unknown>, name: string): RedirectRegexOptions {
  const { regex, replacement, permanent = false } = options
  if (typeof regex !== 'string' || regex === '') throw invalid(name, 'regex must be a non-empty string')
  if (typeof replacement !== 'string' || replacement === '') throw invalid(name, 'replacement must be a non-empty string')
  if (!isHeaderValue(replacement) || replacement.includes('\t')) throw invalid(name, 'replacement must not hold control characters')
  if (typeof permanent !== 'boolean') throw invalid(name, 'permanent must be a boolean')
  let compiled: RememberingRegexp
  try {
    compiled = compileRegexp(regex)
  } catch (error) {
    throw invalid(name, `regex ${JSON.stringify(regex)}: ${(error as Error).message}`)
  }
  return { regex: compiled, replacement: new GoReplacement(replacement, compiled.engine), permanent }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: redirectRegex: ${message}`)
}

/**
 * Redirects when a regular expression matches the request URL, to what
 * Go's `ReplaceAllString` makes of it, as Traefik does. The URL is
 * `http://` (`https://` on TLS) followed by the Host header and the
 * normalised request target: `http://example.com:8080/a/b?c=d`. When the
 * replacement gives the URL back unchanged, the request goes on to the
 * service; a result that is not a URL is answered 502, as in Traefik.
 *
 * A redirect never sends the client to a host the configuration did not
 * name: the scheme and host of `Location`, as a browser reads them
 * (backslashes, `@`, `//` included), must come out the same when every
 * piece of the result taken from the request's path or query is left out.
 * So they are built only from the replacement's own text and the request's
 * scheme and host (`^https?://www\.(.+)` → `https://${1}` strips `www.`);
 * a capture from the path can fill in the path, the query or the port but
 * never the host (`/go/(.*)` → `https://${1}` is answered 400, not sent to
 * whatever host the client put in its path).
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     to-mydomain:
 *       redirectRegex:
 *         regex: "^http://localhost/(.*)"
 *         replacement: "http://mydomain/${1}"
 * ```
 * `GET http://localhost/a?b` is answered `302 Location: http://mydomain/a?b`.
 */
export function redirectRegex({ regex, replacement, permanent }: RedirectRegexOptions): Middleware {
  return (next) => (req, res, ctx) => {
    const authority = `${ctx.connection.secure ? 'https' : 'http'}://${req.headers.host ?? ''}`
    const current = authority + requestUri(req.url)
    if (!regex.test(current)) return next(req, res, ctx)
    const location = replacement.replaceAll(regex.engine, current)
    if (location === current) return next(req, res, ctx)
    const target = URL.parse(location, current)
    if (target === null) {
      respondError(res, 'JCT_ERR_BAD_GATEWAY')
      return Promise.resolve(answered(res, ctx))
    }
    const named = URL.parse(replacement.replaceAll(regex.engine, current, { from: 0, to: authority.length }), current)
    if (named === null || named.protocol !== target.protocol || named.hostname !== target.hostname || !isHeaderValue(location)) {
      respondError(res, 'JCT_ERR_BAD_REQUEST')
      return Promise.resolve(answered(res, ctx))
    }
    return sendRedirect(req, res, ctx, location, permanent)
  }
}

export const redirectRegexEntry: MiddlewareEntry = {
  type: 'redirectRegex',
  schema: httpMiddlewareTypes.redirectRegex,
  create: (options, { name }) => redirectRegex(parseRedirectRegexOptions(options, name)),
}
