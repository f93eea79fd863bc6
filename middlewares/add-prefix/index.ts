import { checkRewrittenPath, httpMiddlewareTypes, JunctionError, type Middleware, type MiddlewareEntry } from '../../src/plugin.ts'

export interface AddPrefixOptions {
  /** The prefix in the path's encoding (`/foo bar` is `/foo%20bar`), with its leading slash. */
  readonly prefix: string
}

/**
 * Validates `addPrefix` options. The prefix is written as in a URL:
 * `%2F` stays an encoded slash, a space becomes `%20`, `?` becomes `%3F`. A missing leading slash is added, as Traefik does. A prefix with
 * a `.` or `..` segment (in any encoding) is refused: the request's own
 * segments are clean, so the prefix is the only place one could come from.
 */
export function parseAddPrefixOptions(options: Record<string, unknown>, name: string): AddPrefixOptions {
  const prefix = options['prefix']
  if (typeof prefix !== 'string' || prefix === '') throw invalid(name, 'prefix must be a non-empty string')
  const canonical = checkRewrittenPath(prefix.startsWith('/') ? prefix : `/${prefix}`, 'keep')
  if (canonical === null) {
    throw invalid(name, `prefix ${JSON.stringify(prefix)} must not hold "." or ".." segments, a "#" or a malformed percent-encoding`)
  }
  return { prefix: canonical }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: addPrefix: ${message}`)
}

/**
 * Puts a prefix before the path, query kept. As in Traefik the prefix is
 * added as written, so `/foo/` before `/bar` gives `/foo//bar`; before the
 * empty path `stripPrefix` leaves of `/api`, it gives `/foo`.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     add-foo:
 *       addPrefix:
 *         prefix: "/foo"
 * ```
 * `GET /bar?x=1` reaches the server as `GET /foo/bar?x=1`.
 */
export function addPrefix({ prefix }: AddPrefixOptions): Middleware {
  return (next) => (req, res, ctx) => {
    req.url = prefix + (req.url ?? '/')
    return next(req, res, ctx)
  }
}

export const addPrefixEntry: MiddlewareEntry = {
  type: 'addPrefix',
  schema: httpMiddlewareTypes.addPrefix,
  create: (options, { name }) => addPrefix(parseAddPrefixOptions(options, name)),
}
