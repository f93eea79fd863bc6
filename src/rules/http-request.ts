import type { IncomingHttpHeaders } from 'node:http'

/** What a rule sees of a request; the engine builds it once per request. */
export interface RouteRequest {
  /** Lower-cased, without port or trailing dot: see {@link normaliseHost}. */
  readonly host: string
  /** The sanitised path (see `sanitizePath`), without the query. */
  readonly path: string
  readonly method: string
  readonly headers: IncomingHttpHeaders
  /** Parsed on first use and cached by the caller: most rules never look at the query. */
  readonly query: () => URLSearchParams
  /** The socket's address; IPv4-mapped IPv6 is accepted. */
  readonly clientIp: string
}

/** A compiled matcher, or a compiled rule, over a request. */
export type Predicate = (req: RouteRequest) => boolean

export { normaliseHost } from '../net/host.ts'
