import { httpMiddlewareTypes, JunctionError, type Middleware, type MiddlewareEntry } from '../../src/plugin.ts'

export interface StripPrefixOptions {
  readonly prefixes: readonly string[]
}

/** Validates `stripPrefix` options: a non-empty list of prefixes, each a path. */
export function parseStripPrefixOptions(options: Record<string, unknown>, name: string): StripPrefixOptions {
  const { prefixes, forceSlash, ...rest } = options
  const unknown = Object.keys(rest)
  if (unknown.length > 0) throw invalid(name, `unknown option "${unknown[0]}"`)
  if (forceSlash !== undefined && typeof forceSlash !== 'boolean') throw invalid(name, 'forceSlash must be a boolean')
  if (!Array.isArray(prefixes) || prefixes.length === 0) throw invalid(name, 'prefixes must be a non-empty list')
  for (const prefix of prefixes) {
    if (typeof prefix !== 'string' || prefix === '') throw invalid(name, `prefix ${JSON.stringify(prefix)} must be a non-empty string`)
  }
  return { prefixes: prefixes as string[] }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: stripPrefix: ${message}`)
}

/**
 * Removes the first matching prefix from the path and tells the server which
 * one through `X-Forwarded-Prefix`, so it can build absolute links.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     strip-api:
 *       stripPrefix:
 *         prefixes: ["/api"]
 * ```
 * `GET /api/users?x=1` reaches the server as `GET /users?x=1` with `X-Forwarded-Prefix: /api`.
 */
export function stripPrefix({ prefixes }: StripPrefixOptions): Middleware {
  return (next) => (req, res, ctx) => {
    const url = req.url ?? '/'
    const queryAt = url.indexOf('?')
    const path = queryAt === -1 ? url : url.slice(0, queryAt)
    for (const prefix of prefixes) {
      if (!path.startsWith(prefix)) continue
      const rest = path.slice(prefix.length)
      req.url = (rest.startsWith('/') ? rest : `/${rest}`) + (queryAt === -1 ? '' : url.slice(queryAt))
      req.headers['x-forwarded-prefix'] = prefix
      break
    }
    return next(req, res, ctx)
  }
}

export const stripPrefixEntry: MiddlewareEntry = {
  type: 'stripPrefix',
  schema: httpMiddlewareTypes.stripPrefix,
  create: (options, { name }) => stripPrefix(parseStripPrefixOptions(options, name)),
}
