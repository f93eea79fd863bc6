import {
  answered,
  appendHeader,
  canonicalRulePath,
  checkRewrittenPath,
  httpMiddlewareTypes,
  isPrintableAscii,
  JunctionError,
  respondError,
  splitUrl,
  type Logger,
  type Middleware,
  type MiddlewareEntry,
} from '../../src/plugin.ts'

/** One prefix to strip. */
export interface Prefix {
  /** Compared with the path: the prefix in the path's encoding, as `PathPrefix` compares it (`/a b` is `/a%20b`). */
  readonly match: string
  /** What `X-Forwarded-Prefix` receives: the prefix as written, or `match` when it is not printable ASCII. */
  readonly header: string
}

export interface StripPrefixOptions {
  readonly prefixes: readonly Prefix[]
  /** Traefik's deprecated `forceSlash`: the stripped path is never empty (`/api` stripped of `/api` is `/`). Default false, as in Traefik v3. */
  readonly forceSlash: boolean
}

/**
 * Validates `stripPrefix` options: a non-empty list of non-empty prefixes
 * (spaces around each are trimmed, as Traefik trims them). `forceSlash`,
 * deprecated in Traefik v3 and still honoured there, is honoured here and
 * logged as deprecated.
 */
export function parseStripPrefixOptions(options: Record<string, unknown>, name: string, logger?: Logger): StripPrefixOptions {
  const { prefixes, forceSlash } = options
  if (forceSlash !== undefined && typeof forceSlash !== 'boolean') throw invalid(name, 'forceSlash must be a boolean')
  if (forceSlash !== undefined) logger?.warn({ middleware: name }, `middleware ${name}: stripPrefix: forceSlash is deprecated (as in Traefik v3), remove it`)
  if (!Array.isArray(prefixes) || prefixes.length === 0) throw invalid(name, 'prefixes must be a non-empty list')
  const parsed = prefixes.map((prefix: unknown): Prefix => {
    const written = typeof prefix === 'string' ? prefix.trim() : ''
    if (written === '') throw invalid(name, `prefix ${JSON.stringify(prefix)} must be a non-empty string`)
    const match = canonicalRulePath(written)
    return { match, header: isPrintableAscii(written) ? written : match }
  })
  return { prefixes: parsed, forceSlash: forceSlash === true }
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: stripPrefix: ${message}`)
}

/**
 * Removes the first matching prefix from the path and tells the server which
 * one through `X-Forwarded-Prefix` (added to any value a trusted proxy in
 * front sent, as Traefik adds it), so it can build absolute links. A prefix
 * is a plain string, as in Traefik: `/api` strips `/apiv2/x` to `/v2/x`.
 * What is left of `/api` is the empty path (the server receives `/`), or
 * `/` with `forceSlash`. A stripped path with a `.` or `..` segment
 * (`/api../x` without `/api`) is refused with 400, as Traefik refuses it:
 * see {@link checkRewrittenPath}.
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
export function stripPrefix({ prefixes, forceSlash }: StripPrefixOptions): Middleware {
  return (next) => (req, res, ctx) => {
    const { path, query } = splitUrl(req.url)
    for (const prefix of prefixes) {
      if (!path.startsWith(prefix.match)) continue
      const stripped = checkRewrittenPath(strippedPath(path.slice(prefix.match.length), forceSlash), 'refuse')
      if (stripped === null) {
        respondError(res, 'JCT_ERR_BAD_REQUEST')
        return Promise.resolve(answered(res, ctx))
      }
      appendHeader(req.headers, 'x-forwarded-prefix', prefix.header)
      req.url = stripped + query
      break
    }
    return next(req, res, ctx)
  }
}

/** What is left once the prefix is cut off, with a leading slash unless it is empty (Traefik's `ensureLeadingSlash`). */
function strippedPath(rest: string, forceSlash: boolean): string {
  if (forceSlash) return rest.startsWith('/') ? rest : `/${rest}`
  return rest === '' || rest.startsWith('/') ? rest : `/${rest}`
}

export const stripPrefixEntry: MiddlewareEntry = {
  type: 'stripPrefix',
  schema: httpMiddlewareTypes.stripPrefix,
  create: (options, { name, logger }) => stripPrefix(parseStripPrefixOptions(options, name, logger)),
}
