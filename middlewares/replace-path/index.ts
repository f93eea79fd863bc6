import { appendHeader, checkRewrittenPath, httpMiddlewareTypes, JunctionError, splitUrl, type Middleware, type MiddlewareEntry } from '../../src/plugin.ts'

export interface ReplacePathOptions {
  /** The new path, its encoding normalised as a request path's is. */
  readonly path: string
}

/**
 * Validates `replacePath` options: `path` starts with `/`, is well
 * percent-encoded and has no `.` or `..` segment, in any encoding (Traefik
 * would send those as they are, or answer 500 to every request for a bad
 * encoding). It is written as in a URL: `%2F` stays an encoded slash, a
 * space becomes `%20`.
 */
export function parseReplacePathOptions(options: Record<string, unknown>, name: string): ReplacePathOptions {
  const path = options['path']
  if (typeof path !== 'string' || !path.startsWith('/')) throw invalid(name, 'path must be a string starting with "/"')
  const checked = checkRewrittenPath(path, 'keep')
  if (checked === null) throw invalid(name, `path ${JSON.stringify(path)} must not hold "." or ".." segments, a "#" or a malformed percent-encoding`)
  return { path: checked }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: replacePath: ${message}`)
}

/**
 * Replaces the whole path, query kept, and tells the server what it was
 * through `X-Replaced-Path` (added after any value already there, as
 * Traefik adds it), as the request wrote it: percent-encoded.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     to-foo:
 *       replacePath:
 *         path: "/foo"
 * ```
 * `GET /bar/baz?x=1` reaches the server as `GET /foo?x=1` with `X-Replaced-Path: /bar/baz`.
 */
export function replacePath({ path: replacement }: ReplacePathOptions): Middleware {
  return (next) => (req, res, ctx) => {
    const { path, query } = splitUrl(req.url)
    appendHeader(req.headers, 'x-replaced-path', path)
    req.url = replacement + query
    return next(req, res, ctx)
  }
}

export const replacePathEntry: MiddlewareEntry = {
  type: 'replacePath',
  schema: httpMiddlewareTypes.replacePath,
  create: (options, { name }) => replacePath(parseReplacePathOptions(options, name)),
}
