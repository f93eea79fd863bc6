import { normalisePathEncoding } from './sanitize-path.ts'

/** What separates segments for a server somewhere behind: `/`, and the encoded slash and backslash some decode into one. */
const separators = /\/|%2F|%5C/

/**
 * The check every path-rewriting middleware (`stripPrefix`,
 * `stripPrefixRegex`, `replacePath`, `replacePathRegex`) runs on the path
 * it made, so that no rewrite can take a request out of the prefix it was
 * routed by. The entry point resolved the client's dot segments before
 * routing; a rewrite that cuts a prefix inside a segment (`/api..` without
 * `/api` is `/..`), or splices captures, could make new ones, and
 * resolving them now would send the request somewhere no rule matched.
 * So the path is refused (null; the middleware answers 400), as Traefik
 * refuses a stripped path that `URL.JoinPath` would change, when:
 * - a segment is `.` or `..`, encoded or not (`%2e%2E`), counting `%2F`
 *   and `%5C` as separators too (a server that decodes them would see
 *   `/a/../b` in `/a%2F..%2Fb`);
 * - with `emptySegments: 'refuse'`, it holds `//` (JoinPath collapses it);
 * - its percent-encoding is malformed.
 * Encodings are decoded once, as a server does: `%252e` is the text
 * `%2e`, not a dot. Otherwise the path comes back with its encoding
 * normalised as the entry point normalises request paths (`/a b` gives
 * `/a%20b`). The empty path (what `stripPrefix` leaves of `/api` without
 * `forceSlash`) passes as it is.
 *
 * @example
 * checkRewrittenPath('/.%2e/admin', 'refuse') // null
 * checkRewrittenPath('/v2/users', 'refuse') // '/v2/users'
 */
export function checkRewrittenPath(path: string, emptySegments: 'refuse' | 'keep'): string | null {
  if (path === '') return path
  const normalised = normalisePathEncoding(path)
  if (normalised === null) return null
  if (emptySegments === 'refuse' && normalised.includes('//')) return null
  if (!normalised.includes('.')) return normalised
  for (const segment of normalised.split(separators)) {
    if (segment === '.' || segment === '..') return null
  }
  return normalised
}
