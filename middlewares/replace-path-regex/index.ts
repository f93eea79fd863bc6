import {
  answered,
  appendHeader,
  checkRewrittenPath,
  compileRegexp,
  GoReplacement,
  httpMiddlewareTypes,
  JunctionError,
  respondError,
  splitUrl,
  type Middleware,
  type MiddlewareEntry,
  type RememberingRegexp,
} from '../../src/plugin.ts'

export interface ReplacePathRegexOptions {
  readonly regex: RememberingRegexp
  readonly replacement: GoReplacement
}

/**
 * Validates `replacePathRegex` options: `regex` in Go's syntax, compiled
 * for the linear-time engine rules use; `replacement` in Go's
 * `Regexp.Expand` syntax (`$1`, `${1}`, `${name}`, `$$`; `$1x` names the
 * group `1x`), empty when left out. Both are trimmed, as Traefik trims them.
 */
export function parseReplacePathRegexOptions(options: Record<string, unknown>, name: string): ReplacePathRegexOptions {
  const { regex, replacement = '' } = options
  if (typeof regex !== 'string' || regex.trim() === '') throw invalid(name, 'regex must be a non-empty string')
  if (typeof replacement !== 'string') throw invalid(name, 'replacement must be a string')
  let compiled: RememberingRegexp
  try {
    compiled = compileRegexp(regex.trim())
  } catch (error) {
    throw invalid(name, `regex ${JSON.stringify(regex)}: ${(error as Error).message}`)
  }
  return { regex: compiled, replacement: new GoReplacement(replacement.trim(), compiled.engine) }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: replacePathRegex: ${message}`)
}

/**
 * Rewrites the path with a regular expression, as Traefik does: matched
 * against the path as the request wrote it (percent-encoded), every match
 * replaced (Go's `ReplaceAllString`), query kept, the old path sent in
 * `X-Replaced-Path`. A path that does not match is left alone. A result
 * without a leading slash gets one (Traefik would send it as it is, which
 * no server accepts). A result with a `.` or `..` segment, an empty
 * segment (`//`) or a malformed encoding is refused with 400 (Traefik
 * refuses the first two alike, and answers 500 to the last): see
 * {@link checkRewrittenPath}.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     foo-to-bar:
 *       replacePathRegex:
 *         regex: "^/foo/(.*)"
 *         replacement: "/bar/$1"
 * ```
 * `GET /foo/baz?x=1` reaches the server as `GET /bar/baz?x=1` with `X-Replaced-Path: /foo/baz`.
 */
export function replacePathRegex({ regex, replacement }: ReplacePathRegexOptions): Middleware {
  return (next) => (req, res, ctx) => {
    const { path, query } = splitUrl(req.url)
    if (!regex.test(path)) return next(req, res, ctx)
    const replaced = replacement.replaceAll(regex.engine, path)
    const rewritten = checkRewrittenPath(replaced === '' || replaced.startsWith('/') ? replaced : `/${replaced}`, 'refuse')
    if (rewritten === null) {
      respondError(res, 'JCT_ERR_BAD_REQUEST')
      return Promise.resolve(answered(res, ctx))
    }
    appendHeader(req.headers, 'x-replaced-path', path)
    req.url = rewritten + query
    return next(req, res, ctx)
  }
}

export const replacePathRegexEntry: MiddlewareEntry = {
  type: 'replacePathRegex',
  schema: httpMiddlewareTypes.replacePathRegex,
  create: (options, { name }) => replacePathRegex(parseReplacePathRegexOptions(options, name)),
}
