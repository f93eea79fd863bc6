import {
  answered,
  appendHeader,
  checkRewrittenPath,
  compileRegexp,
  escapedPrefixLength,
  httpMiddlewareTypes,
  isPrintableAscii,
  JunctionError,
  respondError,
  routingPath,
  splitUrl,
  type Middleware,
  type MiddlewareEntry,
  type RememberingRegexp,
} from '../../src/plugin.ts'

export interface StripPrefixRegexOptions {
  readonly regex: readonly RememberingRegexp[]
}

/**
 * Validates `stripPrefixRegex` options: a non-empty list of regular
 * expressions in Go's syntax (trimmed, as Traefik trims them), compiled for
 * the linear-time engine rules use.
 */
export function parseStripPrefixRegexOptions(options: Record<string, unknown>, name: string): StripPrefixRegexOptions {
  const list = options['regex']
  if (!Array.isArray(list) || list.length === 0) throw invalid(name, 'regex must be a non-empty list')
  return {
    regex: list.map((pattern: unknown) => {
      if (typeof pattern !== 'string' || pattern.trim() === '') throw invalid(name, `regex ${JSON.stringify(pattern)} must be a non-empty string`)
      try {
        return compileRegexp(pattern.trim())
      } catch (error) {
        throw invalid(name, `regex ${JSON.stringify(pattern)}: ${(error as Error).message}`)
      }
    }),
  }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: stripPrefixRegex: ${message}`)
}

/**
 * Strips the path's beginning that the first matching expression matches,
 * and tells the server what it was through `X-Forwarded-Prefix`. As in
 * Traefik, the leftmost match is taken, and used only when it is where the
 * path starts. Expressions see the path as `PathRegexp` rules do, its
 * non-reserved characters decoded (`%20` is a space, `%2F` stays encoded);
 * the header carries the match as it was seen, or as the request wrote it
 * when the decoded text is not printable ASCII. What is left keeps its
 * leading slash; a left-over path with a `.` or `..` segment is refused with
 * 400 (see {@link checkRewrittenPath}).
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     strip-tenant:
 *       stripPrefixRegex:
 *         regex: ["/foo/[a-z0-9]+/[0-9]+/"]
 * ```
 * `GET /foo/abc/123/bar` reaches the server as `GET /bar` with `X-Forwarded-Prefix: /foo/abc/123/`.
 */
export function stripPrefixRegex({ regex }: StripPrefixRegexOptions): Middleware {
  return (next) => (req, res, ctx) => {
    const { path, query } = splitUrl(req.url)
    const seen = routingPath(path)
    for (const expression of regex) {
      if (!expression.test(seen)) continue
      const matcher = expression.engine.matcher(seen)
      if (!matcher.find()) continue
      const prefix = seen.slice(matcher.start(), matcher.end())
      if (prefix === '' || !seen.startsWith(prefix)) continue
      const cut = escapedPrefixLength(path, prefix.length)
      if (cut < 0) continue
      const rest = path.slice(cut)
      const stripped = checkRewrittenPath(rest === '' || rest.startsWith('/') ? rest : `/${rest}`, 'refuse')
      if (stripped === null) {
        respondError(res, 'JCT_ERR_BAD_REQUEST')
        return Promise.resolve(answered(res, ctx))
      }
      appendHeader(req.headers, 'x-forwarded-prefix', isPrintableAscii(prefix) ? prefix : path.slice(0, cut))
      req.url = stripped + query
      break
    }
    return next(req, res, ctx)
  }
}

export const stripPrefixRegexEntry: MiddlewareEntry = {
  type: 'stripPrefixRegex',
  schema: httpMiddlewareTypes.stripPrefixRegex,
  create: (options, { name }) => stripPrefixRegex(parseStripPrefixRegexOptions(options, name)),
}
